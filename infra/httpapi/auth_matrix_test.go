package httpapi_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/infra/memstore"
	"github.com/pactledger/pactledger/infra/metrics"
)

// authBroker is the API with authentication on: a read-write basic user
// (admin), a read-only basic user, the admin token, and issued read and
// write tokens.
type authBroker struct {
	app   *app.App
	echo  *echo.Echo
	creds map[string]string // role → an Authorization header with that role
	write string            // a write token
}

const (
	testAdminToken = "admin-token-for-tests-0123456789"
	testRWPassword = "rw-password-for-tests"
	testROPassword = "ro-password-for-tests"
)

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func newAuthBroker(t *testing.T, mutate func(*httpapi.AuthConfig)) *authBroker {
	t.Helper()
	cfg := httpapi.AuthConfig{AdminToken: testAdminToken, Users: []httpapi.BasicUser{
		{Username: "pipeline", Password: testRWPassword, Role: events.RoleAdmin},
		{Username: "developer", Password: testROPassword, Role: events.RoleRead},
	}}
	if mutate != nil {
		mutate(&cfg)
	}
	a := app.Start(memstore.New(), app.Options{Operations: app.Operations{Auth: cfg, Metrics: metrics.New()}})
	t.Cleanup(a.Close)
	ctx := events.WithMetadata(context.Background(), events.Metadata{Actor: "test"})
	if err := a.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Commands.SeedEnvironments(ctx); err != nil {
		t.Fatal(err)
	}
	w, err := a.Commands.IssueToken(ctx, "ci", events.RoleWrite)
	if err != nil {
		t.Fatal(err)
	}
	return &authBroker{app: a, echo: a.Handler.(*echo.Echo), write: w.Token, creds: map[string]string{
		events.RoleRead:  basicAuth("developer", testROPassword),
		events.RoleWrite: "Bearer " + w.Token,
		events.RoleAdmin: basicAuth("pipeline", testRWPassword),
	}}
}

// do serves one request. Its context ends after two seconds, so that
// streaming routes (GET /events) return too.
func (b *authBroker) do(method, path, auth, body string) *httptest.ResponseRecorder {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	b.echo.ServeHTTP(rec, req)
	return rec
}

var routeParam = regexp.MustCompile(`:[A-Za-z]+`)

// TestAuthorizationMatrix asks every route the router has (so a new route
// cannot escape) without credentials, with wrong ones, with a role below
// the declared one, and with the declared role.
func TestAuthorizationMatrix(t *testing.T) {
	b := newAuthBroker(t, nil)
	below := map[string]string{events.RoleWrite: events.RoleRead, events.RoleAdmin: events.RoleWrite}
	wrong := []string{basicAuth("pipeline", "not-the-password"), basicAuth("nobody", testRWPassword),
		"Bearer not-a-token", "Bearer " + b.write + "x", "Bearer " + testAdminToken + "x", "Digest abc"}
	routes := b.echo.Routes()
	if len(routes) < 50 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	for _, r := range routes {
		name := r.Method + " " + r.Path
		role, declared := httpapi.RouteRole(r.Method, r.Path)
		if !declared {
			t.Errorf("%s has no role in routeRoles (infra/httpapi/roles.go)", name)
			continue
		}
		path := routeParam.ReplaceAllString(r.Path, "x")
		rec := b.do(r.Method, path, "", "")
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s without credentials: %d, WWW-Authenticate %q; want 401 with a challenge",
				name, rec.Code, rec.Header().Get("WWW-Authenticate"))
		}
		for _, w := range wrong {
			if rec := b.do(r.Method, path, w, ""); rec.Code != http.StatusUnauthorized {
				t.Errorf("%s with wrong credentials %.20q…: %d, want 401", name, w, rec.Code)
			}
		}
		if low, ok := below[role]; ok {
			if rec := b.do(r.Method, path, b.creds[low], ""); rec.Code != http.StatusForbidden {
				t.Errorf("%s (role %s) as %s: %d, want 403", name, role, low, rec.Code)
			}
		}
		if rec := b.do(r.Method, path, b.creds[role], "{}"); rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden || rec.Code >= 500 {
			t.Errorf("%s as %s: %d, want it accepted (not 401, 403 or 5xx): %s", name, role, rec.Code, rec.Body)
		}
	}
}

// TestUndeclaredRouteIsRefused: a route missing from the role table is
// refused even to an admin (fail closed).
func TestUndeclaredRouteIsRefused(t *testing.T) {
	b := newAuthBroker(t, nil)
	b.echo.POST("/not-in-the-table", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	if rec := b.do(http.MethodPost, "/not-in-the-table", b.creds[events.RoleAdmin], ""); rec.Code != http.StatusForbidden {
		t.Fatalf("undeclared route as admin: %d, want 403", rec.Code)
	}
	if rec := b.do(http.MethodGet, "/no-such-route", b.creds[events.RoleRead], ""); rec.Code != http.StatusNotFound {
		t.Fatalf("unknown route as read: %d, want 404", rec.Code)
	}
	if rec := b.do(http.MethodGet, "/no-such-route", "", ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("unknown route without credentials: %d, want 401", rec.Code)
	}
}
