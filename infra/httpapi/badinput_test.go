package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadInputGetsAPactBrokerErrorAndWritesNothing sends client mistakes to
// every writing endpoint: each gets a 4xx with a Pact Broker error body, and
// the log does not move.
func TestBadInputGetsAPactBrokerErrorAndWritesNothing(t *testing.T) {
	b := newBroker(t)
	prod := b.envUUID("production")
	b.version("Foo", "1")
	dep := b.post("/pacticipants/Foo/versions/1/deployed-versions/environment/"+prod, nil).must(t, 201).str("uuid")
	rel := b.post("/pacticipants/Foo/versions/1/released-versions/environment/"+prod, nil).must(t, 201).str("uuid")
	huge := `{"name":"` + strings.Repeat("x", 11<<20) + `","production":true}`
	const (
		js    = "application/json"
		merge = "application/merge-patch+json"
		plain = "text/plain"
	)
	deployPath := "/pacticipants/Foo/versions/1/deployed-versions/environment/" + prod
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		key                             string // "errors.<field>" or "error"
	}{
		{"env malformed JSON", "POST", "/environments", js, `{"name":`, 400, "errors.body"},
		{"env not an object", "POST", "/environments", js, `[1,2]`, 400, "errors.body"},
		{"env empty body", "POST", "/environments", js, ``, 400, "errors.body"},
		{"env wrong types", "POST", "/environments", js, `{"name":1,"production":"yes"}`, 400, "errors.production"},
		{"env name not a string", "POST", "/environments", js, `{"name":1,"production":true}`, 400, "errors.name"},
		{"env name with newline", "POST", "/environments", js, `{"name":"a\nb","production":true}`, 400, "errors.name"},
		{"env name with space", "POST", "/environments", js, `{"name":"a b","production":true}`, 400, "errors.name"},
		{"env bad contacts", "POST", "/environments", js, `{"name":"c","production":true,"contacts":[{"details":1}]}`, 400, "errors.contacts"},
		{"env wrong content type", "POST", "/environments", plain, `{"name":"p","production":true}`, 415, "error"},
		{"env oversized", "POST", "/environments", js, huge, 413, "error"},
		{"env update unknown", "PUT", "/environments/00000000-0000-4000-8000-000000000000", js, `{"name":"x","production":true}`, 404, "error"},
		{"env update malformed", "PUT", "/environments/" + prod, js, `{`, 400, "errors.body"},
		{"env delete unknown", "DELETE", "/environments/nope", "", ``, 404, "error"},
		{"pacticipant name newline", "POST", "/pacticipants", js, `{"name":"a\nb"}`, 400, "errors.name"},
		{"pacticipant name type", "POST", "/pacticipants", js, `{"name":5}`, 400, "errors.name"},
		{"pacticipant no name", "POST", "/pacticipants", js, `{}`, 400, "errors.name"},
		{"pacticipant patch plain", "PATCH", "/pacticipants/Foo", plain, `{}`, 415, "error"},
		{"pacticipant put unknown", "PUT", "/pacticipants/Nope", js, `{}`, 404, "error"},
		{"pacticipant delete unknown", "DELETE", "/pacticipants/Nope", "", ``, 404, "error"},
		{"version buildUrl type", "PUT", "/pacticipants/Foo/versions/2", js, `{"buildUrl":3}`, 400, "errors.buildUrl"},
		{"version tags type", "PUT", "/pacticipants/Foo/versions/2", js, `{"tags":"x"}`, 400, "errors.tags"},
		{"version number newline", "PUT", "/pacticipants/Foo/versions/a%0Ab", js, `{}`, 400, "errors.version"},
		{"version patch as json", "PATCH", "/pacticipants/Foo/versions/1", js, `{}`, 415, "error"},
		{"version delete unknown", "DELETE", "/pacticipants/Foo/versions/9", "", ``, 404, "error"},
		{"tag newline", "PUT", "/pacticipants/Foo/versions/1/tags/a%0Ab", js, ``, 400, "errors.tag"},
		{"tag malformed body", "PUT", "/pacticipants/Foo/versions/1/tags/t", js, `{`, 400, "errors.body"},
		{"branch newline", "PUT", "/pacticipants/Foo/branches/a%0D%0Ab/versions/1", js, ``, 400, "errors.branch"},
		{"deploy unknown env", "POST", "/pacticipants/Foo/versions/1/deployed-versions/environment/nope", js, `{}`, 404, "error"},
		{"deploy unknown version", "POST", "/pacticipants/Foo/versions/9/deployed-versions/environment/" + prod, js, `{}`, 404, "error"},
		{"deploy unknown pacticipant", "POST", "/pacticipants/Nope/versions/1/deployed-versions/environment/" + prod, js, `{}`, 404, "error"},
		{"deploy instance type", "POST", deployPath, js, `{"applicationInstance":{"a":1}}`, 400, "errors.applicationInstance"},
		{"deploy instance newline", "POST", deployPath, js, `{"applicationInstance":"a\nb"}`, 400, "errors.applicationInstance"},
		{"deploy malformed", "POST", deployPath, js, `{"applicationInstance":`, 400, "errors.body"},
		{"deploy plain", "POST", deployPath, plain, `{}`, 415, "error"},
		{"release unknown env", "POST", "/pacticipants/Foo/versions/1/released-versions/environment/nope", js, `{}`, 404, "error"},
		{"undeploy true", "PATCH", "/deployed-versions/" + dep, merge, `{"currentlyDeployed":true}`, 422, "errors.currentlyDeployed"},
		{"undeploy wrong type", "PATCH", "/deployed-versions/" + dep, merge, `{"currentlyDeployed":"no"}`, 400, "errors.currentlyDeployed"},
		{"undeploy plain json", "PATCH", "/deployed-versions/" + dep, js, `{"currentlyDeployed":false}`, 415, "error"},
		{"undeploy malformed", "PATCH", "/deployed-versions/" + dep, merge, `{`, 400, "errors.body"},
		{"undeploy unknown", "PATCH", "/deployed-versions/nope", merge, `{"currentlyDeployed":false}`, 404, "error"},
		{"support true", "PATCH", "/released-versions/" + rel, merge, `{"currentlySupported":true}`, 422, "errors.currentlySupported"},
		{"support plain json", "PATCH", "/released-versions/" + rel, js, `{"currentlySupported":false}`, 415, "error"},
		{"support wrong type", "PATCH", "/released-versions/" + rel, merge, `{"currentlySupported":0}`, 400, "errors.currentlySupported"},
		{"unknown route", "GET", "/no/such/thing", "", ``, 404, "error"},
		{"wrong method", "DELETE", "/environments", "", ``, 405, "error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := b.head()
			r := b.do(tc.method, tc.path, tc.ctype, tc.body)
			if r.status != tc.status {
				t.Fatalf("%s %s: status %d, want %d; body %.300s", tc.method, tc.path, r.status, tc.status, r.raw)
			}
			if r.path(tc.key) == nil {
				t.Fatalf("body lacks %s: %.300s", tc.key, r.raw)
			}
			want := "application/json;charset=utf-8" // validation errors are HAL, as the Pact Broker's
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
	if r := b.do(http.MethodGet, "/environments/"+prod, "", nil); r.status != 200 {
		t.Fatal("the broker must still answer")
	}
}
