package webhookdelivery

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// Request headers every delivery carries.
const (
	// HeaderIdempotencyKey is the delivery id: the same on every attempt
	// of one delivery, so a receiver can drop repeats (delivery is at
	// least once).
	HeaderIdempotencyKey = "Idempotency-Key"
	// HeaderAttempt is the attempt's number, from 1.
	HeaderAttempt = "X-Pactledger-Delivery-Attempt"
)

// Worker delivers webhooks. It records each trigger derived from the log
// (projections.WebhookDeliveries.Outbox) as a WebhookTriggered event, then
// sends every due delivery from a pool of goroutines and records each
// attempt; the read model picks the next due ones, so retries with their
// back-off survive restarts.
//
// Guarantees: at least once. An attempt is recorded after it is sent, so a
// crash in between sends that attempt again after a restart, with the same
// Idempotency-Key. Several processes sharing one store each deliver (the
// attempt records cannot be duplicated, the requests can): run delivery in
// one of them.
type Worker struct {
	Deliveries *projections.WebhookDeliveries
	Webhooks   *projections.Webhooks
	Commands   *commands.WebhookDeliveries
	Policy     domain.WebhookPolicy
	// Workers is the number of concurrent sends (default 4).
	Workers int
	// Horizon: a derived trigger whose causing event is older than this
	// when first seen is not recorded (it was derived on a rebuild of an
	// old log, e.g. the first start after an upgrade) and is logged
	// instead. Default 1h.
	Horizon time.Duration
	Logger  *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time

	mu    sync.Mutex
	holds map[string]time.Time // deliveries whose last attempt was not recorded
}

// Run delivers until ctx ends, then waits for the attempts in flight (each
// bounded by Timeout) and returns.
func (w *Worker) Run(ctx context.Context) {
	if w.Workers <= 0 {
		w.Workers = 4
	}
	if w.Horizon <= 0 {
		w.Horizon = time.Hour
	}
	if w.Logger == nil {
		w.Logger = slog.New(slog.DiscardHandler)
	}
	if w.Now == nil {
		w.Now = time.Now
	}
	log := w.Logger.With("component", "webhook-delivery")
	jobs := make(chan projections.DeliveryView)
	var inFlight sync.Map // delivery id → struct{}
	var wg sync.WaitGroup
	for range w.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				w.attempt(log, d)
				inFlight.Delete(d.DeliveryID)
			}
		}()
	}
	defer func() { close(jobs); wg.Wait() }()
	skipped := map[string]bool{}
	for {
		changed := w.Deliveries.Changed()
		w.recordTriggers(ctx, log, skipped)
		now := w.Now()
		for _, d := range w.Deliveries.Due(now) {
			if w.held(d.DeliveryID, now) {
				continue
			}
			if _, busy := inFlight.LoadOrStore(d.DeliveryID, struct{}{}); busy {
				continue
			}
			select {
			case jobs <- d:
			case <-ctx.Done():
				inFlight.Delete(d.DeliveryID)
				return
			}
		}
		// Wake at the next due time; deliveries already due are in flight
		// or held, and their outcome wakes the loop through changed.
		wait := time.Second
		if at, ok := w.Deliveries.NextDue(); ok && at.After(now) {
			wait = min(wait, at.Sub(now))
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-time.After(wait):
		}
	}
}

// recordTriggers appends WebhookTriggered for each trigger in the outbox.
func (w *Worker) recordTriggers(ctx context.Context, log *slog.Logger, skipped map[string]bool) {
	for _, t := range w.Deliveries.Outbox() {
		if skipped[t.DeliveryID] {
			continue
		}
		if w.Now().Sub(t.CauseAt) > w.Horizon {
			skipped[t.DeliveryID] = true
			log.WarnContext(ctx, "webhook trigger older than the horizon not delivered", "webhook", t.WebhookUUID,
				"event", t.EventName, "position", t.CausePosition, "horizon", w.Horizon)
			continue
		}
		if err := w.Commands.Trigger(deliveryContext(ctx, t.WebhookTriggered.DeliveryID, t.CauseEventID), t.WebhookTriggered); err != nil {
			if ctx.Err() == nil {
				log.ErrorContext(ctx, "record webhook trigger", "delivery", t.DeliveryID, "error", err)
			}
			return
		}
	}
}

// attempt sends one delivery and records the outcome. Its contexts are
// not the worker's: an attempt under way finishes and is recorded even
// while the server shuts down, so it is not sent again needlessly.
func (w *Worker) attempt(log *slog.Logger, d projections.DeliveryView) {
	ctx, cancel := context.WithTimeout(deliveryContext(context.Background(), d.DeliveryID, d.CauseEventID), Timeout+10*time.Second)
	defer cancel()
	hook, ok := w.Webhooks.Webhook(d.WebhookUUID)
	if !ok || !hook.Enabled {
		reason := "webhook deleted"
		if ok {
			reason = "webhook disabled"
		}
		if err := w.Commands.Abandon(ctx, d.DeliveryID, reason); err != nil {
			log.ErrorContext(ctx, "abandon webhook delivery", "delivery", d.DeliveryID, "error", err)
		}
		return
	}
	n := len(d.Attempts) + 1
	rendered := domain.RenderWebhookRequest(hook.Request, d.Params)
	extra := http.Header{HeaderIdempotencyKey: {d.DeliveryID}, HeaderAttempt: {strconv.Itoa(n)}}
	out := Send(ctx, w.Policy, rendered, extra)
	a := domain.WebhookAttempt{Number: n, Success: out.Success(), Duration: out.Duration, Refused: out.Refused != ""}
	switch {
	case out.Refused != "":
		a.Error = out.Refused
	case out.Err != nil:
		a.Error = out.Err.Error()
	}
	if out.Response != nil {
		a.Status = out.Response.StatusCode
	}
	log.InfoContext(ctx, "webhook delivery attempt", "webhook", d.WebhookUUID, "delivery", d.DeliveryID,
		"event", d.EventName, "attempt", n, "status", a.Status, "success", a.Success)
	if err := w.Commands.RecordAttempt(ctx, d.DeliveryID, a); err != nil && !errors.Is(err, domain.ErrStaleAttempt) {
		// Not recorded: the attempt will be sent again (at least once),
		// but not before recordRetry, so a failing store is no busy loop.
		w.hold(d.DeliveryID, w.Now().Add(recordRetry))
		log.ErrorContext(ctx, "record webhook attempt", "delivery", d.DeliveryID, "error", err)
	}
}

// recordRetry is how long a delivery whose attempt could not be recorded
// waits before it is attempted again.
const recordRetry = 5 * time.Second

func (w *Worker) hold(id string, until time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.holds == nil {
		w.holds = map[string]time.Time{}
	}
	w.holds[id] = until
}

func (w *Worker) held(id string, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	until, ok := w.holds[id]
	if ok && !now.Before(until) {
		delete(w.holds, id)
		return false
	}
	return ok
}

// Actor is the actor of the events the worker records.
const Actor = "pactledger-webhook-delivery"

// deliveryContext stamps the worker's events: correlated by delivery,
// caused by the triggering event.
func deliveryContext(ctx context.Context, deliveryID, causeEventID string) context.Context {
	return events.WithMetadata(ctx, events.Metadata{CorrelationID: deliveryID, CausationID: causeEventID, Actor: Actor})
}
