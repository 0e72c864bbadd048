package projections

import (
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
)

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliverySucceeded = "succeeded"
	DeliveryAbandoned = "abandoned"
)

// DeliveryAttemptView is one recorded attempt.
type DeliveryAttemptView struct {
	events.WebhookAttemptRecorded
	At time.Time
}

// DeliveryView is one webhook delivery with its attempts.
type DeliveryView struct {
	events.WebhookTriggered
	TriggeredAt   time.Time
	Status        string
	Reason        string // why it was abandoned
	Attempts      []DeliveryAttemptView
	NextAttemptAt time.Time // zero: due at once (while pending)
	Order         uint64    // log position of WebhookTriggered
}

// PendingTrigger is a trigger derived from the log whose WebhookTriggered
// is not recorded yet (the outbox).
type PendingTrigger struct {
	events.WebhookTriggered
	// CauseAt is when the causing event happened.
	CauseAt time.Time
}

// WebhookDeliveries is the read model of webhook deliveries and the
// deriver of webhook triggers.
//
// Triggers are a pure function of the log: for each event, in log order,
// the webhooks that existed before it and match it give one
// PendingTrigger each, with the template parameters as of that moment.
// Register it FIRST in the Runner, so the read models it consults
// (webhooks, catalog, deployments, contracts) hold the state just before
// the event. A WebhookTriggered in the log removes its trigger from the
// outbox, so on a rebuild every trigger that was recorded once is
// recognised and never fires again; only triggers derived and not yet
// recorded (a crash in between) stay in the outbox. Methods are safe for
// concurrent use and return copies.
type WebhookDeliveries struct {
	deriver triggerDeriver

	mu         sync.RWMutex
	deliveries map[string]*DeliveryView
	outbox     map[string]PendingTrigger
	changed    chan struct{} // closed and replaced on every change
	attempts   int           // attempts recorded (counts.go)
}

// NewWebhookDeliveries returns the read model; baseURL prefixes the pact
// and verification URLs of the template parameters.
func NewWebhookDeliveries(baseURL string, webhooks *Webhooks, catalog *Catalog, deployments *Deployments, contracts *Contracts) *WebhookDeliveries {
	return &WebhookDeliveries{
		deriver:    triggerDeriver{baseURL: baseURL, webhooks: webhooks, catalog: catalog, deployments: deployments, contracts: contracts},
		deliveries: map[string]*DeliveryView{}, outbox: map[string]PendingTrigger{}, changed: make(chan struct{}),
	}
}

// Name implements Projector.
func (*WebhookDeliveries) Name() string { return "webhook-deliveries" }

// ApplyBatch implements BatchApplier: Apply for each event.
func (w *WebhookDeliveries) ApplyBatch(batch []events.Envelope) {
	for _, e := range batch {
		w.Apply(e)
	}
}

// CanApplyBatch implements BatchGate: deriving triggers reads the webhooks,
// catalog, deployments and contracts as they were just before each event,
// but only while a webhook is enabled. With none enabled before batch and
// no event in it that may enable one (mayEnableWebhook), Apply reads no
// other model for any event of batch.
func (w *WebhookDeliveries) CanApplyBatch(batch []events.Envelope) bool {
	if w.deriver.webhooks == nil {
		return true
	}
	for _, e := range batch {
		if mayEnableWebhook(e.Data) {
			return false
		}
	}
	return !w.deriver.webhooks.anyEnabled()
}

// mayEnableWebhook reports whether the webhooks model's Apply of p may
// leave a webhook enabled where none was: a creation or an update (the
// other events it applies only delete). Hazard: an event type added to
// Webhooks.apply that can enable one must be listed here.
func mayEnableWebhook(p events.Payload) bool {
	switch p.(type) {
	case events.WebhookCreated, events.WebhookUpdated:
		return true
	}
	return false
}

// Apply implements Projector.
func (w *WebhookDeliveries) Apply(e events.Envelope) {
	var derived []events.WebhookTriggered
	if !isDeliveryEvent(e.Data) {
		derived = w.deriver.derive(e)
	}
	if len(derived) == 0 && !isDeliveryEvent(e.Data) {
		return // most events: nothing changes, nobody is woken
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch p := e.Data.(type) {
	case events.WebhookTriggered:
		delete(w.outbox, p.DeliveryID)
		w.deliveries[p.DeliveryID] = &DeliveryView{WebhookTriggered: p, TriggeredAt: e.OccurredAt,
			Status: DeliveryPending, Order: e.Position}
	case events.WebhookAttemptRecorded:
		if d := w.deliveries[p.DeliveryID]; d != nil {
			d.Attempts = append(d.Attempts, DeliveryAttemptView{WebhookAttemptRecorded: p, At: e.OccurredAt})
			w.attempts++
			if p.NextAttemptAt != nil {
				d.NextAttemptAt = *p.NextAttemptAt
			}
		}
	case events.WebhookDeliverySucceeded:
		if d := w.deliveries[p.DeliveryID]; d != nil {
			d.Status = DeliverySucceeded
		}
	case events.WebhookDeliveryAbandoned:
		if d := w.deliveries[p.DeliveryID]; d != nil {
			d.Status, d.Reason = DeliveryAbandoned, p.Reason
		}
	}
	for _, t := range derived {
		if w.deliveries[t.DeliveryID] == nil {
			w.outbox[t.DeliveryID] = PendingTrigger{WebhookTriggered: t, CauseAt: e.OccurredAt}
		}
	}
	close(w.changed)
	w.changed = make(chan struct{})
}

func isDeliveryEvent(p events.Payload) bool {
	switch p.(type) {
	case events.WebhookTriggered, events.WebhookAttemptRecorded, events.WebhookDeliverySucceeded, events.WebhookDeliveryAbandoned:
		return true
	}
	return false
}

// Changed returns a channel closed at the next change.
func (w *WebhookDeliveries) Changed() <-chan struct{} {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.changed
}

// Outbox lists the derived triggers not recorded yet, in log order (then
// by delivery id: one event can trigger several webhooks).
func (w *WebhookDeliveries) Outbox() []PendingTrigger {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]PendingTrigger, 0, len(w.outbox))
	for _, t := range w.outbox {
		t.Params = maps.Clone(t.Params)
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CausePosition != out[j].CausePosition {
			return out[i].CausePosition < out[j].CausePosition
		}
		return out[i].DeliveryID < out[j].DeliveryID // one event can trigger several webhooks
	})
	return out
}

// Due lists the pending deliveries whose next attempt is due at now, in
// trigger order.
func (w *WebhookDeliveries) Due(now time.Time) []DeliveryView {
	return w.filter(func(d *DeliveryView) bool { return d.Status == DeliveryPending && !d.NextAttemptAt.After(now) })
}

// NextDue returns when the earliest pending delivery is due; ok is false
// when none is pending.
func (w *WebhookDeliveries) NextDue() (at time.Time, ok bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, d := range w.deliveries {
		if d.Status == DeliveryPending && (!ok || d.NextAttemptAt.Before(at)) {
			at, ok = d.NextAttemptAt, true
		}
	}
	return at, ok
}

// Delivery returns one delivery.
func (w *WebhookDeliveries) Delivery(id string) (DeliveryView, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	d := w.deliveries[id]
	if d == nil {
		return DeliveryView{}, false
	}
	return copyDelivery(d), true
}

// Matching lists the deliveries keep accepts, oldest first.
func (w *WebhookDeliveries) Matching(keep func(DeliveryView) bool) []DeliveryView {
	return w.filter(func(d *DeliveryView) bool { return keep(*d) })
}

// ForWebhook lists a webhook's deliveries, oldest first.
func (w *WebhookDeliveries) ForWebhook(uuid string) []DeliveryView {
	return w.filter(func(d *DeliveryView) bool { return d.WebhookUUID == uuid })
}

func (w *WebhookDeliveries) filter(keep func(*DeliveryView) bool) []DeliveryView {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := []DeliveryView{}
	for _, d := range w.deliveries {
		if keep(d) {
			out = append(out, copyDelivery(d))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

func copyDelivery(d *DeliveryView) DeliveryView {
	c := *d
	c.Params = maps.Clone(d.Params)
	c.Attempts = slices.Clone(d.Attempts)
	return c
}
