package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Time bounds of the end-to-end tests.
const (
	e2eBuildTimeout   = 5 * time.Minute
	e2eStartTimeout   = 30 * time.Second
	e2eStopTimeout    = 20 * time.Second
	e2eCommandTimeout = 2 * time.Minute // the official CLI retries 5xx for ~63 s
)

// e2eOfficialCLI is the pact CLI that `make tools` installs.
var e2eOfficialCLI = filepath.Join("..", "..", ".tools", "node_modules", "@pact-foundation",
	"pact-cli-linux-x64", "standalone", "pact")

// e2eBuild builds pactledger into a temporary directory.
func e2eBuild(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "pactledger")
	ctx, cancel := context.WithTimeout(context.Background(), e2eBuildTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// e2eServer is a `pactledger serve` child process on the embedded
// JetStream store.
type e2eServer struct {
	URL     string
	logPath string
}

// e2eSecrets are credentials the tests hand the server; none may reach its
// log.
var e2eSecrets = []string{"s3cret"}

// e2eStart starts the server, with extra serve flags, on a free loopback
// port with a temporary data directory, waits for its heartbeat, and stops it (SIGTERM, then wait) when
// the test ends. A port lost to a race is retried with another.
func e2eStart(t *testing.T, bin string, flags ...string) *e2eServer {
	t.Helper()
	dir := t.TempDir()
	for attempt := 1; ; attempt++ {
		s, err := e2eTryStart(t, bin, dir, attempt, flags)
		if err == nil {
			return s
		}
		if attempt == 3 {
			t.Fatalf("start server: %v", err)
		}
		t.Logf("start server (attempt %d): %v", attempt, err)
	}
}

func e2eTryStart(t *testing.T, bin, dir string, attempt int, flags []string) (*e2eServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	logPath := filepath.Join(dir, fmt.Sprintf("server-%d.log", attempt))
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data")}, flags...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logFile.Close() }()
	s := &e2eServer{URL: "http://" + addr, logPath: logPath}
	if err := s.waitHealthy(exited); err != nil {
		_ = cmd.Process.Kill()
		<-exited
		return nil, fmt.Errorf("%w\n%s", err, s.log())
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(e2eStopTimeout):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("server did not stop within %s of SIGTERM", e2eStopTimeout)
		}
		log := s.log()
		for _, secret := range e2eSecrets {
			if strings.Contains(log, secret) {
				t.Errorf("the server log holds the secret %q:\n%s", secret, log)
			}
		}
		if strings.Contains(log, "panic") {
			t.Errorf("server log mentions a panic:\n%s", log)
		} else if t.Failed() {
			t.Logf("server log:\n%s", log)
		}
	})
	return s, nil
}

func (s *e2eServer) waitHealthy(exited <-chan error) error {
	deadline := time.Now().Add(e2eStartTimeout)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("server exited early: %v", err)
		default:
		}
		resp, err := client.Get(s.URL + "/diagnostic/status/heartbeat")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("no heartbeat within " + e2eStartTimeout.String())
}

func (s *e2eServer) log() string {
	b, _ := os.ReadFile(s.logPath)
	return string(b)
}

// getJSON reads an API resource; it returns the status and decoded body.
func (s *e2eServer) getJSON(t *testing.T, path string) (int, any) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(s.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	var v any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("GET %s: %d, body is not JSON: %v", path, resp.StatusCode, err)
	}
	return resp.StatusCode, v
}

// e2eAt walks decoded JSON through object keys and array indexes ("0").
func e2eAt(v any, keys ...string) any {
	for _, k := range keys {
		switch t := v.(type) {
		case map[string]any:
			v = t[k]
		case []any:
			var i int
			if _, err := fmt.Sscan(k, &i); err != nil || i < 0 || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

func e2eStr(v any, keys ...string) string { s, _ := e2eAt(v, keys...).(string); return s }
func e2eList(v any, keys ...string) []any { l, _ := e2eAt(v, keys...).([]any); return l }

// e2eCLI runs one client: the official pact CLI or pactledger's own.
type e2eCLI struct {
	name string
	argv []string // the program and the words before the command
}

// e2eResult is one CLI run.
type e2eResult struct {
	code           int
	stdout, stderr string
}

func (r e2eResult) combined() string { return r.stdout + r.stderr }

// run runs command against the server with a clean environment (no
// PACT_BROKER_* variables), bounded by e2eCommandTimeout. It fails the test
// if the output mentions a panic.
func (c e2eCLI) run(t *testing.T, s *e2eServer, command string, args ...string) e2eResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), e2eCommandTimeout)
	defer cancel()
	argv := append(append(append([]string{}, c.argv[1:]...), command), args...)
	argv = append(argv, "--broker-base-url", s.URL)
	cmd := exec.CommandContext(ctx, c.argv[0], argv...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PACT_BROKER_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := e2eResult{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s %s: timed out after %s\n%s", c.name, command, e2eCommandTimeout, r.combined())
	case errors.As(err, &exitErr):
		r.code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", c.name, command, err)
	}
	if strings.Contains(strings.ToLower(r.combined()), "panic") {
		t.Errorf("%s %s %v: output mentions a panic (exit %d):\n%s", c.name, command, args, r.code, r.combined())
	}
	return r
}

// ok runs command, requires exit 0 and every want in the output, and
// returns the output.
func (c e2eCLI) ok(t *testing.T, s *e2eServer, want []string, command string, args ...string) string {
	t.Helper()
	r := c.run(t, s, command, args...)
	if r.code != 0 {
		t.Fatalf("%s %s %v: exit %d, want 0\n%s", c.name, command, args, r.code, r.combined())
	}
	for _, w := range want {
		if !strings.Contains(r.combined(), w) {
			t.Fatalf("%s %s %v: output lacks %q:\n%s", c.name, command, args, w, r.combined())
		}
	}
	return r.combined()
}

// e2eVerify runs the official `pact verifier` against the broker s and a
// provider on 127.0.0.1:port, with extra arguments, and returns its exit
// code and output. It fails the test on a timeout, a panic, or results the
// verifier could not publish.
func e2eVerify(t *testing.T, official string, s *e2eServer, port string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), e2eCommandTimeout)
	defer cancel()
	argv := append([]string{"verifier", "--broker-url", s.URL, "--hostname", "127.0.0.1", "--port", port, "--no-colour"}, args...)
	cmd := exec.CommandContext(ctx, official, argv...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PACT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PACT_DO_NOT_TRACK=true")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exitErr *exec.ExitError
	code := 0
	switch {
	case ctx.Err() != nil:
		t.Fatalf("pact verifier timed out:\n%s", out.String())
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("pact verifier: %v", err)
	}
	if strings.Contains(strings.ToLower(out.String()), "panic") || strings.Contains(out.String(), "Publishing of verification results failed") {
		t.Fatalf("pact verifier output:\n%s", out.String())
	}
	return code, out.String()
}
