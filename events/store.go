package events

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// MaxPayloadBytes is the largest encoded payload a store accepts for one event.
const MaxPayloadBytes = 8 << 20

var (
	// ErrConflict means the stream was not at the expected version. Callers
	// re-read the stream and decide again. Errors wrap it as *ConflictError.
	ErrConflict = errors.New("events: wrong expected version")
	// ErrPayloadTooLarge means an event's encoded payload exceeds MaxPayloadBytes.
	ErrPayloadTooLarge = errors.New("events: payload too large")
	// ErrInvalidAppend means the append itself is malformed: an empty stream
	// name, no records, or a record without an id or a type.
	ErrInvalidAppend = errors.New("events: invalid append")
)

// ConflictError gives the details of an ErrConflict.
type ConflictError struct {
	Stream   string
	Expected ExpectedVersion
	Actual   uint64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("events: stream %q: expected %s, stream is at version %d", e.Stream, e.Expected, e.Actual)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Record is one stored event with its payload still encoded. Stores move
// records; the Log turns them into Envelopes.
type Record struct {
	ID            uuid.UUID
	Type          string
	Stream        string // filled by the store on read
	StreamVersion uint64 // filled by the store on read
	Position      uint64 // filled by the store on read
	OccurredAt    time.Time
	Meta          Metadata
	Data          []byte
}

// Store is the port every event-store adapter implements.
//
// Contract (checked by the shared suite in infra/storetest):
//   - Append writes all records to one stream atomically, or none of them. It
//     checks the expected version first and returns a *ConflictError (matching
//     ErrConflict) when the stream is elsewhere. It returns the log position of
//     the last record written.
//   - Appending records whose ids were just stored on the same stream (a retry
//     of the stream's latest append) writes nothing and returns the position
//     the first attempt got.
//   - Positions grow by one per record across the whole log; stream versions
//     grow by one per record within a stream, from 1.
//   - ReadStream returns a stream's records in order; an unknown stream is empty.
//   - SubscribeAll calls fn for every record with Position > after, in order,
//     then for each new record as it is appended. It returns when ctx ends
//     (ctx.Err()), when fn fails (that error) or when the store fails.
//   - Head returns the position of the last record in the log, 0 if empty.
//   - Any UTF-8 stream name is accepted except the empty one.
type Store interface {
	Append(ctx context.Context, stream string, expected ExpectedVersion, recs ...Record) (uint64, error)
	ReadStream(ctx context.Context, stream string) ([]Record, error)
	SubscribeAll(ctx context.Context, after uint64, fn func(Record) error) error
	Head(ctx context.Context) (uint64, error)
}

// BorrowingSubscriber is a Store that can also subscribe lending fn each
// record's Data: SubscribeAllBorrowed is SubscribeAll, except that Data is
// valid only until fn returns (the store reads the next record into the
// same storage), which spares a store that reads many records into one
// buffer an allocation and a copy per record. Log.SubscribeAll uses it
// when its store has it, since decoding copies whatever it keeps. Hazard:
// fn must neither keep Data nor anything that aliases it.
type BorrowingSubscriber interface {
	SubscribeAllBorrowed(ctx context.Context, after uint64, fn func(Record) error) error
}

// ValidateAppend checks what every adapter must refuse before it writes:
// an empty stream name, no records, records without id or type, and payloads
// over MaxPayloadBytes.
func ValidateAppend(stream string, recs []Record) error {
	if stream == "" {
		return fmt.Errorf("%w: empty stream name", ErrInvalidAppend)
	}
	if len(recs) == 0 {
		return fmt.Errorf("%w: no records for stream %q", ErrInvalidAppend, stream)
	}
	for i, r := range recs {
		if r.ID == uuid.Nil || r.Type == "" {
			return fmt.Errorf("%w: record %d on stream %q has no id or type", ErrInvalidAppend, i, stream)
		}
		if len(r.Data) > MaxPayloadBytes {
			return fmt.Errorf("%w: record %d on stream %q has %d bytes, the limit is %d",
				ErrPayloadTooLarge, i, stream, len(r.Data), MaxPayloadBytes)
		}
	}
	return nil
}
