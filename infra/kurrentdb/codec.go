package kurrentdb

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	kdb "github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"

	"github.com/pactledger/pactledger/events"
)

// eventMeta is the user metadata stored with every event. The correlation and
// causation keys are KurrentDB's own, so its $by_correlation_id projection and
// the UI understand them.
type eventMeta struct {
	Stream        string `json:"stream"`     // the original, unencoded stream name
	OccurredAt    string `json:"occurredAt"` // RFC 3339 with nanoseconds, UTC
	CorrelationID string `json:"$correlationId,omitempty"`
	CausationID   string `json:"$causationId,omitempty"`
	Actor         string `json:"actor,omitempty"`
}

// eventData turns a record into the event KurrentDB stores.
func eventData(stream string, r events.Record) (kdb.EventData, error) {
	meta, err := json.Marshal(eventMeta{
		Stream:        stream,
		OccurredAt:    r.OccurredAt.UTC().Format(time.RFC3339Nano),
		CorrelationID: r.Meta.CorrelationID,
		CausationID:   r.Meta.CausationID,
		Actor:         r.Meta.Actor,
	})
	if err != nil {
		return kdb.EventData{}, fmt.Errorf("encode metadata of %s: %w", r.ID, err)
	}
	ct := kdb.ContentTypeBinary
	if json.Valid(r.Data) {
		ct = kdb.ContentTypeJson
	}
	return kdb.EventData{EventID: r.ID, EventType: r.Type, ContentType: ct, Data: r.Data, Metadata: meta}, nil
}

// record turns a stored event back into a Record. stream is the name the
// caller asked for, or "" to take it from the metadata (or, for an event
// written without our metadata, from the KurrentDB stream name).
func (s *Store) record(ev *kdb.RecordedEvent, stream string) events.Record {
	var m eventMeta
	_ = json.Unmarshal(ev.UserMetadata, &m) // a foreign event keeps the zero value and the fallbacks below
	if stream == "" {
		stream = m.Stream
	}
	if stream == "" {
		if name, err := events.DecodeName(strings.TrimPrefix(ev.StreamID, s.prefix)); err == nil {
			stream = name
		}
	}
	occurred, err := time.Parse(time.RFC3339Nano, m.OccurredAt)
	if err != nil {
		occurred = ev.CreatedDate
	}
	data := ev.Data
	if data == nil {
		data = []byte{}
	}
	return events.Record{
		ID:            ev.EventID,
		Type:          ev.EventType,
		Stream:        stream,
		StreamVersion: ev.EventNumber + 1,
		Position:      ev.Position.Commit,
		OccurredAt:    occurred.UTC(),
		Meta:          events.Metadata{CorrelationID: m.CorrelationID, CausationID: m.CausationID, Actor: m.Actor},
		Data:          data,
	}
}
