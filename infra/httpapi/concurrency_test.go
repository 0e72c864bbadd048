package httpapi_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/memstore"
)

// stores are the engines the concurrency tests run on.
func stores(t *testing.T) map[string]func(*testing.T) events.Store {
	return map[string]func(*testing.T) events.Store{
		"memory": func(*testing.T) events.Store { return memstore.New() },
		"jetstream": func(t *testing.T) events.Store {
			s, err := jetstream.Open(context.Background(), jetstream.Config{DataDir: t.TempDir(), SyncAlways: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		},
	}
}

// TestConcurrentDeploymentsLoseAndDoubleNothing records 50 versions of one
// application to one environment and instance at once.
func TestConcurrentDeploymentsLoseAndDoubleNothing(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			b := newBrokerOn(t, open(t))
			prod := b.envUUID("production")
			const n = 50
			for i := range n {
				b.version("Foo", fmt.Sprintf("1.0.%d", i))
			}
			ids := make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					r := b.post(fmt.Sprintf("/pacticipants/Foo/versions/1.0.%d/deployed-versions/environment/%s", i, prod),
						map[string]any{"applicationInstance": "web"})
					if r.status != 201 {
						t.Errorf("deployment %d: %d %s", i, r.status, r.raw)
						return
					}
					ids[i] = r.str("uuid")
				})
			}
			wg.Wait()
			current := currentVersions(t, b, prod, "?applicationInstance=web")
			if len(current) != 1 {
				t.Fatalf("%d versions currently deployed, want exactly 1: %v", len(current), current)
			}
			recorded := map[string]bool{}
			for _, e := range b.eventsOfType("DeploymentRecorded") {
				recorded[e.Data.(events.DeploymentRecorded).DeploymentID] = true
			}
			for i, id := range ids {
				if !recorded[id] {
					t.Fatalf("deployment %d (%s) was acknowledged but is not in the log", i, id)
				}
			}
			undeployed := map[string]int{}
			for _, e := range b.eventsOfType("DeploymentRecorded") {
				if r := e.Data.(events.DeploymentRecorded).Replaces; r != nil {
					undeployed[r.DeploymentID]++
				}
			}
			if replaced := len(undeployed); replaced != n-1 {
				t.Fatalf("%d deployments replaced, want %d", replaced, n-1)
			}
			for id, count := range undeployed {
				if count != 1 {
					t.Fatalf("deployment %s undeployed %d times", id, count)
				}
			}
		})
	}
}

// TestConcurrentEnvironmentCreatesKeepNamesUnique creates one name 50 times
// at once: exactly one wins, the others are told the name is used.
func TestConcurrentEnvironmentCreatesKeepNamesUnique(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			b := newBrokerOn(t, open(t))
			const n = 50
			statuses := make([]response, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { statuses[i] = b.post("/environments", map[string]any{"name": "uat", "production": false}) })
			}
			wg.Wait()
			wins := 0
			for _, r := range statuses {
				switch {
				case r.status == 201:
					wins++
				case r.status == 400 && r.str("errors.name.0") == "name 'uat' is already used by an existing environment.":
				default:
					t.Fatalf("unexpected answer %d %s", r.status, r.raw)
				}
			}
			if wins != 1 || len(b.eventsOfType("EnvironmentCreated")) != 3 {
				t.Fatalf("%d creates won, want 1", wins)
			}
		})
	}
}
