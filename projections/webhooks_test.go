package projections_test

import (
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

func givenWebhooks(ps ...events.Payload) *projections.Webhooks {
	w := projections.NewWebhooks()
	for i, p := range ps {
		w.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: t0.Add(time.Duration(i) * time.Second), Data: p})
	}
	return w
}

func webhook(id string, consumer, provider *events.WebhookPacticipant, evs ...string) events.WebhookCreated {
	return events.WebhookCreated{UUID: id, Consumer: consumer, Provider: provider, Enabled: true, Events: evs,
		Request: events.WebhookRequest{Method: "POST", URL: "https://example.org", Headers: map[string]string{"A": "b"}}}
}

func named(n string) *events.WebhookPacticipant    { return &events.WebhookPacticipant{Name: n} }
func labelled(l string) *events.WebhookPacticipant { return &events.WebhookPacticipant{Label: l} }

func uuids(vs []projections.WebhookView) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.UUID)
	}
	return out
}

func TestWebhooksReadModel(t *testing.T) {
	disabled := events.WebhookUpdated(webhook("w4", nil, nil, "contract_published"))
	disabled.Enabled = false
	w := givenWebhooks(
		webhook("w1", named("Foo"), named("Bar"), "contract_published"),
		webhook("w2", nil, named("Bar"), "contract_content_changed"),
		webhook("w3", labelled("team"), nil, "contract_published"),
		webhook("w4", nil, nil, "contract_published"),
		disabled,
		webhook("w5", named("Baz"), nil, "contract_published"),
		events.WebhookDeleted{UUID: "w2"},
		webhook("w2", nil, named("Bar"), "contract_published"), // created again: listed last
	)
	if got := uuids(w.All()); len(got) != 5 || got[0] != "w1" || got[4] != "w2" {
		t.Fatalf("all in creation order: %v", got)
	}
	if v, ok := w.Webhook("w4"); !ok || v.Enabled || !v.UpdatedAt.After(v.CreatedAt) {
		t.Fatalf("updated webhook: %+v", v)
	}
	if got := uuids(w.ForPacticipants("Foo", "Bar")); len(got) != 1 || got[0] != "w1" {
		t.Fatalf("for Foo and Bar: %v", got)
	}
	if got := uuids(w.ForPacticipants("", "Bar")); len(got) != 1 || got[0] != "w2" {
		t.Fatalf("for provider Bar only: %v", got)
	}
	got := uuids(w.Triggered("contract_published", "Foo", "Bar", []string{"team"}, nil))
	if len(got) != 3 || got[0] != "w1" || got[1] != "w3" || got[2] != "w2" {
		t.Fatalf("triggered for Foo->Bar (w4 is disabled, w5 is Baz's): %v", got)
	}

	// Reads are copies.
	v, _ := w.Webhook("w1")
	v.Request.Headers["A"], v.Consumer.Name, v.Events[0] = "changed", "changed", "changed"
	if again, _ := w.Webhook("w1"); again.Request.Headers["A"] != "b" || again.Consumer.Name != "Foo" || again.Events[0] != "contract_published" {
		t.Fatalf("a read changed the model: %+v", again)
	}

	// Deleting a pacticipant drops the webhooks that name it.
	w.Apply(events.Envelope{Position: 99, OccurredAt: t0, Data: events.PacticipantDeleted{Name: "Foo"}})
	if _, ok := w.Webhook("w1"); ok {
		t.Fatal("w1 names Foo, which was deleted")
	}
	if len(w.All()) != 4 {
		t.Fatalf("others stay: %v", uuids(w.All()))
	}
}
