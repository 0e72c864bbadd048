package main

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary act as the load child that measureLoad
// starts (it re-executes its own binary).
func TestMain(m *testing.M) {
	if dir := os.Getenv(loadEnv); dir != "" {
		if err := runLoadChild(dir, os.Getenv(snapshotEnv) == "true", profiler{}); err != nil {
			os.Stderr.WriteString("pactbench load: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRunTiny runs the whole benchmark on 3 pacticipants × 5 versions with
// small counts and checks that the JSON has every required key with a
// sane value. It asserts no timing.
func TestRunTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("starts embedded stores and a child process")
	}
	out := filepath.Join(t.TempDir(), "out.json")
	cfg := config{Scale: Scale{Name: "tiny", Apps: 3, Versions: 5}, Seed: 7, Out: out, DataDir: t.TempDir(),
		GenWorkers: 2, Queries: 50, MatrixQueries: 5, HTTPClients: 2, HTTPDuration: 200 * time.Millisecond,
		DeployClients: 2, Deploys: 8, DeployBudget: time.Minute}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var table strings.Builder
	if _, err := run(ctx, cfg, &table, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "can-i-deploy in process") {
		t.Errorf("table misses the can-i-deploy row:\n%s", table.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range requiredKeys {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON misses %q", k)
		}
	}
	if got["scale"] != "tiny" || !strings.HasPrefix(got["go_version"].(string), "go") {
		t.Errorf("scale %v, go_version %v", got["scale"], got["go_version"])
	}
	num := func(k string) float64 { f, _ := got[k].(float64); return f }
	if num("versions") != 15 || num("events") < 15 || num("cpus") < 1 {
		t.Errorf("versions %v, events %v, cpus %v", got["versions"], got["events"], got["cpus"])
	}
	for _, k := range []string{"cid_query_p50_us", "cid_http_rps", "baseline_http_rps", "cid_http_ratio", "deploy_http_rps",
		"deploy_http_p99_ms", "raw_append_rps", "deploy_ratio", "replay_events_per_s", "startup_s", "heap_bytes_per_version"} {
		if v := num(k); !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("%s = %v, want a positive number", k, got[k])
		}
	}
	if num("cid_query_p99_us") < num("cid_query_p50_us") {
		t.Errorf("p99 %v below p50 %v", got["cid_query_p99_us"], got["cid_query_p50_us"])
	}
	for _, sub := range []string{"nats", "snapshots"} {
		if _, err := os.Stat(filepath.Join(cfg.DataDir, sub)); !os.IsNotExist(err) {
			t.Errorf("the data of a run without -keep is still there (%s): %v", sub, err)
		}
	}
	if num("snapshot_bytes") <= 0 || num("startup_full_replay_s") <= 0 {
		t.Errorf("snapshot_bytes %v, startup_full_replay_s %v: the snapshot start was not measured", got["snapshot_bytes"], got["startup_full_replay_s"])
	}
}

// TestOrgDeterministic: the organisation is a function of scale and seed.
func TestOrgDeterministic(t *testing.T) {
	a, b := NewOrg(scales["small"], 3), NewOrg(scales["small"], 3)
	for i := range a.Apps {
		if a.Apps[i].Name != b.Apps[i].Name || len(a.Apps[i].Providers) != len(b.Apps[i].Providers) {
			t.Fatalf("app %d differs: %+v vs %+v", i, a.Apps[i], b.Apps[i])
		}
	}
	if n := a.Integrations(); n < 2*len(a.Apps) || n > 3*len(a.Apps) {
		t.Errorf("%d integrations for %d applications, want about 2.5 each", n, len(a.Apps))
	}
}
