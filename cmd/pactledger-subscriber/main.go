// Command pactledger-subscriber is a runnable example of a streaming
// subscriber: it reads pactledger's forwarded domain events (by default the
// deployment events) from NATS JetStream with a durable consumer and
// reacts to each one by appending a JSON line to a file (or stdout) and,
// optionally, POSTing the event to a URL.
//
//	pactledger serve --nats-listen 127.0.0.1:4222 &
//	pactledger-subscriber --nats-url nats://127.0.0.1:4222 --out deployments.jsonl
//
// Resuming: the durable consumer keeps the acknowledged position on the
// server, so a restarted subscriber continues where it stopped. A kill
// between handling an event and acknowledging it would make the server
// deliver that event again; with --out the file is the subscriber's own
// checkpoint (the position of its last line), so such a redelivery is
// recognised and skipped: the file gets every event exactly once, in order.
// --post-url is at least once: each POST carries Idempotency-Key (the event
// id) for the receiver to drop repeats.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/infra/eventfeed"
	"github.com/pactledger/pactledger/infra/natsforward"
)

type config struct {
	natsURL, stream, durable, subject, out, postURL string
}

func main() {
	var c config
	flag.StringVar(&c.natsURL, "nats-url", envOr("PACTLEDGER_NATS_URL", "nats://127.0.0.1:4222"), "NATS server of pactledger (serve --nats-listen)")
	flag.StringVar(&c.stream, "stream", natsforward.DefaultStreamName, "JetStream stream of forwarded events")
	flag.StringVar(&c.durable, "durable", "pactledger-subscriber", "durable consumer name: the server keeps its position")
	flag.StringVar(&c.subject, "subject", eventfeed.SubjectPrefix+".deployment.>", "subject filter, e.g. pactledger.events.deployment.recorded.production.>")
	flag.StringVar(&c.out, "out", "", "append one JSON line per event to this file (its last line is the checkpoint); empty: stdout")
	flag.StringVar(&c.postURL, "post-url", "", "also POST each event document to this URL, with Idempotency-Key")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "pactledger-subscriber:", err)
		os.Exit(1)
	}
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// Line is what the subscriber writes for each event.
type Line struct {
	Position    uint64          `json:"position"`
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	Subject     string          `json:"subject"`
	Environment string          `json:"environment,omitempty"`
	OccurredAt  time.Time       `json:"occurredAt"`
	Data        json.RawMessage `json:"data"`
}

func run(ctx context.Context, c config) error {
	nc, err := nats.Connect(c.natsURL, nats.Name("pactledger-subscriber"), nats.MaxReconnects(-1))
	if err != nil {
		return fmt.Errorf("connect %s: %w", c.natsURL, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, c.stream, jetstream.ConsumerConfig{
		Durable: c.durable, FilterSubject: c.subject, AckPolicy: jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy, AckWait: 10 * time.Second, MaxAckPending: 1,
	})
	if err != nil {
		return fmt.Errorf("consumer %s on %s: %w", c.durable, c.stream, err)
	}
	out, done, err := openOut(c.out)
	if err != nil {
		return err
	}
	defer out.Close()
	it, err := cons.Messages()
	if err != nil {
		return err
	}
	go func() { <-ctx.Done(); it.Stop() }()
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return ctx.Err()
			}
			return err
		}
		var doc eventfeed.Message
		if err := json.Unmarshal(msg.Data(), &doc); err != nil {
			_ = msg.Term() // not ours to understand; never redelivered
			continue
		}
		if doc.Position > done {
			if err := handle(ctx, c, out, doc); err != nil {
				_ = msg.Nak()
				fmt.Fprintln(os.Stderr, "pactledger-subscriber: handle:", err)
				continue
			}
			done = doc.Position
		}
		if err := msg.DoubleAck(ctx); err != nil && ctx.Err() == nil {
			fmt.Fprintln(os.Stderr, "pactledger-subscriber: ack:", err)
		}
	}
}

// handle writes the event's line (synced to disk) and POSTs it if asked.
func handle(ctx context.Context, c config, out *os.File, doc eventfeed.Message) error {
	line, err := json.Marshal(Line{Position: doc.Position, ID: doc.ID, Type: doc.Type, Subject: doc.Subject,
		Environment: doc.Environment, OccurredAt: doc.OccurredAt, Data: doc.Data})
	if err != nil {
		return err
	}
	if c.postURL != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.postURL, bytes.NewReader(line))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", doc.ID)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode >= 300 {
			return fmt.Errorf("POST %s: %s", c.postURL, res.Status)
		}
	}
	if _, err := out.Write(append(line, '\n')); err != nil {
		return err
	}
	if out != os.Stdout {
		return out.Sync()
	}
	return nil
}

// openOut opens the output for appending and returns the position of its
// last complete line (0 for stdout or a new file). A torn last line (a kill
// mid-write) is cut off.
func openOut(path string) (*os.File, uint64, error) {
	if path == "" {
		return os.Stdout, 0, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, 0, err
	}
	var last uint64
	var good int64
	r := bufio.NewReader(f)
	for {
		b, err := r.ReadBytes('\n')
		if err != nil {
			break // io.EOF, possibly after a torn line
		}
		var l Line
		if json.Unmarshal(b, &l) != nil {
			break
		}
		last, good = l.Position, good+int64(len(b))
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, 0, err
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, last, nil
}
