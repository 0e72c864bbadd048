package commands

import (
	"context"
	"slices"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// WebhookDeliveries runs the delivery use cases on the streams
// "webhook-delivery-<id>": record a trigger (once), record an attempt with
// what follows it, abandon. The sending itself is infrastructure
// (infra/webhookdelivery); these only record.
type WebhookDeliveries struct {
	svc      *Service
	schedule []time.Duration
}

// WebhookDeliveries returns the delivery use cases with the retry schedule
// (nil: domain.DefaultWebhookRetrySchedule).
func (s *Service) WebhookDeliveries(schedule []time.Duration) *WebhookDeliveries {
	if schedule == nil {
		schedule = domain.DefaultWebhookRetrySchedule
	}
	return &WebhookDeliveries{svc: s, schedule: slices.Clone(schedule)}
}

// Schedule returns the retry schedule.
func (d *WebhookDeliveries) Schedule() []time.Duration { return slices.Clone(d.schedule) }

// Trigger records t unless its delivery exists already.
func (d *WebhookDeliveries) Trigger(ctx context.Context, t events.WebhookTriggered) error {
	stream, err := domain.WebhookDeliveryStream(t.DeliveryID)
	if err != nil {
		return err
	}
	_, err = execute(ctx, d.svc, stream, domain.EvolveWebhookDelivery,
		func(st domain.WebhookDelivery, _ time.Time) ([]events.Payload, error) {
			return domain.DecideTriggerWebhook(st, t)
		})
	return err
}

// RecordAttempt records attempt a of a delivery; domain.ErrStaleAttempt
// when another worker recorded that attempt first.
func (d *WebhookDeliveries) RecordAttempt(ctx context.Context, deliveryID string, a domain.WebhookAttempt) error {
	stream, err := domain.WebhookDeliveryStream(deliveryID)
	if err != nil {
		return err
	}
	_, err = execute(ctx, d.svc, stream, domain.EvolveWebhookDelivery,
		func(st domain.WebhookDelivery, now time.Time) ([]events.Payload, error) {
			return domain.DecideRecordWebhookAttempt(st, a, d.schedule, now)
		})
	return err
}

// Abandon gives a delivery up without sending.
func (d *WebhookDeliveries) Abandon(ctx context.Context, deliveryID, reason string) error {
	stream, err := domain.WebhookDeliveryStream(deliveryID)
	if err != nil {
		return err
	}
	_, err = execute(ctx, d.svc, stream, domain.EvolveWebhookDelivery,
		func(st domain.WebhookDelivery, _ time.Time) ([]events.Payload, error) {
			return domain.DecideAbandonWebhookDelivery(st, reason)
		})
	return err
}
