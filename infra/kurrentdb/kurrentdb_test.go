package kurrentdb_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/kurrentdb"
	"github.com/pactledger/pactledger/infra/storetest"
)

const (
	// urlEnv points the tests at a running KurrentDB instead of a container,
	// e.g. with docker compose's kurrentdb profile up:
	//
	//	PACTLEDGER_KURRENTDB_URL='kurrentdb://localhost:2113?tls=false' go test ./infra/kurrentdb/
	//
	// Every store gets its own namespace, so the server need not be empty and
	// runs do not collide. The server needs KURRENTDB_MAX_APPEND_SIZE >= 9 MiB.
	urlEnv = "PACTLEDGER_KURRENTDB_URL"
	image  = "kurrentplatform/kurrentdb:25.1"
)

func TestKurrentDB(t *testing.T) {
	url := serverURL(t)
	t.Run("Contract", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) events.Store { return open(t, url) },
			storetest.Features{SparsePositions: true})
	})
	t.Run("SparsePositions", func(t *testing.T) { testSparsePositions(t, url) })
	t.Run("NamespaceIsolation", func(t *testing.T) { testNamespaceIsolation(t, url) })
	t.Run("BatchOverServerLimit", func(t *testing.T) { testBatchOverServerLimit(t, url) })
}

// serverURL returns $PACTLEDGER_KURRENTDB_URL or starts a throwaway
// KurrentDB container, skipping the test where there is no Docker engine.
func serverURL(t *testing.T) string {
	t.Helper()
	if u := os.Getenv(urlEnv); u != "" {
		return u
	}
	if testing.Short() {
		t.Skipf("KurrentDB contract suite skipped: -short and %s is not set", urlEnv)
	}
	if reason := dockerUnavailable(); reason != "" {
		t.Skipf("KurrentDB contract suite skipped: no Docker engine available (testcontainers): %s", reason)
	}
	ctx := context.Background()
	ctr, err := testcontainers.Run(ctx, image,
		testcontainers.WithExposedPorts("2113/tcp"),
		testcontainers.WithEnv(map[string]string{
			"KURRENTDB_INSECURE":        "true",
			"KURRENTDB_MEM_DB":          "true",
			"KURRENTDB_RUN_PROJECTIONS": "None",
			// 12 MiB: room for one events.MaxPayloadBytes event (the default is 1 MiB).
			"KURRENTDB_MAX_APPEND_SIZE": "12582912",
		}),
		testcontainers.WithWaitStrategyAndDeadline(2*time.Minute,
			wait.ForHTTP("/health/live").WithPort("2113/tcp").
				WithStatusCodeMatcher(func(code int) bool { return code == http.StatusNoContent })),
	)
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatalf("start %s: %v", image, err)
	}
	ep, err := ctr.PortEndpoint(ctx, "2113/tcp", "kurrentdb")
	if err != nil {
		t.Fatalf("endpoint of %s: %v", image, err)
	}
	return ep + "?tls=false"
}

// dockerUnavailable says why testcontainers cannot reach a Docker engine, or
// "" if it can. It is testcontainers.SkipIfProviderIsNotHealthy with our own
// skip message.
func dockerUnavailable() (reason string) {
	defer func() {
		if r := recover(); r != nil {
			reason = fmt.Sprint(r)
		}
	}()
	p, err := testcontainers.ProviderDefault.GetProvider()
	if err != nil {
		return err.Error()
	}
	defer func() { _ = p.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Health(ctx); err != nil {
		return err.Error()
	}
	return ""
}

// open returns a store in a fresh namespace: empty as far as it can tell.
func open(t *testing.T, url string) *kurrentdb.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns := "t" + strings.ReplaceAll(uuid.NewString(), "-", "")
	s, err := kurrentdb.Open(ctx, kurrentdb.Config{URL: url, Namespace: ns})
	if err != nil {
		t.Fatalf("open %s: %v", ns, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
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

func mustHead(t *testing.T, s events.Store) uint64 {
	t.Helper()
	h, err := s.Head(ctxT(t))
	if err != nil {
		t.Fatalf("head: %v", err)
	}
	return h
}

// collect subscribes after pos and returns the first n records delivered,
// calling during (if set) once the subscription has delivered something.
func collect(t *testing.T, s events.Store, after uint64, n int, during func()) []events.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctxT(t), 30*time.Second)
	defer cancel()
	var got []events.Record
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		var once sync.Once
		done <- s.SubscribeAll(ctx, after, func(r events.Record) error {
			once.Do(func() { close(started) })
			got = append(got, r)
			if len(got) == n {
				cancel()
			}
			return nil
		})
	}()
	if during != nil {
		select {
		case <-started:
		case <-time.After(10 * time.Second):
		}
		during()
	}
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("SubscribeAll after %d ended with %v after %d of %d records", after, err, len(got), n)
	}
	return got
}

// testSparsePositions checks, with real KurrentDB positions, what the
// dense-position contract cases mean: positions rise in log order, Head is the
// last record's position, SubscribeAll(after) starts right after a position
// the store returned and follows the tail, and a deduplicated retry returns
// the first attempt's position and moves nothing.
func testSparsePositions(t *testing.T, url string) {
	s := open(t, url)
	if h := mustHead(t, s); h != 0 {
		t.Fatalf("head of an empty namespace = %d, want 0", h)
	}

	// Append in batches of 1, 2 and 3 to two streams; positions only rise.
	var appended []uint64 // Append's result, per call
	var prev uint64
	for batch := range 3 {
		var recs []events.Record
		for i := range batch + 1 {
			recs = append(recs, storetest.Rec(fmt.Sprintf("T%d", i), fmt.Sprintf(`{"batch":%d,"i":%d}`, batch, i)))
		}
		for _, stream := range []string{"order", "$other"} {
			p := mustAppend(t, s, stream, events.Any, recs...)
			if p <= prev {
				t.Fatalf("append returned position %d after %d", p, prev)
			}
			prev = p
			appended = append(appended, p)
			for i := range recs {
				recs[i].ID = uuid.New()
			}
		}
	}
	if h := mustHead(t, s); h != prev {
		t.Fatalf("head = %d, want the last append's position %d", h, prev)
	}

	// From the start: every record, strictly rising, the batches' last
	// records at the positions Append returned.
	all := collect(t, s, 0, 12, nil)
	var ends []uint64
	for i, r := range all {
		if i > 0 && r.Position <= all[i-1].Position {
			t.Fatalf("record %d at %d, not after %d", i, r.Position, all[i-1].Position)
		}
		if i == len(all)-1 || all[i+1].Stream != r.Stream || all[i+1].StreamVersion != r.StreamVersion+1 {
			ends = append(ends, r.Position)
		}
	}
	if fmt.Sprint(ends) != fmt.Sprint(appended) {
		t.Fatalf("batches end at %v, Append returned %v", ends, appended)
	}
	order, err := s.ReadStream(ctxT(t), "order")
	if err != nil || len(order) != 6 || order[5].Position != appended[4] {
		t.Fatalf("read order: %d records, %v", len(order), err)
	}

	// From the middle: exactly the records after the given position.
	mid := collect(t, s, all[4].Position, 7, nil)
	for i, r := range mid {
		if r.ID != all[5+i].ID || r.Position != all[5+i].Position {
			t.Fatalf("after %d: record %d is %+v, want %+v", all[4].Position, i, r, all[5+i])
		}
	}

	// The live tail, starting two records before the end.
	var live []uint64
	tail := collect(t, s, all[9].Position, 5, func() {
		for i := range 3 {
			live = append(live, mustAppend(t, s, "sub-live", events.Any, storetest.Rec("Live", fmt.Sprintf(`{"i":%d}`, i))))
		}
	})
	if tail[0].ID != all[10].ID || tail[1].ID != all[11].ID {
		t.Fatalf("live tail starts with %+v", tail[:2])
	}
	for i, p := range live {
		if r := tail[2+i]; r.Position != p || r.Stream != "sub-live" || r.Type != "Live" {
			t.Fatalf("live record %d: %+v, Append said %d", i, r, p)
		}
	}

	// Retries: same position as the first attempt, nothing new in the log.
	one := storetest.Rec("Once", `{}`)
	p1 := mustAppend(t, s, "retry", events.NoStream, one)
	if p2 := mustAppend(t, s, "retry", events.NoStream, one); p2 != p1 {
		t.Fatalf("retry returned %d, first append %d", p2, p1)
	}
	two, three := storetest.Rec("Twice", `{}`), storetest.Rec("Thrice", `{}`)
	p3 := mustAppend(t, s, "retry", events.Exact(1), two, three)
	if p4 := mustAppend(t, s, "retry", events.Exact(1), two, three); p4 != p3 {
		t.Fatalf("batch retry returned %d, first append %d", p4, p3)
	}
	four := storetest.Rec("Any", `{}`)
	p5 := mustAppend(t, s, "retry", events.Any, four)
	if p6 := mustAppend(t, s, "retry", events.Any, four); p6 != p5 {
		t.Fatalf("retry with Any returned %d, first append %d", p6, p5)
	}
	if h := mustHead(t, s); h != p5 {
		t.Fatalf("head = %d after retries, want %d", h, p5)
	}
	if recs, err := s.ReadStream(ctxT(t), "retry"); err != nil || len(recs) != 4 || recs[3].Position != p5 {
		t.Fatalf("after retries the stream has %d records, %v", len(recs), err)
	}
}

// testNamespaceIsolation checks that a store sees only its own namespace.
func testNamespaceIsolation(t *testing.T, url string) {
	a, b := open(t, url), open(t, url)
	pa := mustAppend(t, a, "shared-name", events.NoStream, storetest.Rec("A", `{}`))
	if h := mustHead(t, b); h != 0 {
		t.Fatalf("b's head = %d with only a's events in the log", h)
	}
	if recs, err := b.ReadStream(ctxT(t), "shared-name"); err != nil || len(recs) != 0 {
		t.Fatalf("b reads a's stream: %d records, %v", len(recs), err)
	}
	pb := mustAppend(t, b, "shared-name", events.NoStream, storetest.Rec("B", `{}`))
	if got := collect(t, b, 0, 1, nil); got[0].Position != pb || got[0].Type != "B" {
		t.Fatalf("b's subscription starts with %+v", got[0])
	}
	if h := mustHead(t, a); h != pa {
		t.Fatalf("a's head = %d, want %d", h, pa)
	}
}

// testBatchOverServerLimit checks that a batch of valid events that exceeds
// the server's MaxAppendSize fails with ErrPayloadTooLarge, promptly.
func testBatchOverServerLimit(t *testing.T, url string) {
	s := open(t, url)
	big := `"` + strings.Repeat("x", 7<<20) + `"` // two of them pass ValidateAppend but not a 12 MiB server
	_, err := s.Append(ctxT(t), "big", events.NoStream, storetest.Rec("Big", big), storetest.Rec("Big", big))
	if !errors.Is(err, events.ErrPayloadTooLarge) {
		t.Fatalf("14 MiB batch: want ErrPayloadTooLarge, got %v", err)
	}
	if recs, err := s.ReadStream(ctxT(t), "big"); err != nil || len(recs) != 0 {
		t.Fatalf("refused batch left %d records, %v", len(recs), err)
	}
}
