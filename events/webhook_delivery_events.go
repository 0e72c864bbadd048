package events

import "time"

// WebhookTriggered records that an event triggered a webhook: one delivery,
// to be attempted until it succeeds or is abandoned. Stream:
// "webhook-delivery-<delivery id>". The delivery id is derived from the
// webhook and the triggering event, so deriving the same trigger twice
// (after a restart) appends to an existing stream and is refused.
//
// Params are the template parameters as they were when the event happened;
// the request itself is rendered from the webhook's definition at each
// attempt, so no secret is copied here.
type WebhookTriggered struct {
	DeliveryID  string `json:"deliveryId"`
	WebhookUUID string `json:"webhookUuid"`
	// EventName is the webhook event, e.g. "deployment_recorded".
	EventName string `json:"eventName"`
	// CauseEventID and CausePosition name the log event that triggered it.
	CauseEventID  string `json:"causeEventId"`
	CausePosition uint64 `json:"causePosition"`
	Consumer      string `json:"consumer,omitempty"`
	Provider      string `json:"provider,omitempty"`
	Pacticipant   string `json:"pacticipant,omitempty"`
	// ConsumerVersion is the publishing consumer version (pact events);
	// PactSHA and VerificationNumber name the verification result
	// (verification events).
	ConsumerVersion    string            `json:"consumerVersion,omitempty"`
	PactSHA            string            `json:"pactSha,omitempty"`
	VerificationNumber int               `json:"verificationNumber,omitempty"`
	Params             map[string]string `json:"params"`
}

// WebhookAttemptRecorded records one attempt to send a delivery's request.
// NextAttemptAt is set when another attempt follows (the back-off is
// decided once, here, so a restart keeps it).
type WebhookAttemptRecorded struct {
	DeliveryID  string `json:"deliveryId"`
	WebhookUUID string `json:"webhookUuid"`
	Attempt     int    `json:"attempt"`
	// Status is the response status, 0 when nothing was received.
	Status         int        `json:"status,omitempty"`
	Success        bool       `json:"success"`
	Error          string     `json:"error,omitempty"`
	DurationMillis int64      `json:"durationMillis"`
	NextAttemptAt  *time.Time `json:"nextAttemptAt,omitempty"`
}

// WebhookDeliverySucceeded records that an attempt succeeded (2xx up to
// 206); nothing more is sent.
type WebhookDeliverySucceeded struct {
	DeliveryID  string `json:"deliveryId"`
	WebhookUUID string `json:"webhookUuid"`
	Attempts    int    `json:"attempts"`
}

// WebhookDeliveryAbandoned records that a delivery gives up: its retries
// are exhausted, its webhook is gone or disabled, or the allow-lists refuse
// the request.
type WebhookDeliveryAbandoned struct {
	DeliveryID  string `json:"deliveryId"`
	WebhookUUID string `json:"webhookUuid"`
	Attempts    int    `json:"attempts"`
	Reason      string `json:"reason"`
}

func (WebhookTriggered) EventType() string         { return "WebhookTriggered" }
func (WebhookAttemptRecorded) EventType() string   { return "WebhookAttemptRecorded" }
func (WebhookDeliverySucceeded) EventType() string { return "WebhookDeliverySucceeded" }
func (WebhookDeliveryAbandoned) EventType() string { return "WebhookDeliveryAbandoned" }
