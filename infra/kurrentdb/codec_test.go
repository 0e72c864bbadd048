package kurrentdb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	kdb "github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pactledger/pactledger/events"
)

// These tests need no server.

func TestStreamState(t *testing.T) {
	cases := []struct {
		in   events.ExpectedVersion
		want kdb.StreamState
	}{
		{events.Any, kdb.Any{}},
		{events.NoStream, kdb.NoStream{}},
		{events.Exact(0), kdb.NoStream{}},
		{events.Exact(1), kdb.Revision(0)},
		{events.Exact(42), kdb.Revision(41)},
	}
	for _, tc := range cases {
		if got := streamState(tc.in); got != tc.want {
			t.Errorf("streamState(%s) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestStreamIDNeverSystem(t *testing.T) {
	s := &Store{prefix: DefaultNamespace + "-"}
	for _, name := range []string{"$all", "$SYS", "$$pl-x", "$>", "a b", "ünï", "pl-x"} {
		id := s.streamID(name)
		if strings.HasPrefix(id, "$") || !s.owns(id) {
			t.Errorf("stream %q is stored as %q", name, id)
		}
		back, err := events.DecodeName(strings.TrimPrefix(id, s.prefix))
		if err != nil || back != name {
			t.Errorf("stream %q: %q decodes to %q, %v", name, id, back, err)
		}
	}
}

func TestRecordRoundTrip(t *testing.T) {
	s := &Store{prefix: "ns-"}
	in := events.Record{
		ID: uuid.New(), Type: "ContractPublished",
		OccurredAt: time.Date(2026, 11, 27, 10, 11, 12, 123456789, time.FixedZone("CET", 3600)),
		Meta:       events.Metadata{CorrelationID: "c", CausationID: "d", Actor: "alice"},
		Data:       []byte(`{"a":1}`),
	}
	d, err := eventData("Foo Service", in)
	if err != nil {
		t.Fatal(err)
	}
	if d.EventID != in.ID || d.EventType != in.Type || d.ContentType != kdb.ContentTypeJson {
		t.Fatalf("event data %+v", d)
	}
	stored := &kdb.RecordedEvent{
		EventID: d.EventID, EventType: d.EventType, StreamID: s.streamID("Foo Service"), EventNumber: 6,
		Position: kdb.Position{Commit: 4711, Prepare: 4711}, CreatedDate: time.Now(),
		Data: d.Data, UserMetadata: d.Metadata,
	}
	out := s.record(stored, "")
	if out.ID != in.ID || out.Type != in.Type || string(out.Data) != string(in.Data) || out.Meta != in.Meta ||
		out.Stream != "Foo Service" || out.StreamVersion != 7 || out.Position != 4711 {
		t.Fatalf("got %+v, want %+v", out, in)
	}
	if !out.OccurredAt.Equal(in.OccurredAt) || out.OccurredAt.Location() != time.UTC {
		t.Fatalf("occurredAt %v, want %v in UTC", out.OccurredAt, in.OccurredAt)
	}

	// An event written without our metadata still gets its stream and a time.
	stored.UserMetadata = nil
	out = s.record(stored, "")
	if out.Stream != "Foo Service" || out.OccurredAt.IsZero() {
		t.Fatalf("foreign event: %+v", out)
	}
}

func TestNonJSONPayloadIsBinary(t *testing.T) {
	d, err := eventData("s", events.Record{ID: uuid.New(), Type: "T", Data: []byte("not json")})
	if err != nil || d.ContentType != kdb.ContentTypeBinary {
		t.Fatalf("content type %v, %v", d.ContentType, err)
	}
}

func TestTooLarge(t *testing.T) {
	grpcErr := status.Error(codes.InvalidArgument, "Maximum Append Size of 1048576 Exceeded.")
	if !tooLarge(fmt.Errorf("wrapped: %w", grpcErr)) {
		t.Error("MaxAppendSize refusal not recognised")
	}
	if !tooLarge(status.Error(codes.ResourceExhausted, "message larger than max")) {
		t.Error("gRPC size refusal not recognised")
	}
	if tooLarge(status.Error(codes.InvalidArgument, "bad stream name")) || tooLarge(errors.New("boom")) {
		t.Error("other errors taken for size refusals")
	}
}

func TestOpenRejectsBadConfig(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []Config{
		{},
		{URL: "kurrentdb://localhost:2113?tls=false", Namespace: "$sys"},
		{URL: "kurrentdb://localhost:2113?tls=false", Namespace: "a-b"},
	} {
		if s, err := Open(ctx, cfg); err == nil {
			_ = s.Close()
			t.Errorf("Open(%+v) succeeded", cfg)
		}
	}
	_, err := Open(ctx, Config{URL: "kurrentdb://admin:s3cret@host:port:x"})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("bad URL: %v", err)
	}
}

func TestAppendValidatesBeforeTalking(t *testing.T) {
	s := &Store{prefix: "pl-"} // no client: any call to the server would panic
	ctx := context.Background()
	if _, err := s.Append(ctx, "", events.Any, events.Record{ID: uuid.New(), Type: "T"}); !errors.Is(err, events.ErrInvalidAppend) {
		t.Errorf("empty stream: %v", err)
	}
	huge := events.Record{ID: uuid.New(), Type: "T", Data: make([]byte, events.MaxPayloadBytes+1)}
	if _, err := s.Append(ctx, "s", events.Any, huge); !errors.Is(err, events.ErrPayloadTooLarge) {
		t.Errorf("8 MiB + 1: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Append(cancelled, "s", events.Any, events.Record{ID: uuid.New(), Type: "T"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled append: %v", err)
	}
	if _, err := s.ReadStream(cancelled, "s"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: %v", err)
	}
	if err := s.SubscribeAll(cancelled, 0, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled subscribe: %v", err)
	}
	if _, err := s.Head(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled head: %v", err)
	}
}
