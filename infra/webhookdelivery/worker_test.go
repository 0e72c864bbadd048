package webhookdelivery_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/infra/memstore"
	"github.com/pactledger/pactledger/projections"
)

// TestWorkerRetriesOnTheSchedule: a receiver that fails a number of times
// gets one request per attempt, each with the delivery's Idempotency-Key
// and the attempt's number, until it succeeds or the schedule (3 waits: 4
// attempts) is exhausted.
func TestWorkerRetriesOnTheSchedule(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failures int
		requests int
		status   string
	}{
		{"succeeds at once", 0, 1, projections.DeliverySucceeded},
		{"succeeds on the last attempt", 3, 4, projections.DeliverySucceeded},
		{"gives up", 100, 4, projections.DeliveryAbandoned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var keys, attempts []string
			recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				keys, attempts = append(keys, r.Header.Get("Idempotency-Key")), append(attempts, r.Header.Get("X-Pactledger-Delivery-Attempt"))
				n := len(keys)
				mu.Unlock()
				if n <= tc.failures {
					w.WriteHeader(http.StatusBadGateway)
				}
			}))
			defer recv.Close()
			h := start(t, memstore.New(), domain.WebhookPolicy{Schemes: []string{"http"}, Hosts: []string{"127.0.0.1"}},
				time.Millisecond, 2*time.Millisecond, time.Millisecond)
			h.send("POST", "/pacticipants", map[string]any{"name": "Foo"}, 201)
			created := h.send("POST", "/webhooks", map[string]any{"events": []any{map[string]any{"name": "deployment_recorded"}},
				"request": map[string]any{"method": "POST", "url": recv.URL}}, 201)
			stop := h.app.StartWebhookDelivery()
			defer stop()
			h.deploy("Foo", "1.0.0")

			var d projections.DeliveryView
			deadline := time.Now().Add(10 * time.Second)
			for {
				ds := h.app.WebhookDeliveries.ForWebhook(created["uuid"].(string))
				if len(ds) == 1 && ds[0].Status != projections.DeliveryPending {
					d = ds[0]
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("deliveries: %+v", ds)
				}
				time.Sleep(5 * time.Millisecond)
			}
			stop()
			mu.Lock()
			defer mu.Unlock()
			if d.Status != tc.status || len(d.Attempts) != tc.requests || len(keys) != tc.requests {
				t.Fatalf("status %s with %d attempts and %d requests, want %s with %d", d.Status, len(d.Attempts), len(keys), tc.status, tc.requests)
			}
			for i := range keys {
				if keys[i] != d.DeliveryID || attempts[i] != []string{"1", "2", "3", "4"}[i] || d.Attempts[i].Attempt != i+1 {
					t.Fatalf("request %d: key %s attempt %s (delivery %s)", i+1, keys[i], attempts[i], d.DeliveryID)
				}
			}
		})
	}
}
