package commands

import (
	"context"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// PacticipantChecker answers whether an application exists; the catalog
// read model implements it (through the application's wiring).
type PacticipantChecker interface {
	PacticipantExists(name string) bool
}

// Webhooks runs the webhook use cases (create, replace, delete) over a
// Service's log, each on the stream "webhook-<uuid>". It holds the
// allow-lists every definition must pass. Triggering webhooks on events and
// delivering them are not here: see WebhookDeliveries (the records, on
// "webhook-delivery-<id>" streams) and infra/webhookdelivery (the sender).
type Webhooks struct {
	svc   *Service
	rules domain.WebhookRules
}

// Webhooks returns the webhook use cases under policy. pacticipants (not
// nil) answers
// the "consumer.name does not match an existing pacticipant" check; it is
// read before deciding, so a pacticipant deleted concurrently may still be
// named (as in the Pact Broker).
func (s *Service) Webhooks(policy domain.WebhookPolicy, pacticipants PacticipantChecker) *Webhooks {
	return &Webhooks{svc: s, rules: domain.WebhookRules{Policy: policy, PacticipantExists: pacticipants.PacticipantExists}}
}

// Policy returns the allow-lists, for checking a request again before it
// is sent.
func (w *Webhooks) Policy() domain.WebhookPolicy { return w.rules.Policy }

// CreateWebhook creates a webhook under a new uuid and returns the uuid.
// An invalid input writes nothing.
func (w *Webhooks) CreateWebhook(ctx context.Context, in domain.WebhookInput) (string, error) {
	id := w.svc.newID()
	stream, err := streamFor(domain.WebhookStream(id))
	if err != nil {
		return "", err
	}
	_, err = execute(ctx, w.svc, stream, domain.EvolveWebhook,
		func(st domain.WebhookState, _ time.Time) ([]events.Payload, error) {
			return domain.DecideCreateWebhook(st, id, in, w.rules)
		})
	if err != nil {
		return "", err
	}
	return id, nil
}

// PutWebhook creates the webhook with a client-chosen uuid (created is
// true) or replaces every attribute of the existing one, keeping a stored
// password or secret header the client sent back redacted.
func (w *Webhooks) PutWebhook(ctx context.Context, uuid string, in domain.WebhookInput) (created bool, err error) {
	if err := domain.ValidateWebhookUUID(uuid); err != nil {
		return false, err
	}
	stream, err := streamFor(domain.WebhookStream(uuid))
	if err != nil {
		return false, err
	}
	_, err = execute(ctx, w.svc, stream, domain.EvolveWebhook,
		func(st domain.WebhookState, _ time.Time) (evs []events.Payload, err error) {
			evs, created, err = domain.DecidePutWebhook(st, uuid, in, w.rules)
			return evs, err
		})
	return created, err
}

// DeleteWebhook deletes a webhook; an unknown uuid is not found.
func (w *Webhooks) DeleteWebhook(ctx context.Context, uuid string) error {
	stream, err := domain.WebhookStream(uuid)
	if err != nil {
		return domain.NotFound("webhook %q", uuid)
	}
	_, err = execute(ctx, w.svc, stream, domain.EvolveWebhook,
		func(st domain.WebhookState, _ time.Time) ([]events.Payload, error) {
			return domain.DecideDeleteWebhook(st, uuid)
		})
	return err
}
