package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/httpapi"
)

// TestRoleTableFollowsThePolicy: reads need read, deletes need admin, and
// every other change needs at least write (webhooks and tokens admin).
func TestRoleTableFollowsThePolicy(t *testing.T) {
	b := newAuthBroker(t, nil)
	for _, r := range b.echo.Routes() {
		role, ok := httpapi.RouteRole(r.Method, r.Path)
		if !ok {
			continue // TestAuthorizationMatrix reports it
		}
		want := events.RoleWrite
		switch {
		case r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/admin/"):
			want = events.RoleAdmin
		case r.Method == http.MethodGet, r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/for-verification"):
			want = events.RoleRead
		case r.Method == http.MethodDelete, strings.Contains(r.Path, "webhooks"), strings.HasPrefix(r.Path, "/admin/"):
			want = events.RoleAdmin
		}
		if role != want {
			t.Errorf("%s %s needs %s, want %s", r.Method, r.Path, role, want)
		}
	}
}

func TestPublicReadAndHeartbeat(t *testing.T) {
	b := newAuthBroker(t, func(c *httpapi.AuthConfig) { c.PublicHeartbeat = true })
	if rec := b.do(http.MethodGet, "/diagnostic/status/heartbeat", "", ""); rec.Code != http.StatusOK {
		t.Errorf("public heartbeat: %d", rec.Code)
	}
	if rec := b.do(http.MethodGet, "/environments", "", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("environments without public read: %d, want 401", rec.Code)
	}
	b = newAuthBroker(t, func(c *httpapi.AuthConfig) { c.AllowPublicRead = true })
	if rec := b.do(http.MethodGet, "/environments", "", ""); rec.Code != http.StatusOK {
		t.Errorf("environments with public read: %d, want 200", rec.Code)
	}
	if rec := b.do(http.MethodGet, "/diagnostic/status/heartbeat", "", ""); rec.Code != http.StatusOK {
		t.Errorf("heartbeat with public read: %d, want 200", rec.Code)
	}
	if rec := b.do(http.MethodPost, "/environments", "", `{"name":"qa","production":false}`); rec.Code != http.StatusUnauthorized {
		t.Errorf("a write without credentials under public read: %d, want 401", rec.Code)
	}
	if rec := b.do(http.MethodGet, "/environments", "Bearer wrong", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("wrong credentials under public read: %d, want 401", rec.Code)
	}
}

// TestTokenLifecycle issues a token through the admin API, uses it, sees it
// listed without its secret, revokes it and sees it refused. The principal
// is the actor of the events it causes.
func TestTokenLifecycle(t *testing.T) {
	b := newAuthBroker(t, nil)
	admin := "Bearer " + testAdminToken
	rec := b.do(http.MethodPost, "/admin/tokens", admin, `{"name":"deployer","role":"write"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("issue: %d %s", rec.Code, rec.Body)
	}
	var issued struct{ ID, Token, Role, IssuedBy string }
	if err := json.Unmarshal(rec.Body.Bytes(), &issued); err != nil || issued.Token == "" || issued.Role != "write" {
		t.Fatalf("issue answer %s: %v", rec.Body, err)
	}
	if issued.IssuedBy != "admin-token" {
		t.Errorf("issuedBy = %q, want admin-token", issued.IssuedBy)
	}
	if rec := b.do(http.MethodPost, "/environments", "Bearer "+issued.Token, `{"name":"qa","production":false}`); rec.Code != http.StatusCreated {
		t.Fatalf("create environment with the new token: %d %s", rec.Code, rec.Body)
	}
	if rec := b.do(http.MethodPost, "/admin/tokens", "Bearer "+issued.Token, `{"name":"x","role":"admin"}`); rec.Code != http.StatusForbidden {
		t.Errorf("a write token issuing a token: %d, want 403", rec.Code)
	}
	list := b.do(http.MethodGet, "/admin/tokens", admin, "").Body.String()
	if !strings.Contains(list, issued.ID) || strings.Contains(list, issued.Token[len(issued.Token)-20:]) || strings.Contains(list, "secretHash") {
		t.Errorf("token list must show the token without its secret or hash:\n%s", list)
	}
	if rec := b.do(http.MethodDelete, "/admin/tokens/"+issued.ID, admin, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	if rec := b.do(http.MethodGet, "/environments", "Bearer "+issued.Token, ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("a revoked token: %d, want 401", rec.Code)
	}
	if rec := b.do(http.MethodDelete, "/admin/tokens/"+issued.ID+"0", admin, ""); rec.Code != http.StatusNotFound {
		t.Errorf("revoke an unknown token: %d, want 404", rec.Code)
	}
	if rec := b.do(http.MethodPost, "/admin/tokens", admin, `{"name":"x","role":"root"}`); rec.Code != http.StatusBadRequest {
		t.Errorf("issue with an unknown role: %d, want 400", rec.Code)
	}

	recs, err := b.app.Log.Store().ReadStream(context.Background(), "token-"+issued.ID)
	if err != nil || len(recs) != 2 {
		t.Fatalf("token stream: %d records, %v", len(recs), err)
	}
	for _, r := range recs {
		if strings.Contains(string(r.Data), strings.TrimPrefix(issued.Token, "plt_"+issued.ID+"_")) {
			t.Errorf("event %s holds the secret: %s", r.Type, r.Data)
		}
		if r.Meta.Actor != "admin-token" {
			t.Errorf("event %s actor = %q, want admin-token", r.Type, r.Meta.Actor)
		}
	}
	envs, err := b.app.Log.Store().ReadStream(context.Background(), domain.EnvironmentsStream)
	if err != nil || len(envs) == 0 || envs[len(envs)-1].Meta.Actor != "token:deployer" {
		t.Errorf("environment created with the token: %d events, %v; want the last by token:deployer", len(envs), err)
	}
}
