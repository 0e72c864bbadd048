package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// request is what the fake broker received.
type request struct {
	method, path, query, auth, contentType, body string
}

// fakeBroker serves a Pact Broker under the context path /ctx whose links
// name another host, records every request, and answers from handlers
// keyed by "METHOD path?query" (the raw query, for requests that have one)
// or else by "METHOD path".
type fakeBroker struct {
	mu       sync.Mutex
	got      []request
	handlers map[string]func(w http.ResponseWriter)
}

func newFakeBroker(t *testing.T, handlers map[string]func(w http.ResponseWriter)) (*fakeBroker, string) {
	f := &fakeBroker{handlers: handlers}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.got = append(f.got, request{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), string(body)})
		f.mu.Unlock()
		h, ok := f.handlers[r.Method+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery]
		if !ok || r.URL.RawQuery == "" {
			h, ok = f.handlers[r.Method+" "+r.URL.EscapedPath()]
		}
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		h(w)
	}))
	t.Cleanup(srv.Close)
	return f, srv.URL + "/ctx"
}

func (f *fakeBroker) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.got...)
}

func reply(status int, contentType, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func hal200(v any) func(http.ResponseWriter) {
	b, _ := json.Marshal(v)
	return reply(http.StatusOK, "application/hal+json;charset=utf-8", string(b))
}

const elsewhere = "http://elsewhere.invalid/ctx"

var fakeIndex = hal200(map[string]any{"_links": map[string]any{
	"pb:environments":        map[string]any{"href": elsewhere + "/environments"},
	"pb:pacticipant-version": map[string]any{"href": elsewhere + "/pacticipants/{pacticipant}/versions/{version}", "templated": true},
}})

func TestRequestsAuthAndRebasing(t *testing.T) {
	f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){
		"GET /ctx":               fakeIndex,
		"POST /ctx/environments": reply(http.StatusCreated, "application/json", `{"uuid":"u-1","name":"uat"}`),
		"GET /ctx/pacticipants/Foo/versions/1": hal200(map[string]any{"number": "1", "_links": map[string]any{
			"pb:record-deployment": []any{map[string]any{"name": "uat", "href": elsewhere + "/deploy/uat"}}}}),
		"POST /ctx/deploy/uat": reply(http.StatusCreated, "application/hal+json", `{"b":1,"a":"<&>"}`),
	})
	env := map[string]string{"PACT_BROKER_BASE_URL": base, "PACT_BROKER_TOKEN": "tok", "PACT_BROKER_USERNAME": "ann"}
	if r := runCLIEnv(t, env, "create-environment", "--name", "uat"); r.code != ExitOK {
		t.Fatalf("create-environment: %v", r)
	}
	r := runCLIEnv(t, nil, "record-deployment", "-a", "Foo", "-e", "1", "--environment", "uat", "--application-instance", "blue",
		"-b", base+"/", "-u", "ann", "-p", "secret", "-o", "json")
	if r.code != ExitOK || r.stdout != `{"a":"<&>","b":1}`+"\n" {
		t.Fatalf("record-deployment -o json: %v", r)
	}
	want := []request{
		{method: "GET", path: "/ctx", auth: "Bearer tok"},
		{method: "POST", path: "/ctx/environments", auth: "Bearer tok", contentType: "application/json", body: `{"name":"uat","production":false}`},
		{method: "GET", path: "/ctx/pacticipants/Foo/versions/1", auth: "Basic YW5uOnNlY3JldA=="},
		{method: "POST", path: "/ctx/deploy/uat", auth: "Basic YW5uOnNlY3JldA==", contentType: "application/json",
			body: `{"applicationInstance":"blue","target":"blue"}`},
	}
	got := f.requests()
	if len(got) != len(want) {
		t.Fatalf("requests: got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestServerErrors(t *testing.T) {
	var mu sync.Mutex
	busy := 2
	f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){
		"GET /ctx": func(w http.ResponseWriter) {
			mu.Lock()
			defer mu.Unlock()
			if busy > 0 {
				busy--
				reply(http.StatusServiceUnavailable, "application/json", `{"error":"busy"}`)(w)
				return
			}
			fakeIndex(w)
		},
		"POST /ctx/environments":     reply(http.StatusBadRequest, "application/json", `{"errors":{"name":["is bad"],"":["whole body"]}}`),
		"GET /ctx/environments":      reply(http.StatusInternalServerError, "application/json", `{"error":"boom"}`),
		"GET /ctx/environments/x":    hal200(map[string]any{"uuid": "x", "name": "gone"}),
		"DELETE /ctx/environments/x": reply(http.StatusOK, "text/plain", "deleted"),
		"GET /ctx/environments/y":    hal200(map[string]any{"uuid": "y", "name": "y"}),
		"DELETE /ctx/environments/y": reply(http.StatusNoContent, "", ""),
	})
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"create-environment", "--name", "uat"}, ExitError, "❌ whole body\n❌ name: is bad\n"},
		{[]string{"list-environments"}, ExitError, "❌ Request GET " + strings.TrimSuffix(base, "/ctx") + "/ctx/environments failed: 500 Internal Server Error: boom\n"},
		{[]string{"delete-environment", "--uuid", "x"}, ExitError, `did not get a JSON response from DELETE`},
		{[]string{"delete-environment", "--uuid", "y"}, ExitOK, "✅ Environment y with UUID y deleted successfully"},
		{[]string{"describe-version", "-a", "Foo"}, ExitError, "❌ Could not find relation 'pb:latest-version'"},
		{[]string{"describe-environment", "--uuid", "nope"}, ExitError, "❌ Environment with UUID nope not found"},
	}
	for _, tc := range cases {
		r := runCLI(t, base, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
			t.Errorf("%v: want exit %d and %q, got %v", tc.args, tc.code, tc.want, r)
		}
	}
	// The first GET of the index was retried past the two 503s; the
	// rejected POST was sent once.
	posts, indexGets := 0, 0
	for _, r := range f.requests() {
		switch r.method + " " + r.path {
		case "POST /ctx/environments":
			posts++
		case "GET /ctx":
			indexGets++
		}
	}
	if posts != 1 || indexGets < 3 {
		t.Errorf("POSTs %d (want 1), index GETs %d (want ≥ 3)", posts, indexGets)
	}
}
