package events

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Payload is the body of one event. Every payload type is a plain struct with
// json tags, and EventType returns its registered, never-changing type string.
type Payload interface {
	EventType() string
}

// Metadata says who caused an event and as part of which request.
type Metadata struct {
	// CorrelationID ties together every event caused by one request.
	CorrelationID string `json:"correlationId,omitempty"`
	// CausationID is the id of the command or event that caused this one.
	CausationID string `json:"causationId,omitempty"`
	// Actor is the authenticated principal, or "anonymous".
	Actor string `json:"actor,omitempty"`
}

// Envelope is one event as the rest of the program sees it: a decoded payload
// plus its identity, place in the log and metadata.
type Envelope struct {
	ID            uuid.UUID
	Type          string
	Stream        string
	StreamVersion uint64 // 1 for the first event of a stream; filled by the store
	Position      uint64 // place in the whole log, 1 for the first event; filled by the store
	OccurredAt    time.Time
	Meta          Metadata
	Data          Payload
}

type metadataKey struct{}

// WithMetadata returns a context that carries m; commands stamp it onto every
// event they append.
func WithMetadata(ctx context.Context, m Metadata) context.Context {
	return context.WithValue(ctx, metadataKey{}, m)
}

// MetadataFrom returns the Metadata stored by WithMetadata, or the zero value.
func MetadataFrom(ctx context.Context) Metadata {
	m, _ := ctx.Value(metadataKey{}).(Metadata)
	return m
}
