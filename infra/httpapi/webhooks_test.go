package httpapi_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// newWebhookBroker is a broker over store with webhook allow-lists; it
// rebuilds the read models from what store holds first.
func newWebhookBroker(t *testing.T, store events.Store, policy domain.WebhookPolicy) *broker {
	t.Helper()
	a := app.Start(store, app.Options{WebhookPolicy: policy})
	if err := a.Runner.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &broker{t: t, url: srv.URL, log: a.Log, store: store, svc: a.Commands}
}

func (b *broker) pacticipants(names ...string) {
	b.t.Helper()
	for _, n := range names {
		b.post("/pacticipants", map[string]any{"name": n}).must(b.t, 201)
	}
}

// webhookBody is a valid webhook body to vary.
func webhookBody(edit func(body, request map[string]any)) map[string]any {
	request := map[string]any{"method": "POST", "url": "https://example.org/hook",
		"headers":  map[string]any{"Content-Type": "application/json", "Authorization": "Bearer s3cret"},
		"body":     map[string]any{"pact": "${pactbroker.pactUrl}"},
		"username": "user", "password": "p4ssw0rd"}
	body := map[string]any{"description": "a webhook", "request": request}
	if edit != nil {
		edit(body, request)
	}
	return body
}

func TestWebhookCreateReadUpdateDelete(t *testing.T) {
	b := newWebhookBroker(t, memstore.New(), domain.WebhookPolicy{})
	b.pacticipants("Foo", "Bar Service")
	r := b.post("/webhooks", webhookBody(func(body, _ map[string]any) {
		body["consumer"] = map[string]any{"name": "Foo"}
		body["provider"] = map[string]any{"name": "Bar Service"}
	})).must(t, 201)
	id := r.str("uuid")
	self := r.str("_links.self.href")
	if id == "" || r.header.Get("Location") != self || self != b.url+"/webhooks/"+id {
		t.Fatalf("uuid %q, Location %q, self %q", id, r.header.Get("Location"), self)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/hal+json;charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	for path, want := range map[string]string{
		"description": "a webhook", "request.password": "**********", "request.username": "user",
		"request.headers.Authorization": "**********", "request.headers.Content-Type": "application/json",
		"request.body.pact": "${pactbroker.pactUrl}", "events.0.name": "contract_content_changed",
		"consumer.name": "Foo", "provider.name": "Bar Service",
		"_links.pb:execute.href": self + "/execute", "_links.pb:consumer.href": b.url + "/pacticipants/Foo",
		"_links.pb:provider.href":      b.url + "/pacticipants/Bar%20Service",
		"_links.pb:pact-webhooks.href": b.url + "/webhooks/provider/Bar%20Service/consumer/Foo",
		"_links.pb:webhooks.href":      b.url + "/webhooks",
	} {
		if got := r.str(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if r.path("enabled") != true || r.str("createdAt") == "" || r.path("updatedAt") != nil {
		t.Fatalf("enabled/createdAt/updatedAt: %s", r.raw)
	}
	if strings.Contains(r.raw, "p4ssw0rd") || strings.Contains(r.raw, "s3cret") {
		t.Fatalf("a secret was rendered: %s", r.raw)
	}
	if got := b.get("/webhooks/"+id).must(t, 200); got.str("request.password") != "**********" || got.str("uuid") != id {
		t.Fatalf("GET: %s", got.raw)
	}
	list := b.get("/webhooks").must(t, 200)
	if list.str("_links.pb:webhooks.0.href") != self || list.str("_links.pb:webhooks.0.title") != "A webhook for the pact between Foo and Bar Service" ||
		list.str("_links.self.title") != "Webhooks" || list.str("_links.pb:create.href") != b.url+"/webhooks" {
		t.Fatalf("list: %s", list.raw)
	}

	// Sent back as read (secrets redacted), with a new description: the
	// stored secrets stay.
	back := webhookBody(func(body, request map[string]any) {
		body["description"] = "renamed"
		body["consumer"] = map[string]any{"name": "Foo"}
		request["password"] = "**********"
		request["headers"] = map[string]any{"Content-Type": "application/json", "Authorization": "**********"}
	})
	u := b.put("/webhooks/"+id, back).must(t, 200)
	if u.str("description") != "renamed" || u.str("updatedAt") == "" || u.path("provider") != nil {
		t.Fatalf("update: %s", u.raw)
	}
	updates := b.eventsOfType("WebhookUpdated")
	if len(updates) != 1 {
		t.Fatalf("%d WebhookUpdated events", len(updates))
	}
	stored := updates[0].Data.(events.WebhookUpdated).Request
	if stored.Password != "p4ssw0rd" || stored.Headers["Authorization"] != "Bearer s3cret" {
		t.Fatalf("the redacted values replaced the secrets: %+v", stored)
	}
	before := b.head()
	b.put("/webhooks/"+id, back).must(t, 200)
	if b.head() != before {
		t.Fatal("a PUT that changes nothing must write nothing")
	}

	const chosen = "my-own-webhook-uuid-0001"
	c := b.put("/webhooks/"+chosen, webhookBody(nil)).must(t, 201)
	if c.header.Get("Location") != b.url+"/webhooks/"+chosen || c.str("uuid") != chosen {
		t.Fatalf("PUT create: %v %s", c.header, c.raw)
	}
	if n := len(b.get("/webhooks").must(t, 200).path("_links.pb:webhooks").([]any)); n != 2 {
		t.Fatalf("%d webhooks listed", n)
	}

	b.do("DELETE", "/webhooks/"+id, "", nil).must(t, 204)
	b.get("/webhooks/"+id).must(t, 404)
	b.do("DELETE", "/webhooks/"+id, "", nil).must(t, 404)
	b.post("/webhooks/"+id+"/execute", map[string]any{}).must(t, 404)
}

func TestWebhookScopedRoutes(t *testing.T) {
	b := newWebhookBroker(t, memstore.New(), domain.WebhookPolicy{})
	b.pacticipants("Foo", "Bar")
	pair := b.post("/webhooks/provider/Bar/consumer/Foo", webhookBody(nil)).must(t, 201)
	if pair.str("consumer.name") != "Foo" || pair.str("provider.name") != "Bar" {
		t.Fatalf("pair: %s", pair.raw)
	}
	prov := b.post("/webhooks/provider/Bar", webhookBody(nil)).must(t, 201)
	cons := b.post("/webhooks/consumer/Foo", webhookBody(nil)).must(t, 201)
	pact := b.post("/pacts/provider/Bar/consumer/Foo/webhooks", webhookBody(nil)).must(t, 201)
	b.post("/webhooks", webhookBody(nil)).must(t, 201)
	if prov.path("consumer") != nil || cons.path("provider") != nil || prov.str("provider.name") != "Bar" || cons.str("consumer.name") != "Foo" {
		t.Fatalf("provider %s\nconsumer %s", prov.raw, cons.raw)
	}
	for path, want := range map[string][]string{
		"/webhooks/provider/Bar/consumer/Foo":       {pair.str("uuid"), pact.str("uuid")},
		"/pacts/provider/Bar/consumer/Foo/webhooks": {pair.str("uuid"), pact.str("uuid")},
		"/webhooks/provider/Bar":                    {prov.str("uuid")},
		"/webhooks/consumer/Foo":                    {cons.str("uuid")},
	} {
		r := b.get(path).must(t, 200)
		links, _ := r.path("_links.pb:webhooks").([]any)
		if len(links) != len(want) {
			t.Fatalf("%s lists %d webhooks, want %d: %s", path, len(links), len(want), r.raw)
		}
		for i, id := range want {
			if !strings.HasSuffix(r.str("_links.pb:webhooks."+string(rune('0'+i))+".href"), "/webhooks/"+id) {
				t.Fatalf("%s item %d: %s", path, i, r.raw)
			}
		}
	}
	if got := b.get("/pacts/provider/Bar/consumer/Foo/webhooks").str("_links.self.title"); got != "Pact webhooks" {
		t.Fatalf("title %q", got)
	}
	before := b.head()
	for _, path := range []string{"/webhooks/provider/Bar/consumer/Nope", "/webhooks/provider/Nope", "/webhooks/consumer/Nope",
		"/pacts/provider/Nope/consumer/Foo/webhooks"} {
		for _, r := range []response{b.get(path), b.post(path, webhookBody(nil))} {
			if r.status != 404 || r.header.Get("Content-Type") != "application/hal+json;charset=utf-8" || r.str("error") == "" {
				t.Fatalf("%s: %d %s %s", path, r.status, r.header.Get("Content-Type"), r.raw)
			}
		}
	}
	if b.head() != before {
		t.Fatal("a 404 wrote to the log")
	}
}

// TestWebhookBadInputWritesNothing: every client mistake gets the Pact
// Broker's error body (key and message) and the log does not move.
func TestWebhookBadInputWritesNothing(t *testing.T) {
	b := newWebhookBroker(t, memstore.New(), domain.WebhookPolicy{Hosts: []string{"example.org"}})
	b.pacticipants("Foo")
	id := b.post("/webhooks", webhookBody(nil)).must(t, 201).str("uuid")
	set := func(key string, v any) map[string]any {
		return webhookBody(func(body, request map[string]any) {
			if k, ok := strings.CutPrefix(key, "request."); ok {
				if v == nil {
					delete(request, k)
				} else {
					request[k] = v
				}
				return
			}
			body[key] = v
		})
	}
	cases := []struct {
		name, method, path, ctype string
		body                      any
		status                    int
		key, msg                  string
	}{
		{"missing consumer", "POST", "/webhooks", "application/json", set("consumer", map[string]any{"name": "Condor"}), 400,
			"consumer.name", "does not match an existing pacticipant"},
		{"consumer name and label", "POST", "/webhooks", "application/json", set("consumer", map[string]any{"name": "Foo", "label": "x"}), 400,
			"consumer.label", "name and label cannot be provided at the same time"},
		{"consumer not a hash", "POST", "/webhooks", "application/json", set("consumer", "Foo"), 400, "consumer", "must be a hash"},
		{"no url", "POST", "/webhooks", "application/json", set("request.url", nil), 400, "request.url", "is missing"},
		{"no method", "POST", "/webhooks", "application/json", set("request.method", nil), 400, "request.method", "is missing"},
		{"url not a string", "POST", "/webhooks", "application/json", set("request.url", 5), 400, "request.url", "must be a string"},
		{"scheme", "POST", "/webhooks", "application/json", set("request.url", "http://example.org"), 400, "request.url",
			"scheme must be https. See /doc/webhooks#whitelist for more information."},
		{"host", "POST", "/webhooks", "application/json", set("request.url", "https://internal.local"), 400, "request.url",
			`host must be in the whitelist "example.org". See /doc/webhooks#whitelist for more information.`},
		{"templated host", "POST", "/webhooks", "application/json", set("request.url", "https://${pactbroker.providerName}.example.org"), 400,
			"request.url", "cannot have a template parameter in the host"},
		{"method", "POST", "/webhooks", "application/json", set("request.method", "GET"), 400, "request.method",
			"must be POST. See /doc/webhooks#whitelist for more information."},
		{"headers not a hash", "POST", "/webhooks", "application/json", set("request.headers", "x"), 400, "request.headers", "must be a hash"},
		{"request missing", "POST", "/webhooks", "application/json", map[string]any{"description": "x"}, 400, "request", "is missing"},
		{"request empty", "POST", "/webhooks", "application/json", set("request", map[string]any{}), 400, "request", "must be filled"},
		{"enabled not boolean", "POST", "/webhooks", "application/json", set("enabled", "yes"), 400, "enabled", "must be boolean"},
		{"events empty", "POST", "/webhooks", "application/json", set("events", []any{}), 400, "events", "size cannot be less than 1"},
		{"event unknown", "POST", "/webhooks", "application/json", set("events", []any{map[string]any{"name": "foo"}}), 400, "events", ""},
		{"event without name", "POST", "/webhooks", "application/json", set("events", []any{map[string]any{}}), 400, "events",
			"name is missing (at index 0)"},
		{"malformed JSON", "POST", "/webhooks", "application/json", `{"request":`, 400, "body", ""},
		{"wrong content type", "POST", "/webhooks", "text/plain", `{}`, 415, "", ""},
		{"uuid too short", "PUT", "/webhooks/short", "application/json", webhookBody(nil), 400, "uuid",
			"The UUID can only contain the characters A-Z, a-z, 0-9, _ and -, and must be 16 or more characters."},
		{"uuid with a dot", "PUT", "/webhooks/abcdefghijklmnop.q", "application/json", webhookBody(nil), 400, "uuid", ""},
		{"update invalid", "PUT", "/webhooks/" + id, "application/json", set("request.url", "ftp://example.org"), 400, "request.url", ""},
		{"pair with missing consumer", "POST", "/webhooks/provider/Foo/consumer/Nope", "application/json", webhookBody(nil), 404, "", ""},
	}
	before := b.head()
	for _, tc := range cases {
		r := b.do(tc.method, tc.path, tc.ctype, tc.body)
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, r.status, tc.status, r.raw)
			continue
		}
		if tc.key == "" {
			if r.json["error"] == nil {
				t.Errorf("%s: no error body: %s", tc.name, r.raw)
			}
			continue
		}
		errs, _ := r.json["errors"].(map[string]any)
		msgs, _ := errs[tc.key].([]any)
		if len(msgs) == 0 || tc.msg != "" && msgs[0] != tc.msg {
			t.Errorf("%s: errors[%q] = %v, want %q (body %s)", tc.name, tc.key, msgs, tc.msg, r.raw)
		}
	}
	if b.head() != before {
		t.Fatalf("bad input wrote to the log: head %d, was %d", b.head(), before)
	}
}
