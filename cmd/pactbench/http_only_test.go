package main

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/jetstream"
)

// TestHTTPPhaseOnly runs only pactbench's can-i-deploy-over-HTTP phase on
// a kept data directory, as run does it (same requests, clients and
// baseline), PACTBENCH_HTTP_PASSES times (default 3) of
// PACTBENCH_HTTP_SECONDS each (default 4: load time of either side): a
// quick look at the HTTP ratio, which swings between processes on a shared
// machine. Skipped unless PACTBENCH_QUERY_DIR is set (see TestQueryPhaseOnly).
//
//	PACTBENCH_QUERY_DIR=/path/to/medium go test -run HTTPPhaseOnly -v ./cmd/pactbench/
func TestHTTPPhaseOnly(t *testing.T) {
	dir := os.Getenv("PACTBENCH_QUERY_DIR")
	if dir == "" {
		t.Skip("PACTBENCH_QUERY_DIR is not set")
	}
	scale := scales["medium"]
	if s, ok := scales[os.Getenv("PACTBENCH_QUERY_SCALE")]; ok {
		scale = s
	}
	passes, seconds := 3, 4
	if n, err := strconv.Atoi(os.Getenv("PACTBENCH_HTTP_PASSES")); err == nil && n > 0 {
		passes = n
	}
	if n, err := strconv.Atoi(os.Getenv("PACTBENCH_HTTP_SECONDS")); err == nil && n > 0 {
		seconds = n
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
	defer store.Close()
	a := app.Start(store, app.Options{})
	defer a.Close()
	if err := a.Runner.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := cidRequests(NewOrg(scale, 1), ds, 1, 10_000)
	for pass := range passes {
		var res Result
		if err := measureHTTP(ctx, a.Handler, reqs, 32, time.Duration(seconds)*time.Second, &res); err != nil {
			t.Fatal(err)
		}
		t.Logf("pass %d: can-i-deploy %.0f req/s, baseline %.0f req/s, ratio %.2f", pass+1, res.CIDHTTPRPS, res.BaselineHTTPRPS, res.CIDHTTPRatio)
	}
}
