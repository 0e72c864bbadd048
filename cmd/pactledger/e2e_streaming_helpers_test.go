package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
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

// e2eProc is a `pactledger serve` child process that a test may stop and
// start again on the same data directory. It listens on loopback for HTTP
// and for NATS clients (--nats-listen).
type e2eProc struct {
	*e2eServer
	NATSURL string
	cmd     *exec.Cmd
	exited  chan error
	stopped bool
}

// e2eFreeAddr returns a free loopback address.
func e2eFreeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// e2eServeIn starts the server on dir (its data lives in dir/data), waits
// for its heartbeat, and stops it at the end of the test if it still runs.
func e2eServeIn(t *testing.T, bin, dir string, flags ...string) *e2eProc {
	t.Helper()
	addr, natsAddr := e2eFreeAddr(t), e2eFreeAddr(t)
	logFile, err := os.CreateTemp(dir, "server-*.log")
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"serve", "--listen", addr, "--data-dir", filepath.Join(dir, "data"), "--nats-listen", natsAddr}, flags...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &e2eProc{e2eServer: &e2eServer{URL: "http://" + addr, logPath: logFile.Name()}, NATSURL: "nats://" + natsAddr,
		cmd: cmd, exited: make(chan error, 1)}
	go func() { p.exited <- cmd.Wait(); logFile.Close() }()
	if err := p.waitHealthy(p.exited); err != nil {
		_ = cmd.Process.Kill()
		t.Fatalf("start server: %v\n%s", err, p.log())
	}
	t.Cleanup(func() {
		if !p.stopped {
			if err := p.stop(); err != nil {
				t.Errorf("stop server: %v", err)
			}
		}
		log := p.log()
		for _, secret := range e2eSecrets {
			if strings.Contains(log, secret) {
				t.Errorf("the server log holds the secret %q", secret)
			}
		}
		if strings.Contains(log, "panic") || t.Failed() {
			t.Logf("server log:\n%s", log)
		}
	})
	return p
}

// stop sends SIGTERM and waits; it returns the exit error (nil: exit 0).
func (p *e2eProc) stop() error {
	p.stopped = true
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		return err
	case <-time.After(e2eStopTimeout):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return fmt.Errorf("server did not stop within %s of SIGTERM", e2eStopTimeout)
	}
}

// e2eSend sends a JSON request and requires a status (0: any 2xx); it
// returns the body.
func e2eSend(t *testing.T, s *e2eServer, method, path, body string, status int) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if method == http.MethodPatch {
		req.Header.Set("Content-Type", "application/merge-patch+json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status && !(status == 0 && resp.StatusCode/100 == 2) {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, status, raw)
	}
	var v map[string]any
	_ = json.Unmarshal(raw, &v)
	return v
}

// e2eEnvironmentUUID looks an environment up by name.
func e2eEnvironmentUUID(t *testing.T, s *e2eServer, name string) string {
	t.Helper()
	_, v := s.getJSON(t, "/environments?name="+name)
	id := e2eStr(v, "_embedded", "environments", "0", "uuid")
	if id == "" {
		t.Fatalf("no environment %s: %v", name, v)
	}
	return id
}

// e2eDeploy creates the version if needed and records its deployment;
// it returns the deployed version's id.
func e2eDeploy(t *testing.T, s *e2eServer, pacticipant, version, envUUID, instance string) string {
	t.Helper()
	e2eSend(t, s, http.MethodPut, "/pacticipants/"+pacticipant+"/versions/"+version, `{}`, 0) // 200 or 201
	body := `{}`
	if instance != "" {
		body = `{"applicationInstance":"` + instance + `"}`
	}
	v := e2eSend(t, s, http.MethodPost, "/pacticipants/"+pacticipant+"/versions/"+version+"/deployed-versions/environment/"+envUUID, body, http.StatusCreated)
	return e2eStr(v, "uuid")
}

// e2eEventually polls cond every 50 ms until it holds, or fails after d.
func e2eEventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sseEvent is one server-sent event, or a comment (event "" and comment set).
type sseEvent struct {
	id, event, data, comment string
}

// sseOpen opens GET path (with Last-Event-ID when lastID is set) and
// streams its events and comments until close is called or the stream
// ends (the channel is then closed).
func sseOpen(t *testing.T, s *e2eServer, path, lastID string) (<-chan sseEvent, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 1024)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		var cur sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if cur.event != "" || cur.data != "" {
					out <- cur
				}
				cur = sseEvent{}
			case strings.HasPrefix(line, ":"):
				out <- sseEvent{comment: strings.TrimSpace(line[1:])}
			case strings.HasPrefix(line, "id: "):
				cur.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				cur.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				cur.data = line[6:]
			}
		}
	}()
	return out, cancel
}

// sseNext returns the next event (skipping comments), failing after d.
func sseNext(t *testing.T, ch <-chan sseEvent, d time.Duration) sseEvent {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatal("the event stream ended")
			}
			if e.comment == "" {
				return e
			}
		case <-timeout:
			t.Fatalf("no event within %s", d)
		}
	}
}
