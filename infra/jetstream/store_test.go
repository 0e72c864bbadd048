package jetstream_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/storetest"
)

// open opens a store on cfg and closes it when the test ends.
func open(t testing.TB, cfg jetstream.Config) *jetstream.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := jetstream.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// testLogger sends debug logs to t.Log, shown for failed or verbose tests.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

func openEmbedded(t testing.TB, dir string) *jetstream.Store {
	return open(t, jetstream.Config{DataDir: dir, SyncAlways: true})
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustAppend(t testing.TB, s events.Store, stream string, ev events.ExpectedVersion, recs ...events.Record) uint64 {
	t.Helper()
	pos, err := s.Append(ctxT(t), stream, ev, recs...)
	if err != nil {
		t.Fatalf("append to %q (%s): %v", stream, ev, err)
	}
	return pos
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) events.Store { return openEmbedded(t, t.TempDir()) })
}

// TestContractExternal runs the suite over TCP against a separate server,
// the way a cluster deployment connects.
func TestContractExternal(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	storetest.Run(t, func(t *testing.T) events.Store {
		ns := startServer(t, t.TempDir(), 8<<20+256<<10)
		return open(t, jetstream.Config{URL: ns.ClientURL()})
	})
}

// startServer starts a plain JetStream server on a random loopback port.
func startServer(t testing.TB, dir string, maxPayload int32) *server.Server {
	t.Helper()
	ns, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: dir,
		MaxPayload: maxPayload, NoLog: true, NoSigs: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns
}

func TestRestartKeepsEventsAndVersions(t *testing.T) {
	dir := t.TempDir()
	s := open(t, jetstream.Config{DataDir: dir, SyncAlways: true})
	want := map[string][]events.Record{}
	for i := range 30 {
		stream := fmt.Sprintf("restart-%d", i%4)
		recs := []events.Record{storetest.Rec("R", fmt.Sprintf(`{"i":%d}`, i))}
		if i%5 == 0 {
			recs = append(recs, storetest.Rec("R2", fmt.Sprintf(`{"i":%d,"b":1}`, i)))
		}
		pos := mustAppend(t, s, stream, events.Exact(uint64(len(want[stream]))), recs...)
		for j := range recs {
			recs[j].Position = pos - uint64(len(recs)-1-j)
			recs[j].StreamVersion = uint64(len(want[stream]) + 1)
			want[stream] = append(want[stream], recs[j])
		}
	}
	head, _ := s.Head(ctxT(t))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openEmbedded(t, dir)
	if got, err := s.Head(ctxT(t)); err != nil || got != head {
		t.Fatalf("head after restart = %d, %v; want %d", got, err, head)
	}
	for stream, recs := range want {
		got, err := s.ReadStream(ctxT(t), stream)
		if err != nil || len(got) != len(recs) {
			t.Fatalf("%s: read %d records, %v; want %d", stream, len(got), err, len(recs))
		}
		for i, r := range recs {
			g := got[i]
			if g.ID != r.ID || g.Position != r.Position || g.StreamVersion != r.StreamVersion || string(g.Data) != string(r.Data) {
				t.Fatalf("%s record %d: got %+v, want %+v", stream, i, g, r)
			}
		}
		pos := mustAppend(t, s, stream, events.Exact(uint64(len(recs))), storetest.Rec("After", `{}`))
		if head++; pos != head {
			t.Fatalf("%s: append after restart at %d, want %d", stream, pos, head)
		}
		if got, _ := s.ReadStream(ctxT(t), stream); got[len(got)-1].StreamVersion != uint64(len(recs)+1) {
			t.Fatalf("%s: version after restart %d", stream, got[len(got)-1].StreamVersion)
		}
	}
}

func TestFailedBatchWritesNothing(t *testing.T) {
	s := openEmbedded(t, t.TempDir())
	first := storetest.Rec("A", `{}`)
	mustAppend(t, s, "batch", events.NoStream, first, storetest.Rec("B", `{}`))
	mustAppend(t, s, "batch", events.Exact(2), storetest.Rec("C", `{}`))
	// Stale expected version.
	_, err := s.Append(ctxT(t), "batch", events.Exact(2), storetest.Rec("X", `{}`), storetest.Rec("Y", `{}`), storetest.Rec("Z", `{}`))
	var ce *events.ConflictError
	if !errors.As(err, &ce) || ce.Actual != 3 {
		t.Fatalf("stale batch: want conflict at 3, got %v", err)
	}
	// A batch reusing an id stored by an earlier append is refused as a whole.
	_, err = s.Append(ctxT(t), "batch", events.Any, storetest.Rec("X", `{}`), first)
	if !errors.As(err, &ce) || ce.Actual != 3 {
		t.Fatalf("batch with a stored id: want conflict at 3, got %v", err)
	}
	if head, _ := s.Head(ctxT(t)); head != 3 {
		t.Fatalf("failed batches moved head to %d", head)
	}
}

func TestAppendAfterMaximalEventAndOddMetadata(t *testing.T) {
	s := openEmbedded(t, t.TempDir())
	big := storetest.Rec("Big", strings.Repeat("x", events.MaxPayloadBytes))
	mustAppend(t, s, "big", events.NoStream, big)
	mustAppend(t, s, "big", events.Exact(1), storetest.Rec("Small", `{}`)) // reads the 8 MiB head first
	odd := storetest.Rec("Type with spaces %41 and\nnewline", `{}`)
	odd.Meta = events.Metadata{CorrelationID: " padded ", CausationID: "ünï\r\n", Actor: "100%"}
	if pos := mustAppend(t, s, "big", events.Exact(2), odd); pos != 3 {
		t.Fatalf("position %d", pos)
	}
	got, err := s.ReadStream(ctxT(t), "big")
	if err != nil || len(got) != 3 || got[2].Type != odd.Type || got[2].Meta != odd.Meta || len(got[0].Data) != events.MaxPayloadBytes {
		t.Fatalf("read back: %v %+v", err, got[2])
	}
}

// TestExternalSmallMaxPayload checks that a server with the default 1 MiB
// max_payload refuses larger events quickly instead of hanging.
func TestExternalSmallMaxPayload(t *testing.T) {
	ns := startServer(t, t.TempDir(), 0) // 0: server default, 1 MiB
	s := open(t, jetstream.Config{URL: ns.ClientURL()})
	mustAppend(t, s, "ext", events.NoStream, storetest.Rec("Fits", strings.Repeat("y", 900<<10)))
	for _, recs := range [][]events.Record{
		{storetest.Rec("TooBig", strings.Repeat("z", 2<<20))},
		{storetest.Rec("Fits", `{}`), storetest.Rec("TooBig", strings.Repeat("z", 1<<20))},
	} {
		start := time.Now()
		_, err := s.Append(ctxT(t), "ext", events.Exact(1), recs...)
		if !errors.Is(err, events.ErrPayloadTooLarge) || time.Since(start) > 2*time.Second {
			t.Fatalf("want a quick ErrPayloadTooLarge, got %v after %v", err, time.Since(start))
		}
	}
	if head, _ := s.Head(ctxT(t)); head != 1 {
		t.Fatalf("head = %d", head)
	}
}

// TestListenAddr shares an embedded server with a second, TCP client.
func TestListenAddr(t *testing.T) {
	s := open(t, jetstream.Config{DataDir: t.TempDir(), SyncAlways: true, ListenAddr: "127.0.0.1:0"})
	mustAppend(t, s, "shared", events.NoStream, storetest.Rec("A", `{}`))
	other := open(t, jetstream.Config{URL: s.Server().ClientURL()})
	mustAppend(t, other, "shared", events.Exact(1), storetest.Rec("B", `{}`))
	if got, err := s.ReadStream(ctxT(t), "shared"); err != nil || len(got) != 2 || got[1].StreamVersion != 2 {
		t.Fatalf("read: %v %+v", err, got)
	}
}

// TestCloseEndsSubscriptions checks that a live SubscribeAll returns an error
// (not ctx.Err, not a hang) when the store is closed under it.
func TestCloseEndsSubscriptions(t *testing.T) {
	s, err := jetstream.Open(ctxT(t), jetstream.Config{DataDir: t.TempDir(), SyncAlways: true})
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, s, "live", events.NoStream, storetest.Rec("A", `{}`))
	seen := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.SubscribeAll(context.Background(), 0, func(events.Record) error {
			close(seen)
			return nil
		})
	}()
	<-seen
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	select {
	case err := <-done:
		if err == nil || errors.Is(err, context.Canceled) {
			t.Fatalf("SubscribeAll after Close returned %v", err)
		}
		t.Logf("SubscribeAll after Close: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("SubscribeAll still running 15s after Close")
	}
	if _, err := s.Append(ctxT(t), "live", events.Exact(1), storetest.Rec("B", `{}`)); err == nil {
		t.Fatal("append after Close succeeded")
	}
}
