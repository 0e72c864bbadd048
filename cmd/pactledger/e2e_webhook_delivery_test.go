package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// e2eHookRequest is one request a webhook receiver got.
type e2eHookRequest struct {
	query          url.Values
	idempotencyKey string
	attempt        string
	body           string
}

// e2eFlakyReceiver answers 503 to its first failures requests, then 200.
type e2eFlakyReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	failures int
	got      []e2eHookRequest
}

func newE2EFlakyReceiver(t *testing.T, failures int) *e2eFlakyReceiver {
	r := &e2eFlakyReceiver{failures: failures}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, e2eHookRequest{query: req.URL.Query(), idempotencyKey: req.Header.Get("Idempotency-Key"),
			attempt: req.Header.Get("X-Pactledger-Delivery-Attempt"), body: string(body)})
		n := len(r.got)
		r.mu.Unlock()
		if n <= r.failures {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *e2eFlakyReceiver) requests() []e2eHookRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]e2eHookRequest(nil), r.got...)
}

// e2eDeliveries reads a webhook's delivery log.
func e2eDeliveries(t *testing.T, s *e2eServer, hook string) []any {
	t.Helper()
	status, v := s.getJSON(t, "/webhooks/"+hook+"/deliveries")
	if status != http.StatusOK {
		t.Fatalf("GET deliveries: %d %v", status, v)
	}
	return e2eList(v, "_embedded", "deliveries")
}

// TestE2EWebhookDeliveryRetriesAcrossRestart: a deployment webhook whose
// receiver fails the first 3 attempts still gets the call, with a server
// restart between attempts. The receiver gets exactly 4 requests (3
// failures and the success: at least once, and no more while every attempt
// is recorded), all with one Idempotency-Key, and each attempt is in the
// delivery log. After another restart nothing fires again; later
// deployment and undeployment webhooks carry their parameters.
func TestE2EWebhookDeliveryRetriesAcrossRestart(t *testing.T) {
	bin := e2eBuild(t)
	recv := newE2EFlakyReceiver(t, 3)
	dir := t.TempDir()
	flags := []string{"--webhook-scheme-allow-list", "http", "--webhook-host-allow-list", "127.0.0.1",
		"--webhook-retry-schedule", "1s 2s 1s 1s"}
	s := e2eServeIn(t, bin, dir, flags...)
	prod := e2eEnvironmentUUID(t, s.e2eServer, "production")
	e2eSend(t, s.e2eServer, http.MethodPost, "/pacticipants", `{"name":"Foo"}`, http.StatusCreated)
	e2eSend(t, s.e2eServer, http.MethodPost, "/pacticipants", `{"name":"Bar"}`, http.StatusCreated)
	e2eDeploy(t, s.e2eServer, "Foo", "0.9.0", prod, "blue") // before the webhook: never delivered

	query := "env=${pactbroker.environmentName}&app=${pactbroker.pacticipantName}&v=${pactbroker.versionNumber}" +
		"&instance=${pactbroker.applicationInstance}&replaced=${pactbroker.replacedVersionNumber}&event=${pactbroker.eventName}"
	created := e2eSend(t, s.e2eServer, http.MethodPost, "/webhooks", `{"description":"deployments of Foo",`+
		`"consumer":{"name":"Foo"},"events":[{"name":"deployment_recorded"},{"name":"deployment_undeployed"}],`+
		`"request":{"method":"POST","url":"`+recv.URL+`/deployed?`+query+`","headers":{"Content-Type":"application/json"},`+
		`"body":{"version":"${pactbroker.versionNumber}"}}}`, http.StatusCreated)
	hook := e2eStr(created, "uuid")
	e2eDeploy(t, s.e2eServer, "Bar", "1.0.0", prod, "") // not Foo: no delivery
	e2eDeploy(t, s.e2eServer, "Foo", "1.0.0", prod, "blue")

	// Restart once the receiver has refused twice.
	e2eEventually(t, 30*time.Second, "two refused attempts", func() bool { return len(recv.requests()) >= 2 })
	if err := s.stop(); err != nil {
		t.Fatalf("stop server: %v", err)
	}
	s = e2eServeIn(t, bin, dir, flags...)
	e2eEventually(t, 60*time.Second, "the delivery to succeed", func() bool {
		ds := e2eDeliveries(t, s.e2eServer, hook)
		return len(ds) == 1 && e2eStr(ds[0], "status") == "succeeded"
	})
	ds := e2eDeliveries(t, s.e2eServer, hook)
	got := recv.requests()
	if len(got) != 4 {
		t.Fatalf("the receiver got %d requests, want 4 (3 refused, 1 accepted)", len(got))
	}
	delivery := e2eStr(ds[0], "deliveryId")
	attempts := e2eList(ds[0], "attempts")
	if len(attempts) != 4 {
		t.Fatalf("delivery log: %d attempts, want 4: %v", len(attempts), ds[0])
	}
	for i, a := range attempts {
		wantStatus := 503.0
		if i == 3 {
			wantStatus = 200
		}
		if e2eAt(a, "attempt") != float64(i+1) || e2eAt(a, "status") != wantStatus {
			t.Fatalf("attempt %d in the log: %v", i+1, a)
		}
		r := got[i]
		if r.idempotencyKey != delivery || r.attempt != []string{"1", "2", "3", "4"}[i] {
			t.Fatalf("request %d: Idempotency-Key %q attempt %q, want %q and %d", i+1, r.idempotencyKey, r.attempt, delivery, i+1)
		}
		if r.query.Get("env") != "production" || r.query.Get("app") != "Foo" || r.query.Get("v") != "1.0.0" ||
			r.query.Get("instance") != "blue" || r.query.Get("replaced") != "0.9.0" || r.query.Get("event") != "deployment_recorded" ||
			r.body != `{"version":"1.0.0"}` {
			t.Fatalf("request %d: parameters %v, body %s", i+1, r.query, r.body)
		}
	}

	// Restart again: the succeeded delivery never fires again. The next
	// deliveries (a deployment, an undeployment) are the only new requests.
	if err := s.stop(); err != nil {
		t.Fatalf("stop server: %v", err)
	}
	s = e2eServeIn(t, bin, dir, flags...)
	deployed := e2eDeploy(t, s.e2eServer, "Foo", "2.0.0", prod, "blue")
	e2eEventually(t, 30*time.Second, "the second deployment's call", func() bool { return len(recv.requests()) >= 5 })
	e2eSend(t, s.e2eServer, http.MethodPatch, "/deployed-versions/"+deployed, `{"currentlyDeployed":false}`, http.StatusOK)
	e2eEventually(t, 30*time.Second, "the undeployment's call", func() bool { return len(recv.requests()) >= 6 })
	e2eEventually(t, 30*time.Second, "three succeeded deliveries", func() bool {
		n := 0
		for _, d := range e2eDeliveries(t, s.e2eServer, hook) {
			if e2eStr(d, "status") == "succeeded" {
				n++
			}
		}
		return n == 3
	})
	got = recv.requests()
	if len(got) != 6 {
		t.Fatalf("the receiver got %d requests, want 6", len(got))
	}
	if q := got[4].query; q.Get("event") != "deployment_recorded" || q.Get("v") != "2.0.0" || q.Get("replaced") != "1.0.0" ||
		q.Get("instance") != "blue" || got[4].idempotencyKey == delivery {
		t.Fatalf("second deployment: %v key %s", q, got[4].idempotencyKey)
	}
	if q := got[5].query; q.Get("event") != "deployment_undeployed" || q.Get("v") != "2.0.0" || q.Get("env") != "production" ||
		!strings.Contains(got[5].body, "2.0.0") {
		t.Fatalf("undeployment: %v %s", q, got[5].body)
	}
}
