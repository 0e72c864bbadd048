package domain

import (
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

var testSchedule = []time.Duration{10 * time.Second, time.Minute, 2 * time.Minute}

func triggered() events.WebhookTriggered {
	return events.WebhookTriggered{DeliveryID: "d1", WebhookUUID: "w1", EventName: "deployment_recorded",
		CauseEventID: "e1", CausePosition: 7, Params: map[string]string{ParamVersionNumber: "1.0.0"}}
}

func attemptRecorded(n, status int, next *time.Time) events.WebhookAttemptRecorded {
	return events.WebhookAttemptRecorded{DeliveryID: "d1", WebhookUUID: "w1", Attempt: n, Status: status,
		Success: status >= 200 && status <= 206, NextAttemptAt: next}
}

func at(d time.Duration) *time.Time { return ptr(t0.Add(d)) }

func TestDecideRecordWebhookAttempt(t *testing.T) {
	cases := []struct {
		name  string
		given []events.Payload
		when  WebhookAttempt
		then  []events.Payload
		err   error
	}{
		{"unknown delivery", nil, WebhookAttempt{Number: 1, Status: 200, Success: true}, nil, ErrNotFound},
		{"first attempt succeeds", []events.Payload{triggered()},
			WebhookAttempt{Number: 1, Status: 200, Success: true},
			[]events.Payload{attemptRecorded(1, 200, nil),
				events.WebhookDeliverySucceeded{DeliveryID: "d1", WebhookUUID: "w1", Attempts: 1}}, nil},
		{"first failure waits the first step", []events.Payload{triggered()},
			WebhookAttempt{Number: 1, Status: 503},
			[]events.Payload{attemptRecorded(1, 503, at(10*time.Second))}, nil},
		{"second failure waits the second step", []events.Payload{triggered(), attemptRecorded(1, 503, at(10*time.Second))},
			WebhookAttempt{Number: 2, Status: 500},
			[]events.Payload{attemptRecorded(2, 500, at(time.Minute))}, nil},
		{"transport error is a failure", []events.Payload{triggered(), attemptRecorded(1, 503, at(0)), attemptRecorded(2, 503, at(0))},
			WebhookAttempt{Number: 3, Error: "connection refused"},
			[]events.Payload{events.WebhookAttemptRecorded{DeliveryID: "d1", WebhookUUID: "w1", Attempt: 3,
				Error: "connection refused", NextAttemptAt: at(2 * time.Minute)}}, nil},
		{"schedule exhausted: give up", []events.Payload{triggered(), attemptRecorded(1, 503, at(0)),
			attemptRecorded(2, 503, at(0)), attemptRecorded(3, 503, at(0))},
			WebhookAttempt{Number: 4, Status: 503},
			[]events.Payload{attemptRecorded(4, 503, nil), events.WebhookDeliveryAbandoned{DeliveryID: "d1",
				WebhookUUID: "w1", Attempts: 4, Reason: "gave up after 4 attempts"}}, nil},
		{"last attempt may still succeed", []events.Payload{triggered(), attemptRecorded(1, 503, at(0)),
			attemptRecorded(2, 503, at(0)), attemptRecorded(3, 503, at(0))},
			WebhookAttempt{Number: 4, Status: 204, Success: true},
			[]events.Payload{attemptRecorded(4, 204, nil),
				events.WebhookDeliverySucceeded{DeliveryID: "d1", WebhookUUID: "w1", Attempts: 4}}, nil},
		{"refused by the allow-list: abandon at once", []events.Payload{triggered()},
			WebhookAttempt{Number: 1, Refused: true, Error: "request.url host is not allowed"},
			[]events.Payload{events.WebhookAttemptRecorded{DeliveryID: "d1", WebhookUUID: "w1", Attempt: 1,
				Error: "request.url host is not allowed"}, events.WebhookDeliveryAbandoned{DeliveryID: "d1",
				WebhookUUID: "w1", Attempts: 1, Reason: "refused: request.url host is not allowed"}}, nil},
		{"stale attempt number (another worker won)", []events.Payload{triggered(), attemptRecorded(1, 503, at(0))},
			WebhookAttempt{Number: 1, Status: 200, Success: true}, nil, ErrStaleAttempt},
		{"succeeded delivery records nothing more", []events.Payload{triggered(), attemptRecorded(1, 200, nil),
			events.WebhookDeliverySucceeded{DeliveryID: "d1", WebhookUUID: "w1", Attempts: 1}},
			WebhookAttempt{Number: 2, Status: 200, Success: true}, nil, nil},
		{"abandoned delivery records nothing more", []events.Payload{triggered(),
			events.WebhookDeliveryAbandoned{DeliveryID: "d1", WebhookUUID: "w1", Reason: "webhook deleted"}},
			WebhookAttempt{Number: 1, Status: 200, Success: true}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecideRecordWebhookAttempt(fold(EvolveWebhookDelivery, tc.given...), tc.when, testSchedule, t0)
			wantErr(t, err, tc.err)
			sameEvents(t, got, tc.then)
		})
	}
}

func TestDecideTriggerWebhook(t *testing.T) {
	cases := []struct {
		name  string
		given []events.Payload
		when  events.WebhookTriggered
		then  []events.Payload
		err   error
	}{
		{"new delivery", nil, triggered(), []events.Payload{triggered()}, nil},
		{"derived again: nothing", []events.Payload{triggered()}, triggered(), nil, nil},
		{"no webhook", nil, events.WebhookTriggered{DeliveryID: "d1", EventName: "x"}, nil, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecideTriggerWebhook(fold(EvolveWebhookDelivery, tc.given...), tc.when)
			wantErr(t, err, tc.err)
			sameEvents(t, got, tc.then)
		})
	}
}

func TestDecideAbandonWebhookDelivery(t *testing.T) {
	got, err := DecideAbandonWebhookDelivery(fold(EvolveWebhookDelivery, triggered(), attemptRecorded(1, 500, at(0))), "webhook deleted")
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{events.WebhookDeliveryAbandoned{DeliveryID: "d1", WebhookUUID: "w1",
		Attempts: 1, Reason: "webhook deleted"}})
	got, err = DecideAbandonWebhookDelivery(fold(EvolveWebhookDelivery, triggered(),
		events.WebhookDeliverySucceeded{DeliveryID: "d1", WebhookUUID: "w1", Attempts: 1}), "webhook deleted")
	wantErr(t, err, nil)
	sameEvents(t, got, nil)
}

func TestWebhookDeliveryIDIsDerived(t *testing.T) {
	a := WebhookDeliveryID("w1", "deployment_recorded", "e1")
	if a != WebhookDeliveryID("w1", "deployment_recorded", "e1") {
		t.Fatal("the same trigger must name the same delivery")
	}
	for _, other := range []string{WebhookDeliveryID("w2", "deployment_recorded", "e1"),
		WebhookDeliveryID("w1", "release_recorded", "e1"), WebhookDeliveryID("w1", "deployment_recorded", "e2")} {
		if other == a {
			t.Fatalf("distinct triggers share the delivery id %s", a)
		}
	}
}
