package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// TestContractMistakesGetAPactBrokerErrorAndWriteNothing sends client
// mistakes to the contract endpoints: each gets a 4xx with a Pact Broker
// error body (and the message the Pact Broker words), and the log does not
// move.
func TestContractMistakesGetAPactBrokerErrorAndWriteNothing(t *testing.T) {
	b := newBroker(t)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", interaction("a", "/a", 200)), nil)
	sha := b.get("/pacts/provider/Bar/consumer/Foo/version/1").must(t, 200).str("_links.pb:pact-version.name")
	const js, plain = "application/json", "text/plain"
	good := pactDoc("Foo", "Bar", interaction("a", "/a", 200))
	contract := func(edit func(map[string]any)) string {
		body := publication("Foo", "2", good, nil)
		edit(body["contracts"].([]any)[0].(map[string]any))
		raw, _ := json.Marshal(body)
		return string(raw)
	}
	top := func(edit func(map[string]any)) string {
		body := publication("Foo", "2", good, nil)
		edit(body)
		raw, _ := json.Marshal(body)
		return string(raw)
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	pactPath := "/pacts/provider/Bar/consumer/Foo/version/2"
	results := "/pacts/provider/Bar/consumer/Foo/pact-version/" + sha + "/verification-results"
	goodPact, _ := json.Marshal(good)
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		key, msg                        string // msg: a substring of the first message under key
	}{
		{"publish malformed", "POST", "/contracts/publish", js, `{"pacticipantName":`, 400, "errors.body", "Error parsing JSON"},
		{"publish plain", "POST", "/contracts/publish", plain, top(func(map[string]any) {}), 415, "error", ""},
		{"publish no name", "POST", "/contracts/publish", js, top(func(m map[string]any) { delete(m, "pacticipantName") }), 400, "errors.pacticipantName", "is missing"},
		{"publish no version", "POST", "/contracts/publish", js, top(func(m map[string]any) { delete(m, "pacticipantVersionNumber") }), 400, "errors.pacticipantVersionNumber", "is missing"},
		{"publish version two lines", "POST", "/contracts/publish", js, top(func(m map[string]any) { m["pacticipantVersionNumber"] = "1\n2" }), 400, "errors.pacticipantVersionNumber", "multiple lines"},
		{"publish blank branch", "POST", "/contracts/publish", js, top(func(m map[string]any) { m["branch"] = " " }), 400, "errors.branch", "must be filled"},
		{"publish blank tag", "POST", "/contracts/publish", js, top(func(m map[string]any) { m["tags"] = []any{"ok", ""} }), 400, "errors.tags", "(at index 1)"},
		{"publish tags not array", "POST", "/contracts/publish", js, top(func(m map[string]any) { m["tags"] = "x" }), 400, "errors.tags", "must be an array"},
		{"publish no contracts", "POST", "/contracts/publish", js, top(func(m map[string]any) { delete(m, "contracts") }), 400, "errors.contracts", "is missing"},
		{"publish contracts object", "POST", "/contracts/publish", js, top(func(m map[string]any) { m["contracts"] = map[string]any{} }), 400, "errors.contracts", "must be an array"},
		{"publish contract not object", "POST", "/contracts/publish", js, top(func(m map[string]any) { m["contracts"] = []any{1} }), 400, "errors.contracts", "must be an object (at index 0)"},
		{"publish consumer mismatch", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["consumerName"] = "Other" }), 400, "errors.contracts", "consumerName ('Other') must match pacticipantName ('Foo') (at index 0)"},
		{"publish no provider", "POST", "/contracts/publish", js, contract(func(c map[string]any) { delete(c, "providerName") }), 400, "errors.contracts", "providerName is missing (at index 0)"},
		{"publish bad specification", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["specification"] = "openapi" }), 400, "errors.contracts", "specification must be one of: pact"},
		{"publish bad content type", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["contentType"] = "application/yaml" }), 400, "errors.contracts", "contentType must be one of: application/json"},
		{"publish bad onConflict", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["onConflict"] = "replace" }), 400, "errors.contracts", "onConflict must be one of: overwrite, merge"},
		{"publish not base64", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["content"] = "%%%" }), 400, "errors.contracts", "is not valid Base64 (at index 0)"},
		{"publish not JSON", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["content"] = b64("{nope") }), 400, "errors.contracts", "content could not be parsed as application/json"},
		{"publish not an object", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["content"] = b64("[1]") }), 400, "errors.contracts", "must be a JSON object"},
		{"publish not UTF-8", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["content"] = b64("{\"a\":\"\xff\"}") }), 400, "errors.contracts", "non UTF-8 character at char 7"},
		{"publish content consumer", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["content"] = b64(`{"consumer":{"name":"X"}}`) }), 400, "errors.contracts", "consumer name in contract content ('X') must match consumerName in contract params ('Foo')"},
		{"publish content provider", "POST", "/contracts/publish", js, contract(func(c map[string]any) { c["content"] = b64(`{"provider":{"name":"X"}}`) }), 400, "errors.contracts", "provider name in contract content ('X') must match providerName in contract params ('Bar')"},
		{"publish provider two lines", "POST", "/contracts/publish", js, contract(func(c map[string]any) {
			c["providerName"], c["content"] = "a\nb", b64(`{"interactions":[]}`)
		}), 400, "errors.contracts", "cannot contain multiple lines"},
		{"put empty", "PUT", pactPath, js, ``, 400, "errors.body", "is missing"},
		{"put array", "PUT", pactPath, js, `[1]`, 400, "errors.body", "must be a JSON object"},
		{"put malformed", "PUT", pactPath, js, `{"consumer":`, 400, "errors.body", "Error parsing JSON"},
		{"put plain", "PUT", pactPath, plain, string(goodPact), 415, "error", ""},
		{"put consumer mismatch", "PUT", "/pacts/provider/Bar/consumer/Other/version/2", js, string(goodPact), 400, "errors.consumer\\.name", "name in pact 'Foo' does not match name in URL path 'Other'."},
		{"put version newline", "PUT", "/pacts/provider/Bar/consumer/Foo/version/a%0Ab", js, string(goodPact), 400, "errors.version", "multiple lines"},
		{"patch plain", "PATCH", pactPath, plain, string(goodPact), 415, "error", ""},
		{"delete unknown pact", "DELETE", pactPath, "", ``, 404, "error", ""},
		{"verify unknown pact version", "POST", "/pacts/provider/Bar/consumer/Foo/pact-version/0000/verification-results", js, `{"success":true,"providerApplicationVersion":"2"}`, 404, "error", ""},
		{"verify unknown pair", "POST", "/pacts/provider/Foo/consumer/Bar/pact-version/" + sha + "/verification-results", js, `{"success":true,"providerApplicationVersion":"2"}`, 404, "error", ""},
		{"verify no success", "POST", results, js, `{"providerApplicationVersion":"2"}`, 400, "errors.success", "is missing"},
		{"verify success string", "POST", results, js, `{"success":"true","providerApplicationVersion":"2"}`, 400, "errors.success", "must be one of: true, false"},
		{"verify no version", "POST", results, js, `{"success":true}`, 400, "errors.providerApplicationVersion", "is missing"},
		{"verify blank version", "POST", results, js, `{"success":true,"providerApplicationVersion":" "}`, 400, "errors.providerApplicationVersion", "must be filled"},
		{"verify version number", "POST", results, js, `{"success":true,"providerApplicationVersion":2}`, 400, "errors.providerApplicationVersion", "must be a string"},
		{"verify bad build URL", "POST", results, js, `{"success":true,"providerApplicationVersion":"2","buildUrl":"not a url"}`, 400, "errors.buildUrl", "is not a valid URL"},
		{"verify verifiedBy string", "POST", results, js, `{"success":true,"providerApplicationVersion":"2","verifiedBy":"me"}`, 400, "errors.verifiedBy", "must be an object"},
		{"verify bad date", "POST", results, js, `{"success":true,"providerApplicationVersion":"2","verificationDate":"yesterday"}`, 400, "errors.verificationDate", "must be a date-time"},
		{"verify malformed", "POST", results, js, `{"success":`, 400, "errors.body", "Error parsing JSON"},
		{"verify plain", "POST", results, plain, `{"success":true,"providerApplicationVersion":"2"}`, 415, "error", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := b.head()
			r := b.do(tc.method, tc.path, tc.ctype, tc.body)
			if r.status != tc.status {
				t.Fatalf("%s %s: status %d, want %d; body %.400s", tc.method, tc.path, r.status, tc.status, r.raw)
			}
			got := errorAt(r, tc.key)
			if got == "" || !strings.Contains(got, tc.msg) {
				t.Fatalf("%s: %q lacks %q; body %.400s", tc.key, got, tc.msg, r.raw)
			}
			// Validation errors are HAL, as the Pact Broker's; others plain JSON.
			want := "application/json;charset=utf-8"
			if strings.HasPrefix(tc.key, "errors") {
				want = "application/hal+json;charset=utf-8"
			}
			if ct := r.header.Get("Content-Type"); ct != want {
				t.Fatalf("error content type %q, want %q", ct, want)
			}
			if after := b.head(); after != before {
				t.Fatalf("a failed request wrote %d events", after-before)
			}
		})
	}
}

// errorAt returns the first message under "errors.<field>" or "error"; a
// "\\." in key is a literal dot in a field name.
func errorAt(r response, key string) string {
	if key == "error" {
		return r.str("error")
	}
	field := strings.ReplaceAll(strings.TrimPrefix(key, "errors."), "\\.", ".")
	errs, _ := dig(r.json, "errors").(map[string]any)
	msgs, _ := errs[field].([]any)
	if len(msgs) == 0 {
		return ""
	}
	s, _ := msgs[0].(string)
	return s
}
