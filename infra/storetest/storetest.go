// Package storetest is the contract suite every events.Store adapter must
// pass. An adapter's test calls Run with a constructor for a fresh, empty
// store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
)

// NewStore returns a fresh, empty store. It registers its own cleanup with t.
type NewStore func(t *testing.T) events.Store

// Features describe what an adapter does beyond the port's contract.
type Features struct {
	// SparsePositions: positions grow, but not by one per record (KurrentDB's
	// are byte offsets in its log). Without it the suite also checks that the
	// n-th record of the log is at position n and that Head counts records.
	SparsePositions bool
}

// Run runs the whole contract suite against stores made by newStore.
func Run(t *testing.T, newStore NewStore, features ...Features) {
	t.Helper()
	var f Features
	if len(features) > 0 {
		f = features[0]
	}
	tests := []struct {
		name string
		fn   func(*testing.T, events.Store)
	}{
		{"ExpectedVersions", testExpectedVersions},
		{"ConcurrentSameExpectedVersion", testConcurrentSameExpectedVersion},
		{"ReadBackOrderAndFields", testReadBackOrderAndFields},
		{"SubscribeAllFromStartMiddleAndTail", testSubscribeAll},
		{"IdempotentRetry", testIdempotentRetry},
		{"PayloadLimit", testPayloadLimit},
		{"ContextCancellation", testContextCancellation},
		{"StreamNames", testStreamNames},
		{"ManyStreams", testManyStreams},
	}
	if !f.SparsePositions {
		tests = append(tests, struct {
			name string
			fn   func(*testing.T, events.Store)
		}{"DensePositions", testDensePositions})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// mustHead returns the store's head position.
func mustHead(t *testing.T, s events.Store) uint64 {
	t.Helper()
	head, err := s.Head(ctxT(t))
	if err != nil {
		t.Fatalf("head: %v", err)
	}
	return head
}

func testDensePositions(t *testing.T, s events.Store) {
	if h := mustHead(t, s); h != 0 {
		t.Fatalf("empty store has head %d", h)
	}
	for i := range 5 {
		pos := mustAppend(t, s, fmt.Sprintf("dense-%d", i%2), events.Any, Rec("D", `{}`), Rec("D", `{}`))
		if pos != uint64(2*i+2) {
			t.Fatalf("append %d returned position %d, want %d", i, pos, 2*i+2)
		}
	}
	for i, r := range collect(t, s, 0, 10, nil) {
		if r.Position != uint64(i+1) {
			t.Fatalf("record %d at position %d", i, r.Position)
		}
	}
	if h := mustHead(t, s); h != 10 {
		t.Fatalf("head %d, want 10", h)
	}
}

// Rec returns a record with a fresh id, the given type and JSON data.
func Rec(typ, data string) events.Record {
	return events.Record{
		ID: uuid.New(), Type: typ, OccurredAt: time.Now().UTC(),
		Meta: events.Metadata{CorrelationID: "corr-" + typ, CausationID: "cause-" + typ, Actor: "tester"},
		Data: []byte(data),
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustAppend(t *testing.T, s events.Store, stream string, ev events.ExpectedVersion, recs ...events.Record) uint64 {
	t.Helper()
	pos, err := s.Append(ctxT(t), stream, ev, recs...)
	if err != nil {
		t.Fatalf("append to %q (%s): %v", stream, ev, err)
	}
	return pos
}

func mustRead(t *testing.T, s events.Store, stream string) []events.Record {
	t.Helper()
	recs, err := s.ReadStream(ctxT(t), stream)
	if err != nil {
		t.Fatalf("read %q: %v", stream, err)
	}
	return recs
}

func wantConflict(t *testing.T, err error, actual uint64) {
	t.Helper()
	var ce *events.ConflictError
	if !errors.Is(err, events.ErrConflict) || !errors.As(err, &ce) {
		t.Fatalf("want a *ConflictError matching ErrConflict, got %v", err)
	}
	if ce.Actual != actual {
		t.Fatalf("conflict reports version %d, want %d", ce.Actual, actual)
	}
}

func testExpectedVersions(t *testing.T, s events.Store) {
	ctx := ctxT(t)
	mustAppend(t, s, "ev-a", events.NoStream, Rec("A", `{"n":1}`))
	_, err := s.Append(ctx, "ev-a", events.NoStream, Rec("A", `{"n":2}`))
	wantConflict(t, err, 1)
	_, err = s.Append(ctx, "ev-a", events.Exact(0), Rec("A", `{"n":2}`))
	wantConflict(t, err, 1)
	mustAppend(t, s, "ev-a", events.Exact(1), Rec("A", `{"n":2}`), Rec("A", `{"n":3}`))
	_, err = s.Append(ctx, "ev-a", events.Exact(2), Rec("A", `{"n":4}`))
	wantConflict(t, err, 3)
	_, err = s.Append(ctx, "ev-a", events.Exact(7), Rec("A", `{"n":4}`))
	wantConflict(t, err, 3)
	mustAppend(t, s, "ev-a", events.Any, Rec("A", `{"n":4}`))
	mustAppend(t, s, "ev-new", events.Any, Rec("A", `{"n":1}`))
	_, err = s.Append(ctx, "ev-missing", events.Exact(1), Rec("A", `{}`))
	wantConflict(t, err, 0)
	if got := len(mustRead(t, s, "ev-a")); got != 4 {
		t.Fatalf("ev-a has %d events, want 4", got)
	}
	if got := len(mustRead(t, s, "ev-missing")); got != 0 {
		t.Fatalf("a failed append wrote %d events", got)
	}
}

func testConcurrentSameExpectedVersion(t *testing.T, s events.Store) {
	mustAppend(t, s, "race", events.NoStream, Rec("Seed", `{}`))
	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = s.Append(ctxT(t), "race", events.Exact(1), Rec("Racer", fmt.Sprintf(`{"i":%d}`, i)))
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, events.ErrConflict):
		default:
			t.Fatalf("racer %d: unexpected error %v", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d appends won, want exactly 1", wins)
	}
	if got := len(mustRead(t, s, "race")); got != 2 {
		t.Fatalf("stream has %d events, want 2", got)
	}
}

func testReadBackOrderAndFields(t *testing.T, s events.Store) {
	occurred := time.Date(2026, 11, 27, 10, 11, 12, 123456789, time.UTC)
	var sent []events.Record
	var lastPos uint64
	for batch := range 3 {
		var recs []events.Record
		for i := range batch + 1 {
			r := Rec(fmt.Sprintf("T%d", i), fmt.Sprintf(`{"batch":%d,"i":%d}`, batch, i))
			r.OccurredAt = occurred.Add(time.Duration(len(sent)) * time.Second)
			recs = append(recs, r)
			sent = append(sent, r)
		}
		pos := mustAppend(t, s, "order", events.Any, recs...)
		if pos <= lastPos {
			t.Fatalf("append returned position %d after %d", pos, lastPos)
		}
		orderPos := pos
		lastPos = mustAppend(t, s, "other", events.Any, Rec("Noise", `{}`))
		if lastPos <= orderPos {
			t.Fatalf("noise appended at %d, not after %d", lastPos, orderPos)
		}
		sent[len(sent)-1].Position = orderPos
	}
	got := mustRead(t, s, "order")
	if len(got) != len(sent) {
		t.Fatalf("read %d records, want %d", len(got), len(sent))
	}
	var prev uint64
	for i, g := range got {
		w := sent[i]
		if g.ID != w.ID || g.Type != w.Type || string(g.Data) != string(w.Data) || g.Meta != w.Meta {
			t.Fatalf("record %d: got %+v, want %+v", i, g, w)
		}
		if !g.OccurredAt.Equal(w.OccurredAt) || g.OccurredAt.Location() != time.UTC {
			t.Fatalf("record %d: occurredAt %v, want %v in UTC", i, g.OccurredAt, w.OccurredAt)
		}
		if g.Stream != "order" || g.StreamVersion != uint64(i+1) {
			t.Fatalf("record %d: stream %q version %d", i, g.Stream, g.StreamVersion)
		}
		if g.Position <= prev {
			t.Fatalf("record %d: position %d not after %d", i, g.Position, prev)
		}
		prev = g.Position
	}
	if want := sent[len(sent)-1].Position; got[len(got)-1].Position != want {
		t.Fatalf("last record at %d, append said %d", got[len(got)-1].Position, want)
	}
	if head := mustHead(t, s); head != lastPos {
		t.Fatalf("head = %d; want %d, the last append's position", head, lastPos)
	}
}

// collect subscribes after pos and returns the first n records delivered.
func collect(t *testing.T, s events.Store, after uint64, n int, during func()) []events.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctxT(t), 30*time.Second)
	defer cancel()
	var got []events.Record
	done := make(chan error, 1)
	started := make(chan struct{})
	go func() {
		once := sync.Once{}
		err := s.SubscribeAll(ctx, after, func(r events.Record) error {
			once.Do(func() { close(started) })
			got = append(got, r)
			if len(got) == n {
				cancel()
			}
			return nil
		})
		done <- err
	}()
	if during != nil {
		select {
		case <-started:
		case <-time.After(10 * time.Second):
		}
		during()
	}
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("SubscribeAll ended with %v after %d of %d records", err, len(got), n)
	}
	return got
}

func testSubscribeAll(t *testing.T, s events.Store) {
	var positions []uint64
	for i := range 10 {
		positions = append(positions, mustAppend(t, s, fmt.Sprintf("sub-%d", i%3), events.Any, Rec("S", fmt.Sprintf(`{"i":%d}`, i))))
	}
	all := collect(t, s, 0, 10, nil)
	for i, r := range all {
		if r.Position != positions[i] || string(r.Data) != fmt.Sprintf(`{"i":%d}`, i) {
			t.Fatalf("from the start: record %d at position %d, append said %d", i, r.Position, positions[i])
		}
	}
	mid := collect(t, s, all[3].Position, 6, nil)
	if mid[0].ID != all[4].ID || mid[5].ID != all[9].ID {
		t.Fatalf("after position %d: first record %d, want %d", all[3].Position, mid[0].Position, all[4].Position)
	}
	var live []uint64
	tail := collect(t, s, all[7].Position, 5, func() {
		for i := range 3 {
			live = append(live, mustAppend(t, s, "sub-live", events.Any, Rec("Live", fmt.Sprintf(`{"i":%d}`, i))))
		}
	})
	if tail[0].ID != all[8].ID || tail[1].ID != all[9].ID || tail[4].Position != live[2] ||
		tail[4].Type != "Live" || tail[4].Stream != "sub-live" {
		t.Fatalf("live tail: got %+v", tail)
	}
}

func testIdempotentRetry(t *testing.T, s events.Store) {
	one := Rec("Once", `{}`)
	p1 := mustAppend(t, s, "retry", events.NoStream, one)
	if p2 := mustAppend(t, s, "retry", events.NoStream, one); p2 != p1 {
		t.Fatalf("retry returned %d, first append %d", p2, p1)
	}
	two, three := Rec("Twice", `{}`), Rec("Thrice", `{}`)
	p3 := mustAppend(t, s, "retry", events.Exact(1), two, three)
	if p4 := mustAppend(t, s, "retry", events.Exact(1), two, three); p4 != p3 {
		t.Fatalf("batch retry returned %d, first append %d", p4, p3)
	}
	four := Rec("Any", `{}`)
	p5 := mustAppend(t, s, "retry", events.Any, four)
	if p6 := mustAppend(t, s, "retry", events.Any, four); p6 != p5 {
		t.Fatalf("retry with Any returned %d, first append %d", p6, p5)
	}
	if got := len(mustRead(t, s, "retry")); got != 4 {
		t.Fatalf("stream has %d events after retries, want 4", got)
	}
	if head := mustHead(t, s); head != p5 {
		t.Fatalf("head = %d after retries, want %d", head, p5)
	}
}

func testPayloadLimit(t *testing.T, s events.Store) {
	big := Rec("Big", `"`+strings.Repeat("x", events.MaxPayloadBytes-2)+`"`)
	mustAppend(t, s, "big", events.NoStream, big)
	got := mustRead(t, s, "big")
	if len(got) != 1 || len(got[0].Data) != events.MaxPayloadBytes || string(got[0].Data) != string(big.Data) {
		t.Fatalf("8 MiB payload did not round-trip")
	}
	tooBig := Rec("TooBig", `"`+strings.Repeat("x", events.MaxPayloadBytes-1)+`"`)
	done := make(chan error, 1)
	go func() { _, err := s.Append(ctxT(t), "big", events.Exact(1), tooBig); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, events.ErrPayloadTooLarge) {
			t.Fatalf("8 MiB + 1 byte: want ErrPayloadTooLarge, got %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("8 MiB + 1 byte: append hung")
	}
	if got := len(mustRead(t, s, "big")); got != 1 {
		t.Fatalf("rejected payload left %d events", got)
	}
}

func testContextCancellation(t *testing.T, s events.Store) {
	mustAppend(t, s, "cancel", events.NoStream, Rec("Before", `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Append(ctx, "cancel", events.Exact(1), Rec("After", `{}`)); !errors.Is(err, context.Canceled) {
		t.Fatalf("append with a cancelled context: %v", err)
	}
	if _, err := s.ReadStream(ctx, "cancel"); !errors.Is(err, context.Canceled) {
		t.Fatalf("read with a cancelled context: %v", err)
	}
	if got := len(mustRead(t, s, "cancel")); got != 1 {
		t.Fatalf("cancelled append wrote: stream has %d events", got)
	}
	live, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.SubscribeAll(live, 0, func(events.Record) error { return nil }) }()
	time.Sleep(50 * time.Millisecond)
	stop()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("SubscribeAll after cancel returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SubscribeAll did not return after cancel")
	}
	boom := errors.New("boom")
	if err := s.SubscribeAll(ctxT(t), 0, func(events.Record) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("SubscribeAll should return the handler's error, got %v", err)
	}
}

func testStreamNames(t *testing.T, s events.Store) {
	if _, err := s.Append(ctxT(t), "", events.Any, Rec("X", `{}`)); !errors.Is(err, events.ErrInvalidAppend) {
		t.Fatalf("empty stream name: want ErrInvalidAppend, got %v", err)
	}
	if _, err := s.Append(ctxT(t), "no-records", events.Any); !errors.Is(err, events.ErrInvalidAppend) {
		t.Fatalf("no records: want ErrInvalidAppend, got %v", err)
	}
	names := []string{
		"Foo Service", "a.b", "a=2Eb", "a/b/c", "*", ">", "a.*", "a.>", "x=y", "ünïcødé 名前", "tab\there",
		"line\nbreak", "..", ".", "a..b", "$SYS", "%2F", "a b.c/d*e>f=g",
	}
	for i, n := range names {
		mustAppend(t, s, n, events.NoStream, Rec("Named", fmt.Sprintf(`{"i":%d}`, i)))
	}
	for i, n := range names {
		got := mustRead(t, s, n)
		if len(got) != 1 || string(got[0].Data) != fmt.Sprintf(`{"i":%d}`, i) || got[0].Stream != n {
			t.Fatalf("stream %q: got %+v", n, got)
		}
	}
}

func testManyStreams(t *testing.T, s events.Store) {
	const streams, perStream, workers = 1000, 10, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < streams; i += workers {
				for v := range perStream {
					_, err := s.Append(ctxT(t), fmt.Sprintf("many-%04d", i), events.Exact(uint64(v)),
						Rec("M", fmt.Sprintf(`{"s":%d,"v":%d}`, i, v)))
					if err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1, 499, 998, 999} {
		got := mustRead(t, s, fmt.Sprintf("many-%04d", i))
		for v, r := range got {
			if r.StreamVersion != uint64(v+1) || string(r.Data) != fmt.Sprintf(`{"s":%d,"v":%d}`, i, v) {
				t.Fatalf("stream %d record %d: %+v", i, v, r)
			}
		}
		if len(got) != perStream {
			t.Fatalf("stream %d has %d records", i, len(got))
		}
	}
	seen := collect(t, s, 0, streams*perStream, nil)
	if len(seen) != streams*perStream {
		t.Fatalf("subscribe saw %d records", len(seen))
	}
	if head := mustHead(t, s); head != seen[len(seen)-1].Position {
		t.Fatalf("head = %d, last record at %d", head, seen[len(seen)-1].Position)
	}
}
