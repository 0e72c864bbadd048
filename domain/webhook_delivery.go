package domain

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
)

// Webhook template parameters of pactledger's own deployment and release
// events (deployment_recorded, deployment_undeployed, release_recorded,
// release_support_ended). The Pact Broker has no such events.
const (
	ParamPacticipantName       = "pactbroker.pacticipantName"
	ParamVersionNumber         = "pactbroker.versionNumber"
	ParamEnvironmentName       = "pactbroker.environmentName"
	ParamEnvironmentUUID       = "pactbroker.environmentUuid"
	ParamEnvironmentProduction = "pactbroker.environmentProduction"
	ParamApplicationInstance   = "pactbroker.applicationInstance"
	ParamReplacedVersionNumber = "pactbroker.replacedVersionNumber"
	ParamDeploymentID          = "pactbroker.deploymentId"
	ParamReleaseID             = "pactbroker.releaseId"
)

// DefaultWebhookRetrySchedule is the Pact Broker's webhook_retry_schedule:
// the waits after the 1st, 2nd, … failed attempt. A delivery is attempted
// at most len(schedule)+1 times.
var DefaultWebhookRetrySchedule = []time.Duration{10 * time.Second, time.Minute, 2 * time.Minute,
	5 * time.Minute, 10 * time.Minute, 20 * time.Minute}

// deliveryNamespace scopes the derived delivery ids.
var deliveryNamespace = uuid.MustParse("5b0f3c1e-9a4d-4c59-8f57-0e7d2f7c1a01")

// WebhookDeliveryID is the id of the delivery of webhookUUID for the
// webhook event eventName caused by the log event causeEventID. It is
// derived, not random, so deriving a trigger twice names one delivery.
func WebhookDeliveryID(webhookUUID, eventName, causeEventID string) string {
	return uuid.NewSHA1(deliveryNamespace, []byte(webhookUUID+"\x00"+eventName+"\x00"+causeEventID)).String()
}

// WebhookDeliveryStream is the stream of one delivery.
func WebhookDeliveryStream(deliveryID string) (string, error) {
	return events.StreamID("webhook-delivery", deliveryID)
}

// WebhookDelivery is the state of one delivery stream.
type WebhookDelivery struct {
	Triggered     *events.WebhookTriggered
	Attempts      int
	Succeeded     bool
	Abandoned     bool
	NextAttemptAt time.Time // zero: at once
}

// Done reports whether nothing more will be sent.
func (d WebhookDelivery) Done() bool { return d.Succeeded || d.Abandoned }

// EvolveWebhookDelivery folds one event into d.
func EvolveWebhookDelivery(d WebhookDelivery, e events.Envelope) WebhookDelivery {
	switch p := e.Data.(type) {
	case events.WebhookTriggered:
		t := p
		d.Triggered = &t
	case events.WebhookAttemptRecorded:
		d.Attempts = p.Attempt
		if p.NextAttemptAt != nil {
			d.NextAttemptAt = *p.NextAttemptAt
		}
	case events.WebhookDeliverySucceeded:
		d.Succeeded = true
	case events.WebhookDeliveryAbandoned:
		d.Abandoned = true
	}
	return d
}

// DecideTriggerWebhook records a trigger once: a delivery that exists
// already (the same trigger derived again) yields no events.
func DecideTriggerWebhook(d WebhookDelivery, t events.WebhookTriggered) ([]events.Payload, error) {
	if d.Triggered != nil {
		return nil, nil
	}
	if t.DeliveryID == "" || t.WebhookUUID == "" || t.EventName == "" {
		return nil, fmt.Errorf("%w: a webhook trigger needs a delivery id, a webhook and an event", ErrInvalid)
	}
	return []events.Payload{t}, nil
}

// WebhookAttempt is the outcome of one attempt to send a delivery.
type WebhookAttempt struct {
	// Number is the attempt's number, from 1; it must be the next one.
	Number   int
	Status   int // response status, 0 when none
	Success  bool
	Error    string
	Duration time.Duration
	// Refused means the request was never sent and never will be (the
	// allow-lists refuse it): the delivery is abandoned at once.
	Refused bool
}

// ErrStaleAttempt means an attempt's number is not the delivery's next
// one: another worker recorded it first. Callers drop their outcome.
var ErrStaleAttempt = fmt.Errorf("%w: the attempt was recorded already", ErrConflict)

// DecideRecordWebhookAttempt records an attempt and what follows it: a
// success ends the delivery; a failure schedules the next attempt after
// schedule[n-1] (n is the attempt's number), or abandons the delivery when
// the schedule is exhausted or the request was refused. A delivery that is
// done records nothing more.
func DecideRecordWebhookAttempt(d WebhookDelivery, a WebhookAttempt, schedule []time.Duration, now time.Time) ([]events.Payload, error) {
	if d.Triggered == nil {
		return nil, fmt.Errorf("%w: webhook delivery", ErrNotFound)
	}
	if d.Done() {
		return nil, nil
	}
	if a.Number != d.Attempts+1 {
		return nil, ErrStaleAttempt
	}
	rec := events.WebhookAttemptRecorded{DeliveryID: d.Triggered.DeliveryID, WebhookUUID: d.Triggered.WebhookUUID,
		Attempt: a.Number, Status: a.Status, Success: a.Success, Error: a.Error, DurationMillis: a.Duration.Milliseconds()}
	switch {
	case a.Success:
		return []events.Payload{rec, events.WebhookDeliverySucceeded{DeliveryID: rec.DeliveryID,
			WebhookUUID: rec.WebhookUUID, Attempts: a.Number}}, nil
	case a.Refused:
		return []events.Payload{rec, abandoned(d, a.Number, "refused: "+a.Error)}, nil
	case a.Number > len(schedule):
		return []events.Payload{rec, abandoned(d, a.Number,
			fmt.Sprintf("gave up after %d attempts", a.Number))}, nil
	}
	next := now.Add(schedule[a.Number-1]).UTC()
	rec.NextAttemptAt = &next
	return []events.Payload{rec}, nil
}

// DecideAbandonWebhookDelivery gives a delivery up without an attempt
// (its webhook was deleted or disabled); a finished one is left alone.
func DecideAbandonWebhookDelivery(d WebhookDelivery, reason string) ([]events.Payload, error) {
	if d.Triggered == nil {
		return nil, fmt.Errorf("%w: webhook delivery", ErrNotFound)
	}
	if d.Done() {
		return nil, nil
	}
	return []events.Payload{abandoned(d, d.Attempts, reason)}, nil
}

func abandoned(d WebhookDelivery, attempts int, reason string) events.WebhookDeliveryAbandoned {
	return events.WebhookDeliveryAbandoned{DeliveryID: d.Triggered.DeliveryID, WebhookUUID: d.Triggered.WebhookUUID,
		Attempts: attempts, Reason: reason}
}

// CheckDeliveryHost returns why nothing may be sent under policy, or "".
// pactledger departs from the Pact Broker here: an empty host allow-list
// allows no host for sending (test executions and deliveries), though
// webhooks to any host can still be defined, as the Pact Broker validates
// them. CheckURL has already matched the host against a non-empty list.
func CheckDeliveryHost(p WebhookPolicy) string {
	if len(p.Hosts) == 0 {
		return "host is not allowed: no webhook host allow-list is configured (--webhook-host-allow-list), so no host may be called"
	}
	return ""
}
