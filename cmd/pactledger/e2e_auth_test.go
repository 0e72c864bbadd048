package main

import (
	"encoding/base64"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Credentials of the auth end-to-end tests. Each holds "s3cret", so the
// server-log scan of every e2e test (e2eSecrets) looks for them too.
const (
	e2eAdminToken = "admin-s3cret-token-0123456789"
	e2eRWPassword = "rw-s3cret-password"
	e2eROPassword = "ro-s3cret-password"
)

// e2eStartWithAuth starts a server with basic auth (a read-write and a
// read-only user), the bootstrap admin token and a public heartbeat, and
// returns it with its data directory.
func e2eStartWithAuth(t *testing.T, bin string) (*e2eServer, string) {
	t.Helper()
	data := filepath.Join(t.TempDir(), "data")
	s := e2eStart(t, bin, "--data-dir", data, "--public-heartbeat", "--admin-token", e2eAdminToken,
		"--basic-auth-username", "pipeline", "--basic-auth-password", e2eRWPassword,
		"--basic-auth-read-only-username", "developer", "--basic-auth-read-only-password", e2eROPassword)
	return s, data
}

// TestE2EAuthOfficialCLI: the official pact CLI with a bearer token
// (--broker-token) and with basic auth (--broker-username/--broker-password)
// against a server with authentication; the read-only user is refused on
// writes. Then the server log and the event store's files are scanned for
// every credential.
func TestE2EAuthOfficialCLI(t *testing.T) {
	official := officialCLI(t)
	bin := e2eBuild(t)
	s, data := e2eStartWithAuth(t, bin)
	token := e2eIssueToken(t, bin, s, "official-ci", "write")
	cli := e2eCLI{name: "pact broker", argv: []string{official, "broker"}}
	cli.ok(t, s, []string{"AuthOfficial"}, "create-or-update-pacticipant", "--name", "AuthOfficial", "--broker-token", token)
	e2eAuthScenario(t, cli, s, "AuthOfficial", token)
	e2eScanForSecrets(t, s, data, token, "token:official-ci")
}

// TestE2EAuthPactledgerCLI runs the same scenario with pactledger's own
// client, and revokes the token at the end.
func TestE2EAuthPactledgerCLI(t *testing.T) {
	bin := e2eBuild(t)
	s, data := e2eStartWithAuth(t, bin)
	token := e2eIssueToken(t, bin, s, "pactledger-ci", "write")
	cli := e2eCLI{name: "pactledger", argv: []string{bin}}
	e2eAuthScenario(t, cli, s, "AuthOurs", token)

	ours := e2eCLI{name: "pactledger", argv: []string{bin}}
	list := ours.ok(t, s, []string{"pactledger-ci", "write"}, "token", "list", "--broker-token", e2eAdminToken)
	id, _, _ := strings.Cut(strings.TrimPrefix(token, "plt_"), "_")
	if !strings.Contains(list, id) {
		t.Fatalf("token list lacks %s:\n%s", id, list)
	}
	ours.ok(t, s, []string{"revoked"}, "token", "revoke", id, "--broker-token", e2eAdminToken)
	if r := cli.run(t, s, "list-environments", "--broker-token", token); r.code == 0 || !strings.Contains(r.combined(), "401") {
		t.Fatalf("a revoked token: exit %d, want a 401 failure\n%s", r.code, r.combined())
	}
	e2eScanForSecrets(t, s, data, token, "token:pactledger-ci")
}

// e2eIssueToken issues a token with pactledger's CLI and the admin token.
func e2eIssueToken(t *testing.T, bin string, s *e2eServer, name, role string) string {
	t.Helper()
	ours := e2eCLI{name: "pactledger", argv: []string{bin}}
	token := strings.TrimSpace(ours.ok(t, s, nil, "token", "create", "--name", name, "--role", role, "--output", "token",
		"--broker-token", e2eAdminToken))
	if !strings.HasPrefix(token, "plt_") || strings.ContainsAny(token, " \n") {
		t.Fatalf("token create printed %q, want one token", token)
	}
	return token
}

// e2eAuthScenario: a version and a deployment with the token, can-i-deploy
// with the read-only user, the read-only user refused on a write, wrong and
// missing credentials refused, and the read-write user creating an
// environment.
func e2eAuthScenario(t *testing.T, cli e2eCLI, s *e2eServer, app, token string) {
	t.Helper()
	ro := []string{"--broker-username", "developer", "--broker-password", e2eROPassword}
	rw := []string{"--broker-username", "pipeline", "--broker-password", e2eRWPassword}
	withToken := []string{"--broker-token", token}
	cli.ok(t, s, []string{"Version '1.0.0' created or updated successfully"},
		"create-or-update-version", append([]string{"--pacticipant", app, "--version", "1.0.0"}, withToken...)...)
	cli.ok(t, s, []string{"Recorded deployment of " + app + " version 1.0.0 to production"},
		"record-deployment", append([]string{"--pacticipant", app, "--version", "1.0.0", "--environment", "production"}, withToken...)...)
	cli.ok(t, s, []string{"Computer says yes"},
		"can-i-deploy", append([]string{"--pacticipant", app, "--version", "1.0.0", "--to-environment", "production"}, ro...)...)

	refused := func(why string, want string, command string, args ...string) {
		t.Helper()
		r := cli.run(t, s, command, args...)
		if r.code == 0 || !strings.Contains(r.combined(), want) {
			t.Fatalf("%s: %s exit %d, want a failure mentioning %q\n%s", why, command, r.code, want, r.combined())
		}
	}
	refused("read-only user writing", "403", "create-or-update-version",
		append([]string{"--pacticipant", app, "--version", "2.0.0"}, ro...)...)
	refused("read-only user recording a deployment", "403", "record-deployment",
		append([]string{"--pacticipant", app, "--version", "1.0.0", "--environment", "test"}, ro...)...)
	refused("a wrong password", "401", "list-environments", "--broker-username", "developer", "--broker-password", "wrong")
	refused("a wrong token", "401", "list-environments", "--broker-token", token+"x")
	refused("no credentials", "401", "list-environments")
	cli.ok(t, s, []string{"Created " + strings.ToLower(app) + " environment"},
		"create-environment", append([]string{"--name", strings.ToLower(app)}, rw...)...)
}

// e2eScanForSecrets fails when the server log or any file of the event
// store holds a credential, in clear or as a basic-auth header. marker (an
// actor the events must name) proves the store's files are readable text.
func e2eScanForSecrets(t *testing.T, s *e2eServer, dataDir, token, marker string) {
	t.Helper()
	_, secret, _ := strings.Cut(strings.TrimPrefix(token, "plt_"), "_")
	secret = secret[len(secret)-20:] // past the id: the secret's own characters
	secrets := []string{e2eAdminToken, e2eRWPassword, e2eROPassword, secret,
		base64.StdEncoding.EncodeToString([]byte("developer:" + e2eROPassword)),
		base64.StdEncoding.EncodeToString([]byte("pipeline:" + e2eRWPassword))}
	log := s.log()
	var store strings.Builder
	err := filepath.WalkDir(dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		store.Write(b)
		return err
	})
	if err != nil {
		t.Fatalf("read the store's files: %v", err)
	}
	if !strings.Contains(store.String(), marker) {
		t.Fatalf("the store's files lack %q: the scan would prove nothing", marker)
	}
	for _, sec := range secrets {
		if strings.Contains(log, sec) {
			t.Errorf("the server log holds a credential (%.6s…)", sec)
		}
		if strings.Contains(store.String(), sec) {
			t.Errorf("the event store's files hold a credential (%.6s…)", sec)
		}
	}
}

// TestE2ESafeDefaults: a non-loopback address without authentication is
// refused with a fix-it message; --print-config masks secrets.
func TestE2ESafeDefaults(t *testing.T) {
	bin := e2eBuild(t)
	out, err := exec.Command(bin, "serve", "--listen", "0.0.0.0:0", "--data-dir", t.TempDir()).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--insecure-no-auth") || !strings.Contains(string(out), "--basic-auth-username") {
		t.Fatalf("serve on 0.0.0.0 without auth: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--print-config", "--listen", "0.0.0.0:9292", "--admin-token", e2eAdminToken)
	cmd.Env = append(os.Environ(), "PACT_BROKER_BASIC_AUTH_USERNAME=pipeline", "PACT_BROKER_BASIC_AUTH_PASSWORD="+e2eRWPassword)
	out, err = cmd.CombinedOutput()
	text := string(out)
	if err != nil || strings.Contains(text, e2eAdminToken) || strings.Contains(text, e2eRWPassword) ||
		!strings.Contains(text, `"pipeline"`) || !strings.Contains(text, "PACT_BROKER_BASIC_AUTH_PASSWORD") {
		t.Fatalf("serve --print-config: %v\n%s", err, text)
	}
}
