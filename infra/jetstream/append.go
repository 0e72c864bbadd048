package jetstream

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/pactledger/pactledger/events"
)

const (
	// maxTransient bounds how often one Append or read resends after a
	// transient failure (no responders, timeout, leader election).
	maxTransient = 10
	// maxRaces bounds how often an append re-reads and retries after losing
	// a race that still leaves its expected version valid (always the case
	// for Any); with the back-off that is about 8 s.
	maxRaces = 100
)

// Append implements events.Store.
//
// It reads the subject's last message through the stream leader, checks the
// expected version and the retry case (the last message carries the last
// record's id: the append already landed, its position is returned), then
// publishes with Nats-Expected-Last-Subject-Sequence set to that message's
// sequence, so the server rejects the write if anything landed in between.
// One record is a plain publish; several are one atomic batch. Any is
// resolved the same way and retried internally when it loses a race, so
// versions stay dense and Any never returns a conflict, with one exception:
// a batch some of whose ids were stored by an earlier, different append is
// refused by the server and reported as a *events.ConflictError.
//
// Transient failures (no responders, timeouts, leader elections) are retried
// with the same ids, which is safe; after maxTransient attempts the last
// error is returned. A cancelled ctx before the call writes nothing. An
// Append whose ctx ends mid-flight may or may not have landed; retrying it
// with the same records is safe.
//
// Payloads over events.MaxPayloadBytes, or over the connected server's
// max_payload (external mode), fail with events.ErrPayloadTooLarge before
// anything is sent. More than MaxAppendRecords records, or metadata whose
// headers exceed ~60 KiB, fail with events.ErrInvalidAppend.
func (s *Store) Append(ctx context.Context, stream string, expected events.ExpectedVersion, recs ...events.Record) (uint64, error) {
	if err := events.ValidateAppend(stream, recs); err != nil {
		return 0, err
	}
	if len(recs) > MaxAppendRecords {
		return 0, fmt.Errorf("%w: %d records for stream %q, the limit is %d", events.ErrInvalidAppend, len(recs), stream, MaxAppendRecords)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	subject := s.subject(stream)
	lastID := recs[len(recs)-1].ID.String()
	fail := func(err error) (uint64, error) {
		return 0, fmt.Errorf("jetstream: append to %q: %w", stream, err)
	}
	transients, races := 0, 0
	for {
		h, err := s.lastOfRetrying(ctx, subject)
		if err != nil {
			return fail(err)
		}
		if h.msgID == lastID {
			return h.seq, nil
		}
		if !expected.Allows(h.version) {
			return 0, &events.ConflictError{Stream: stream, Expected: expected, Actual: h.version}
		}
		msgs, err := s.buildMsgs(stream, subject, recs, h)
		if err != nil {
			return 0, err
		}
		seq, err := s.publish(ctx, msgs)
		switch code := apiCode(err); {
		case err == nil:
			return seq, nil
		case code == codeWrongLastSeq || code == codeWrongLastSeqConstant || code == codeBatchDuplicateMsgID:
			// Someone else wrote first, or this is a retry of an append that
			// already landed (on R1 the server reports that as 10071, not as
			// a duplicate: event-store.md §1.3).
			now, rerr := s.lastOfRetrying(ctx, subject)
			if rerr != nil {
				return fail(rerr)
			}
			if now.msgID == lastID {
				return now.seq, nil
			}
			if code == codeBatchDuplicateMsgID || !expected.Allows(now.version) {
				return 0, &events.ConflictError{Stream: stream, Expected: expected, Actual: now.version}
			}
			// The stream moved on (Any): decide again at once. Or it did not
			// move, because another write to it is still in flight (10164 on a
			// replicated stream, possibly our own earlier attempt): back off
			// briefly first.
			if races++; races > maxRaces {
				return fail(fmt.Errorf("lost %d races in a row: %w", races, err))
			}
			if now.seq == h.seq {
				if werr := sleep(ctx, min(time.Millisecond<<min(races-1, 7), 100*time.Millisecond)); werr != nil {
					return fail(errors.Join(werr, err))
				}
			}
		case errors.Is(err, nats.ErrMaxPayload):
			return 0, fmt.Errorf("%w: stream %q: %w", events.ErrPayloadTooLarge, stream, err)
		case ctx.Err() != nil:
			return fail(errors.Join(ctx.Err(), err))
		case transient(err):
			if transients++; transients > maxTransient {
				return fail(err)
			}
			s.log.Debug("append: retrying", "stream", stream, "attempt", transients, "error", err)
			if werr := sleep(ctx, backoff(transients)); werr != nil {
				return fail(errors.Join(werr, err))
			}
		default:
			return fail(err)
		}
	}
}

// buildMsgs encodes recs as the versions after h and checks their sizes
// against the connection's max_payload before anything is sent, so that a
// too-large event can never leave half a batch behind or hang.
func (s *Store) buildMsgs(stream, subject string, recs []events.Record, h head) ([]*nats.Msg, error) {
	limit := s.nc.MaxPayload()
	msgs := make([]*nats.Msg, len(recs))
	for i, r := range recs {
		m := newMsg(subject, r, h.version+uint64(i)+1)
		if i == 0 {
			m.Header.Set(hdrExpectStream, s.cfg.StreamName)
			m.Header.Set(hdrExpectLastSubj, strconv.FormatUint(h.seq, 10))
		}
		if len(recs) > 1 {
			m.Header.Set(hdrBatchSeq, strconv.Itoa(i+1)) // publish sets the batch id and commit
		}
		hdr, total := wireSize(m)
		total += 64 // room for the batch id and commit headers
		switch {
		case hdr > maxHeaderBytes:
			return nil, fmt.Errorf("%w: record %d on stream %q has %d bytes of metadata headers", events.ErrInvalidAppend, i, stream, hdr)
		case int64(total) > limit:
			return nil, fmt.Errorf("%w: record %d on stream %q needs %d bytes, the server's max_payload is %d",
				events.ErrPayloadTooLarge, i, stream, total, limit)
		}
		msgs[i] = m
	}
	return msgs, nil
}

// publish sends msgs and returns the stream sequence of the last one. A
// single message is a plain request. Several form one atomic batch
// (event-store.md §1.4): the staged messages are published without a reply
// and only the commit waits for the server's verdict on the whole batch; a
// lost staged message makes the commit fail as an incomplete batch, which
// nothing stores. A duplicate acknowledgement (the Nats-Msg-Id was seen within
// the dedup window) is success with the original sequence.
func (s *Store) publish(ctx context.Context, msgs []*nats.Msg) (uint64, error) {
	last := msgs[len(msgs)-1]
	if len(msgs) > 1 {
		id := uuid.NewString() // 36 characters; the server allows 64
		for _, m := range msgs {
			m.Header.Set(hdrBatchID, id)
		}
		last.Header.Set(hdrBatchCommit, "1")
		for _, m := range msgs[:len(msgs)-1] {
			if err := s.nc.PublishMsg(m); err != nil {
				return 0, err
			}
		}
	}
	var reply *nats.Msg
	err := s.attempt(ctx, publishTimeout, func(ctx context.Context) (err error) {
		reply, err = s.nc.RequestMsgWithContext(ctx, last)
		return err
	})
	if err != nil {
		return 0, err
	}
	ack, err := parseAck(reply)
	if err != nil {
		return 0, err
	}
	if len(msgs) > 1 && ack.Count != 0 && ack.Count != len(msgs) {
		return 0, fmt.Errorf("batch of %d acknowledged with count %d", len(msgs), ack.Count)
	}
	return ack.Seq, nil
}

// lastOfRetrying is lastOf with the transient-failure policy of Append.
func (s *Store) lastOfRetrying(ctx context.Context, subject string) (head, error) {
	var h head
	err := s.retrying(ctx, "read last message", func() error {
		var err error
		h, err = s.lastOf(ctx, subject)
		return err
	})
	return h, err
}

// backoff is 50 ms doubling up to 1 s.
func backoff(attempt int) time.Duration {
	return min(50*time.Millisecond<<min(attempt-1, 5), time.Second)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
