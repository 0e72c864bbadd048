package main

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/jetstream"
)

// TestQueryPhaseOnly runs only pactbench's in-process can-i-deploy phase on
// a kept data directory, as run does it (the read models rebuilt from the
// log, the same requests), PACTBENCH_QUERY_PASSES times (default 3): a
// quick look at the query figures without the four-minute run. It is
// skipped unless PACTBENCH_QUERY_DIR names a medium data directory (kept
// with -keep; PACTBENCH_QUERY_SCALE picks another scale).
//
//	PACTBENCH_QUERY_DIR=/path/to/medium go test -run QueryPhaseOnly -v ./cmd/pactbench/
func TestQueryPhaseOnly(t *testing.T) {
	a, reqs := startPhaseOnly(t)
	passes := envInt("PACTBENCH_QUERY_PASSES", 3)
	for pass := range passes {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var res Result
		if err := measureCID(a.Matrix, reqs, &res); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		t.Logf("pass %d: can-i-deploy p50/p99/max %.0f/%.0f/%.0f µs, answers %v; %d GCs, %.0f MiB allocated", pass+1,
			res.CIDQueryP50us, res.CIDQueryP99us, res.CIDQueryMaxus, res.CIDDeployable,
			after.NumGC-before.NumGC, float64(after.TotalAlloc-before.TotalAlloc)/(1<<20))
	}
}

// startPhaseOnly rebuilds the read models of the data directory
// PACTBENCH_QUERY_DIR names (at the scale PACTBENCH_QUERY_SCALE names,
// medium by default) as run does, and returns them with pactbench's
// can-i-deploy requests; it skips the test when the variable is not set.
func startPhaseOnly(t *testing.T) (*app.App, []cidRequest) {
	t.Helper()
	dir := os.Getenv("PACTBENCH_QUERY_DIR")
	if dir == "" {
		t.Skip("PACTBENCH_QUERY_DIR is not set")
	}
	scale := scales["medium"]
	if s, ok := scales[os.Getenv("PACTBENCH_QUERY_SCALE")]; ok {
		scale = s
	}
	ctx := context.Background()
	ds, err := loadDataset(dir, scale, 1)
	if err != nil {
		t.Fatal(err)
	}
	store, err := jetstream.Open(ctx, jetstream.Config{DataDir: dir, SyncAlways: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	a := app.Start(store, app.Options{})
	t.Cleanup(a.Close)
	if err := a.Runner.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	return a, cidRequests(NewOrg(scale, 1), ds, 1, 10_000)
}

// envInt is the positive integer in the environment variable name, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
