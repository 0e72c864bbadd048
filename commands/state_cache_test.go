package commands

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// countingStore counts full stream reads; with versions it also offers the
// cheap version check (versionChecker), as embedded JetStream does.
type countingStore struct {
	*occStore
	reads int
}

func (s *countingStore) ReadStream(ctx context.Context, stream string) ([]events.Record, error) {
	s.reads++
	return s.occStore.ReadStream(ctx, stream)
}

type checkingStore struct{ *countingStore }

func (s checkingStore) StreamVersion(_ context.Context, stream string) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return uint64(len(s.streams[stream])), nil
}

// rivalDeploys appends a deployment as another process would: behind the
// Service's back, so its cached state goes stale.
func rivalDeploys(t *testing.T, s events.Store, version, id string, replaces *events.DeploymentRef) {
	t.Helper()
	stream, _ := domain.DeploymentStream("Foo", "env")
	ref := events.DeploymentRef{DeploymentID: id, Pacticipant: "Foo", Version: version, EnvironmentUUID: "env"}
	env := events.Envelope{ID: uuid.New(), OccurredAt: time.Now(), Data: events.DeploymentRecorded{DeploymentRef: ref, Replaces: replaces}}
	if _, err := events.NewLog(s, events.NewDefaultRegistry()).Append(context.Background(), stream, events.Any, env); err != nil {
		t.Fatal(err)
	}
}

func deploy(t *testing.T, svc *Service, version string) events.DeploymentRef {
	t.Helper()
	ref, err := svc.RecordDeployment(context.Background(), domain.VersionKey{Pacticipant: "Foo", Number: version}, "env", nil)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// foldedFresh folds the deployment stream as a first read would.
func foldedFresh(t *testing.T, s events.Store) domain.Deployments {
	t.Helper()
	stream, _ := domain.DeploymentStream("Foo", "env")
	history, err := events.NewLog(s, events.NewDefaultRegistry()).ReadStream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	var st domain.Deployments
	for _, e := range history {
		st = domain.EvolveDeployments(st, e)
	}
	return st
}

func TestCommandsOnAStreamReadItOnce(t *testing.T) {
	store := &countingStore{occStore: &occStore{streams: map[string][]events.Record{}}}
	n := 0
	svc := New(events.NewLog(store, events.NewDefaultRegistry()), nil, yes{}, nil, func() string { n++; return uuid.NewString() })
	for _, v := range []string{"1", "2", "3", "2", "4"} {
		deploy(t, svc, v)
	}
	if store.reads != 1 {
		t.Fatalf("%d reads of the stream for 5 deployments, want 1 (then the cached state)", store.reads)
	}
	stream, _ := domain.DeploymentStream("Foo", "env")
	cached, _ := svc.states.get(stream)
	if fresh := foldedFresh(t, store); !reflect.DeepEqual(cached.state, fresh) || cached.version != uint64(len(store.streams[stream])) {
		t.Fatalf("cached state at %d %+v\nfolded from the store %+v", cached.version, cached.state, fresh)
	}
}

func TestAStaleCachedStateNeverDecides(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(*countingStore) events.Store
	}{
		{"full read to check", func(s *countingStore) events.Store { return s }},
		{"version check", func(s *countingStore) events.Store { return checkingStore{s} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			counting := &countingStore{occStore: &occStore{streams: map[string][]events.Record{}}}
			store := tc.store(counting)
			svc := New(events.NewLog(store, events.NewDefaultRegistry()), nil, yes{}, nil, nil)
			mine := deploy(t, svc, "1") // cached: 1 is current

			// Another process deploys 2: the cached state says 1 is current,
			// so deploying 2 looks like a change; the Exact append conflicts
			// and the command, reading again, finds 2 current: a no-op.
			rivalDeploys(t, store, "2", "rival-2", &mine)
			if got := deploy(t, svc, "2"); got.DeploymentID != "rival-2" {
				t.Fatalf("deploying the rival's current version: %+v, want its record", got)
			}

			// Another process deploys 3: the cached state says 2 is current,
			// so deploying 2 looks like a no-op; that must be checked, and
			// the command replaces 3 with a new record of 2.
			rival2 := events.DeploymentRef{DeploymentID: "rival-2", Pacticipant: "Foo", Version: "2", EnvironmentUUID: "env"}
			rivalDeploys(t, store, "3", "rival-3", &rival2)
			got := deploy(t, svc, "2")
			if got.DeploymentID == "rival-2" || got.Version != "2" {
				t.Fatalf("a stale no-op went through: %+v", got)
			}
			fresh := foldedFresh(t, store)
			if cur := fresh.Current[domain.InstanceKey(nil)]; cur.DeploymentID != got.DeploymentID || !fresh.ByID["rival-3"].Undeployed {
				t.Fatalf("store state after the stale no-op: %+v", fresh)
			}
			cachedIsFresh(t, svc, fresh)
		})
	}
}

// TestACachedNoOpIsCheckedCheaply: with a version check, a no-op on an
// unchanged stream reads nothing.
func TestACachedNoOpIsCheckedCheaply(t *testing.T) {
	counting := &countingStore{occStore: &occStore{streams: map[string][]events.Record{}}}
	svc := New(events.NewLog(checkingStore{counting}, events.NewDefaultRegistry()), nil, yes{}, nil, nil)
	first := deploy(t, svc, "1")
	if again := deploy(t, svc, "1"); again != first || counting.reads != 1 || counting.appends != 1 {
		t.Fatalf("repeat: %+v (first %+v), %d reads, %d appends; want the same record, 1 read, 1 append", again, first, counting.reads, counting.appends)
	}
}

func TestPactContentIsNotCached(t *testing.T) {
	if cacheable[domain.PactContent]() || !cacheable[domain.Deployments]() {
		t.Fatal("pact contents must not be cached, deployment states must")
	}
	store := &countingStore{occStore: &occStore{streams: map[string][]events.Record{}}}
	svc := New(events.NewLog(store, events.NewDefaultRegistry()), nil, yes{}, nil, nil)
	doc, err := domain.ParsePact([]byte(`{"interactions":[{"description":"a","response":{"status":200}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PublishPact(context.Background(), PublishPact{Key: domain.PactKey{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1"}, Doc: doc}); err != nil {
		t.Fatal(err)
	}
	content, _ := domain.ContentStream(doc.SHA())
	if _, ok := svc.states.get(content); ok || len(store.streams[content]) == 0 {
		t.Fatalf("content stream %q: cached, or not written (%d events)", content, len(store.streams[content]))
	}
}

// cachedIsFresh fails t unless the command cache's state of Foo's
// deployments to env equals fresh, the state folded from the store.
func cachedIsFresh(t *testing.T, svc *Service, fresh domain.Deployments) {
	t.Helper()
	stream, _ := domain.DeploymentStream("Foo", "env")
	if cached, _ := svc.states.get(stream); !reflect.DeepEqual(cached.state, fresh) {
		t.Fatalf("cached %+v\nfresh %+v", cached.state, fresh)
	}
}
