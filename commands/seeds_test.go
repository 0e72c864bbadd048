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

// lagSeeds seed deployment streams as a read model that has applied only
// the first n events of each stream would (n < 0: all of them). It reads
// the occStore underneath, so its reads are not counted.
type lagSeeds struct {
	store *occStore
	n     int
	calls int
}

func (f *lagSeeds) DeploymentStreamState(stream, _, _ string) (domain.Deployments, uint64, uint64, bool) {
	return lagged(f, stream, domain.EvolveDeployments)
}

func (f *lagSeeds) ReleaseStreamState(pacticipant, version, env string) (domain.Release, uint64, uint64, bool) {
	stream, _ := domain.ReleaseStream(pacticipant, version, env)
	return lagged(f, stream, domain.EvolveRelease)
}

// lagged folds the first f.n events of stream (all of them when n < 0)
// with evolve, answering as a seed does: the state, its version and its
// last position, or ok false for an empty stream.
func lagged[S any](f *lagSeeds, stream string, evolve func(S, events.Envelope) S) (st S, version, position uint64, ok bool) {
	f.calls++
	history, err := events.NewLog(f.store, events.NewDefaultRegistry()).ReadStream(context.Background(), stream)
	if err != nil {
		panic(err)
	}
	if f.n >= 0 && f.n < len(history) {
		history = history[:f.n]
	}
	if len(history) == 0 {
		return st, 0, 0, false
	}
	for _, e := range history {
		st = evolve(st, e)
	}
	return st, uint64(len(history)), history[len(history)-1].Position, true
}

// TestASeededStreamIsNotRead: a command on a stream that is not cached
// starts from the seed, reads nothing, and caches what it appended.
func TestASeededStreamIsNotRead(t *testing.T) {
	counting := &countingStore{occStore: &occStore{streams: map[string][]events.Record{}}}
	log := events.NewLog(counting, events.NewDefaultRegistry())
	before := New(log, nil, yes{}, nil, nil)
	for _, v := range []string{"1", "2", "3"} {
		deploy(t, before, v)
	}
	seeds := &lagSeeds{store: counting.occStore, n: -1}
	svc := New(log, nil, yes{}, nil, nil) // a restarted process: nothing cached
	svc.Seeds = seeds
	counting.reads = 0
	got := deploy(t, svc, "4")
	if counting.reads != 0 || seeds.calls != 1 {
		t.Fatalf("%d reads, %d seeds; want 0 and 1", counting.reads, seeds.calls)
	}
	fresh := foldedFresh(t, counting)
	if fresh.Current[domain.InstanceKey(nil)] != got || fresh.ByID[got.DeploymentID].Undeployed {
		t.Fatalf("store after the seeded deployment: %+v", fresh)
	}
	stream, _ := domain.DeploymentStream("Foo", "env")
	if cached, _ := svc.states.get(stream); !reflect.DeepEqual(cached.state, fresh) || cached.version != 4 {
		t.Fatalf("cached at %d %+v\nfresh %+v", cached.version, cached.state, fresh)
	}
	if again := deploy(t, svc, "4"); again != got || seeds.calls != 1 {
		t.Fatalf("a repeat: %+v (want %+v), %d seeds (want the cache)", again, got, seeds.calls)
	}
}

// TestAStaleSeedNeverDecides: a seed behind the store (another writer
// appended) leads to a conflict or a version check, then a read of the
// stream, and the outcome is the one the store's state gives.
func TestAStaleSeedNeverDecides(t *testing.T) {
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
			log := events.NewLog(store, events.NewDefaultRegistry())
			first := deploy(t, New(log, nil, yes{}, nil, nil), "1")
			rivalDeploys(t, store, "2", "rival-2", &first) // the seed knows only "1"
			seeds := &lagSeeds{store: counting.occStore, n: 1}

			// A change decided on the stale seed: the append conflicts, the
			// command reads the stream (no second seed) and replaces the
			// rival's record.
			svc := New(log, nil, yes{}, nil, nil)
			svc.Seeds = seeds
			got := deploy(t, svc, "3")
			fresh := foldedFresh(t, store)
			if fresh.Current[domain.InstanceKey(nil)] != got || !fresh.ByID["rival-2"].Undeployed || !fresh.ByID[first.DeploymentID].Undeployed {
				t.Fatalf("store after a deployment on a stale seed: %+v", fresh)
			}
			if seeds.calls != 1 || counting.reads == 0 {
				t.Fatalf("%d seeds, %d reads; want one seed, then a read", seeds.calls, counting.reads)
			}

			// A no-op decided on the stale seed: it says "1" is current, the
			// store says "3"; deploying 1 must record it anew.
			svc = New(log, nil, yes{}, nil, nil)
			svc.Seeds = &lagSeeds{store: counting.occStore, n: 1}
			again := deploy(t, svc, "1")
			if again == first || again.Version != "1" {
				t.Fatalf("a stale no-op went through: %+v", again)
			}
			fresh = foldedFresh(t, store)
			if fresh.Current[domain.InstanceKey(nil)] != again || !fresh.ByID[got.DeploymentID].Undeployed {
				t.Fatalf("store after the stale no-op: %+v", fresh)
			}
			cachedIsFresh(t, svc, fresh)
		})
	}
}

// TestAStaleReleaseSeedNeverDecides: a release seed that still says
// "supported" while the store ended the support makes a no-op that is
// checked, and the command resumes the support; a current seed reads
// nothing.
func TestAStaleReleaseSeedNeverDecides(t *testing.T) {
	counting := &countingStore{occStore: &occStore{streams: map[string][]events.Record{}}}
	store := checkingStore{counting}
	log := events.NewLog(store, events.NewDefaultRegistry())
	k := domain.VersionKey{Pacticipant: "Foo", Number: "1"}
	ref, created, err := New(log, nil, yes{}, nil, nil).RecordRelease(context.Background(), k, "env")
	if err != nil || !created {
		t.Fatalf("%+v %v %v", ref, created, err)
	}
	stream, _ := domain.ReleaseStream("Foo", "1", "env")
	if _, err := log.Append(context.Background(), stream, events.Exact(1),
		events.Envelope{ID: uuid.New(), OccurredAt: time.Now(), Data: events.SupportEnded{ReleaseRef: ref}}); err != nil {
		t.Fatal(err)
	}

	svc := New(log, nil, yes{}, nil, nil)
	svc.Seeds = &lagSeeds{store: counting.occStore, n: 1} // has not seen the end of support
	counting.reads = 0
	again, created, err := svc.RecordRelease(context.Background(), k, "env")
	if err != nil || created || again != ref {
		t.Fatalf("%+v %v %v, want the existing record", again, created, err)
	}
	recs := counting.streams[stream]
	if len(recs) != 3 || recs[2].Type != "ReleaseSupportResumed" || counting.reads != 1 {
		t.Fatalf("%d events (last %s), %d reads: want support resumed after one read", len(recs), recs[len(recs)-1].Type, counting.reads)
	}

	fresh := New(log, nil, yes{}, nil, nil)
	fresh.Seeds = &lagSeeds{store: counting.occStore, n: -1}
	counting.reads = 0
	if _, created, err := fresh.RecordRelease(context.Background(), k, "env"); err != nil || created || counting.reads != 0 || len(counting.streams[stream]) != 3 {
		t.Fatalf("a current seed: created %v, %v, %d reads, %d events; want a no-op without reads", created, err, counting.reads, len(counting.streams[stream]))
	}
}
