package jetstream

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
)

func openTest(t testing.TB, dir string) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// oddRecord returns a record whose fields exercise escaping and parsing:
// metadata with spaces, '%', line breaks, non-ASCII text or nothing, and
// times with every fraction length.
func oddRecord(i int, data string) events.Record {
	meta := []events.Metadata{
		{},
		{CorrelationID: "corr", CausationID: "cause", Actor: "tester"},
		{CorrelationID: " leading and trailing ", Actor: "50% of ünïcødé"},
		{CausationID: "line\nbreak\r\n", Actor: "tab\there"},
		{CorrelationID: "%41%zz", CausationID: "a:b: c", Actor: strings.Repeat("long-", 200)},
		{CorrelationID: "6f28d182-same", CausationID: "6f28d182-same", Actor: "tester"},
		{CorrelationID: "only-correlation"},
	}[i%7]
	at := time.Date(2026, time.Month(1+i%12), 1+i%28, i%24, i%60, i%60, 0, time.UTC)
	at = at.Add(time.Duration([]int{0, 100_000_000, 120_000_000, 123_456_789, 1, 999_999_999, 10_000}[i%7]))
	typ := []string{"ContractPublished", "Type With Spaces", "percent%Type", "Ünïcødé"}[i%4]
	return events.Record{ID: uuid.New(), Type: typ, OccurredAt: at, Meta: meta, Data: []byte(data)}
}

// fillOdd appends n odd records over a few streams with awkward names
// (prefixed with prefix), every tenth append a batch of three.
func fillOdd(t testing.TB, s *Store, prefix string, n int) {
	t.Helper()
	names := []string{"plain", "Foo Service", "a.b", "a=2Eb", "*", ">", "ünïcødé 名前", "line\nbreak", "%2F"}
	versions := map[string]uint64{}
	for i, k := 0, 0; i < n; k++ {
		name := prefix + names[k%len(names)]
		size := 1
		if k%10 == 9 {
			size = min(3, n-i)
		}
		var recs []events.Record
		for j := range size {
			recs = append(recs, oddRecord(i+j, fmt.Sprintf(`{"i":%d,"pad":%q}`, i+j, strings.Repeat("x", (i*37)%700))))
		}
		if _, err := s.Append(testCtx(t), name, events.Exact(versions[name]), recs...); err != nil {
			t.Fatal(err)
		}
		versions[name] += uint64(len(recs))
		i += len(recs)
	}
}

// readAll collects what read passes on from `after` until head.
func readAll(t testing.TB, head uint64, read func(ctx context.Context, fn func(events.Record) error) error) []events.Record {
	t.Helper()
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	var got []events.Record
	err := read(ctx, func(r events.Record) error {
		got = append(got, r)
		if r.Position >= head {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("read ended with %v after %d records", err, len(got))
	}
	return got
}

// TestCatchUpMatchesOrderedConsumer: the catch-up's records are exactly
// the ordered consumer's (decoded by nats.go and toRecord), field by field,
// for odd names, metadata, times and an 8 MiB payload that makes the
// batches shrink, whether it copies the payloads or lends them (copied
// here inside fn, while they are valid).
func TestCatchUpMatchesOrderedConsumer(t *testing.T) {
	s := openTest(t, t.TempDir())
	fillOdd(t, s, "", 500)
	big := oddRecord(3, `"`+strings.Repeat("y", events.MaxPayloadBytes-2)+`"`)
	if _, err := s.Append(testCtx(t), "big", events.NoStream, big); err != nil {
		t.Fatal(err)
	}
	fillOdd(t, s, "2-", 300)
	head, err := s.Head(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	for i, after := range []uint64{0, 1, 250, head - 1, 0, 250} {
		lend := i >= 4
		want := readAll(t, head, func(ctx context.Context, fn func(events.Record) error) error {
			return s.subscribeOrdered(ctx, after, fn)
		})
		got := readAll(t, head, func(ctx context.Context, fn func(events.Record) error) error {
			last, fnErr, err := s.readCatchUp(ctx, after, lend, func(r events.Record) error {
				if lend {
					r.Data = bytes.Clone(r.Data)
				}
				return fn(r)
			})
			if ctx.Err() != nil {
				return ctx.Err() // as SubscribeAll: ending ctx closes the connection
			}
			if fnErr == nil && err == nil {
				if last != head {
					return fmt.Errorf("catch-up ended at %d, not at the head", last)
				}
				return ctx.Err() // it may see the end before ctx ending
			}
			return errors.Join(fnErr, err)
		})
		if len(got) != len(want) || len(got) != int(head-after) {
			t.Fatalf("after %d (lent %v): catch-up read %d records, the ordered consumer %d, want %d", after, lend, len(got), len(want), head-after)
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("after %d (lent %v), record %d:\n got %+v\nwant %+v", after, lend, i, got[i], want[i])
			}
		}
	}
}

// TestCatchUpEndsAtTheHead: the catch-up returns (without an error) once
// it has passed the last record, and at once on an empty stream or from
// the head.
func TestCatchUpEndsAtTheHead(t *testing.T) {
	s := openTest(t, t.TempDir())
	var n int
	count := func(events.Record) error { n++; return nil }
	if last, fnErr, err := s.catchUp(testCtx(t), 0, count); last != 0 || fnErr != nil || err != nil || n != 0 {
		t.Fatalf("empty stream: last %d, %v, %v, %d records", last, fnErr, err, n)
	}
	fillOdd(t, s, "", 40)
	// Repeated: the second request, sent after the first message, may be
	// refused ("408 Requests Pending") ahead of the messages the first
	// request still gets (most runs under the race detector, where the
	// consumer is slower), which must not end the catch-up.
	for range 20 {
		n = 0
		if last, fnErr, err := s.catchUp(testCtx(t), 0, count); last != 40 || fnErr != nil || err != nil || n != 40 {
			t.Fatalf("40 records: last %d, %v, %v, %d records", last, fnErr, err, n)
		}
	}
	if last, fnErr, err := s.catchUp(testCtx(t), 40, count); last != 40 || fnErr != nil || err != nil || n != 40 {
		t.Fatalf("from the head: last %d, %v, %v, %d records", last, fnErr, err, n)
	}
	boom := errors.New("boom")
	if last, fnErr, err := s.catchUp(testCtx(t), 10, func(r events.Record) error {
		if r.Position == 13 {
			return boom
		}
		return nil
	}); last != 12 || fnErr != boom || err != nil {
		t.Fatalf("handler error at 13: last %d, %v, %v", last, fnErr, err)
	}
}

// TestSubscribeAllHandsOverWithoutGapsOrRepeats: records appended while a
// subscription catches up arrive once each, in order, whether the
// catch-up or the ordered consumer after it delivers them.
func TestSubscribeAllHandsOverWithoutGapsOrRepeats(t *testing.T) {
	s := openTest(t, t.TempDir())
	fillOdd(t, s, "", 3000)
	const more = 3000
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range more {
			r := oddRecord(i, fmt.Sprintf(`{"live":%d}`, i))
			if _, err := s.Append(ctx, fmt.Sprintf("live-%d", i), events.NoStream, r); err != nil {
				t.Error(err)
				return
			}
		}
	})
	var next uint64 = 1
	err := s.SubscribeAll(ctx, 0, func(r events.Record) error {
		if r.Position != next {
			return fmt.Errorf("record at %d, want %d", r.Position, next)
		}
		if next++; next > 3000+more {
			cancel()
		}
		return nil
	})
	wg.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("subscription ended with %v before position %d", err, next)
	}
}

// TestSubscribeAllGoesOnAfterAFailedCatchUp: when the catch-up fails part
// way, the ordered consumer delivers the rest, each record once.
func TestSubscribeAllGoesOnAfterAFailedCatchUp(t *testing.T) {
	s := openTest(t, t.TempDir())
	fillOdd(t, s, "", 600)
	s.catchUpFault = func(pos uint64) error {
		if pos == 317 {
			return errors.New("injected fault")
		}
		return nil
	}
	got := readAll(t, 600, func(ctx context.Context, fn func(events.Record) error) error {
		return s.SubscribeAll(ctx, 0, fn)
	})
	if len(got) != 600 {
		t.Fatalf("read %d records, want 600", len(got))
	}
	for i, r := range got {
		if r.Position != uint64(i+1) {
			t.Fatalf("record %d at position %d", i, r.Position)
		}
	}
}

// TestCatchUpMatchesOnDataDir compares the catch-up with the ordered
// consumer over a whole existing log (one written by earlier versions, for
// example): PACTLEDGER_COMPARE_DATA_DIR=DIR go test -run
// TestCatchUpMatchesOnDataDir ./infra/jetstream/. DIR is opened (and so
// locked) like any data directory; nothing is written.
func TestCatchUpMatchesOnDataDir(t *testing.T) {
	dir := os.Getenv("PACTLEDGER_COMPARE_DATA_DIR")
	if dir == "" {
		t.Skip("PACTLEDGER_COMPARE_DATA_DIR not set")
	}
	s := openTest(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	head, err := s.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := make(chan events.Record, 4096)
	go func() {
		defer close(want)
		_ = s.subscribeOrdered(ctx, 0, func(r events.Record) error {
			want <- r
			if r.Position >= head {
				return errors.New("done")
			}
			return nil
		})
	}()
	var n uint64
	_, fnErr, err := s.readCatchUp(ctx, 0, true, func(r events.Record) error { // compared while lent
		w, ok := <-want
		if !ok {
			return fmt.Errorf("the ordered consumer ended before position %d", r.Position)
		}
		if !reflect.DeepEqual(r, w) {
			return fmt.Errorf("record %d:\n got %+v\nwant %+v", n, r, w)
		}
		n++
		return nil
	})
	if fnErr != nil || err != nil {
		t.Fatal(fnErr, err)
	}
	if n != head {
		t.Fatalf("compared %d records, head %d", n, head)
	}
	t.Logf("%d records identical", n)
}
