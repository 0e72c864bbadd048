package domain

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// fold builds a state from given events, as a command does from its stream.
func fold[S any](evolve func(S, events.Envelope) S, given ...events.Payload) S {
	var s S
	for i, p := range given {
		s = evolve(s, events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: t0, Data: p})
	}
	return s
}

// sameEvents compares event lists by type and JSON.
func sameEvents(t *testing.T, got, want []events.Payload) {
	t.Helper()
	g, _ := json.Marshal(typed(got))
	w, _ := json.Marshal(typed(want))
	if string(g) != string(w) {
		t.Fatalf("events:\n got  %s\n want %s", g, w)
	}
}

func typed(ps []events.Payload) []any {
	out := []any{}
	for _, p := range ps {
		out = append(out, []any{p.EventType(), p})
	}
	return out
}

func wantErr(t *testing.T, err, kind error) {
	t.Helper()
	if kind == nil && err != nil || kind != nil && !errors.Is(err, kind) {
		t.Fatalf("error = %v, want %v", err, kind)
	}
}

func ptr[T any](v T) *T { return &v }
