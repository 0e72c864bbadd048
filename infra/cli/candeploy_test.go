package cli

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// The fake broker's matrix answers, shaped as the Pact Broker's (and as
// the trace server's the official CLI's output was recorded against).
const (
	vrHref       = elsewhere + "/pacts/provider/Bar/consumer/Foo/pact-version/8a1b9c3d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b/verification-results/1"
	yesNotice    = "All required verification results are published and successful"
	noNotice     = "The verification for the pact between version 1.0.0 of Foo and the latest version of Bar (2.0.0) failed"
	unknownText  = "There is no verified pact between version 1.0.0 of Foo and the latest version of Bar"
	matrixRoute  = "GET /ctx/matrix"
	tableHeader6 = "┌──────────┬───────────┬──────────┬───────────┬──────────┬────────┐\n" +
		"│ CONSUMER ┆ C.VERSION ┆ PROVIDER ┆ P.VERSION ┆ SUCCESS? ┆ RESULT │\n" +
		"╞══════════╪═══════════╪══════════╪═══════════╪══════════╪════════╡\n"
	tableFooter6 = "└──────────┴───────────┴──────────┴───────────┴──────────┴────────┘\n"
)

// matrixBody is a matrix response: deployable true, false or nil.
func matrixBody(deployable any) map[string]any {
	row := map[string]any{
		"consumer": map[string]any{"name": "Foo", "version": map[string]any{"number": "1.0.0", "branch": "main"},
			"_links": map[string]any{"self": map[string]any{"href": elsewhere + "/pacticipants/Foo"}}},
		"provider": map[string]any{"name": "Bar", "version": nil},
		"pact": map[string]any{"createdAt": "2024-03-17T07:11:23+00:00",
			"_links": map[string]any{"self": map[string]any{"href": elsewhere + "/pacts/provider/Bar/consumer/Foo/version/1.0.0"}}},
		"verificationResult": nil,
	}
	notice := map[string]any{"type": "warning", "text": unknownText}
	if d, ok := deployable.(bool); ok {
		row["provider"] = map[string]any{"name": "Bar", "version": map[string]any{"number": "2.0.0"}}
		row["verificationResult"] = map[string]any{"success": d, "verifiedAt": "2024-03-17T07:11:23+00:00",
			"_links": map[string]any{"self": map[string]any{"href": vrHref}}}
		notice = map[string]any{"type": "success", "text": yesNotice}
		if !d {
			notice = map[string]any{"type": "error", "text": noNotice}
		}
	}
	return map[string]any{
		"summary": map[string]any{"deployable": deployable, "reason": "…", "success": 0, "failed": 0, "unknown": 1},
		"notices": []any{notice},
		"matrix":  []any{row},
	}
}

// The official CLI's text output for those answers (recorded, with the
// href rebased onto the fake's links).
var (
	yesOutput = tableHeader6 +
		"│ Foo      ┆ 1.0.0     ┆ Bar      ┆ 2.0.0     ┆ true     ┆ 1      │\n" + tableFooter6 +
		"\nVERIFICATION RESULTS\n--------------------\n1. " + vrHref + " (success)\n\n\n" +
		yesNotice + "\n\n\n" +
		"✅ Computer says yes \\o/\n"
	noOutput = tableHeader6 +
		"│ Foo      ┆ 1.0.0     ┆ Bar      ┆ 2.0.0     ┆ false    ┆ 1      │\n" + tableFooter6 +
		"\nVERIFICATION RESULTS\n--------------------\n1. " + vrHref + " (failure)\n\n\n" +
		noNotice + "\n\n\n" +
		"❌ Computer says no ¯\\_(ツ)_/¯\n"
	unknownOutput = tableHeader6 +
		"│ Foo      ┆ 1.0.0     ┆ Bar      ┆ unknown   ┆ unknown  ┆ 0      │\n" + tableFooter6 +
		unknownText + "\n\n\n" +
		"❌ Computer says no ¯\\_(ツ)_/¯\n"
)

// sequence answers with each handler in turn, repeating the last.
func sequence(handlers ...func(http.ResponseWriter)) func(http.ResponseWriter) {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter) {
		mu.Lock()
		h := handlers[min(n, len(handlers)-1)]
		n++
		mu.Unlock()
		h(w)
	}
}

// matrixQueries are the queries of the GET /ctx/matrix requests received.
func matrixQueries(t *testing.T, f *fakeBroker) []string {
	t.Helper()
	var qs []string
	for _, r := range f.requests() {
		if r.method != "GET" || r.path != "/ctx/matrix" {
			t.Fatalf("unexpected request %+v", r)
		}
		qs = append(qs, r.query)
	}
	return qs
}

// TestMatrixQueries checks the one request per command against the query
// strings the official CLI was recorded sending for the same argv.
func TestMatrixQueries(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"can-i-deploy", "-a", "Foo", "-e", "1.0.0", "--to-environment", "production"},
			"q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=production"},
		{[]string{"can-i-deploy", "-a", "Foo", "-e", "1.0.0", "--to-environment", "production", "--ignore", "Bar", "--version", "2.0.0", "--ignore", "Baz"},
			"q[][pacticipant]=Foo&q[][version]=1.0.0&ignore[][pacticipant]=Bar&ignore[][version]=2.0.0&ignore[][pacticipant]=Baz&latestby=cvpv&environment=production"},
		{[]string{"can-i-deploy", "--pacticipant", "Foo", "--latest"},
			"q[][pacticipant]=Foo&q[][latest]=true&latestby=cvp&latest=true"},
		{[]string{"can-i-deploy", "--pacticipant", "Foo", "--latest", "prod"},
			"q[][pacticipant]=Foo&q[][latest]=true&q[][tag]=prod&latestby=cvp&latest=true"},
		{[]string{"can-i-deploy", "--pacticipant", "Foo", "--branch", "feat/x"},
			"q[][pacticipant]=Foo&q[][branch]=feat%2Fx&latestby=cvp&latest=true"},
		{[]string{"can-i-deploy", "--pacticipant", "Foo", "--main-branch", "--to-environment", "production"},
			"q[][pacticipant]=Foo&q[][mainBranch]=true&latestby=cvpv&environment=production"},
		{[]string{"can-i-deploy", "--pacticipant", "Foo", "--tag", "t1", "--tag", "t2"},
			"q[][pacticipant]=Foo&q[][tag]=t1&q[][tag]=t2&latestby=cvp&latest=true"},
		{[]string{"can-i-deploy", "--pacticipant", "Foo", "--version", "1.0.0", "--to", "prod"},
			"q[][pacticipant]=Foo&q[][version]=1.0.0&tag=prod&latestby=cvp&latest=true"},
		{[]string{"can-i-deploy", "--pacticipant", "Foo", "--to-environment", "production"},
			"q[][pacticipant]=Foo&latestby=cvpv&environment=production"},
		{[]string{"can-i-deploy", "-a", "Foo", "-e", "1.0.0", "-a", "Bar", "--latest", "main"},
			"q[][pacticipant]=Foo&q[][version]=1.0.0&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=main&latestby=cvpv"},
		{[]string{"can-i-merge", "--pacticipant", "Foo", "--version", "1.0.0"},
			"q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvp&latest=true&mainBranch=true"},
		{[]string{"can-i-merge", "-a", "Foo", "-e", "1.0.0", "-a", "Bar", "-e", "2.0.0"},
			"q[][pacticipant]=Foo&q[][version]=1.0.0&q[][pacticipant]=Bar&q[][version]=2.0.0&latestby=cvpv&mainBranch=true"},
		{[]string{"can-i-deploy", "-a", "Foo App", "-e", "1.0.0+a/b", "--to-environment", "pre prod"},
			"q[][pacticipant]=Foo%20App&q[][version]=1.0.0%2Ba%2Fb&latestby=cvpv&environment=pre%20prod"},
		{[]string{"can-i-deploy", "-a", "Foo", "-e", "1", "--ignore", "Bar", "-e", "3", "-a", "Baz", "--latest"},
			"q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Baz&q[][latest]=true&ignore[][pacticipant]=Bar&ignore[][version]=3&latestby=cvpv"},
		{[]string{"can-i-deploy", "-a", "Foo", "--main-branch", "--branch", "b", "--tag", "t", "--latest", "x", "-e", "9", "-a", "Bar", "-e", "2", "--to", "t2"},
			"q[][pacticipant]=Foo&q[][version]=9&q[][latest]=true&q[][tag]=x&q[][branch]=b&q[][tag]=t&q[][mainBranch]=true&q[][pacticipant]=Bar&q[][version]=2&tag=t2&latestby=cvpv"},
		// The = forms the official CLI's scan does not see work the same.
		{[]string{"can-i-deploy", "--pacticipant=Foo", "--version=1.0.0", "--to-environment=production"},
			"q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=production"},
	}
	for _, tc := range cases {
		f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){matrixRoute: hal200(matrixBody(true))})
		r := runCLIEnv(t, map[string]string{"PACT_BROKER_TOKEN": "tok"}, append(tc.args, "-b", base)...)
		if r.code != ExitOK {
			t.Errorf("%v: %v", tc.args, r)
			continue
		}
		got := f.requests()
		if len(got) != 1 || got[0] != (request{method: "GET", path: "/ctx/matrix", query: tc.want, auth: "Bearer tok"}) {
			t.Errorf("%v:\n got %+v\nwant one GET /ctx/matrix?%s", tc.args, got, tc.want)
		}
	}
}

func TestCanIDeployOutput(t *testing.T) {
	cases := []struct {
		name           string
		answer         func(http.ResponseWriter)
		args           []string
		code           int
		stdout, stderr string
	}{
		{"yes", hal200(matrixBody(true)), nil, ExitOK, yesOutput, ""},
		{"no", hal200(matrixBody(false)), nil, ExitError, noOutput, "❌ No deployable version found\n"},
		{"unknown", hal200(matrixBody(nil)), nil, ExitError, unknownOutput, "❌ No deployable version found\n"},
		{"dry run no", hal200(matrixBody(false)), []string{"--dry-run"}, ExitOK,
			noOutput + "📌 Dry run enabled, suppressing failing exit code\n", ""},
		{"dry run unknown", hal200(matrixBody(nil)), []string{"--dry-run"}, ExitOK,
			unknownOutput + "📌 Dry run enabled, suppressing failing exit code\n", ""},
		{"dry run yes", hal200(matrixBody(true)), []string{"--dry-run"}, ExitOK, yesOutput, ""},
		{"no rows", hal200(map[string]any{"summary": map[string]any{"deployable": true},
			"notices": []any{map[string]any{"type": "success", "text": yesNotice}}, "matrix": []any{}}), nil, ExitOK,
			yesNotice + "\n\n\n✅ Computer says yes \\o/\n", ""},
		{"no summary", hal200(map[string]any{"matrix": []any{}}), nil, ExitError,
			"❌ Computer says no ¯\\_(ツ)_/¯\n", "❌ No deployable version found\n"},
		{"bad shape", hal200(map[string]any{"summary": map[string]any{"deployable": true}, "rows": []any{}}), nil, ExitError,
			"❌ missing field `matrix`\n\n\n❌ Computer says no ¯\\_(ツ)_/¯\n", "❌ No deployable version found\n"},
		{"notice whitespace", hal200(map[string]any{"summary": map[string]any{"deployable": true}, "matrix": []any{},
			"notices": []any{map[string]any{"type": "info", "text": "  two  spaces\n  and a line"}}}), nil, ExitOK,
			"two spaces and a line\n\n\n✅ Computer says yes \\o/\n", ""},
		{"json", hal200(matrixBody(false)), []string{"-o", "json"}, ExitOK, mustJSON(matrixBody(false)) + "\n", ""},
		{"errors", reply(http.StatusBadRequest, "application/json", `{"errors":{"q":["Please provide 1 or more pacticipant versions"]}}`),
			nil, ExitError, "", "❌ q: Please provide 1 or more pacticipant versions\n"},
		{"errors with notices", reply(http.StatusBadRequest, "application/json",
			`{"errors":["Environment with name 'nope' does not exist"],"notices":[{"type":"error","text":"Environment with name 'nope' does not exist"}]}`),
			nil, ExitError, "",
			"❌ Can-i-deploy command failed:\n   Environment with name 'nope' does not exist\n\nDetails:\nEnvironment with name 'nope' does not exist\n"},
		{"dry run error", reply(http.StatusBadRequest, "application/json", `{"errors":["nope"]}`), []string{"--dry-run"}, ExitOK,
			"📌 Dry run enabled, suppressing failing exit code\n", "❌ nope\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){matrixRoute: tc.answer})
			r := runCLI(t, base, append([]string{"can-i-deploy", "-a", "Foo", "-e", "1.0.0", "--to-environment", "production"}, tc.args...)...)
			if r.code != tc.code || r.stdout != tc.stdout || r.stderr != tc.stderr {
				t.Fatalf("want exit %d\nstdout:\n%sstderr:\n%s\ngot %v", tc.code, tc.stdout, tc.stderr, r)
			}
			if n := len(matrixQueries(t, f)); n != 1 {
				t.Fatalf("%d matrix requests, want 1", n)
			}
		})
	}
}

// TestVerificationTypeColumn: a row with verificationType (even null) adds
// the column, "unknown" for null.
func TestVerificationTypeColumn(t *testing.T) {
	body := matrixBody(true)
	body["matrix"].([]any)[0].(map[string]any)["verificationType"] = nil
	_, base := newFakeBroker(t, map[string]func(http.ResponseWriter){matrixRoute: hal200(body)})
	want := "┌──────────┬───────────┬──────────┬───────────┬──────────┬────────┬───────────────────┐\n" +
		"│ CONSUMER ┆ C.VERSION ┆ PROVIDER ┆ P.VERSION ┆ SUCCESS? ┆ RESULT ┆ VERIFICATION TYPE │\n" +
		"╞══════════╪═══════════╪══════════╪═══════════╪══════════╪════════╪═══════════════════╡\n" +
		"│ Foo      ┆ 1.0.0     ┆ Bar      ┆ 2.0.0     ┆ true     ┆ 1      ┆ unknown           │\n" +
		"└──────────┴───────────┴──────────┴───────────┴──────────┴────────┴───────────────────┘\n"
	r := runCLI(t, base, "can-i-deploy", "-a", "Foo", "-e", "1.0.0")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, want) {
		t.Fatalf("want the table\n%s\ngot %v", want, r)
	}
}

func TestRetryWhileUnknown(t *testing.T) {
	unknown, yes, no := hal200(matrixBody(nil)), hal200(matrixBody(true)), hal200(matrixBody(false))
	busy := reply(http.StatusBadRequest, "application/json", `{"errors":["not yet"]}`)
	cases := []struct {
		name     string
		answers  []func(http.ResponseWriter)
		retries  string
		requests int
		code     int
		stdout   string
	}{
		{"unknown twice then yes", []func(http.ResponseWriter){unknown, unknown, yes}, "3", 3, ExitOK, yesOutput},
		{"unknown throughout", []func(http.ResponseWriter){unknown}, "2", 3, ExitError, unknownOutput},
		{"no is not retried", []func(http.ResponseWriter){no, yes}, "5", 1, ExitError, noOutput},
		{"errors are retried", []func(http.ResponseWriter){busy, yes}, "1", 2, ExitOK, yesOutput},
		{"no retry without the flag", []func(http.ResponseWriter){unknown, yes}, "", 1, ExitError, unknownOutput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){matrixRoute: sequence(tc.answers...)})
			args := []string{"can-i-deploy", "-a", "Foo", "-e", "1.0.0", "--to-environment", "production", "--retry-interval", "0.01"}
			if tc.retries != "" {
				args = append(args, "--retry-while-unknown", tc.retries)
			}
			start := time.Now()
			r := runCLI(t, base, args...)
			if r.code != tc.code || r.stdout != tc.stdout {
				t.Fatalf("want exit %d and\n%s\ngot %v", tc.code, tc.stdout, r)
			}
			qs := matrixQueries(t, f)
			if len(qs) != tc.requests {
				t.Fatalf("%d matrix requests, want %d", len(qs), tc.requests)
			}
			for _, q := range qs {
				if q != "q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=production" {
					t.Fatalf("query %q", q)
				}
			}
			if wait := time.Duration(tc.requests-1) * 10 * time.Millisecond; time.Since(start) < wait {
				t.Fatalf("took %v, want at least %v of intervals", time.Since(start), wait)
			}
		})
	}
}

func TestSeveralEnvironments(t *testing.T) {
	const (
		uat  = "q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=uat"
		prod = "q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=production"
	)
	args := []string{"can-i-deploy", "-a", "Foo", "-e", "1.0.0", "--to-environment", "uat", "--to-environment", "production"}

	f, base := newFakeBroker(t, map[string]func(http.ResponseWriter){
		matrixRoute + "?" + uat: hal200(matrixBody(true)), matrixRoute + "?" + prod: hal200(matrixBody(true))})
	r := runCLI(t, base, args...)
	if want := "Environment: uat\n" + yesOutput + "\nEnvironment: production\n" + yesOutput; r.code != ExitOK || r.stdout != want || r.stderr != "" {
		t.Fatalf("both yes: want exit 0 and\n%s\ngot %v", want, r)
	}
	if qs := matrixQueries(t, f); len(qs) != 2 || qs[0] != uat || qs[1] != prod {
		t.Fatalf("queries %q", qs)
	}

	_, base = newFakeBroker(t, map[string]func(http.ResponseWriter){
		matrixRoute + "?" + uat: hal200(matrixBody(true)), matrixRoute + "?" + prod: hal200(matrixBody(false))})
	r = runCLI(t, base, args...)
	want := "Environment: uat\n" + yesOutput + "\nEnvironment: production\n" + noOutput
	if r.code != ExitError || r.stdout != want || r.stderr != "❌ No deployable version found for environment production\n" {
		t.Fatalf("yes and no: want exit 1 and\n%s\ngot %v", want, r)
	}
	if r = runCLI(t, base, append(args, "--dry-run")...); r.code != ExitOK || r.stdout != want+"📌 Dry run enabled, suppressing failing exit code\n" {
		t.Fatalf("yes and no, dry run: %v", r)
	}

	// An environment the server refuses is reported; the others still print.
	_, base = newFakeBroker(t, map[string]func(http.ResponseWriter){
		matrixRoute + "?" + uat:  reply(http.StatusBadRequest, "application/json", `{"errors":["Environment with name 'uat' does not exist"]}`),
		matrixRoute + "?" + prod: hal200(matrixBody(false))})
	r = runCLI(t, base, args...)
	want = "Environment: uat\n\nEnvironment: production\n" + noOutput
	if r.code != ExitError || r.stdout != want ||
		r.stderr != "❌ Environment with name 'uat' does not exist\n❌ No deployable version found for environment production\n" {
		t.Fatalf("error and no: want exit 1 and\n%s\ngot %v", want, r)
	}

	// -o json: one object, keyed by environment.
	_, base = newFakeBroker(t, map[string]func(http.ResponseWriter){
		matrixRoute + "?" + uat: hal200(matrixBody(true)), matrixRoute + "?" + prod: hal200(matrixBody(false))})
	r = runCLI(t, base, append(args, "-o", "json")...)
	if want := mustJSON(map[string]any{"uat": matrixBody(true), "production": matrixBody(false)}) + "\n"; r.code != ExitOK || r.stdout != want {
		t.Fatalf("json: want exit 0 and\n%s\ngot %v", want, r)
	}
}

func TestMatrixUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"can-i-deploy"}, "not provided: --pacticipant"},
		{[]string{"can-i-deploy", "-e", "1.0.0", "-a", "Foo"}, "--version 1.0.0 must come directly after the --pacticipant (or --ignore) it belongs to"},
		{[]string{"can-i-deploy", "-a", "Foo", "--to-environment", "prod", "-e", "1.0.0"}, "--version 1.0.0 must come directly after"},
		{[]string{"can-i-deploy", "-a", "Foo", "--ignore", "Bar", "--latest"}, "--latest must come directly after the --pacticipant it belongs to"},
		{[]string{"can-i-deploy", "-a", "Foo", "--retry-while-unknown", "x"}, "--retry-while-unknown must be a whole number"},
		{[]string{"can-i-deploy", "-a", "Foo", "--retry-interval", "-1"}, "--retry-interval must be a number of seconds"},
		{[]string{"can-i-deploy", "-a", "Foo", "--to-environment", " "}, "--to-environment must not be blank"},
		{[]string{"can-i-deploy", "-a", "Foo", "-o", "yaml"}, "--output must be one of table, text, json"},
		{[]string{"can-i-merge", "-a", "Foo", "--to-environment", "prod"}, "flag provided but not defined: -to-environment"},
	}
	for _, tc := range cases {
		r := runCLIEnv(t, nil, tc.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: want exit 2 and %q, got %v", tc.args, tc.want, r)
		}
	}
	r := runCLIEnv(t, nil, "help", "can-i-deploy")
	for _, want := range []string{"--to-environment <TO_ENVIRONMENT>", "(repeatable)", "--retry-while-unknown", "--dry-run", "[default: table]", "-l, --latest [LATEST]"} {
		if r.code != ExitOK || !strings.Contains(r.stdout, want) {
			t.Errorf("help can-i-deploy lacks %q: %v", want, r)
		}
	}
}

// mustJSON is v as the CLI prints JSON: compact, keys sorted.
func mustJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}
