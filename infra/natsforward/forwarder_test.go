package natsforward_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	jsapi "github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/eventfeed"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/natsforward"
)

func appendVersions(t testing.TB, log *events.Log, from, to int) {
	t.Helper()
	for i := from; i <= to; i++ {
		n := strconv.Itoa(i)
		_, err := log.Append(context.Background(), "version-Foo."+n, events.NoStream, events.Envelope{ID: uuid.New(),
			OccurredAt: time.Now(), Data: events.VersionCreated{Pacticipant: "Foo Service", Number: n}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestForwarderPublishesEachEventOnce: forwarders stopped and started
// again, and two racing on one stream, publish every log position exactly
// once, in order, on the documented subject.
func TestForwarderPublishesEachEventOnce(t *testing.T) {
	ctx := context.Background()
	store, err := jetstream.Open(ctx, jetstream.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	nc, err := nats.Connect("", nats.InProcessServer(store.Server()))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	log := events.NewLog(store, events.NewDefaultRegistry())
	names := eventfeed.NewEnvironmentNames(log).Name
	newForwarder := func() *natsforward.Forwarder {
		f, err := natsforward.New(ctx, natsforward.Config{Conn: nc, Log: log, Environments: names})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	run := func(f *natsforward.Forwarder, until uint64) {
		t.Helper()
		rctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); _ = f.Run(rctx) }()
		wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
		defer wcancel()
		if err := f.WaitFor(wctx, until); err != nil {
			t.Fatalf("forwarded %d, want %d: %v", f.Position(), until, err)
		}
		cancel()
		wg.Wait()
	}

	appendVersions(t, log, 1, 5)
	run(newForwarder(), 5)
	appendVersions(t, log, 6, 8)
	run(newForwarder(), 8) // a restart: continues from the checkpoint

	// Two forwarders at once: the stream's expected sequence lets one win.
	appendVersions(t, log, 9, 20)
	a, b := newForwarder(), newForwarder()
	var wg sync.WaitGroup
	for _, f := range []*natsforward.Forwarder{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); run(f, 20) }()
	}
	wg.Wait()

	pos, last, err := newForwarder().Checkpoint(ctx)
	if err != nil || pos != 20 || last != 20 {
		t.Fatalf("checkpoint: position %d, last sequence %d, %v; want 20 and 20", pos, last, err)
	}
	api, err := jsapi.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	st, err := api.Stream(ctx, natsforward.DefaultStreamName)
	if err != nil {
		t.Fatal(err)
	}
	for seq := uint64(1); seq <= 20; seq++ {
		msg, err := st.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		want := "pactledger.events.version.created.Foo=20Service." + strconv.FormatUint(seq, 10)
		if msg.Header.Get(natsforward.HeaderPosition) != strconv.FormatUint(seq, 10) || msg.Subject != want {
			t.Fatalf("message %d: position %s subject %s, want %d and %s", seq,
				msg.Header.Get(natsforward.HeaderPosition), msg.Subject, seq, want)
		}
	}
}
