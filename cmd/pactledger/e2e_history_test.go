package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestE2EHistory records deployments with our CLI, the official one (when
// installed) and a raw request carrying X-Request-Id, then reads the audit
// trail of the built server over HTTP and with `pactledger history`:
// summaries, actor and correlation id, every filter, pagination by position
// and 400s for bad filters.
func TestE2EHistory(t *testing.T) {
	bin := e2eBuild(t)
	s := e2eStart(t, bin)
	ours := e2eCLI{name: "pactledger", argv: []string{bin}}

	for _, v := range []string{"1.2.2", "1.2.3"} {
		ours.ok(t, s, nil, "create-or-update-version", "--pacticipant", "foo", "--version", v)
	}
	ours.ok(t, s, nil, "record-deployment", "--pacticipant", "foo", "--version", "1.2.2", "--environment", "production", "--application-instance", "blue")
	envs := e2eEnvironments(t, s)
	// The next deployment replaces 1.2.2 on blue, through a raw request with
	// our own correlation id.
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/pacticipants/foo/versions/1.2.3/deployed-versions/environment/"+envs["production"],
		strings.NewReader(`{"applicationInstance":"blue"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "pipeline-run-42")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("record deployment: %v %v", err, res)
	}
	res.Body.Close()
	ours.ok(t, s, nil, "record-release", "--pacticipant", "foo", "--version", "1.2.3", "--environment", "test")
	ours.ok(t, s, nil, "record-undeployment", "--pacticipant", "foo", "--environment", "production", "--application-instance", "blue")
	if official, ok := officialCLIIfInstalled(); ok {
		pact := e2eCLI{name: "pact broker", argv: []string{official, "broker"}}
		pact.ok(t, s, nil, "record-deployment", "--pacticipant", "foo", "--version", "1.2.2", "--environment", "test")
	} else {
		ours.ok(t, s, nil, "record-deployment", "--pacticipant", "foo", "--version", "1.2.2", "--environment", "test")
	}

	all := e2eHistoryAll(t, s, "")
	for i, e := range all {
		if p := uint64(e2eAt(e, "position").(float64)); p != uint64(i+1) {
			t.Fatalf("entry %d has position %d: not in log order", i, p)
		}
		if e2eStr(e, "eventId") == "" || e2eStr(e, "stream") == "" || e2eStr(e, "actor") == "" || e2eStr(e, "summary") == "" {
			t.Fatalf("entry %d lacks a field: %v", i, e)
		}
	}
	summaries := func(entries []any) []string {
		var out []string
		for _, e := range entries {
			out = append(out, e2eStr(e, "summary"))
		}
		return out
	}
	foo := e2eHistoryAll(t, s, "?pacticipant=foo&type=DeploymentRecorded,AutoUndeployed,Undeployed&type=ReleaseRecorded")
	want := []string{
		"version 1.2.2 of foo deployed to production (instance blue)",
		"version 1.2.3 of foo deployed to production (instance blue), replacing 1.2.2",
		"version 1.2.3 of foo released to test",
		"version 1.2.3 of foo undeployed from production (instance blue)",
		"version 1.2.2 of foo deployed to test",
	}
	if got := summaries(foo); !slices.Equal(got, want) {
		t.Fatalf("foo's deployments and releases:\n got  %q\n want %q", got, want)
	}
	replacing := foo[1]
	if e2eStr(replacing, "correlationId") != "pipeline-run-42" || e2eStr(replacing, "actor") != "anonymous" ||
		e2eStr(replacing, "type") != "DeploymentRecorded" || e2eStr(replacing, "payload", "version") != "1.2.3" {
		t.Fatalf("the raw request's entry: %v", replacing)
	}
	if e2eStr(replacing, "payload", "replaces", "version") != "1.2.2" {
		t.Fatalf("the replacing deployment does not name the one it replaced: %v", replacing)
	}

	filters := []struct {
		query string
		want  []string
	}{
		{"?environment=production&pacticipant=foo", []string{want[0], want[1], want[3]}},
		{"?environment=production&pacticipant=foo&type=Undeployed", want[3:4]},
		{"?environment=test", []string{"environment test created", want[2], want[4]}},
		{"?environment=" + envs["test"], []string{"environment test created", want[2], want[4]}},
		{"?pacticipant=foo&version=1.2.3&environment=production", []string{want[1], want[3]}},
		{"?pacticipant=foo&version=1.2.2&environment=production", []string{want[0], want[1]}},
		{"?pacticipant=nobody", nil},
	}
	for _, f := range filters {
		if got := summaries(e2eHistoryAll(t, s, f.query)); !slices.Equal(got, f.want) {
			t.Errorf("GET /history%s:\n got  %q\n want %q", f.query, got, f.want)
		}
	}
	// Time range: from the replacing deployment's time to the release's.
	from, to := e2eStr(foo[1], "time"), e2eStr(foo[2], "time")
	q := "?pacticipant=foo&from=" + url.QueryEscape(from) + "&to=" + url.QueryEscape(to)
	if got := summaries(e2eHistoryAll(t, s, q)); !slices.Equal(got, want[1:3]) {
		t.Errorf("GET /history%s:\n got  %q\n want %q", q, got, want[1:3])
	}

	// Pages of 2 follow the next links through the whole log.
	var paged []any
	for path := "/history?limit=2"; path != ""; {
		_, body := s.getJSON(t, path)
		page := e2eList(body, "_embedded", "entries")
		if len(page) > 2 {
			t.Fatalf("page of %d entries, limit 2", len(page))
		}
		paged = append(paged, page...)
		path = strings.TrimPrefix(e2eStr(body, "_links", "next", "href"), s.URL)
	}
	if got, want := summaries(paged), summaries(all); !slices.Equal(got, want) {
		t.Fatalf("paged history differs from the full one:\n got  %q\n want %q", got, want)
	}

	for _, bad := range []string{"?type=NoSuchEvent", "?from=yesterday", "?to=2026-13-01", "?after=x", "?limit=0", "?limit=many"} {
		status, body := s.getJSON(t, "/history"+bad)
		if status != 400 || e2eAt(body, "errors") == nil {
			t.Errorf("GET /history%s: %d %v, want 400 with errors", bad, status, body)
		}
	}

	t.Run("CLI", func(t *testing.T) {
		out := ours.ok(t, s, nil, "history", "--pacticipant", "foo", "--environment", "production")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 { // two deployments (one replacing the other) and the undeployment
			t.Fatalf("timeline of foo in production: %d lines\n%s", len(lines), out)
		}
		if !strings.Contains(lines[1], "DeploymentRecorded") || !strings.Contains(lines[1], want[1]) || !strings.HasPrefix(lines[1], "#") {
			t.Fatalf("timeline line: %q", lines[1])
		}
		page := ours.ok(t, s, []string{"… more: pactledger history --pacticipant foo --limit 1 --after"}, "history", "-a", "foo", "--limit", "1")
		if strings.Count(page, "\n#") != 0 || !strings.HasPrefix(page, "#") {
			t.Fatalf("one entry per page:\n%s", page)
		}
		raw := ours.ok(t, s, nil, "history", "--all", "--limit", "3", "-o", "json", "--type", "ReleaseRecorded")
		var got struct {
			Entries []struct {
				Type, Summary string
				Position      int
			}
		}
		if err := json.Unmarshal([]byte(raw), &got); err != nil || len(got.Entries) != 1 || got.Entries[0].Summary != want[2] {
			t.Fatalf("history -o json: %v %+v\n%s", err, got, raw)
		}
		r := ours.run(t, s, "history", "--from", "yesterday")
		if r.code != 2 {
			t.Fatalf("history --from yesterday: exit %d, want 2 (usage)\n%s", r.code, r.combined())
		}
		ours.ok(t, s, []string{"No recorded changes match."}, "history", "--from", time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	})
}

// officialCLIIfInstalled returns the official CLI's path when it is there
// (the test then records one deployment with it; otherwise with ours).
func officialCLIIfInstalled() (string, bool) {
	path := os.Getenv("PACT_CLI")
	if path == "" {
		path = e2eOfficialCLI
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false
	}
	_, err = os.Stat(abs)
	return abs, err == nil
}
