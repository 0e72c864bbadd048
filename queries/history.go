package queries

import (
	"context"
	"fmt"
	"time"

	"github.com/pactledger/pactledger/events"
)

// Page sizes of GET /history.
const (
	DefaultHistoryLimit = 100
	MaxHistoryLimit     = 1000
)

// HistoryQuery selects the audit trail's entries. Zero fields select
// everything; the result is in log order, after position After.
type HistoryQuery struct {
	Pacticipant string
	// Environment is an environment's name or uuid.
	Environment string
	// Version is a version number: of Pacticipant when that is set, of any
	// application otherwise.
	Version string
	// Types are event type strings (the log's, e.g. DeploymentRecorded).
	Types []string
	// From and To bound the events' times, both inclusive.
	From, To time.Time
	After    uint64
	Limit    int
}

// HistoryEntry is one recorded change.
type HistoryEntry struct {
	Position      uint64
	EventID       string
	Type          string
	Time          time.Time
	Actor         string
	CorrelationID string
	Stream        string
	Summary       string
	Payload       events.Payload
}

// HistoryPage is one page of the audit trail. Next is the position to ask
// for the next page after (0: this is the last page).
type HistoryPage struct {
	Entries []HistoryEntry
	Next    uint64
}

// HistoryIndex finds the positions of the events that match a query. It
// applies every field but Version, which needs the payloads.
type HistoryIndex interface {
	EnvironmentNamer
	Candidates(q HistoryQuery, after uint64, limit int) []uint64
	// Next is the position of the event after p, if there is one.
	Next(p uint64) (uint64, bool)
}

// EventReader reads events by log position.
type EventReader interface {
	// ReadPositions returns the events at positions (ascending), in order.
	ReadPositions(ctx context.Context, positions []uint64) ([]events.Envelope, error)
}

// ReadHistory returns one page of the audit trail: the index chooses the
// candidate positions, the reader reads only those events, and each entry's
// summary is built from its payload. A DeploymentRecorded of an older log
// that replaced a version reads one more event, the AutoUndeployed appended
// with it, to say which. Cost: one index scan and about Limit event reads per page; a
// Version filter reads every candidate of the other filters until the page
// is full, so pair it with a pacticipant.
func ReadHistory(ctx context.Context, idx HistoryIndex, r EventReader, q HistoryQuery) (HistoryPage, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultHistoryLimit
	}
	q.Limit = min(q.Limit, MaxHistoryLimit)
	var page HistoryPage
	after := q.After
	for len(page.Entries) < q.Limit {
		batch := idx.Candidates(q, after, q.Limit-len(page.Entries))
		if len(batch) == 0 {
			return page, nil
		}
		envs, err := r.ReadPositions(ctx, batch)
		if err != nil {
			return HistoryPage{}, fmt.Errorf("queries: history: %w", err)
		}
		replaced, err := replacedVersions(ctx, idx, r, envs)
		if err != nil {
			return HistoryPage{}, fmt.Errorf("queries: history: %w", err)
		}
		for _, e := range envs {
			if q.Version != "" && !concernsVersion(e.Data, q.Pacticipant, q.Version) {
				continue
			}
			page.Entries = append(page.Entries, HistoryEntry{
				Position: e.Position, EventID: e.ID.String(), Type: e.Type, Time: e.OccurredAt,
				Actor: e.Meta.Actor, CorrelationID: e.Meta.CorrelationID, Stream: e.Stream,
				Summary: Summarize(e.Data, replaced[e.Position], idx), Payload: e.Data,
			})
		}
		after = batch[len(batch)-1]
	}
	if more := idx.Candidates(q, after, 1); len(more) > 0 {
		page.Next = page.Entries[len(page.Entries)-1].Position
	}
	return page, nil
}

// replacedVersions finds, for each DeploymentRecorded among envs, the
// version it replaced: its Replaces or, in logs written before it had one,
// the AutoUndeployed that the same append wrote right after it (same
// stream, next position), read from envs or the reader.
func replacedVersions(ctx context.Context, idx HistoryIndex, r EventReader, envs []events.Envelope) (map[uint64]string, error) {
	byPosition := make(map[uint64]events.Envelope, len(envs))
	for _, e := range envs {
		byPosition[e.Position] = e
	}
	next := map[uint64]uint64{} // deployment position -> position after it
	var missing []uint64
	out := map[uint64]string{}
	for _, e := range envs {
		dr, ok := e.Data.(events.DeploymentRecorded)
		if !ok {
			continue
		}
		if dr.Replaces != nil { // one event since the two-event form
			out[e.Position] = dr.Replaces.Version
			continue
		}
		if n, ok := idx.Next(e.Position); ok {
			next[e.Position] = n
			if _, have := byPosition[n]; !have {
				missing = append(missing, n)
			}
		}
	}
	if len(missing) > 0 {
		more, err := r.ReadPositions(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, e := range more {
			byPosition[e.Position] = e
		}
	}
	for dp, np := range next {
		dep := byPosition[dp]
		au, ok := byPosition[np].Data.(events.AutoUndeployed)
		if ok && byPosition[np].Stream == dep.Stream && au.ReplacedBy == dep.Data.(events.DeploymentRecorded).DeploymentID {
			out[dp] = au.Version
		}
	}
	return out, nil
}
