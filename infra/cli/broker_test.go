package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// newBroker starts the real API on a memory store, wired as
// infra/app wires it for serve, with test and production seeded.
func newBroker(t *testing.T) string {
	t.Helper()
	a := app.Start(memstore.New(), app.Options{})
	if _, err := a.Commands.SeedEnvironments(context.Background()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv.URL
}

// result is one CLI run.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%sstderr:\n%s", r.code, r.stdout, r.stderr)
}

// runCLI runs the CLI against base with no PACT_BROKER_* environment.
func runCLI(t *testing.T, base string, args ...string) result {
	t.Helper()
	return runCLIEnv(t, nil, append(args, "-b", base)...)
}

func runCLIEnv(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := run(ctx, args, &stdout, &stderr, getenv)
	r := result{code, stdout.String(), stderr.String()}
	if strings.Contains(r.stdout+r.stderr, "panic") {
		t.Fatalf("%v: output mentions a panic:\n%v", args, r)
	}
	return r
}

// mustRun runs the CLI and fails unless it exits 0 with want in stdout.
func mustRun(t *testing.T, base, want string, args ...string) string {
	t.Helper()
	r := runCLI(t, base, args...)
	if r.code != ExitOK || !strings.Contains(r.stdout, want) {
		t.Fatalf("%v: want exit 0 and %q in stdout, got %v", args, want, r)
	}
	return r.stdout
}

// mustFail runs the CLI and fails unless it exits code with want in stderr.
func mustFail(t *testing.T, base string, code int, want string, args ...string) {
	t.Helper()
	r := runCLI(t, base, args...)
	if r.code != code || !strings.Contains(r.stderr, want) {
		t.Fatalf("%v: want exit %d and %q in stderr, got %v", args, code, want, r)
	}
}

// getJSON reads a resource of the API directly.
func getJSON(t *testing.T, url string) (int, any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	var v any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil && resp.StatusCode != http.StatusNoContent {
		t.Fatalf("GET %s: decode: %v", url, err)
	}
	return resp.StatusCode, v
}

// envUUID finds an environment's uuid by name through the API.
func envUUID(t *testing.T, base, name string) string {
	t.Helper()
	_, v := getJSON(t, base+"/environments?name="+name)
	envs := list(v, "_embedded", "environments")
	if len(envs) != 1 {
		t.Fatalf("environment %s: got %d", name, len(envs))
	}
	return str(envs[0], "uuid")
}

// deployedKeys lists an environment's currently deployed records as
// "version/instance" ("-" for no instance), in the server's order.
func deployedKeys(t *testing.T, base, envID string) []string {
	t.Helper()
	status, v := getJSON(t, base+"/environments/"+envID+"/deployed-versions/currently-deployed")
	if status != http.StatusOK {
		t.Fatalf("currently-deployed: status %d", status)
	}
	var out []string
	for _, d := range list(v, "_embedded", "deployedVersions") {
		out = append(out, str(d, "_embedded", "version", "number")+"/"+orDash(instanceOf(d)))
	}
	return out
}
