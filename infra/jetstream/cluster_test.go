package jetstream_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	natsjs "github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/jetstream/jstest"
	"github.com/pactledger/pactledger/infra/storetest"
)

type clusterAck struct {
	version uint64 // of the first record
	pos     uint64 // of the last record
	recs    []events.Record
}

// TestClusterLeaderFailover appends from a goroutine to an R3 stream, shuts
// the stream leader down midway and checks that appends resume, that no
// acknowledged append is lost and that OCC still works after the election.
func TestClusterLeaderFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	start := time.Now()
	servers := jstest.StartCluster(t, 3, true)
	urls := make([]string, len(servers))
	for i, s := range servers {
		urls[i] = s.ClientURL()
	}
	st := open(t, jetstream.Config{URL: strings.Join(urls, ","), Replicas: 3, Logger: testLogger(t)})
	t.Logf("cluster up and stream created in %v", time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() { t.Logf("cleanup started %v after the start", time.Since(start).Round(time.Millisecond)) })

	var (
		mu       sync.Mutex
		acks     []clusterAck
		retries  int
		lastErrs []string
	)
	ackCount := func() int { mu.Lock(); defer mu.Unlock(); return len(acks) }
	ctx, stop := context.WithCancel(ctxT(t))
	writerDone := make(chan error, 1)
	go func() { writerDone <- clusterWriter(ctx, st, &mu, &acks, &retries, &lastErrs) }()

	waitAcks := func(n int, within time.Duration) {
		t.Helper()
		for deadline := time.Now().Add(within); ackCount() < n; time.Sleep(10 * time.Millisecond) {
			select {
			case err := <-writerDone:
				t.Fatalf("writer stopped after %d acks: %v", ackCount(), err)
			default:
			}
			if time.Now().After(deadline) {
				mu.Lock()
				t.Fatalf("only %d of %d acks after %v; recent errors: %v", len(acks), n, within, lastErrs)
			}
		}
	}
	waitAcks(150, 20*time.Second)
	t.Logf("150 acks after %v", time.Since(start).Round(time.Millisecond))

	leader := streamLeader(t, urls)
	var victim *server.Server
	for _, s := range servers {
		if s.Name() == leader {
			victim = s
		}
	}
	if victim == nil {
		t.Fatalf("stream leader %q is not one of the servers", leader)
	}
	atKill := ackCount()
	killedAt := time.Now()
	victim.Shutdown()
	victim.WaitForShutdown()
	waitAcks(atKill+1, 20*time.Second)
	resumed := time.Since(killedAt)
	waitAcks(atKill+150, 20*time.Second)
	t.Logf("150 more acks after %v", time.Since(start).Round(time.Millisecond))
	stop()
	if err := <-writerDone; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("writer: %v", err)
	}
	mu.Lock()
	t.Logf("leader %s shut down after %d acks; appends resumed after %v; %d acks, %d retried attempts",
		leader, atKill, resumed.Round(time.Millisecond), len(acks), retries)
	final := acks
	mu.Unlock()

	readStart := time.Now()
	got, err := st.ReadStream(ctxT(t), "cluster")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read back %d records in %v", len(got), time.Since(readStart).Round(time.Millisecond))
	for _, a := range final {
		for i, r := range a.recs {
			v := a.version + uint64(i)
			if v > uint64(len(got)) || got[v-1].ID != r.ID || got[v-1].Position != a.pos-uint64(len(a.recs)-1-i) {
				t.Fatalf("acknowledged record v%d (%s) is missing or moved", v, r.ID)
			}
		}
	}
	for i, r := range got {
		if r.StreamVersion != uint64(i+1) || r.Position != uint64(i+1) {
			t.Fatalf("record %d: version %d position %d", i, r.StreamVersion, r.Position)
		}
	}
	if last := final[len(final)-1]; uint64(len(got)) != last.version+uint64(len(last.recs))-1 {
		t.Fatalf("stream has %d records, the writer had %d acknowledged", len(got), last.version+uint64(len(last.recs))-1)
	}
	current := uint64(len(got))

	// OCC after failover: a stale expected version conflicts, and of two
	// racing appends at the right version exactly one wins.
	_, err = st.Append(ctxT(t), "cluster", events.Exact(current-1), storetest.Rec("Stale", `{}`))
	var ce *events.ConflictError
	if !errors.As(err, &ce) || ce.Actual != current {
		t.Fatalf("stale append after failover: want conflict at %d, got %v", current, err)
	}
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := st.Append(ctxT(t), "cluster", events.Exact(current), storetest.Rec("Race", `{}`))
			errs <- err
		}()
	}
	e1, e2 := <-errs, <-errs
	if (e1 == nil) == (e2 == nil) || !errors.Is(errors.Join(e1, e2), events.ErrConflict) {
		t.Fatalf("racing appends after failover: %v / %v", e1, e2)
	}
	if head, err := st.Head(ctxT(t)); err != nil || head != current+1 {
		t.Fatalf("head = %d, %v; want %d", head, err, current+1)
	}
	// A maximal event travels between the nodes and is read back.
	big := storetest.Rec("Big", strings.Repeat("b", events.MaxPayloadBytes))
	mustAppend(t, st, "cluster-big", events.NoStream, big)
	mustAppend(t, st, "cluster-big", events.Exact(1), storetest.Rec("Small", `{}`))
	if got, err := st.ReadStream(ctxT(t), "cluster-big"); err != nil || len(got) != 2 || got[0].ID != big.ID || len(got[0].Data) != events.MaxPayloadBytes {
		t.Fatalf("read back the 8 MiB event: %v", err)
	}
	t.Logf("read, OCC and 8 MiB checks took %v", time.Since(readStart).Round(time.Millisecond))
}

// clusterWriter appends to stream "cluster" with exact expected versions
// until ctx ends; every tenth append is a two-record batch. A failed append
// is retried with the same records and expected version, which the store
// must treat idempotently. An append in progress is finished before the
// writer stops, so that nothing lands after it returns.
func clusterWriter(ctx context.Context, st *jetstream.Store, mu *sync.Mutex, acks *[]clusterAck, retries *int, lastErrs *[]string) error {
	var version uint64
	for i := 0; ctx.Err() == nil; i++ {
		recs := []events.Record{storetest.Rec("C", fmt.Sprintf(`{"i":%d}`, i))}
		if i%10 == 0 {
			recs = append(recs, storetest.Rec("C2", fmt.Sprintf(`{"i":%d}`, i)))
		}
		for attempt := 1; ; attempt++ {
			actx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			pos, err := st.Append(actx, "cluster", events.Exact(version), recs...)
			cancel()
			if err == nil {
				mu.Lock()
				*acks = append(*acks, clusterAck{version: version + 1, pos: pos, recs: recs})
				mu.Unlock()
				version += uint64(len(recs))
				break
			}
			mu.Lock()
			*retries++
			*lastErrs = append((*lastErrs)[max(0, len(*lastErrs)-4):], err.Error())
			mu.Unlock()
			if attempt == 100 {
				return fmt.Errorf("append v%d failed %d times: %w", version+1, attempt, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return ctx.Err()
}

// streamLeader returns the server name of the event stream's leader.
func streamLeader(t *testing.T, urls []string) string {
	t.Helper()
	nc, err := nats.Connect(strings.Join(urls, ","))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := natsjs.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(ctxT(t), jetstream.DefaultStreamName)
	if err != nil {
		t.Fatal(err)
	}
	info := s.CachedInfo()
	if info.Cluster == nil || info.Cluster.Leader == "" {
		t.Fatalf("stream has no leader: %+v", info.Cluster)
	}
	return info.Cluster.Leader
}
