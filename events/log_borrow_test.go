package events

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
)

// lendingStore lends every record's Data from one buffer, which it
// scribbles over as soon as fn returns (as a store reading the next record
// into it would). SubscribeAll must not be used.
type lendingStore struct {
	Store
	recs []Record
}

func (s *lendingStore) SubscribeAll(context.Context, uint64, func(Record) error) error {
	return errors.New("SubscribeAll called on a lending store")
}

func (s *lendingStore) SubscribeAllBorrowed(_ context.Context, after uint64, fn func(Record) error) error {
	var buf []byte
	for _, r := range s.recs[after:] {
		buf = append(buf[:0], r.Data...)
		r.Data = buf
		if err := fn(r); err != nil {
			return err
		}
		for i := range buf {
			buf[i] = 'x'
		}
	}
	return errStop
}

var errStop = errors.New("end of the lending store")

// TestLogSubscribeAllBorrowsAndKeepsNothingLent: Log.SubscribeAll takes the
// lending path of a BorrowingSubscriber, and its Envelopes stay equal to
// Log.Decode's of the records after the lent bytes are overwritten: the
// decoder copies every string, byte slice and raw JSON value it keeps.
func TestLogSubscribeAllBorrowsAndKeepsNothingLent(t *testing.T) {
	reg := NewDefaultRegistry()
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	payloads := []Payload{
		PacticipantCreated{Name: "consumer"},
		VersionCreated{Pacticipant: "consumer", Number: "1.0.0", BuildURL: "https://ci/1"},
		PactContentStored{SHA: "s1", Content: json.RawMessage(`{"interactions":[{"a":1}]}`), InteractionsCount: 1, Chunk: []byte("chunk")},
		PactPublished{Consumer: "consumer", Provider: "provider", ConsumerVersion: "1.0.0", SHA: "s1", Revision: 1},
		VerificationPublished{Number: 1, Consumer: "consumer", Provider: "provider", SHA: "s1", ProviderVersion: "9",
			Success: true, TestResults: json.RawMessage(`{"ok":true}`), Selectors: json.RawMessage(`[{"branch":"main"}]`)},
		WebhookCreated{UUID: "w1", Enabled: true, Events: []string{"contract_published"},
			Request: WebhookRequest{Method: "POST", URL: "https://hook", Headers: map[string]string{"a": "b"}, Body: json.RawMessage(`{"x":[1,2]}`)}},
	}
	store := &lendingStore{}
	for i, p := range payloads {
		data, err := reg.Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		store.recs = append(store.recs, Record{ID: uuid.New(), Type: p.EventType(), Stream: "s", StreamVersion: uint64(i + 1),
			Position: uint64(i + 1), OccurredAt: at, Data: data})
	}
	log := NewLog(store, reg)
	var got []Envelope
	err := log.SubscribeAll(context.Background(), 0, func(e Envelope) error {
		got = append(got, e)
		return nil
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("SubscribeAll: %v", err)
	}
	if len(got) != len(payloads) {
		t.Fatalf("got %d envelopes, want %d", len(got), len(payloads))
	}
	for i, r := range store.recs {
		want, err := log.Decode(r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("envelope %d changed with the lent bytes:\n got %+v\nwant %+v", i, got[i].Data, want.Data)
		}
		if bytes.Contains(r.Data, []byte("xxxx")) {
			t.Fatalf("the store's own record %d was overwritten", i)
		}
	}
}
