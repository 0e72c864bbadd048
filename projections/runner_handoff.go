package projections

import (
	"context"
	"sync"

	"github.com/pactledger/pactledger/events"
)

// handoff passes decoded events from the subscription's goroutine to the
// applying one in batches: the producer appends to a buffer under a mutex,
// and the consumer takes the whole buffer at once, so a rebuild pays for
// one goroutine wake-up per batch instead of one channel send per event,
// while a live tail still hands over each event as soon as it arrives (the
// consumer takes whatever is there, never waiting for a batch to fill).
//
// The buffer holds at most pipelineDepth events; the producer blocks
// (until the consumer takes them or ctx ends) when it is full.
type handoff struct {
	mu    sync.Mutex
	buf   []events.Envelope
	err   error // set once by end; the consumer returns it after the buffer
	ready chan struct{}
	space chan struct{}
}

// pipelineDepth is how many decoded events may wait to be applied.
const pipelineDepth = 1024

func newHandoff() *handoff {
	return &handoff{
		buf:   make([]events.Envelope, 0, pipelineDepth),
		ready: make(chan struct{}, 1),
		space: make(chan struct{}, 1),
	}
}

// signal wakes whoever waits on c, or leaves a token for its next wait.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// put appends e for the consumer; it waits while the buffer is full, and
// returns ctx.Err() if ctx ends first.
func (h *handoff) put(ctx context.Context, e events.Envelope) error {
	h.mu.Lock()
	for len(h.buf) >= pipelineDepth {
		h.mu.Unlock()
		select {
		case <-h.space:
		case <-ctx.Done():
			return ctx.Err()
		}
		h.mu.Lock()
	}
	h.buf = append(h.buf, e)
	first := len(h.buf) == 1
	h.mu.Unlock()
	if first {
		signal(h.ready)
	}
	return nil
}

// end records why the producer stopped; the consumer sees it after the
// events put before it.
func (h *handoff) end(err error) {
	h.mu.Lock()
	h.err = err
	h.mu.Unlock()
	signal(h.ready)
}

// take waits until there are events or the producer has ended, then
// returns every waiting event (in spare's storage, which the caller gives
// back on its next take) and the producer's error, nil while it runs. The
// events must be used before the next take.
func (h *handoff) take(spare []events.Envelope) ([]events.Envelope, error) {
	for {
		<-h.ready
		h.mu.Lock()
		batch, err := h.buf, h.err
		if len(batch) > 0 {
			h.buf = spare[:0]
		}
		h.mu.Unlock()
		if len(batch) > 0 || err != nil {
			signal(h.space)
			return batch, err
		}
	}
}
