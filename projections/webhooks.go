package projections

import (
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
)

// WebhookView is a webhook as the API shows it.
//
// Hazard: Request holds the secrets (password, credential headers) in plain
// text, because the sender needs them. Render it only through
// events.WebhookRequest.Redacted.
type WebhookView struct {
	events.WebhookDefinition
	CreatedAt, UpdatedAt time.Time
	Order                uint64 // log position of its creation: listings follow it
}

// Webhooks is the read model of webhook definitions. A webhook that names a
// deleted pacticipant leaves it (the Pact Broker deletes such webhooks); its
// stream is left as it is. Methods are safe for concurrent use and return
// deep copies.
type Webhooks struct {
	mu     sync.RWMutex
	byUUID map[string]*WebhookView
}

// NewWebhooks returns an empty read model.
func NewWebhooks() *Webhooks { return &Webhooks{byUUID: map[string]*WebhookView{}} }

// Name implements Projector.
func (*Webhooks) Name() string { return "webhooks" }

// ApplyBatch implements BatchApplier: Apply for each event (most events
// return before locking).
func (w *Webhooks) ApplyBatch(batch []events.Envelope) {
	for _, e := range batch {
		w.Apply(e)
	}
}

// Apply implements Projector.
func (w *Webhooks) Apply(e events.Envelope) {
	if !webhooksIgnores(e.Data) {
		w.apply(e)
	}
}

func (w *Webhooks) apply(e events.Envelope) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch p := e.Data.(type) {
	case events.WebhookCreated:
		w.byUUID[p.UUID] = &WebhookView{WebhookDefinition: events.WebhookDefinition(p),
			CreatedAt: e.OccurredAt, UpdatedAt: e.OccurredAt, Order: e.Position}
	case events.WebhookUpdated:
		if v := w.byUUID[p.UUID]; v != nil {
			v.WebhookDefinition, v.UpdatedAt = events.WebhookDefinition(p), e.OccurredAt
		}
	case events.WebhookDeleted:
		delete(w.byUUID, p.UUID)
	case events.PacticipantDeleted:
		for id, v := range w.byUUID {
			if named(v.Consumer, p.Name) || named(v.Provider, p.Name) {
				delete(w.byUUID, id)
			}
		}
	}
}

func named(s *events.WebhookPacticipant, name string) bool { return s != nil && s.Name == name }

func nameOf(s *events.WebhookPacticipant) string {
	if s == nil {
		return ""
	}
	return s.Name
}

// Webhook returns one webhook.
func (w *Webhooks) Webhook(uuid string) (WebhookView, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	v := w.byUUID[uuid]
	if v == nil {
		return WebhookView{}, false
	}
	return copyWebhook(v), true
}

// All lists every webhook in creation order.
func (w *Webhooks) All() []WebhookView {
	return w.filter(func(*WebhookView) bool { return true })
}

// ForPacticipants lists, in creation order, the webhooks whose named
// consumer is consumer and named provider is provider, exactly; "" means
// no named pacticipant on that side (any, or a label), as the Pact
// Broker's find_by_consumer_and_provider.
func (w *Webhooks) ForPacticipants(consumer, provider string) []WebhookView {
	return w.filter(func(v *WebhookView) bool {
		return nameOf(v.Consumer) == consumer && nameOf(v.Provider) == provider
	})
}

// Triggered lists, in creation order, the enabled webhooks that an event
// for a pact between consumer and provider triggers: each side is any,
// the name, or a label the pacticipant carries. The trigger derivation of
// WebhookDeliveries calls it for pact and verification events.
func (w *Webhooks) Triggered(event, consumer, provider string, consumerLabels, providerLabels []string) []WebhookView {
	return w.filter(func(v *WebhookView) bool {
		return v.Enabled && slices.Contains(v.Events, event) &&
			sideMatches(v.Consumer, consumer, consumerLabels) && sideMatches(v.Provider, provider, providerLabels)
	})
}

func sideMatches(s *events.WebhookPacticipant, name string, labels []string) bool {
	switch {
	case s == nil:
		return true
	case s.Name != "":
		return s.Name == name
	default:
		return slices.Contains(labels, s.Label)
	}
}

func (w *Webhooks) filter(keep func(*WebhookView) bool) []WebhookView {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := []WebhookView{}
	for _, v := range w.byUUID {
		if keep(v) {
			out = append(out, copyWebhook(v))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

func copyWebhook(v *WebhookView) WebhookView {
	c := *v
	c.Events = slices.Clone(v.Events)
	c.Request.Headers = maps.Clone(v.Request.Headers)
	c.Request.Body = slices.Clone(v.Request.Body)
	if v.Consumer != nil {
		s := *v.Consumer
		c.Consumer = &s
	}
	if v.Provider != nil {
		s := *v.Provider
		c.Provider = &s
	}
	return c
}
