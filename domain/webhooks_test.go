package domain

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/events"
)

const allEventsMsg = "contract_published, contract_content_changed, provider_verification_published, " +
	"provider_verification_succeeded, provider_verification_failed, contract_requiring_verification_published, " +
	"deployment_recorded, deployment_undeployed, release_recorded, release_support_ended"

// hook is a valid input to vary: POST https://example.org/hook.
func hook(edit func(*WebhookInput)) WebhookInput {
	in := WebhookInput{Request: &WebhookRequestInput{Method: ptr("POST"), URL: ptr("https://example.org/hook")}}
	if edit != nil {
		edit(&in)
	}
	return in
}

var rules = WebhookRules{PacticipantExists: func(n string) bool { return n == "Foo" || n == "Bar" }}

func TestValidateWebhook(t *testing.T) {
	hosts := WebhookRules{Policy: WebhookPolicy{Hosts: []string{"example.org", "/^ci\\./"}}, PacticipantExists: rules.PacticipantExists}
	cases := []struct {
		name   string
		in     WebhookInput
		rules  WebhookRules
		fields map[string]string // nil: valid
	}{
		{"minimal", hook(nil), rules, nil},
		{"named consumer and labelled provider", hook(func(in *WebhookInput) {
			in.Consumer, in.Provider = &WebhookScopeInput{Name: "Foo"}, &WebhookScopeInput{Label: "team-a"}
		}), rules, nil},
		{"template parameter in the path", hook(func(in *WebhookInput) {
			in.Request.URL = ptr("https://example.org/commits/${pactbroker.consumerVersionNumber}")
		}), rules, nil},
		{"every event name", hook(func(in *WebhookInput) { in.Events = WebhookEventNames }), rules, nil},
		{"no request", WebhookInput{}, rules, map[string]string{"request": "is missing"}},
		{"no method or url", hook(func(in *WebhookInput) { in.Request = &WebhookRequestInput{} }), rules,
			map[string]string{"request.method": "is missing", "request.url": "is missing"}},
		{"blank method and url", hook(func(in *WebhookInput) { in.Request.Method, in.Request.URL = ptr(" "), ptr("") }), rules,
			map[string]string{"request.method": "must be filled", "request.url": "must be filled"}},
		{"unknown method", hook(func(in *WebhookInput) { in.Request.Method = ptr("Post%0d%0a") }), rules,
			map[string]string{"request.method": "is not a recognised HTTP method"}},
		{"method not allowed", hook(func(in *WebhookInput) { in.Request.Method = ptr("DELETE") }), rules,
			map[string]string{"request.method": "must be POST. See /doc/webhooks#whitelist for more information."}},
		{"method not among several", hook(func(in *WebhookInput) { in.Request.Method = ptr("DELETE") }),
			WebhookRules{Policy: WebhookPolicy{Methods: []string{"POST", "GET"}}},
			map[string]string{"request.method": "must be one of POST, GET. See /doc/webhooks#whitelist for more information."}},
		{"lower-case method allowed", hook(func(in *WebhookInput) { in.Request.Method = ptr("post") }), rules, nil},
		{"no scheme", hook(func(in *WebhookInput) { in.Request.URL = ptr("blah") }), rules,
			map[string]string{"request.url": "is not a valid URL eg. http://example.org"}},
		{"space in host", hook(func(in *WebhookInput) { in.Request.URL = ptr("https://bl ah/") }), rules,
			map[string]string{"request.url": "is not a valid URL eg. http://example.org"}},
		{"scheme not allowed", hook(func(in *WebhookInput) { in.Request.URL = ptr("ftp://foo") }), rules,
			map[string]string{"request.url": "scheme must be https. See /doc/webhooks#whitelist for more information."}},
		{"template parameter in the host", hook(func(in *WebhookInput) {
			in.Request.URL = ptr("https://${pactbroker.consumerVersionNumber}/commits")
		}), rules, map[string]string{"request.url": "cannot have a template parameter in the host"}},
		{"host not allowed", hook(func(in *WebhookInput) { in.Request.URL = ptr("https://evil.example.com/") }), hosts,
			map[string]string{"request.url": `host must be in the whitelist "example.org", /^ci\./. See /doc/webhooks#whitelist for more information.`}},
		{"host allowed by regexp", hook(func(in *WebhookInput) { in.Request.URL = ptr("https://ci.internal/") }), hosts, nil},
		{"consumer without name or label", hook(func(in *WebhookInput) { in.Consumer = &WebhookScopeInput{} }), rules,
			map[string]string{"consumer.name": "cannot be blank"}},
		{"provider with name and label", hook(func(in *WebhookInput) { in.Provider = &WebhookScopeInput{Name: "Bar", Label: "x"} }), rules,
			map[string]string{"provider.label": "name and label cannot be provided at the same time"}},
		{"consumer does not exist", hook(func(in *WebhookInput) { in.Consumer = &WebhookScopeInput{Name: "Condor"} }), rules,
			map[string]string{"consumer.name": "does not match an existing pacticipant"}},
		{"empty events", hook(func(in *WebhookInput) { in.Events = []string{} }), rules,
			map[string]string{"events": "size cannot be less than 1"}},
		{"unknown event", hook(func(in *WebhookInput) { in.Events = []string{"contract_published", "foo"} }), rules,
			map[string]string{"events": "name must be one of: " + allEventsMsg + " (at index 1)"}},
		{"blank event", hook(func(in *WebhookInput) { in.Events = []string{""} }), rules,
			map[string]string{"events": "name must be filled (at index 0)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateWebhook(tc.in, tc.rules).OrNil()
			if tc.fields == nil {
				wantErr(t, err, nil)
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("want a validation error, got %v", err)
			}
			if len(ve.Fields) != len(tc.fields) {
				t.Fatalf("fields %v, want %v", ve.Fields, tc.fields)
			}
			for f, msg := range tc.fields {
				if len(ve.Fields[f]) != 1 || ve.Fields[f][0] != msg {
					t.Fatalf("field %s: got %q, want %q", f, ve.Fields[f], msg)
				}
			}
		})
	}
}

func TestHostAllowList(t *testing.T) {
	p := WebhookPolicy{Hosts: []string{"api.example.org", "*.hooks.example.com", "10.0.0.0/8", "::1", "/^ci-[0-9]+\\.local$/"}}
	for host, want := range map[string]bool{
		"api.example.org": true, "API.Example.org": true, "example.org": false,
		"a.hooks.example.com": true, "hooks.example.com": false, "a.b.hooks.example.com": false,
		"10.1.2.3": true, "11.0.0.1": false, "::1": true, "127.0.0.1": false,
		"ci-42.local": true, "ci-x.local": false, "10.0.0.0.evil": false,
	} {
		if got := p.HostAllowed(host); got != want {
			t.Errorf("HostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	if !(WebhookPolicy{}).HostAllowed("anything") {
		t.Error("an empty host allow-list allows every host")
	}
	if err := (WebhookPolicy{Hosts: []string{"/([/"}}).Check(); err == nil {
		t.Error("an invalid regexp entry must be a configuration error")
	}
	if got := ParseAllowList(" http,https  ftp "); strings.Join(got, "|") != "http|https|ftp" {
		t.Errorf("ParseAllowList = %q", got)
	}
}

func TestDecideWebhooks(t *testing.T) {
	const id = "696c5f93-1b7f-44bc-8d03-59440fcaa9a0"
	in := hook(func(in *WebhookInput) {
		in.Consumer = &WebhookScopeInput{Name: "Foo"}
		in.Request.Headers = map[string]string{"Authorization": "Bearer s3cret", "Accept": "*/*"}
		in.Request.Body = json.RawMessage(`{"a":"<b>"}`)
		in.Request.Username, in.Request.Password = "u", "p4ss"
	})
	created := events.WebhookCreated{UUID: id, Consumer: &events.WebhookPacticipant{Name: "Foo"}, Enabled: true,
		Events: []string{DefaultWebhookEvent}, Request: events.WebhookRequest{Method: "POST", URL: "https://example.org/hook",
			Headers: map[string]string{"Authorization": "Bearer s3cret", "Accept": "*/*"},
			Body:    json.RawMessage(`{"a":"<b>"}`), Username: "u", Password: "p4ss"}}

	got, isNew, err := DecidePutWebhook(WebhookState{}, id, in, rules)
	wantErr(t, err, nil)
	if !isNew {
		t.Fatal("a PUT to an unknown uuid creates")
	}
	sameEvents(t, got, []events.Payload{created})
	state := fold(EvolveWebhook, created)

	// The client read the webhook back (secrets redacted) and sends it again.
	again := in
	again.Request = &WebhookRequestInput{Method: ptr("POST"), URL: ptr("https://example.org/hook"), Username: "u",
		Password: events.RedactedSecret, Body: json.RawMessage(`{"a":"<b>"}`),
		Headers: map[string]string{"Authorization": events.RedactedSecret, "Accept": "*/*"}}
	got, isNew, err = DecidePutWebhook(state, id, again, rules)
	wantErr(t, err, nil)
	if isNew || len(got) != 0 {
		t.Fatalf("replacing with the redacted read-back changes nothing: %v %v", isNew, got)
	}

	disabled := again
	disabled.Enabled = ptr(false)
	disabled.Provider = &WebhookScopeInput{Name: " ", Label: "team-a"} // a blank name is not given
	got, _, err = DecidePutWebhook(state, id, disabled, rules)
	wantErr(t, err, nil)
	updated := events.WebhookUpdated(created)
	updated.Enabled, updated.Provider = false, &events.WebhookPacticipant{Label: "team-a"}
	sameEvents(t, got, []events.Payload{updated})

	_, _, err = DecidePutWebhook(WebhookState{}, "too-short", in, rules)
	wantErr(t, err, ErrInvalid)
	_, _, err = DecidePutWebhook(state, id, hook(func(in *WebhookInput) { in.Request.URL = nil }), rules)
	wantErr(t, err, ErrInvalid)

	_, err = DecideCreateWebhook(state, id, in, rules)
	wantErr(t, err, ErrConflict)

	got, err = DecideDeleteWebhook(state, id)
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{events.WebhookDeleted{UUID: id}})
	gone := fold(EvolveWebhook, created, events.WebhookDeleted{UUID: id})
	_, err = DecideDeleteWebhook(gone, id)
	wantErr(t, err, ErrNotFound)
	_, isNew, err = DecidePutWebhook(gone, id, in, rules)
	if err != nil || !isNew {
		t.Fatalf("a PUT after a delete creates again: %v %v", isNew, err)
	}
}

func TestRenderWebhookRequest(t *testing.T) {
	def := events.WebhookDefinition{Consumer: &events.WebhookPacticipant{Name: "Foo Bar"}, Events: []string{"provider_verification_published"},
		Request: events.WebhookRequest{Method: "post", URL: "https://ci.example.org/build?c=${pactbroker.consumerName}&x=${pactbroker.unknown}",
			Headers:  map[string]string{"X-Version": "${pactbroker.providerVersionNumber}"},
			Body:     json.RawMessage(`{"pact":"${pactbroker.pactUrl}","status":"${pactbroker.githubVerificationStatus}","html":"<b>"}`),
			Username: "${pactbroker.consumerName}", Password: "p"}}
	r := RenderWebhookRequest(def.Request, SampleWebhookParams(def, "http://broker/"))
	if r.Method != "POST" || r.URL != "https://ci.example.org/build?c=Foo+Bar&x=${pactbroker.unknown}" {
		t.Fatalf("method/url: %s %s", r.Method, r.URL)
	}
	if r.Headers["X-Version"] != sampleProviderVersion || r.Username != "Foo Bar" || r.Password != "p" {
		t.Fatalf("headers/credentials: %v %q %q", r.Headers, r.Username, r.Password)
	}
	want := `{"html":"<b>","pact":"http://broker/pacts/provider/placeholder-provider/consumer/Foo%20Bar/pact-version/` +
		samplePactSHA + `","status":"success"}`
	if !r.HasBody || r.Body != want {
		t.Fatalf("body:\n got  %s\n want %s", r.Body, want)
	}
	str := RenderWebhookRequest(events.WebhookRequest{Method: "POST", URL: "https://x", Body: json.RawMessage(`"<xml>${pactbroker.eventName}</xml>"`)},
		SampleWebhookParams(events.WebhookDefinition{}, "http://broker"))
	if str.Body != "<xml>test</xml>" {
		t.Fatalf("a string body is sent as the string: %q", str.Body)
	}
	if none := RenderWebhookRequest(events.WebhookRequest{Method: "POST", URL: "https://x"}, nil); none.HasBody {
		t.Fatal("no body")
	}
}
