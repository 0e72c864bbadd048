package webhookdelivery_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// harness is an application over a store, with its HTTP API.
type harness struct {
	t   *testing.T
	app *app.App
	url string
}

func start(t *testing.T, store events.Store, policy domain.WebhookPolicy, schedule ...time.Duration) *harness {
	t.Helper()
	if schedule == nil {
		schedule = []time.Duration{time.Millisecond}
	}
	a := app.Start(store, app.Options{BaseURL: "http://broker.test", WebhookPolicy: policy,
		Streaming: app.StreamingOptions{WebhookRetrySchedule: schedule}})
	if err := a.Runner.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Commands.SeedEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &harness{t: t, app: a, url: srv.URL}
}

func (h *harness) send(method, path string, body any, status int) map[string]any {
	h.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, h.url+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode != status && !(status == 0 && res.StatusCode/100 == 2) {
		h.t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, status, out)
	}
	var v map[string]any
	_ = json.Unmarshal(out, &v)
	return v
}

func (h *harness) prod() string {
	env, ok := h.app.Catalog.EnvironmentByName("production")
	if !ok {
		h.t.Fatal("no production environment")
	}
	return env.UUID
}

func (h *harness) deploy(pacticipant, version string) {
	h.t.Helper()
	h.send("PUT", "/pacticipants/"+pacticipant+"/versions/"+version, map[string]any{}, 0)
	h.send("POST", "/pacticipants/"+pacticipant+"/versions/"+version+"/deployed-versions/environment/"+h.prod(), map[string]any{}, 201)
}

func (h *harness) publish(consumer, version string) {
	h.t.Helper()
	pact, _ := json.Marshal(map[string]any{"consumer": map[string]any{"name": consumer}, "provider": map[string]any{"name": "Bar"},
		"interactions": []any{map[string]any{"description": "a hello", "request": map[string]any{"method": "GET", "path": "/hello"},
			"response": map[string]any{"status": 200}}},
		"metadata": map[string]any{"pactSpecification": map[string]any{"version": "2.0.0"}}})
	h.send("POST", "/contracts/publish", map[string]any{"pacticipantName": consumer, "pacticipantVersionNumber": version,
		"contracts": []any{map[string]any{"consumerName": consumer, "providerName": "Bar", "specification": "pact",
			"contentType": "application/json", "content": base64.StdEncoding.EncodeToString(pact)}}}, 200)
}

func outboxEvents(h *harness) []string {
	var out []string
	for _, t := range h.app.WebhookDeliveries.Outbox() {
		out = append(out, t.EventName)
	}
	return out
}

// TestTriggersAreDerivedOnceFromTheLog: the Pact Broker's events and the
// deployment events give triggers with their parameters, only for events
// after the webhook existed; once recorded, a rebuild of the read models
// (a restart) derives no trigger again, and a trigger derived but never
// recorded (a crash in between) is derived again under the same delivery.
func TestTriggersAreDerivedOnceFromTheLog(t *testing.T) {
	store := memstore.New()
	h := start(t, store, domain.WebhookPolicy{})
	h.send("POST", "/pacticipants", map[string]any{"name": "Foo"}, 201)
	h.send("POST", "/pacticipants", map[string]any{"name": "Bar"}, 201)
	h.deploy("Foo", "1.0.0") // before the webhook
	h.send("POST", "/webhooks", map[string]any{"consumer": map[string]any{"name": "Foo"},
		"events": []any{map[string]any{"name": "contract_published"}, map[string]any{"name": "contract_content_changed"},
			map[string]any{"name": "provider_verification_published"}, map[string]any{"name": "provider_verification_succeeded"},
			map[string]any{"name": "provider_verification_failed"}, map[string]any{"name": "deployment_recorded"}},
		"request": map[string]any{"method": "POST", "url": "https://hooks.example.org/x"}}, 201)
	if got := outboxEvents(h); len(got) != 0 {
		t.Fatalf("events before the webhook triggered %v", got)
	}

	h.publish("Foo", "1.0.0")
	h.publish("Foo", "1.0.1") // same content: published, not changed
	pact := h.send("GET", "/pacts/provider/Bar/consumer/Foo/version/1.0.1", nil, 200)
	links, _ := pact["_links"].(map[string]any)
	publishHref, _ := links["pb:publish-verification-results"].(map[string]any)["href"].(string)
	h.send("POST", strings.TrimPrefix(publishHref, "http://broker.test"), map[string]any{"providerApplicationVersion": "2.0.0", "success": true}, 201)
	h.deploy("Foo", "1.0.1")

	want := []string{"contract_published", "contract_content_changed", "contract_published",
		"provider_verification_published", "provider_verification_succeeded", "deployment_recorded"}
	outbox := h.app.WebhookDeliveries.Outbox()
	if got := outboxEvents(h); !sameSet(got, want) {
		t.Fatalf("triggers %v, want %v", got, want)
	}
	for _, tr := range outbox {
		p := tr.Params
		switch tr.EventName {
		case "provider_verification_succeeded":
			if p[domain.ParamProviderVersionNumber] != "2.0.0" || p[domain.ParamConsumerVersionNumber] != "1.0.1" ||
				p[domain.ParamGithubVerificationStatus] != "success" ||
				!strings.HasPrefix(p[domain.ParamVerificationResultURL], "http://broker.test/pacts/provider/Bar/consumer/Foo/pact-version/") {
				t.Fatalf("verification parameters: %v", p)
			}
		case "deployment_recorded":
			if p[domain.ParamVersionNumber] != "1.0.1" || p[domain.ParamReplacedVersionNumber] != "1.0.0" ||
				p[domain.ParamEnvironmentName] != "production" || p[domain.ParamPacticipantName] != "Foo" {
				t.Fatalf("deployment parameters: %v", p)
			}
		case "contract_content_changed":
			if p[domain.ParamConsumerVersionNumber] != "1.0.0" || p[domain.ParamEventName] != "contract_content_changed" {
				t.Fatalf("content changed parameters: %v", p)
			}
		}
	}

	ctx := context.Background()
	for _, tr := range outbox {
		if err := h.app.DeliveryCommands.Trigger(ctx, tr.WebhookTriggered); err != nil {
			t.Fatal(err)
		}
		// Deriving it again (a second worker) appends nothing.
		if err := h.app.DeliveryCommands.Trigger(ctx, tr.WebhookTriggered); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(outboxEvents(h)); n != 0 {
		t.Fatalf("%d triggers left after recording", n)
	}
	hook := outbox[0].WebhookUUID
	if n := len(h.app.WebhookDeliveries.ForWebhook(hook)); n != len(want) {
		t.Fatalf("%d deliveries, want %d", n, len(want))
	}

	// The Pact Broker's triggered-webhooks resources, linked from the pact
	// and the verification result.
	triggered := func(path string) []any {
		v := h.send("GET", strings.TrimPrefix(path, "http://broker.test"), nil, 200)
		list, _ := v["_embedded"].(map[string]any)["triggeredWebhooks"].([]any)
		return list
	}
	first := h.send("GET", "/pacts/provider/Bar/consumer/Foo/version/1.0.0", nil, 200)
	byPact := triggered(first["_links"].(map[string]any)["pb:triggered-webhooks"].(map[string]any)["href"].(string))
	if len(byPact) != 2 {
		t.Fatalf("triggered by the publication of 1.0.0: %v", byPact)
	}
	for _, tw := range byPact {
		m := tw.(map[string]any)
		if m["status"] != "not_run" || m["attemptsRemaining"] != 2.0 || m["attemptsMade"] != 0.0 ||
			(m["eventName"] != "contract_published" && m["eventName"] != "contract_content_changed") {
			t.Fatalf("triggered webhook: %v", m)
		}
		logs := m["_links"].(map[string]any)["pb:logs"].(map[string]any)["href"].(string)
		res, err := http.Get(h.url + strings.TrimPrefix(logs, "http://broker.test"))
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(text), "triggered by "+m["eventName"].(string)) {
			t.Fatalf("logs: %d %s", res.StatusCode, text)
		}
	}
	if byVerification := triggered(publishHref + "/1/triggered-webhooks"); len(byVerification) != 2 {
		t.Fatalf("triggered by verification 1: %v", byVerification)
	}

	h.deploy("Foo", "1.0.2") // derived, then "crash" before it is recorded
	derived := h.app.WebhookDeliveries.Outbox()
	rebuilt := start(t, store, domain.WebhookPolicy{})
	again := rebuilt.app.WebhookDeliveries.Outbox()
	if len(derived) != 1 || len(again) != 1 || again[0].DeliveryID != derived[0].DeliveryID {
		t.Fatalf("after a rebuild: outbox %v, want only the unrecorded %v", again, derived)
	}
	if n := len(rebuilt.app.WebhookDeliveries.ForWebhook(hook)); n != len(want) {
		t.Fatalf("after a rebuild: %d deliveries, want %d", n, len(want))
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestDeliveryWithoutHostAllowListIsAbandoned: with no host allow-list a
// delivery is refused without a request and abandoned at once.
func TestDeliveryWithoutHostAllowListIsAbandoned(t *testing.T) {
	var hits atomic.Int32
	recv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer recv.Close()
	h := start(t, memstore.New(), domain.WebhookPolicy{Schemes: []string{"http"}})
	h.send("POST", "/pacticipants", map[string]any{"name": "Foo"}, 201)
	created := h.send("POST", "/webhooks", map[string]any{"events": []any{map[string]any{"name": "deployment_recorded"}},
		"request": map[string]any{"method": "POST", "url": recv.URL}}, 201)
	stop := h.app.StartWebhookDelivery()
	defer stop()
	h.deploy("Foo", "1.0.0")
	deadline := time.Now().Add(10 * time.Second)
	for {
		ds := h.app.WebhookDeliveries.ForWebhook(created["uuid"].(string))
		if len(ds) == 1 && ds[0].Status == "abandoned" {
			if !strings.Contains(ds[0].Reason, "allow-list") || len(ds[0].Attempts) != 1 || ds[0].Attempts[0].Status != 0 {
				t.Fatalf("abandoned delivery: %+v", ds[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries: %+v", ds)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if hits.Load() != 0 {
		t.Fatalf("the receiver got %d requests", hits.Load())
	}
}

// TestContractRequiringVerificationPublished: one trigger per provider
// version that has not verified the published content (main branch head,
// deployed), none once it has.
func TestContractRequiringVerificationPublished(t *testing.T) {
	h := start(t, memstore.New(), domain.WebhookPolicy{})
	h.send("POST", "/pacticipants", map[string]any{"name": "Foo"}, 201)
	h.send("PUT", "/pacticipants/Bar/branches/main/versions/2.0.0", map[string]any{}, 0)
	h.send("POST", "/pacticipants/Bar/versions/2.0.0/deployed-versions/environment/"+h.prod(), map[string]any{}, 201)
	h.send("PUT", "/pacticipants/Bar/branches/main/versions/2.1.0", map[string]any{}, 0)
	h.send("POST", "/webhooks", map[string]any{"events": []any{map[string]any{"name": "contract_requiring_verification_published"}},
		"request": map[string]any{"method": "POST", "url": "https://hooks.example.org/x"}}, 201)

	h.publish("Foo", "1.0.0")
	got := map[string]string{}
	for _, tr := range h.app.WebhookDeliveries.Outbox() {
		got[tr.Params[domain.ParamProviderVersionNumber]] = tr.Params[domain.ParamProviderVersionDescriptions]
		if tr.Params[domain.ParamConsumerVersionNumber] != "1.0.0" || tr.Params[domain.ParamProviderVersionBranch] != "main" {
			t.Fatalf("parameters: %v", tr.Params)
		}
		if err := h.app.DeliveryCommands.Trigger(context.Background(), tr.WebhookTriggered); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got["2.1.0"] != "latest from main branch" || got["2.0.0"] != "deployed in production" {
		t.Fatalf("provider versions requiring verification: %v", got)
	}

	pact := h.send("GET", "/pacts/provider/Bar/consumer/Foo/version/1.0.0", nil, 200)
	publishHref := pact["_links"].(map[string]any)["pb:publish-verification-results"].(map[string]any)["href"].(string)
	for _, v := range []string{"2.0.0", "2.1.0"} {
		h.send("POST", strings.TrimPrefix(publishHref, "http://broker.test"), map[string]any{"providerApplicationVersion": v, "success": true}, 201)
	}
	h.publish("Foo", "1.0.1") // same content, verified by both
	if n := len(h.app.WebhookDeliveries.Outbox()); n != 0 {
		t.Fatalf("%d triggers for verified content", n)
	}
}
