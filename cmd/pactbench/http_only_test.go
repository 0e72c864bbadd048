package main

import (
	"context"
	"testing"
	"time"
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
	a, reqs := startPhaseOnly(t)
	passes, seconds := envInt("PACTBENCH_HTTP_PASSES", 3), envInt("PACTBENCH_HTTP_SECONDS", 4)
	ctx := context.Background()
	for pass := range passes {
		var res Result
		if err := measureHTTP(ctx, a.Handler, reqs, 32, time.Duration(seconds)*time.Second, &res); err != nil {
			t.Fatal(err)
		}
		t.Logf("pass %d: can-i-deploy %.0f req/s, baseline %.0f req/s, ratio %.2f", pass+1, res.CIDHTTPRPS, res.BaselineHTTPRPS, res.CIDHTTPRatio)
	}
}
