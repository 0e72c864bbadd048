package app_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// busy runs commands of every kind through a, for versions from..to-1 of
// three applications: versions with branches and tags, pacts and
// verifications, deployments (each replacing the last) and releases, and
// what busyExtras adds.
func busy(t *testing.T, a *app.App, from, to int) {
	t.Helper()
	ctx := context.Background()
	if _, err := a.Commands.SeedEnvironments(ctx); err != nil {
		t.Fatal(err)
	}
	env, ok := a.Catalog.EnvironmentByName("test")
	if !ok {
		t.Fatal("no test environment")
	}
	createWebhook(t, a, from)
	apps := []string{"Web", "API", "Billing"}
	for v := from; v < to; v++ {
		number := fmt.Sprintf("1.0.%d", v)
		for i, name := range apps {
			k := domain.VersionKey{Pacticipant: name, Number: number}
			if _, err := a.Commands.AddVersionToBranch(ctx, k, "main"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Commands.TagVersion(ctx, k, []string{"dev", "prod"}[v%2]); err != nil {
				t.Fatal(err)
			}
			provider := apps[(i+1)%len(apps)]
			doc, err := domain.ParsePact(fmt.Appendf(nil, `{"consumer":{"name":%q},"provider":{"name":%q},"interactions":[{"description":"d%d","response":{"status":200}}]}`, name, provider, v/3))
			if err != nil {
				t.Fatal(err)
			}
			res, err := a.Commands.PublishPact(ctx, commands.PublishPact{Key: domain.PactKey{Consumer: name, Provider: provider, ConsumerVersion: number}, Doc: doc})
			if err != nil {
				t.Fatal(err)
			}
			if v > 0 {
				pv := domain.PactVersionKey{Consumer: name, Provider: provider, SHA: res.SHA}
				if _, err := a.Commands.PublishVerification(ctx, domain.PublishVerification{Pact: pv,
					ProviderVersion: fmt.Sprintf("1.0.%d", v-1), Success: v%5 != 0}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := a.Commands.RecordDeployment(ctx, k, env.UUID, nil); err != nil {
				t.Fatal(err)
			}
		}
		if v%4 == 0 {
			if _, _, err := a.Commands.RecordRelease(ctx, domain.VersionKey{Pacticipant: "Web", Number: number}, env.UUID); err != nil {
				t.Fatal(err)
			}
		}
	}
	busyExtras(t, a, from, to)
}

func started(t *testing.T, store events.Store, dir string) *app.App {
	t.Helper()
	a := app.Start(store, app.Options{Snapshots: app.SnapshotOptions{Dir: dir}, Comparator: recordingComparator{}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Runner.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSnapshotPlusTailEqualsFullReplay saves a snapshot at close, writes
// more, starts again from the snapshot (replaying only the tail) and
// compares every read model's digest with a full rebuild of the same log.
func TestSnapshotPlusTailEqualsFullReplay(t *testing.T) {
	store, dir := memstore.New(), t.TempDir()
	a := started(t, store, dir)
	busy(t, a, 0, 12)
	atClose := a.Runner.Position()
	a.Close() // saves the snapshot
	pos, saved, err := app.SnapshotDigests(dir)
	if err != nil || pos != atClose {
		t.Fatalf("snapshot at %d (%v), want the position at close %d", pos, err, atClose)
	}

	tail := started(t, store, "") // writes the tail, no snapshots
	busy(t, tail, 12, 20)
	tail.Close()

	fromSnapshot := started(t, store, dir)
	defer fromSnapshot.Close()
	full := started(t, store, "")
	defer full.Close()
	gotPos, got := fromSnapshot.ReadModelDigests()
	wantPos, want := full.ReadModelDigests()
	if gotPos != wantPos || gotPos <= pos {
		t.Fatalf("snapshot + tail at %d, full replay at %d, snapshot at %d", gotPos, wantPos, pos)
	}
	if len(want) != len(full.Runner.Projectors()) || !maps.Equal(got, want) {
		t.Fatalf("snapshot + tail %v\nfull replay %v", got, want)
	}
	for name := range want {
		if saved[name] == want[name] && name != "comparison-trigger" { // the pool saves no state
			t.Errorf("the tail did not change read model %s: the test proves little", name)
		}
	}
	gotAnswers, wantAnswers := modelAnswers(t, fromSnapshot), modelAnswers(t, full)
	if gotAnswers != wantAnswers {
		i := 0
		for i < len(gotAnswers) && i < len(wantAnswers) && gotAnswers[i] == wantAnswers[i] {
			i++
		}
		t.Fatalf("snapshot + tail answers differ at byte %d: %.300s\nfull replay: %.300s", i, gotAnswers[max(0, i-150):], wantAnswers[max(0, i-150):])
	}
	if len(full.WebhookDeliveries.Outbox()) == 0 || len(full.WebhookDeliveries.Due(time.Now().Add(24*time.Hour))) == 0 {
		t.Fatal("no trigger in the outbox or no retry pending: the test proves little")
	}
	// The restored models answer queries too, not just digests.
	if v, ok := fromSnapshot.Catalog.LatestVersionWithTag("Web", "dev"); !ok || v.Number != "1.0.18" {
		t.Fatalf("latest dev version of Web after restore: %q, %v", v.Number, ok)
	}
}

// TestSnapshotIgnoredWhenUnusable damages the snapshot file, and points a
// good one at another log: both are ignored and the read models rebuilt.
func TestSnapshotIgnoredWhenUnusable(t *testing.T) {
	store, dir := memstore.New(), t.TempDir()
	a := started(t, store, dir)
	busy(t, a, 0, 4)
	a.Close()
	_, want := started(t, store, "").ReadModelDigests()
	file := filepath.Join(dir, "read-models.snapshot")
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	bad := append([]byte{}, good...)
	bad[len(bad)/2] ^= 0xff
	if err := os.WriteFile(file, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.SnapshotDigests(dir); err == nil {
		t.Fatal("a damaged snapshot decoded")
	}
	damaged := started(t, store, dir)
	if _, got := damaged.ReadModelDigests(); !maps.Equal(got, want) {
		t.Fatalf("after a damaged snapshot: %v, want %v", got, want)
	}
	damaged.Close() // saves a good snapshot again

	other := memstore.New() // another log, longer than the snapshot's position
	o := started(t, other, "")
	busy(t, o, 0, 6)
	o.Close()
	_, otherWant := started(t, other, "").ReadModelDigests()
	foreign := started(t, other, dir)
	defer foreign.Close()
	if _, got := foreign.ReadModelDigests(); !maps.Equal(got, otherWant) {
		t.Fatalf("a snapshot of another log was used: %v, want %v", got, otherWant)
	}
}

// TestSnapshotSavedEveryNEvents checks the count trigger of a running App.
func TestSnapshotSavedEveryNEvents(t *testing.T) {
	store, dir := memstore.New(), t.TempDir()
	a := app.Start(store, app.Options{Snapshots: app.SnapshotOptions{Dir: dir, Every: 50}, Comparator: recordingComparator{}})
	defer a.Close()
	busy(t, a, 0, 6)
	deadline := time.Now().Add(20 * time.Second)
	for {
		pos, _, err := app.SnapshotDigests(dir)
		if err == nil && pos >= 50 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot after %d events: at %d, %v", a.Runner.Position(), pos, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
