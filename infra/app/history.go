package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// PositionReader is implemented by stores that can read single events by
// log position (memstore, jetstream). Other stores are read by scanning the
// log from the first wanted position.
type PositionReader interface {
	// ReadPositions returns the records at positions (ascending), in order;
	// a position that holds no record is an error.
	ReadPositions(ctx context.Context, positions []uint64) ([]events.Record, error)
}

// historyService serves the audit trail from the history index and the log.
type historyService struct {
	index *projections.History
	log   *events.Log
}

// ReadHistory implements httpapi.HistoryReader.
func (h historyService) ReadHistory(ctx context.Context, q queries.HistoryQuery) (queries.HistoryPage, error) {
	return queries.ReadHistory(ctx, historyIndex{h.index}, logReader{h.log}, q)
}

// EventTypes implements httpapi.HistoryReader.
func (h historyService) EventTypes() []string { return h.log.Registry().Types() }

// historyIndex adapts the projection to queries.HistoryIndex.
type historyIndex struct{ *projections.History }

func (h historyIndex) Candidates(q queries.HistoryQuery, after uint64, limit int) []uint64 {
	return h.Positions(projections.HistoryFilter{Pacticipant: q.Pacticipant, Environment: q.Environment,
		Types: q.Types, From: q.From, To: q.To}, after, limit)
}

// logReader reads events by position: with point reads where the store
// has them and the positions are spread out, otherwise with one scan of the
// log from the first position to the last (one consumer, streamed).
type logReader struct{ log *events.Log }

// scanSpread is how many log events a scan may pass per wanted event before
// point reads are cheaper (a JetStream point read costs about as much as
// streaming a few dozen events).
const scanSpread = 8

var errScanDone = errors.New("app: scan done")

func (r logReader) ReadPositions(ctx context.Context, positions []uint64) ([]events.Envelope, error) {
	if len(positions) == 0 {
		return nil, nil
	}
	var recs []events.Record
	var err error
	span := positions[len(positions)-1] - positions[0] + 1
	if pr, ok := r.log.Store().(PositionReader); ok && span > scanSpread*uint64(len(positions)) {
		recs, err = pr.ReadPositions(ctx, positions)
	} else {
		recs, err = r.scan(ctx, positions)
	}
	if err != nil {
		return nil, err
	}
	out := make([]events.Envelope, len(recs))
	for i, rec := range recs {
		env, err := r.log.Decode(rec)
		if err != nil {
			return nil, err
		}
		out[i] = env
	}
	return out, nil
}

// scan reads the log from positions[0] and keeps the wanted records. It
// follows the log's tail, so it never waits there for a position the log
// does not hold yet.
func (r logReader) scan(ctx context.Context, positions []uint64) ([]events.Record, error) {
	head, err := r.log.Store().Head(ctx)
	if err != nil {
		return nil, err
	}
	if last := positions[len(positions)-1]; last > head {
		return nil, fmt.Errorf("app: no event at position %d (the log ends at %d)", last, head)
	}
	recs := make([]events.Record, 0, len(positions))
	next := 0
	err = r.log.Store().SubscribeAll(ctx, positions[0]-1, func(rec events.Record) error {
		for next < len(positions) && positions[next] < rec.Position {
			next++ // not in the log: reported below
		}
		if next < len(positions) && positions[next] == rec.Position {
			recs = append(recs, rec)
			next++
		}
		if next == len(positions) || rec.Position >= head {
			return errScanDone
		}
		return nil
	})
	if !errors.Is(err, errScanDone) {
		return nil, fmt.Errorf("app: scan the log for %d events: %w", len(positions), err)
	}
	if len(recs) != len(positions) {
		return nil, fmt.Errorf("app: %d of %d positions hold no event", len(positions)-len(recs), len(positions))
	}
	return recs, nil
}
