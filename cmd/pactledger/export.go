package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pactledger/pactledger/events"
)

// exportedEvent is one line of an export: one stored event, its payload as
// the exact JSON bytes the store holds (not decoded, not upcast), so that an
// import writes back the same bytes.
type exportedEvent struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	Stream        string          `json:"stream"`
	StreamVersion uint64          `json:"streamVersion"`
	Position      uint64          `json:"position"`
	Time          string          `json:"time"` // RFC 3339 with nanoseconds, UTC
	Metadata      events.Metadata `json:"metadata"`
	Payload       json.RawMessage `json:"payload"`
}

// runExport: pactledger export [--out FILE] [store flags]. Without --out
// the log goes to stdout.
func runExport(args []string, stdout, stderr io.Writer) int {
	var out string
	return toolRun("export", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "file to write the newline-delimited JSON to (default: stdout)")
	}, func(ctx context.Context, _ serveConfig, store events.Store) (err error) {
		w, done := stdout, func() error { return nil }
		if out != "" {
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			w, done = f, f.Close
			defer func() {
				if err != nil {
					_ = os.Remove(out) // never leave half an export behind
				}
			}()
		}
		started := time.Now()
		n, err := exportLog(ctx, store, w)
		if cerr := done(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if out != "" {
			fmt.Fprintf(stderr, "exported %d events to %s in %s\n", n, out, time.Since(started).Round(time.Millisecond))
		}
		return nil
	})
}

// exportLog writes every event up to the store's head when it is called as
// one JSON object per line, in log order, and returns how many.
func exportLog(ctx context.Context, store events.Store, w io.Writer) (int, error) {
	head, err := store.Head(ctx)
	if err != nil || head == 0 {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // keep the payload's bytes as stored
	n := 0
	err = store.SubscribeAll(ctx, 0, func(r events.Record) error {
		if err := enc.Encode(exportedEvent{ID: r.ID.String(), Type: r.Type, Stream: r.Stream, StreamVersion: r.StreamVersion,
			Position: r.Position, Time: r.OccurredAt.UTC().Format(time.RFC3339Nano), Metadata: r.Meta, Payload: r.Data}); err != nil {
			return fmt.Errorf("event at position %d: %w", r.Position, err)
		}
		n++
		if r.Position >= head {
			return errReachedHead
		}
		return nil
	})
	if !errors.Is(err, errReachedHead) {
		return n, fmt.Errorf("read the log: %w", err)
	}
	return n, bw.Flush()
}

var errReachedHead = errors.New("reached the head")
