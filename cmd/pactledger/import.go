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

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
)

// maxImportBatch bounds how many consecutive events of one stream go into
// one atomic append.
const maxImportBatch = 100

// runImport: pactledger import --in FILE [store flags].
func runImport(args []string, stdout, stderr io.Writer) int {
	var in string
	return toolRun("import", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&in, "in", "", "the export to load (newline-delimited JSON from pactledger export); required")
	}, func(ctx context.Context, _ serveConfig, store events.Store) error {
		if in == "" {
			return errors.New("--in FILE is required")
		}
		f, err := os.Open(in)
		if err != nil {
			return err
		}
		defer f.Close()
		started := time.Now()
		n, err := importLog(ctx, store, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "imported %d events from %s in %s\n", n, in, time.Since(started).Round(time.Millisecond))
		return nil
	})
}

// importLog loads an export into an empty store: it refuses a store that
// holds any event, checks every line first (ids, types the registry can
// decode, stream versions counting from 1, positions rising) so that a bad
// file writes nothing, then appends the events in order, keeping each id,
// time and metadata, consecutive events of one stream in one atomic append.
// Positions are the target store's: on a dense store (JetStream, memory)
// they come out as exported from a dense one.
func importLog(ctx context.Context, store events.Store, in io.ReadSeeker) (int, error) {
	head, err := store.Head(ctx)
	if err != nil {
		return 0, err
	}
	if head != 0 {
		return 0, fmt.Errorf("the store is not empty (its last position is %d); import loads only into an empty store", head)
	}
	registry := events.NewDefaultRegistry()
	versions := map[string]uint64{}
	var lastPosition uint64
	n, err := scanExport(in, func(line int, r events.Record, position uint64) error {
		if _, _, err := registry.Decode(r.Type, r.Data); err != nil {
			return err
		}
		if r.StreamVersion != versions[r.Stream]+1 {
			return fmt.Errorf("stream %q jumps from version %d to %d", r.Stream, versions[r.Stream], r.StreamVersion)
		}
		if position <= lastPosition {
			return fmt.Errorf("position %d does not follow %d", position, lastPosition)
		}
		versions[r.Stream], lastPosition = r.StreamVersion, position
		return nil
	})
	if err != nil {
		return 0, err
	}
	if _, err := in.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	var batch []events.Record
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := store.Append(ctx, batch[0].Stream, events.Exact(batch[0].StreamVersion-1), batch...)
		if err != nil {
			return fmt.Errorf("append %d events to %q: %w", len(batch), batch[0].Stream, err)
		}
		batch = batch[:0]
		return nil
	}
	_, err = scanExport(in, func(_ int, r events.Record, _ uint64) error {
		if len(batch) > 0 && (batch[0].Stream != r.Stream || len(batch) == maxImportBatch) {
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, r)
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return 0, fmt.Errorf("%w (the store now holds part of the import; start again with an empty store)", err)
	}
	return n, nil
}

// scanExport calls fn for each line of an export, decoded into a record
// (Stream and StreamVersion set, Position left 0) and the exported position.
func scanExport(in io.Reader, fn func(line int, r events.Record, position uint64) error) (int, error) {
	br := bufio.NewReaderSize(in, 1<<20)
	n := 0
	for line := 1; ; line++ {
		raw, err := br.ReadBytes('\n')
		if len(raw) > 0 && !(len(raw) == 1 && raw[0] == '\n') {
			r, position, perr := parseExportLine(raw)
			if perr == nil {
				perr = fn(line, r, position)
			}
			if perr != nil {
				return n, fmt.Errorf("line %d: %w", line, perr)
			}
			n++
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

func parseExportLine(raw []byte) (events.Record, uint64, error) {
	var e exportedEvent
	if err := json.Unmarshal(raw, &e); err != nil {
		return events.Record{}, 0, err
	}
	id, err := uuid.Parse(e.ID)
	if err != nil {
		return events.Record{}, 0, fmt.Errorf("id: %w", err)
	}
	at, err := time.Parse(time.RFC3339Nano, e.Time)
	if err != nil {
		return events.Record{}, 0, fmt.Errorf("time: %w", err)
	}
	if e.Type == "" || e.Stream == "" || e.StreamVersion == 0 || len(e.Payload) == 0 {
		return events.Record{}, 0, errors.New("type, stream, streamVersion and payload are required")
	}
	return events.Record{ID: id, Type: e.Type, Stream: e.Stream, StreamVersion: e.StreamVersion,
		OccurredAt: at.UTC(), Meta: e.Metadata, Data: []byte(e.Payload)}, e.Position, nil
}
