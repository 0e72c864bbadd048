package projections_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// sliceStore is the least store the runner needs: appends go to a slice and
// subscribers poll it. (The real adapters live in infra, which the inner
// folders may not import, not even in tests.)
type sliceStore struct {
	mu   sync.Mutex
	recs []events.Record
}

func (s *sliceStore) Append(_ context.Context, stream string, _ events.ExpectedVersion, recs ...events.Record) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		r.Stream, r.Position = stream, uint64(len(s.recs)+1)
		s.recs = append(s.recs, r)
	}
	return uint64(len(s.recs)), nil
}

func (s *sliceStore) ReadStream(context.Context, string) ([]events.Record, error) { return nil, nil }

func (s *sliceStore) Head(context.Context) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return uint64(len(s.recs)), nil
}

func (s *sliceStore) SubscribeAll(ctx context.Context, after uint64, fn func(events.Record) error) error {
	for {
		s.mu.Lock()
		batch := slices.Clone(s.recs[after:])
		s.mu.Unlock()
		for _, r := range batch {
			if err := fn(r); err != nil {
				return err
			}
			after = r.Position
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// flakyStore drops every subscription after a few records, as a store whose
// connection keeps failing would.
type flakyStore struct {
	events.Store
	drops atomic.Int64
}

var errDropped = errors.New("connection dropped")

func (f *flakyStore) SubscribeAll(ctx context.Context, after uint64, fn func(events.Record) error) error {
	n := 0
	err := f.Store.SubscribeAll(ctx, after, func(r events.Record) error {
		if n == 3 {
			return errDropped
		}
		n++
		return fn(r)
	})
	if errors.Is(err, errDropped) {
		f.drops.Add(1)
	}
	return err
}

type counter struct{ seen []uint64 }

func (*counter) Name() string              { return "counter" }
func (c *counter) Apply(e events.Envelope) { c.seen = append(c.seen, e.Position) }

func appendEnv(t *testing.T, log *events.Log, name string) uint64 {
	t.Helper()
	no := false
	pos, err := log.Append(context.Background(), "environments", events.Any, events.Envelope{
		ID: uuid.New(), OccurredAt: time.Now(), Data: events.EnvironmentCreated{UUID: uuid.NewString(), Name: name, Production: no}})
	if err != nil {
		t.Fatal(err)
	}
	return pos
}

func TestRunnerRebuildsResumesAfterDropsAndWaits(t *testing.T) {
	store := &flakyStore{Store: &sliceStore{}}
	log := events.NewLog(store, events.NewDefaultRegistry())
	for i := range 10 {
		appendEnv(t, log, "env"+string(rune('a'+i)))
	}
	c := &counter{}
	catalog := projections.NewCatalog()
	runner := projections.NewRunner(log, nil, c, catalog)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()

	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := runner.CatchUp(wctx); err != nil {
		t.Fatal(err)
	}
	last := appendEnv(t, log, "late")
	if err := runner.WaitFor(wctx, last); err != nil {
		t.Fatal(err)
	}
	if len(catalog.Environments()) != 11 {
		t.Fatalf("catalog has %d environments", len(catalog.Environments()))
	}
	for i, p := range c.seen {
		if p != uint64(i+1) {
			t.Fatalf("applied positions %v: each exactly once, in order", c.seen)
		}
	}
	if len(c.seen) != 11 || store.drops.Load() < 3 {
		t.Fatalf("applied %d events over %d dropped subscriptions", len(c.seen), store.drops.Load())
	}
	short, scancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer scancel()
	if err := runner.WaitFor(short, last+5); !errors.Is(err, projections.ErrWaitTimeout) {
		t.Fatalf("waiting for a future position: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
}

// WaitFor wakes each waiter once its own position is applied, whichever
// registered first: the runner signals only at the lowest wanted position,
// so a later, nearer waiter must lower it and a farther one must stay
// asleep until its turn.
func TestRunnerWaitForWakesNearAndFarWaiters(t *testing.T) {
	log := events.NewLog(&sliceStore{}, events.NewDefaultRegistry())
	runner := projections.NewRunner(log, nil, &counter{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = runner.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()

	wait := func(pos uint64) chan error {
		done := make(chan error, 1)
		go func() { done <- runner.WaitFor(wctx, pos) }()
		return done
	}
	far := wait(20)
	time.Sleep(5 * time.Millisecond) // far registers first (either order must work)
	near := wait(5)
	for range 5 {
		appendEnv(t, log, uuid.NewString())
	}
	if err := <-near; err != nil {
		t.Fatalf("near waiter: %v", err)
	}
	if got := runner.Position(); got < 5 {
		t.Fatalf("near waiter returned at position %d", got)
	}
	select {
	case err := <-far:
		t.Fatalf("far waiter returned before its position: %v at %d", err, runner.Position())
	default:
	}
	for range 15 {
		appendEnv(t, log, uuid.NewString())
	}
	if err := <-far; err != nil {
		t.Fatalf("far waiter: %v", err)
	}
	if got := runner.Position(); got != 20 {
		t.Fatalf("far waiter returned at position %d", got)
	}
}
