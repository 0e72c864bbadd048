package natsforward

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/pactledger/pactledger/events"
)

// Batch limits: the server takes at most 1,000 messages in one atomic
// batch; a few MiB keeps one batch well inside its memory limits.
const (
	maxBatch      = 256
	maxBatchBytes = 4 << 20
	ackTimeout    = 10 * time.Second
)

// batch forwards events in atomic JetStream batches while the forwarder
// catches up with the log head it saw at start: one fsync per batch
// instead of one per event (the embedded server fsyncs every write). At
// the tail, where events come one by one, each is sent at once.
//
// The batch's first message expects the stream's last sequence (so a
// forwarder that lost a race writes nothing), every message carries its
// event id as Nats-Msg-Id, and the batch commits all or nothing: the
// checkpoint (the last message) always names the last event forwarded.
type batch struct {
	f         *Forwarder
	head      uint64 // log head when the subscription started
	msgs      []*nats.Msg
	bytes     int
	positions []uint64
}

func (b *batch) add(ctx context.Context, e events.Envelope) error {
	msg, err := b.f.message(e)
	if err != nil {
		return err
	}
	msg.Header.Set("Nats-Msg-Id", e.ID.String())
	if len(b.msgs) > 0 && b.bytes+len(msg.Data) > maxBatchBytes {
		if err := b.flush(ctx); err != nil {
			return err
		}
	}
	b.msgs, b.positions, b.bytes = append(b.msgs, msg), append(b.positions, e.Position), b.bytes+len(msg.Data)
	if len(b.msgs) >= maxBatch || e.Position >= b.head {
		return b.flush(ctx)
	}
	return nil
}

// pubAck is the server's answer to a publish (or a batch commit).
type pubAck struct {
	Seq   uint64 `json:"seq"`
	Count int    `json:"count"`
	Error *struct {
		Code        int    `json:"code"`
		ErrCode     int    `json:"err_code"`
		Description string `json:"description"`
	} `json:"error"`
}

// flush publishes the pending messages as one atomic batch (or one plain
// message) and advances the checkpoint.
func (b *batch) flush(ctx context.Context) error {
	if len(b.msgs) == 0 {
		return nil
	}
	defer func() { b.msgs, b.positions, b.bytes = b.msgs[:0], b.positions[:0], 0 }()
	b.f.mu.Lock()
	last := b.f.lastSeq
	b.f.mu.Unlock()
	nc := b.f.cfg.Conn
	b.msgs[0].Header.Set("Nats-Expected-Last-Sequence", strconv.FormatUint(last, 10))
	final := b.msgs[len(b.msgs)-1]
	if len(b.msgs) > 1 {
		id := uuid.NewString()
		for i, m := range b.msgs {
			m.Header.Set("Nats-Batch-Id", id)
			m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
		}
		final.Header.Set("Nats-Batch-Commit", "1")
		for _, m := range b.msgs[:len(b.msgs)-1] {
			if err := nc.PublishMsg(m); err != nil {
				return fmt.Errorf("natsforward: publish: %w", err)
			}
		}
	}
	actx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	reply, err := nc.RequestMsgWithContext(actx, final)
	if err != nil {
		return fmt.Errorf("natsforward: publish up to position %d: %w", b.positions[len(b.positions)-1], err)
	}
	var ack pubAck
	if err := json.Unmarshal(reply.Data, &ack); err != nil {
		return fmt.Errorf("natsforward: bad acknowledgement %q: %w", reply.Data, err)
	}
	switch {
	case ack.Error != nil:
		return fmt.Errorf("natsforward: publish up to position %d: %s (%d)", b.positions[len(b.positions)-1],
			ack.Error.Description, ack.Error.ErrCode)
	case ack.Seq == 0:
		return errors.New("natsforward: acknowledgement without a sequence")
	case len(b.msgs) > 1 && ack.Count != 0 && ack.Count != len(b.msgs):
		return fmt.Errorf("natsforward: batch of %d acknowledged with count %d", len(b.msgs), ack.Count)
	}
	b.f.advance(b.positions[len(b.positions)-1], ack.Seq)
	return nil
}
