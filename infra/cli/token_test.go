package cli

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/infra/memstore"
)

const cliAdminToken = "cli-test-admin-token-0123456789"

// TestTokenCommands issues, uses, lists and revokes a token with
// "pactledger token …" against the real API with authentication on.
func TestTokenCommands(t *testing.T) {
	a := app.Start(memstore.New(), app.Options{Operations: app.Operations{Auth: httpapi.AuthConfig{AdminToken: cliAdminToken}}})
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })

	r := runCLI(t, srv.URL, "token", "create", "--name", "ci", "--role", "write", "-o", "token", "-k", cliAdminToken)
	token := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(token, "plt_") {
		t.Fatalf("token create: %s", r)
	}
	if r := runCLI(t, srv.URL, "create-environment", "--name", "qa", "-k", token); r.code != 0 {
		t.Fatalf("create-environment with the new token: %s", r)
	}
	if r := runCLI(t, srv.URL, "token", "create", "--name", "x", "-k", token); r.code != 1 || !strings.Contains(r.stderr, "admin role") {
		t.Errorf("token create with a write token: %s; want exit 1 naming the admin role", r)
	}
	r = runCLI(t, srv.URL, "token", "list", "-k", cliAdminToken)
	id, _, _ := strings.Cut(strings.TrimPrefix(token, "plt_"), "_")
	if r.code != 0 || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "write") || strings.Contains(r.stdout, token) {
		t.Fatalf("token list: %s", r)
	}
	if r := runCLI(t, srv.URL, "token", "revoke", id, "-k", cliAdminToken); r.code != 0 || !strings.Contains(r.stdout, "revoked") {
		t.Fatalf("token revoke: %s", r)
	}
	if r := runCLI(t, srv.URL, "list-environments", "-k", token); r.code != 1 || !strings.Contains(r.combined(), "401") {
		t.Errorf("a revoked token: %s; want exit 1 with 401", r)
	}
	if r := runCLI(t, srv.URL, "token", "revoke", "-k", cliAdminToken); r.code != ExitUsage {
		t.Errorf("token revoke without an id: %s; want a usage error", r)
	}
	if r := runCLI(t, srv.URL, "token", "list", "-u", "nobody", "-p", "nothing"); r.code != 1 {
		t.Errorf("token list with wrong credentials: %s; want exit 1", r)
	}
}

func (r result) combined() string { return r.stdout + r.stderr }
