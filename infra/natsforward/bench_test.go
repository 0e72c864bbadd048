package natsforward_test

import (
	"context"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/eventfeed"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/natsforward"
)

// BenchmarkForward measures forwarding a log of b.N events (appended
// first, off the clock) into the forwarded stream on the embedded server
// with SyncAlways, one publish per event as the forwarder does. It reports
// events/s.
func BenchmarkForward(b *testing.B) {
	ctx := context.Background()
	store, err := jetstream.Open(ctx, jetstream.Config{DataDir: b.TempDir(), SyncAlways: true})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	nc, err := nats.Connect("", nats.InProcessServer(store.Server()))
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	log := events.NewLog(store, events.NewDefaultRegistry())
	appendVersions(b, log, 1, b.N)
	f, err := natsforward.New(ctx, natsforward.Config{Conn: nc, Log: log, Environments: eventfeed.NewEnvironmentNames(log).Name})
	if err != nil {
		b.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b.ResetTimer()
	go func() { _ = f.Run(rctx) }()
	if err := f.WaitFor(ctx, uint64(b.N)); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
