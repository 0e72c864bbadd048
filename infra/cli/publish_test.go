package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const publishRoute = "POST /ctx/contracts/publish"

var publishIndex = hal200(map[string]any{"_links": map[string]any{
	"pb:publish-contracts": map[string]any{"href": elsewhere + "/contracts/publish", "title": "Publish contracts", "templated": false},
}})

// publishReply is a 200 from POST /contracts/publish (pact-broker-api.md
// §5.1) with these notices.
func publishReply(notices ...map[string]any) func(http.ResponseWriter) {
	logs, ns := []any{}, []any{}
	for _, n := range notices {
		ns = append(ns, n)
		logs = append(logs, map[string]any{"level": n["type"], "message": n["text"], "deprecationWarning": "Replaced by notices"})
	}
	pv := elsewhere + "/pacticipants/Foo/versions/1.0.0"
	return hal200(map[string]any{
		"notices": ns,
		"logs":    logs,
		"_embedded": map[string]any{
			"pacticipant": map[string]any{"name": "Foo", "_links": map[string]any{"self": map[string]any{"href": elsewhere + "/pacticipants/Foo"}}},
			"version":     map[string]any{"number": "1.0.0", "_links": map[string]any{"self": map[string]any{"href": pv, "name": "1.0.0", "title": "Version"}}},
		},
		"_links": map[string]any{
			"pb:pacticipant":              map[string]any{"href": elsewhere + "/pacticipants/Foo", "name": "Foo", "title": "Pacticipant"},
			"pb:pacticipant-version":      map[string]any{"href": pv, "name": "1.0.0", "title": "Pacticipant version"},
			"pb:pacticipant-version-tags": []any{},
			"pb:contracts":                []any{},
		},
	})
}

func notice(typ, text string) map[string]any { return map[string]any{"type": typ, "text": text} }

// The notices the Pact Broker sends for a first publication, in order.
var brokerNotices = []map[string]any{
	notice("debug", "Created Foo version 1.0.0 with branch main and tags t1, t2, t3"),
	notice("success", "Pact successfully published for Foo version 1.0.0 and provider Bar."),
	notice("debug", "  View the published pact at "+elsewhere+"/pacts/provider/Bar/consumer/Foo/version/1.0.0"),
	notice("prompt", "  Next steps:\n    * Configure separate webhooks"),
}

const brokerNoticesText = "✅ Created Foo version 1.0.0 with branch main and tags t1, t2, t3\n" +
	"Pact successfully published for Foo version 1.0.0 and provider Bar.\n" +
	"View the published pact at " + elsewhere + "/pacts/provider/Bar/consumer/Foo/version/1.0.0\n" +
	"Next steps: * Configure separate webhooks\n"

// writePact writes a pact file for consumer and provider, indented so a
// byte-for-byte round trip is visible.
func writePact(t *testing.T, dir, name, consumer, provider, description string) []byte {
	t.Helper()
	raw := []byte(`{
  "consumer": {"name": "` + consumer + `"},
  "provider": {"name": "` + provider + `"},
  "interactions": [
    {"description": "` + description + `", "request": {"method": "GET", "path": "/x"}, "response": {"status": 200}}
  ],
  "metadata": {"pactSpecification": {"version": "2.0.0"}}
}
`)
	if err := os.WriteFile(filepath.Join(dir, name), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return raw
}

// publishBody decodes a recorded POST body and its contract content.
func publishBody(t *testing.T, r request) (map[string]any, []byte) {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	contracts, _ := body["contracts"].([]any)
	if len(contracts) != 1 {
		t.Fatalf("contracts in %s", r.body)
	}
	content, err := base64.StdEncoding.DecodeString(str(contracts[0], "content"))
	if err != nil {
		t.Fatalf("content of %s: %v", r.body, err)
	}
	return body, content
}

func TestPublishDirectory(t *testing.T) {
	dir := t.TempDir()
	bar := writePact(t, dir, "foo-bar.json", "Foo", "Bar", "a bar request")
	baz := writePact(t, dir, "foo-baz.json", "Foo", "Baz", "a baz request")
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a pact"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "nested.json"), 0o700); err != nil { // a directory: skipped
		t.Fatal(err)
	}
	f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){
		"GET /ctx":   publishIndex,
		publishRoute: publishReply(brokerNotices...),
	})
	r := runCLIEnv(t, map[string]string{"PACT_BROKER_TOKEN": "tok"},
		"publish", dir, "-a", "1.0.0", "--branch", "main", "-t", "t1,t2", "--tag", "t3", "--build-url", "http://ci/1", "-b", base)
	want := "\n📨 Attempting to publish pact for consumer: Foo against provider: Bar\n" + brokerNoticesText +
		"\n📨 Attempting to publish pact for consumer: Foo against provider: Baz\n" + brokerNoticesText
	if r.code != ExitOK || r.stdout != want || r.stderr != "" {
		t.Fatalf("want exit 0 and\n%s\ngot %v", want, r)
	}
	got := f.requests()
	if len(got) != 3 || got[0] != (request{method: "GET", path: "/ctx", auth: "Bearer tok"}) {
		t.Fatalf("requests: %+v", got)
	}
	for i, file := range [][]byte{bar, baz} {
		post := got[i+1]
		if post.method != "POST" || post.path != "/ctx/contracts/publish" || post.contentType != "application/json" || post.auth != "Bearer tok" {
			t.Fatalf("request %d: %+v", i+1, post)
		}
		provider := []string{"Bar", "Baz"}[i]
		// The keys go out sorted, as the official CLI sends them.
		wantBody := `{"branch":"main","buildUrl":"http://ci/1","contracts":[{"consumerName":"Foo","content":"` +
			base64.StdEncoding.EncodeToString(file) + `","contentType":"application/json","onConflict":"overwrite","providerName":"` + provider +
			`","specification":"pact"}],"pacticipantName":"Foo","pacticipantVersionNumber":"1.0.0","tags":["t1","t2","t3"]}`
		if post.body != wantBody {
			t.Fatalf("body %d:\n got %s\nwant %s", i+1, post.body, wantBody)
		}
		if _, content := publishBody(t, post); string(content) != string(file) {
			t.Fatalf("content %d does not round-trip:\n%s", i+1, content)
		}
	}
}

// TestPublishMergesPairs: files for one pair go out as one pact with all
// the interactions; arguments may come after the flags, and files are
// read once however they are named.
func TestPublishMergesPairs(t *testing.T) {
	dir := t.TempDir()
	writePact(t, dir, "a.json", "Foo", "Bar", "first")
	writePact(t, dir, "b.json", "Foo", "Bar", "second")
	f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){"GET /ctx": publishIndex, publishRoute: publishReply()})
	r := runCLI(t, base, "publish", "-a", "2", "--merge", filepath.Join(dir, "a.json"), dir, filepath.Join(dir, "*.json"))
	if want := "\n📨 Attempting to publish pact for consumer: Foo against provider: Bar\n✅ Pact published successfully for consumer: Foo against provider: Bar\n"; r.code != ExitOK || r.stdout != want {
		t.Fatalf("want exit 0 and\n%s\ngot %v", want, r)
	}
	got := f.requests()
	if len(got) != 2 {
		t.Fatalf("requests: %+v", got)
	}
	body, content := publishBody(t, got[1])
	contract := list(body, "contracts")[0]
	if str(body, "pacticipantVersionNumber") != "2" || str(contract, "onConflict") != "merge" || at(body, "branch") != nil || at(body, "tags") != nil || at(body, "buildUrl") != nil {
		t.Fatalf("body %s", got[1].body)
	}
	var pact map[string]any
	if err := json.Unmarshal(content, &pact); err != nil {
		t.Fatal(err)
	}
	var descriptions []string
	for _, i := range list(pact, "interactions") {
		descriptions = append(descriptions, str(i, "description"))
	}
	if strings.Join(descriptions, ",") != "first,second" || str(pact, "consumer", "name") != "Foo" || str(pact, "metadata", "pactSpecification", "version") != "2.0.0" {
		t.Fatalf("merged pact %s", content)
	}
}

// TestPublishConflict: a 409 with errors and notices is reported as the
// official CLI reports it, and nothing more is published.
func TestPublishConflict(t *testing.T) {
	dir := t.TempDir()
	writePact(t, dir, "foo-bar.json", "Foo", "Bar", "a")
	writePact(t, dir, "foo-baz.json", "Foo", "Baz", "b")
	f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){
		"GET /ctx": publishIndex,
		publishRoute: reply(http.StatusConflict, "application/json;charset=utf-8", `{"notices":[`+
			`{"type":"error","text":"Cannot change the content of the pact for Foo version 1 and provider Bar, as race conditions will cause unreliable results for can-i-deploy."},`+
			`{"type":"info","text":"  -  \"a\"\n  +  \"b\""}],`+
			`"errors":{"contracts":["Cannot change the content of the pact for Foo version 1 and provider Bar"]}}`),
	})
	r := runCLI(t, base, "publish", dir, "-a", "1")
	wantErr := "❌ Pact publication failed:\n" +
		"   contracts: Cannot change the content of the pact for Foo version 1 and provider Bar\n" +
		"\nDetails:\n" +
		"Cannot change the content of the pact for Foo version 1 and provider Bar, as race conditions will cause unreliable results for can-i-deploy.\n" +
		"- \"a\" + \"b\"\n"
	if r.code != ExitError || r.stdout != "\n📨 Attempting to publish pact for consumer: Foo against provider: Bar\n" || r.stderr != wantErr {
		t.Fatalf("want exit 1 and\n%s\ngot %v", wantErr, r)
	}
	if got := f.requests(); len(got) != 2 {
		t.Fatalf("published after the conflict: %+v", got)
	}

	// A validation error without notices prints its messages.
	_, base = newFakeBroker(t, map[string]func(http.ResponseWriter){
		"GET /ctx":   publishIndex,
		publishRoute: reply(http.StatusBadRequest, "application/json", `{"errors":{"pacticipantVersionNumber":["is missing"]}}`),
	})
	if r := runCLI(t, base, "publish", dir, "-a", "1"); r.code != ExitError || r.stderr != "❌ pacticipantVersionNumber: is missing\n" {
		t.Fatalf("400: %v", r)
	}
}

func TestPublishOutputs(t *testing.T) {
	dir := t.TempDir()
	writePact(t, dir, "foo-bar.json", "Foo", "Bar", "a")
	file := filepath.Join(dir, "foo-bar.json")

	// A response without the fields the official CLI requires: published,
	// with its warning.
	_, base := newFakeBroker(t, map[string]func(http.ResponseWriter){"GET /ctx": publishIndex, publishRoute: hal200(map[string]any{})})
	r := runCLI(t, base, "publish", file, "-a", "1")
	want := "\n📨 Attempting to publish pact for consumer: Foo against provider: Bar\n" +
		"✅ Pact published successfully for consumer: Foo against provider: Bar\n" +
		"⚠️ Warning: Failed to process response notices - Error: Error(\"missing field `_embedded`\", line: 0, column: 0)\n"
	if r.code != ExitOK || r.stdout != want {
		t.Fatalf("minimal response: want\n%s\ngot %v", want, r)
	}

	// -o json: the Attempting line, then the response.
	_, base = newFakeBroker(t, map[string]func(http.ResponseWriter){"GET /ctx": publishIndex,
		publishRoute: reply(http.StatusOK, "application/hal+json", `{"notices":[],"b":1,"a":"<&>"}`)})
	r = runCLI(t, base, "publish", file, "-a", "1", "-o", "json")
	if want := "\n📨 Attempting to publish pact for consumer: Foo against provider: Bar\n" + `{"a":"<&>","b":1,"notices":[]}` + "\n"; r.code != ExitOK || r.stdout != want {
		t.Fatalf("json: want\n%s\ngot %v", want, r)
	}
}

func TestPublishAutoDetect(t *testing.T) {
	dir := t.TempDir()
	writePact(t, dir, "foo-bar.json", "Foo", "Bar", "a")
	newFake := func() (*fakeBroker, string) {
		return newFakeBroker(t, map[string]func(http.ResponseWriter){"GET /ctx": publishIndex, publishRoute: publishReply()})
	}
	attempt := "\n📨 Attempting to publish pact for consumer: Foo against provider: Bar\n✅ Pact published successfully for consumer: Foo against provider: Bar\n"
	calls := 0
	defer func(old func(context.Context, ...string) (string, error)) { gitOutput = old }(gitOutput)
	gitOutput = func(_ context.Context, args ...string) (string, error) {
		calls++
		switch strings.Join(args, " ") {
		case "rev-parse HEAD":
			return "0123abc\n", nil
		case "rev-parse --abbrev-ref HEAD":
			return "feat/y\n", nil
		}
		return "", errors.New("unexpected git " + strings.Join(args, " "))
	}

	// From CI variables first.
	f, base := newFake()
	env := map[string]string{"PACT_BROKER_BASE_URL": base, "GITHUB_SHA": "cafe01", "GITHUB_HEAD_REF": " ", "GITHUB_REF": "refs/heads/feat/x"}
	r := runCLIEnv(t, env, "publish", dir, "-r", "--tag-with-git-branch")
	if want := "🔍 Auto detected git commit: cafe01\n🔍 Auto detected git branch: feat/x\n" + attempt; r.code != ExitOK || r.stdout != want {
		t.Fatalf("from CI variables: want\n%s\ngot %v", want, r)
	}
	body, _ := publishBody(t, f.requests()[1])
	if str(body, "pacticipantVersionNumber") != "cafe01" || str(body, "branch") != "feat/x" || mustJSON(body["tags"]) != `["feat/x"]` || calls != 0 {
		t.Fatalf("body %v, git calls %d", body, calls)
	}

	// Then from git; given flags win.
	f, base = newFake()
	r = runCLI(t, base, "publish", dir, "--auto-detect-version-properties")
	if want := "🔍 Auto detected git commit: 0123abc\n🔍 Auto detected git branch: feat/y\n" + attempt; r.code != ExitOK || r.stdout != want {
		t.Fatalf("from git: want\n%s\ngot %v", want, r)
	}
	if body, _ = publishBody(t, f.requests()[1]); str(body, "pacticipantVersionNumber") != "0123abc" || str(body, "branch") != "feat/y" {
		t.Fatalf("body %v", body)
	}
	_, base = newFake()
	r = runCLI(t, base, "publish", dir, "-r", "-a", "9", "--branch", "b")
	if want := "🔍 auto_detect_version_properties set to true, but consumer_app_version provided 9\n🔍 auto_detect_version_properties set to true, but branch provided b\n" + attempt; r.code != ExitOK || r.stdout != want {
		t.Fatalf("flags given: want\n%s\ngot %v", want, r)
	}

	// No commit to be found.
	gitOutput = func(context.Context, ...string) (string, error) { return "", errors.New("not a git repository") }
	_, base = newFake()
	if r = runCLI(t, base, "publish", dir, "-r"); r.code != ExitError || !strings.Contains(r.stderr, "❌ Could not detect the git commit") {
		t.Fatalf("no git: %v", r)
	}
}

func TestPublishErrors(t *testing.T) {
	dir := t.TempDir()
	writePact(t, dir, "foo-bar.json", "Foo", "Bar", "a")
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nameless.json"), []byte(`{"consumer":{"name":"Foo"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	good := filepath.Join(dir, "foo-bar.json")
	f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){"GET /ctx": hal200(map[string]any{"_links": map[string]any{}})})
	cases := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"publish", good}, ExitUsage, "not provided: --consumer-app-version"},
		{[]string{"publish", "-a", "1"}, ExitUsage, "not provided: <PACT_FILES_DIRS_OR_GLOBS>"},
		{[]string{"publish", good, "-a", " "}, ExitUsage, "not provided: --consumer-app-version"},
		{[]string{"publish", good, "-a", "1", "-t", "a,,b"}, ExitUsage, "--tag values must not be blank"},
		{[]string{"publish", good, "-a", "1", "--branch", ""}, ExitUsage, "--branch must not be blank"},
		{[]string{"publish", dir, "-a", "1"}, ExitError, "❌ One or more pact files could not be loaded:\n" +
			"   '" + filepath.Join(dir, "broken.json") + "' - file is not JSON: invalid character 'n' looking for beginning of object key string\n" +
			"   '" + filepath.Join(dir, "nameless.json") + "' - not a pact: no provider name\n"},
		{[]string{"publish", filepath.Join(dir, "missing.json"), "-a", "1"}, ExitError, "missing.json' - no such file, directory or matching glob"},
		{[]string{"publish", empty, "-a", "1"}, ExitError, "❌ No pact files found to publish\n"},
		{[]string{"publish", good, "-a", "1"}, ExitError, "❌ Could not find relation 'pb:publish-contracts'"},
	}
	for _, tc := range cases {
		r := runCLI(t, base, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: want exit %d and %q, got %v", tc.args, tc.code, tc.want, r)
		}
	}
	for _, r := range f.requests() {
		if r.method != "GET" {
			t.Fatalf("published despite the errors: %+v", r)
		}
	}
	r := runCLIEnv(t, nil, "help", "publish")
	for _, want := range []string{"Usage: pactledger publish [flags] <PACT_FILES_DIRS_OR_GLOBS>...", "-r, --auto-detect-version-properties", "-t, --tag <TAG>", "(repeatable)", "--merge"} {
		if r.code != ExitOK || !strings.Contains(r.stdout, want) {
			t.Errorf("help publish lacks %q: %v", want, r)
		}
	}
}
