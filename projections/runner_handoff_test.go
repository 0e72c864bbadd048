package projections

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

// TestHandoffKeepsOrderAndBatches puts more events than the buffer holds
// while the consumer takes them: every event arrives once, in order, in
// batches of at most pipelineDepth, followed by the producer's error.
func TestHandoffKeepsOrderAndBatches(t *testing.T) {
	h := newHandoff()
	const n = 5 * pipelineDepth
	end := errors.New("end of log")
	go func() {
		for i := range n {
			if err := h.put(context.Background(), events.Envelope{Position: uint64(i + 1)}); err != nil {
				t.Error(err)
				return
			}
		}
		h.end(end)
	}()
	var next uint64 = 1
	var spare []events.Envelope
	for {
		batch, err := h.take(spare)
		if len(batch) > pipelineDepth {
			t.Fatalf("batch of %d events, the buffer holds %d", len(batch), pipelineDepth)
		}
		for _, e := range batch {
			if e.Position != next {
				t.Fatalf("got position %d, want %d", e.Position, next)
			}
			next++
		}
		if err != nil {
			if !errors.Is(err, end) || next != n+1 {
				t.Fatalf("ended with %v after %d events, want %v after %d", err, next-1, end, n)
			}
			return
		}
		spare = batch
	}
}

// TestHandoffPutGivesUpWhenFull: a producer blocked on a full buffer
// returns ctx's error when ctx ends, instead of waiting forever.
func TestHandoffPutGivesUpWhenFull(t *testing.T) {
	h := newHandoff()
	for i := range pipelineDepth {
		if err := h.put(context.Background(), events.Envelope{Position: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := h.put(ctx, events.Envelope{Position: pipelineDepth + 1}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("put on a full buffer returned %v, want the context's error", err)
	}
	batch, err := h.take(nil)
	if err != nil || len(batch) != pipelineDepth {
		t.Fatalf("take returned %d events and %v, want %d and nil", len(batch), err, pipelineDepth)
	}
}
