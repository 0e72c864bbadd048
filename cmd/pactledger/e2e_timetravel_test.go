package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// instant is one moment of the time-travel script and what the broker must
// have answered then.
type instant struct {
	name string
	// production and test: the currently deployed "pacticipant version"
	// entries, sorted; supported: currently supported releases in production.
	production, test, supported []string
	// canDeploy: can Foo 1.0.0 go to production? "yes", "no", or
	// "unknown" while no Bar is there (a consumer needs its provider
	// deployed, as in the Pact Broker).
	canDeploy string

	position uint64    // recorded after the step
	at       time.Time // a time between this step's last event and the next step's first
}

// TestE2ETimeTravel runs a scripted sequence of deployments, a rollback, an
// undeployment and releases against the built server, records the log
// position after each step, and asks, at five instants, by position= and
// by at= (HTTP, and --at with our CLI), what was deployed and supported and
// whether Foo 1.0.0 could be deployed to production. The answers must match
// the hand-written table below, although the present state differs from
// every instant.
//
// The contracts: Foo 1.0.0's pact with Bar is verified by Bar 1.0.0
// (passed) and Bar 2.0.0 (failed), so can-i-deploy says yes while Bar 1.0.0
// or no Bar is in production, and no while Bar 2.0.0 is.
func TestE2ETimeTravel(t *testing.T) {
	bin := e2eBuild(t)
	s := e2eStart(t, bin)
	ours := e2eCLI{name: "pactledger", argv: []string{bin}}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Foo-Bar.json"), []byte(e2ePact), 0o600); err != nil {
		t.Fatal(err)
	}
	ours.ok(t, s, nil, "publish", dir, "--consumer-app-version", "1.0.0", "--branch", "main")
	for _, v := range []string{"1.0.0", "2.0.0"} {
		ours.ok(t, s, nil, "create-or-update-version", "--pacticipant", "Bar", "--version", v)
	}
	publishResult(t, s, "1.0.0", true)
	publishResult(t, s, "2.0.0", false)

	deploy := func(p, v, env string) {
		ours.ok(t, s, nil, "record-deployment", "--pacticipant", p, "--version", v, "--environment", env)
	}
	table := []instant{
		{name: "A: nothing deployed", canDeploy: "unknown"},
		{name: "B: Bar 1.0.0 deployed", production: []string{"Bar 1.0.0"}, canDeploy: "yes"},
		{name: "C: Bar 2.0.0 replaced it", production: []string{"Bar 2.0.0"}, canDeploy: "no"},
		{name: "D: rolled back to Bar 1.0.0, Foo 1.0.0 released", production: []string{"Bar 1.0.0"},
			supported: []string{"Foo 1.0.0"}, canDeploy: "yes"},
		{name: "E: Bar undeployed from production, Bar 2.0.0 in test", test: []string{"Bar 2.0.0"},
			supported: []string{"Foo 1.0.0"}, canDeploy: "unknown"},
	}
	steps := []func(){
		func() {},
		func() { deploy("Bar", "1.0.0", "production") },
		func() { deploy("Bar", "2.0.0", "production") },
		func() {
			deploy("Bar", "1.0.0", "production") // the rollback: a new deployment of the older version
			ours.ok(t, s, nil, "record-release", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "production")
		},
		func() {
			ours.ok(t, s, nil, "record-undeployment", "--pacticipant", "Bar", "--environment", "production")
			deploy("Bar", "2.0.0", "test")
		},
	}
	for i, step := range steps {
		step()
		table[i].position, _ = e2eHead(t, s)
		time.Sleep(20 * time.Millisecond) // so that "at" has room between two steps
	}
	// The present differs from every instant.
	ours.ok(t, s, nil, "record-support-ended", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "production")
	deploy("Bar", "2.0.0", "production")
	now := instant{name: "now", production: []string{"Bar 2.0.0"}, test: []string{"Bar 2.0.0"}, canDeploy: "no"}

	// at= is a time strictly between an instant's last event and the next
	// event, taken from the audit trail.
	times := map[uint64]time.Time{}
	for _, e := range e2eHistoryAll(t, s, "") {
		ts, err := time.Parse(time.RFC3339Nano, e2eStr(e, "time"))
		if err != nil {
			t.Fatal(err)
		}
		times[uint64(e2eAt(e, "position").(float64))] = ts
	}
	for i := range table {
		this, next := times[table[i].position], times[table[i].position+1]
		if !next.After(this) {
			t.Fatalf("instant %s: next event at %s is not after %s", table[i].name, next, this)
		}
		table[i].at = this.Add(next.Sub(this) / 2)
	}

	check := func(t *testing.T, want instant, query string) {
		t.Helper()
		envs := e2eEnvironments(t, s)
		for _, c := range []struct {
			env, path, key string
			want           []string
		}{
			{"production", "deployed-versions/currently-deployed", "deployedVersions", want.production},
			{"test", "deployed-versions/currently-deployed", "deployedVersions", want.test},
			{"production", "released-versions/currently-supported", "releasedVersions", want.supported},
		} {
			status, body := s.getJSON(t, "/environments/"+envs[c.env]+"/"+c.path+query)
			if status != 200 {
				t.Fatalf("%s %s%s: status %d %v", c.env, c.path, query, status, body)
			}
			var got []string
			for _, item := range e2eList(body, "_embedded", c.key) {
				got = append(got, e2eStr(item, "_embedded", "pacticipant", "name")+" "+e2eStr(item, "_embedded", "version", "number"))
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: %s %s%s = %v, want %v", want.name, c.env, c.path, query, got, c.want)
			}
		}
		status, body := s.getJSON(t, "/can-i-deploy?pacticipant=Foo&version=1.0.0&environment=production"+strings.Replace(query, "?", "&", 1))
		if status != 200 {
			t.Fatalf("can-i-deploy%s: status %d %v", query, status, body)
		}
		if got := map[any]string{true: "yes", false: "no", nil: "unknown"}[e2eAt(body, "summary", "deployable")]; got != want.canDeploy {
			t.Errorf("%s: can-i-deploy%s says %v, want %v (%v)", want.name, query, got, want.canDeploy, e2eAt(body, "summary", "reason"))
		}
	}
	t.Run("now", func(t *testing.T) { check(t, now, "") })
	for _, want := range table {
		t.Run(want.name+" by position", func(t *testing.T) { check(t, want, fmt.Sprintf("?position=%d", want.position)) })
		t.Run(want.name+" by at", func(t *testing.T) {
			check(t, want, "?at="+url.QueryEscape(want.at.Format(time.RFC3339Nano)))
		})
		t.Run(want.name+" by CLI --at", func(t *testing.T) {
			at := want.at.Format(time.RFC3339Nano)
			r := ours.run(t, s, "describe-version", "--pacticipant", "Bar", "--environment", "production", "--deployed", "-o", "json", "--at", at)
			if r.code != 0 {
				t.Fatalf("describe-version --at: exit %d\n%s", r.code, r.combined())
			}
			// Bar's deployments in production: exactly the table's.
			if n := strings.Count(r.stdout, `"currentlyDeployed":true`); n != len(want.production) {
				t.Errorf("describe-version --at %s shows %d deployments, want %v:\n%s", at, n, want.production, r.stdout)
			}
			for _, p := range want.production {
				if !strings.Contains(r.stdout, `"number":"`+strings.TrimPrefix(p, "Bar ")+`"`) {
					t.Errorf("describe-version --at %s lacks %s:\n%s", at, p, r.stdout)
				}
			}
			r = ours.run(t, s, "can-i-deploy", "--pacticipant", "Foo", "--version", "1.0.0", "--to-environment", "production", "--at", at)
			if wantCode := map[string]int{"yes": 0, "no": 1, "unknown": 1}[want.canDeploy]; r.code != wantCode {
				t.Errorf("can-i-deploy --at %s: exit %d, want %d\n%s", at, r.code, wantCode, r.combined())
			}
		})
	}

	t.Run("the version resource as it was", func(t *testing.T) {
		// Bar 2.0.0 did not exist before its create-or-update-version.
		first := e2eHistoryAll(t, s, "?pacticipant=Bar&version=2.0.0&type=VersionCreated")
		if len(first) != 1 {
			t.Fatalf("VersionCreated of Bar 2.0.0: %v", first)
		}
		p := uint64(e2eAt(first[0], "position").(float64))
		if status, _ := s.getJSON(t, fmt.Sprintf("/pacticipants/Bar/versions/2.0.0?position=%d", p-1)); status != 404 {
			t.Errorf("Bar 2.0.0 before it was created: status %d, want 404", status)
		}
		if status, body := s.getJSON(t, fmt.Sprintf("/pacticipants/Bar/versions/2.0.0?position=%d", p)); status != 200 || e2eStr(body, "number") != "2.0.0" {
			t.Errorf("Bar 2.0.0 once created: status %d %v", status, body)
		}
	})

	t.Run("bad instants are 400 with a Pact Broker body", func(t *testing.T) {
		head, _ := e2eHead(t, s)
		for _, q := range []string{"?at=yesterday", "?position=-1", fmt.Sprintf("?position=%d", head+1), "?position=1&at=2026-01-01T00:00:00Z"} {
			status, body := s.getJSON(t, "/can-i-deploy?pacticipant=Foo&version=1.0.0&environment=production"+strings.Replace(q, "?", "&", 1))
			if status != 400 || e2eAt(body, "errors") == nil {
				t.Errorf("can-i-deploy%s: status %d %v, want 400 with errors", q, status, body)
			}
			envs := e2eEnvironments(t, s)
			status, body = s.getJSON(t, "/environments/"+envs["production"]+"/deployed-versions/currently-deployed"+q)
			if status != 400 || e2eAt(body, "errors") == nil {
				t.Errorf("currently-deployed%s: status %d %v, want 400 with errors", q, status, body)
			}
		}
		// A time after the last event is the present.
		status, body := s.getJSON(t, "/can-i-deploy?pacticipant=Foo&version=1.0.0&environment=production&at=2999-01-01T00:00:00Z")
		if status != 200 || e2eAt(body, "summary", "deployable") != false {
			t.Errorf("a future at: status %d %v, want the present answer (false)", status, body)
		}
	})
}

// e2eHead is the position and time of the last event, from the audit trail.
func e2eHead(t *testing.T, s *e2eServer) (uint64, time.Time) {
	t.Helper()
	all := e2eHistoryAll(t, s, "")
	if len(all) == 0 {
		return 0, time.Time{}
	}
	last := all[len(all)-1]
	ts, _ := time.Parse(time.RFC3339Nano, e2eStr(last, "time"))
	return uint64(e2eAt(last, "position").(float64)), ts
}

// e2eHistoryAll reads every page of GET /history with the query.
func e2eHistoryAll(t *testing.T, s *e2eServer, query string) []any {
	t.Helper()
	var out []any
	path := "/history" + query
	for path != "" {
		status, body := s.getJSON(t, path)
		if status != 200 {
			t.Fatalf("GET %s: %d %v", path, status, body)
		}
		out = append(out, e2eList(body, "_embedded", "entries")...)
		path = strings.TrimPrefix(e2eStr(body, "_links", "next", "href"), s.URL)
	}
	return out
}

// e2eEnvironments maps environment names to uuids.
func e2eEnvironments(t *testing.T, s *e2eServer) map[string]string {
	t.Helper()
	_, body := s.getJSON(t, "/environments")
	out := map[string]string{}
	for _, e := range e2eList(body, "_embedded", "environments") {
		out[e2eStr(e, "name")] = e2eStr(e, "uuid")
	}
	return out
}
