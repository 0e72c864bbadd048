// Package events holds what every other package agrees on: the event
// payloads (past tense, stable hand-chosen type strings), the Envelope that
// carries one of them with its metadata, the Registry that turns payloads into
// bytes and back (with upcasters), and the store port that every event-store
// adapter implements.
//
// It imports only the standard library and google/uuid.
package events
