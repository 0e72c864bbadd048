package eventfeed

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pactledger/pactledger/events"
)

// Message is the JSON document every subscriber receives for one event, on
// NATS and on GET /events alike.
type Message struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	Subject       string          `json:"subject"`
	Stream        string          `json:"stream"`
	StreamVersion uint64          `json:"streamVersion"`
	Position      uint64          `json:"position"`
	OccurredAt    time.Time       `json:"occurredAt"`
	Meta          events.Metadata `json:"meta"`
	// Environment is the environment's name for deployment, release and
	// environment events (the payload only holds its uuid).
	Environment string `json:"environment,omitempty"`
	// Data is the payload as stored, with secrets redacted; null when
	// Truncated.
	Data json.RawMessage `json:"data"`
	// Truncated is set when the document was too large for the transport
	// (a large pact's content); read the event's resource from the API.
	Truncated bool `json:"truncated,omitempty"`
}

// Redact returns a payload that is safe to show outside the process: a
// webhook's password and credential headers are replaced by
// events.RedactedSecret. Other payloads hold no secret and are returned as
// they are.
func Redact(p events.Payload) events.Payload {
	switch w := p.(type) {
	case events.WebhookCreated:
		w.Request = w.Request.Redacted()
		return w
	case events.WebhookUpdated:
		w.Request = w.Request.Redacted()
		return w
	}
	return p
}

// NewMessage builds the document of e with its facts.
func NewMessage(e events.Envelope, f Facts) (Message, error) {
	data, err := json.Marshal(Redact(e.Data))
	if err != nil {
		return Message{}, fmt.Errorf("eventfeed: encode %s at %d: %w", e.Type, e.Position, err)
	}
	return Message{ID: e.ID.String(), Type: e.Type, Subject: f.Subject(), Stream: e.Stream,
		StreamVersion: e.StreamVersion, Position: e.Position, OccurredAt: e.OccurredAt.UTC(), Meta: e.Meta,
		Environment: f.Environment, Data: data}, nil
}
