package httpapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/infra/memstore"
)

// receiver is a webhook target on loopback that records what it got.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	got  []*http.Request
	body []string
}

func newReceiver(t *testing.T, h http.HandlerFunc) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		raw, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got, r.body = append(r.got, req), append(r.body, string(raw))
		r.mu.Unlock()
		h(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) hits() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.got) }

// loopback allows plain http to 127.0.0.1, where httptest listens.
var loopback = domain.WebhookPolicy{Schemes: []string{"http"}, Hosts: []string{"127.0.0.1"}}

func TestWebhookExecuteSendsTheRenderedRequest(t *testing.T) {
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Receiver", "yes")
		_, _ = io.WriteString(w, `{"received":true}`)
	})
	b := newWebhookBroker(t, memstore.New(), loopback)
	b.pacticipants("Foo")
	id := b.post("/webhooks", webhookBody(func(body, request map[string]any) {
		body["consumer"] = map[string]any{"name": "Foo"}
		request["url"] = recv.URL + "/hook?consumer=${pactbroker.consumerName}"
		request["headers"] = map[string]any{"Content-Type": "application/json", "X-Api-Token": "t0ken-value"}
	})).must(t, 201).str("uuid")

	r := b.post("/webhooks/"+id+"/execute", map[string]any{}).must(t, 200)
	if recv.hits() != 1 {
		t.Fatalf("receiver got %d requests", recv.hits())
	}
	got := recv.got[0]
	user, pass, _ := got.BasicAuth()
	if got.Method != "POST" || got.URL.Query().Get("consumer") != "Foo" || user != "user" || pass != "p4ssw0rd" ||
		got.Header.Get("X-Api-Token") != "t0ken-value" || got.Header.Get("User-Agent") != "pactledger" {
		t.Fatalf("receiver got %s %s %v", got.Method, got.URL, got.Header)
	}
	wantPact := b.url + "/pacts/provider/placeholder-provider/consumer/Foo/pact-version/5d445a4612743728dfd99ccd4210423c052bb9db"
	if recv.body[0] != `{"pact":"`+wantPact+`"}` {
		t.Fatalf("receiver got body %s", recv.body[0])
	}
	for path, want := range map[string]any{
		"success": true, "response.status": float64(200), "response.body.received": true,
		"response.headers.X-Receiver": "yes", "request.url": recv.URL + "/hook?consumer=Foo",
		"request.headers.Authorization": "**********", "request.headers.X-Api-Token": "**********",
		"request.body.pact": wantPact, "_links.webhook.href": b.url + "/webhooks/" + id,
		"_links.try-again.href": b.url + "/webhooks/" + id + "/execute",
	} {
		if got := r.path(path); got != want {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	if !strings.Contains(r.str("logs"), "Webhook execution succeeded") {
		t.Errorf("logs: %s", r.str("logs"))
	}
	if strings.Contains(r.raw, "p4ssw0rd") || strings.Contains(r.raw, "t0ken-value") || strings.Contains(r.raw, "dXNlcjpwNHNzdzByZA") {
		t.Fatalf("a secret was rendered: %s", r.raw)
	}
	if len(b.eventsOfType("WebhookUpdated")) != 0 {
		t.Fatal("a test execution writes nothing")
	}
}

func TestWebhookExecuteNeverFollowsARedirect(t *testing.T) {
	elsewhere := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) {})
	// localhost is another host to the allow-list than 127.0.0.1.
	target := strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1) + "/stolen"
	recv := newReceiver(t, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, target, http.StatusFound) })
	b := newWebhookBroker(t, memstore.New(), loopback)
	id := b.post("/webhooks", webhookBody(func(_, request map[string]any) { request["url"] = recv.URL })).must(t, 201).str("uuid")

	r := b.post("/webhooks/"+id+"/execute", nil).must(t, 200)
	if r.path("success") != false || r.path("response.status") != float64(302) || r.str("response.headers.Location") != target {
		t.Fatalf("redirect: %s", r.raw)
	}
	if recv.hits() != 1 || elsewhere.hits() != 0 {
		t.Fatalf("receiver %d, redirect target %d requests", recv.hits(), elsewhere.hits())
	}
}

func TestWebhookExecuteRefusesAHostNoLongerAllowed(t *testing.T) {
	recv := newReceiver(t, func(http.ResponseWriter, *http.Request) {})
	store := memstore.New()
	before := newWebhookBroker(t, store, loopback)
	id := before.post("/webhooks", webhookBody(func(_, request map[string]any) { request["url"] = recv.URL })).must(t, 201).str("uuid")

	// Restarted with another host allow-list: the saved webhook is refused.
	after := newWebhookBroker(t, store, domain.WebhookPolicy{Schemes: []string{"http"}, Hosts: []string{"hooks.example.org"}})
	r := after.post("/webhooks/"+id+"/execute", map[string]any{}).must(t, 200)
	if r.path("success") != false || !strings.Contains(r.str("error.message"), `host must be in the whitelist "hooks.example.org"`) ||
		r.path("response") != nil {
		t.Fatalf("refusal: %s", r.raw)
	}
	if recv.hits() != 0 {
		t.Fatalf("a refused webhook reached the receiver")
	}
}

func TestWebhookExecuteSendsNothingWithoutAHostAllowList(t *testing.T) {
	recv := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "internal details") })
	b := newWebhookBroker(t, memstore.New(), domain.WebhookPolicy{Schemes: []string{"http"}})
	id := b.post("/webhooks", webhookBody(func(_, request map[string]any) { request["url"] = recv.URL })).must(t, 201).str("uuid")

	r := b.post("/webhooks/"+id+"/execute", map[string]any{}).must(t, 200)
	if recv.hits() != 0 || r.path("response") != nil || strings.Contains(r.raw, "internal details") ||
		!strings.Contains(r.str("error.message"), "no webhook host allow-list is configured") {
		t.Fatalf("execution without a host allow-list: %d hits, %s", recv.hits(), r.raw)
	}
}
