package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// metricsOf reads GET /metrics and flattens it to "section.key" → value
// (distributions as their JSON text).
func metricsOf(t *testing.T, b *broker) map[string]any {
	t.Helper()
	r := b.get("/metrics").must(t, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/hal+json;charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	out := map[string]any{}
	for section, v := range r.json {
		fields, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("section %s is not an object: %v", section, v)
		}
		for k, x := range fields {
			if m, ok := x.(map[string]any); ok {
				raw, _ := json.Marshal(m)
				x = string(raw)
			}
			out[section+"."+k] = x
		}
	}
	return out
}

// expectMetrics compares the listed keys; numbers are JSON float64.
func expectMetrics(t *testing.T, step string, got map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		if n, ok := w.(int); ok {
			w = float64(n)
		}
		if got[k] != w {
			t.Errorf("%s: %s = %v, want %v", step, k, got[k], w)
		}
	}
}

// timesOf returns the Pact Broker timestamps of the first and last event
// of a type in the log.
func timesOf(t *testing.T, b *broker, typ string) (first, last string) {
	t.Helper()
	evs := b.eventsOfType(typ)
	if len(evs) == 0 {
		t.Fatalf("no %s in the log", typ)
	}
	ts := func(e events.Envelope) string { return e.OccurredAt.UTC().Format("2006-01-02T15:04:05+00:00") }
	return ts(evs[0]), ts(evs[len(evs)-1])
}

// TestPactBrokerMetricsCountWhatWasDoneThroughTheAPI publishes pacts (one
// consumer version with two revisions), verification results, tags,
// deployments and a release through the API, checks every count of GET
// /metrics, then deletes a provider version and a pact and checks that the
// counts follow.
func TestPactBrokerMetricsCountWhatWasDoneThroughTheAPI(t *testing.T) {
	b := newBroker(t)
	empty := metricsOf(t, b)
	expectMetrics(t, "empty", empty, map[string]any{"pacticipants.count": 0, "pactPublications.count": 0,
		"pactPublications.first": nil, "pactPublications.last": nil, "verificationResults.count": 0,
		"verificationResults.first": nil, "environments.count": 2, "pactRevisionsPerConsumerVersion.distribution": "{}"})

	hello := interaction("hello", "/hello", 200)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", hello), map[string]any{"branch": "main", "tags": []string{"t1"}})
	b.publish(200, "Foo", "2", pactDoc("Foo", "Bar", hello), map[string]any{"branch": "main", "tags": []string{"t1", "prod"}})
	b.publish(200, "Qux", "1", pactDoc("Qux", "Bar", hello), nil)
	b.put("/pacticipants/Qux/versions/1/tags/prod", map[string]any{}).must(t, 201)
	// A merge is a second revision of Foo 2's pact, with new content.
	b.do("PATCH", "/pacts/provider/Bar/consumer/Foo/version/2", "application/json", pactDoc("Foo", "Bar", interaction("bye", "/bye", 200))).must(t, 200)

	b.verify("Foo", "1", "Bar", "10", true)
	b.verify("Foo", "2", "Bar", "11", false)
	b.verify("Qux", "1", "Bar", "10", true)
	b.verify("Foo", "1", "Bar", "11", true)

	b.deploy("Foo", "1", "test", nil)
	b.deploy("Foo", "2", "test", nil) // replaces Foo 1 there
	b.deploy("Bar", "10", "production", nil)
	b.post("/pacticipants/Bar/versions/11/released-versions/environment/"+b.envUUID("production"), map[string]any{}).must(t, 201)

	pubFirst, pubLast := timesOf(t, b, "PactPublished")
	verFirst, verLast := timesOf(t, b, "VerificationPublished")
	got := metricsOf(t, b)
	expectMetrics(t, "after publishing", got, map[string]any{
		"pacticipants.count":                             3, // Foo, Qux, Bar
		"pacticipantVersions.count":                      5, // Foo 1, 2; Qux 1; Bar 10, 11
		"integrations.count":                             2,
		"pactPublications.count":                         4,
		"pactPublications.first":                         pubFirst,
		"pactPublications.last":                          pubLast,
		"pactVersions.count":                             3, // Foo's first content, Foo 2's merged one, Qux's
		"pactRevisionsPerConsumerVersion.distribution":   `{"1":2,"2":1}`,
		"verificationResults.count":                      4,
		"verificationResults.successCount":               3,
		"verificationResults.failureCount":               1,
		"verificationResults.first":                      verFirst,
		"verificationResults.last":                       verLast,
		"verificationResultsPerPactVersion.distribution": `{"1":2,"2":1}`,
		"tags.count":                                     4, // Foo 1 t1; Foo 2 t1, prod; Qux 1 prod
		"tags.distinctCount":                             2,
		"tags.distinctWithPacticipantCount":              3,
		"environments.count":                             2,
		"deployedVersions.count":                         3,
		"deployedVersions.currentlyDeployedCount":        2,
		"releasedVersions.count":                         1,
		"releasedVersions.currentlySupportedCount":       1,
		"webhooks.count":                                 0,
		"triggeredWebhooks.count":                        0,
		"webhookExecutions.count":                        0,
	})
	if _, err := time.Parse(time.RFC3339, got["pactPublications.first"].(string)); err != nil {
		t.Fatalf("first publication time: %v", err)
	}

	// Deleting Foo 2's pact drops both its revisions and the merged content
	// only it held, with that content's failed result; deleting Bar 11 then
	// drops its remaining (passed) result and its release.
	b.do("DELETE", "/pacts/provider/Bar/consumer/Foo/version/2", "", nil).must(t, 204)
	b.do("DELETE", "/pacticipants/Bar/versions/11", "", nil).must(t, 204)
	expectMetrics(t, "after deleting", metricsOf(t, b), map[string]any{
		"pacticipantVersions.count":                      4,
		"pactPublications.count":                         2,
		"pactVersions.count":                             2,
		"pactRevisionsPerConsumerVersion.distribution":   `{"1":2}`,
		"verificationResults.count":                      2,
		"verificationResults.successCount":               2,
		"verificationResults.failureCount":               0,
		"verificationResultsPerPactVersion.distribution": `{"1":2}`,
		"releasedVersions.count":                         0,
		"releasedVersions.currentlySupportedCount":       0,
		"integrations.count":                             2,
	})

	b.post("/webhooks", webhookBody(nil)).must(t, 201)
	expectMetrics(t, "after a webhook", metricsOf(t, b), map[string]any{"webhooks.count": 1})

	idx := b.get("/").must(t, 200)
	if idx.str("_links.pb:metrics.href") != b.url+"/metrics" || idx.str("_links.pb:metrics.title") != "Get Pact Broker metrics" {
		t.Fatalf("index pb:metrics: %v", idx.path("_links.pb:metrics"))
	}
}

// TestPactBrokerMetricsCountWebhookDeliveries: a webhook whose receiver
// fails once is delivered on the second attempt: one triggered webhook, two
// executions.
func TestPactBrokerMetricsCountWebhookDeliveries(t *testing.T) {
	var failed atomic.Bool
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		if failed.CompareAndSwap(false, true) {
			w.WriteHeader(http.StatusBadGateway)
		}
	})
	a := app.Start(memstore.New(), app.Options{WebhookPolicy: loopback,
		Streaming: app.StreamingOptions{WebhookRetrySchedule: []time.Duration{time.Millisecond}}})
	if err := a.Runner.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	b := &broker{t: t, url: srv.URL, log: a.Log, store: a.Log.Store(), svc: a.Commands}
	b.post("/webhooks", webhookBody(func(body, request map[string]any) {
		body["events"] = []any{map[string]any{"name": "contract_published"}}
		request["url"] = recv.URL
	})).must(t, 201)
	stop := a.StartWebhookDelivery()
	t.Cleanup(stop)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", interaction("hello", "/hello", 200)), nil)

	for i := 0; ; i++ { // delivery runs in the background: poll, bounded
		got := metricsOf(t, b)
		if got["webhookExecutions.count"] == 2.0 {
			expectMetrics(t, "delivered", got, map[string]any{"webhooks.count": 1, "triggeredWebhooks.count": 1})
			break
		}
		if i == 1000 {
			t.Fatalf("not delivered: %v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if recv.hits() != 2 {
		t.Fatalf("receiver got %d requests, want 2", recv.hits())
	}
}
