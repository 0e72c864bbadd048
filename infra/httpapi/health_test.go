package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/infra/memstore"
)

func TestHeartbeatAndDependencies(t *testing.T) {
	b := newAuthBroker(t, nil)
	read := b.creds[events.RoleRead]
	rec := b.do(http.MethodGet, "/diagnostic/status/heartbeat", read, "")
	var hb map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &hb); err != nil || rec.Code != 200 || hb["ok"] != true || hb["_links"] == nil {
		t.Fatalf("heartbeat: %d %s", rec.Code, rec.Body)
	}
	rec = b.do(http.MethodGet, "/diagnostic/status/dependencies", read, "")
	var deps struct {
		Database    struct{ OK bool }
		Projections struct {
			OK, Ready     bool
			Position, Lag *uint64
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &deps); err != nil || rec.Code != 200 {
		t.Fatalf("dependencies: %d %s", rec.Code, rec.Body)
	}
	if !deps.Database.OK || !deps.Projections.OK || !deps.Projections.Ready || deps.Projections.Position == nil ||
		*deps.Projections.Position == 0 || deps.Projections.Lag == nil || *deps.Projections.Lag != 0 {
		t.Errorf("dependencies after writes and a catch-up: %s", rec.Body)
	}
	if rec := b.do(http.MethodGet, "/diagnostic/status/ready", read, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ready":true`) {
		t.Errorf("ready: %d %s", rec.Code, rec.Body)
	}
}

func TestPrometheusMetrics(t *testing.T) {
	b := newAuthBroker(t, nil)
	read, write := b.creds[events.RoleRead], b.creds[events.RoleWrite]
	b.do(http.MethodPost, "/environments", write, `{"name":"qa","production":false}`)
	b.do(http.MethodPost, "/environments", write, `{"name":"qa","production":false}`) // a duplicate: refused
	b.do(http.MethodGet, "/can-i-deploy?pacticipant=Foo&version=1&to=production", read, "")
	b.do(http.MethodGet, "/environments", "", "")
	rec := b.do(http.MethodGet, httpapi.MetricsPath, read, "")
	if rec.Code != 200 {
		t.Fatalf("metrics: %d %s", rec.Code, rec.Body)
	}
	text := rec.Body.String()
	for _, want := range []string{
		`pactledger_http_requests_total{method="POST",route="/environments",status="201"} 1`,
		`pactledger_http_requests_total{method="GET",route="/environments",status="401"} 1`,
		`pactledger_http_request_duration_seconds_bucket{method="POST",route="/environments"`,
		`pactledger_commands_total{category="environments",outcome="ok"}`,
		`pactledger_commands_total{category="environments",outcome="invalid"} 1`,
		`pactledger_store_append_duration_seconds_count{result="ok"}`,
		`pactledger_can_i_deploy_total{outcome=`,
		`pactledger_projection_position `,
		`pactledger_projection_lag_events 0`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", text)
	}
}

// gatedStore holds back the log from subscribers until open is closed, as
// a long rebuild would.
type gatedStore struct {
	events.Store
	open chan struct{}
}

func (g gatedStore) SubscribeAll(ctx context.Context, after uint64, fn func(events.Record) error) error {
	select {
	case <-g.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Store.SubscribeAll(ctx, after, fn)
}

// TestReadinessWaitsForTheRebuild: until the read models have caught up
// with the log at start, readiness and dependencies say no while the
// heartbeat says yes; then all say yes and the API serves what the log
// holds.
func TestReadinessWaitsForTheRebuild(t *testing.T) {
	store := memstore.New()
	first := app.Start(store, app.Options{})
	if _, err := first.Commands.SeedEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
	first.Close()

	gate := gatedStore{Store: store, open: make(chan struct{})}
	a := app.Start(gate, app.Options{})
	t.Cleanup(a.Close)
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/diagnostic/status/heartbeat"); code != http.StatusOK {
		t.Errorf("heartbeat during the rebuild: %d, want 200", code)
	}
	if code, body := get("/diagnostic/status/ready"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"ready":false`) {
		t.Errorf("ready during the rebuild: %d %s, want 503 ready false", code, body)
	}
	if code, body := get("/diagnostic/status/dependencies"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"lag":2`) {
		t.Errorf("dependencies during the rebuild: %d %s, want 503 with a lag of 2", code, body)
	}
	close(gate.open)
	if err := a.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, _ := get("/diagnostic/status/ready"); code != http.StatusOK {
		t.Errorf("ready after the rebuild: %d, want 200", code)
	}
	if code, body := get("/environments"); code != http.StatusOK || !strings.Contains(body, "production") {
		t.Errorf("environments after the rebuild: %d %s", code, body)
	}
}
