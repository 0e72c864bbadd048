package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// syncBuffer is a log sink the server's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// requestLogs returns the "request" lines logged so far.
func (s *syncBuffer) requestLogs(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(s.b.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if line["msg"] == "request" {
			out = append(out, line)
		}
	}
	return out
}

// TestRequestIDAndDebugLog: a request without X-Request-Id gets a fresh
// version 4 UUID as its id, one with it keeps it; the debug "request" line
// carries the id, method and path, and is not written at info level.
func TestRequestIDAndDebugLog(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo} {
		t.Run(level.String(), func(t *testing.T) {
			var logs syncBuffer
			a := app.Start(memstore.New(), app.Options{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: level}))})
			srv := httptest.NewServer(a.Handler)
			t.Cleanup(func() { srv.Close(); a.Close() })
			get := func(id string) string {
				t.Helper()
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/environments", nil)
				if id != "" {
					req.Header.Set("X-Request-Id", id)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status %d", res.StatusCode)
				}
				return res.Header.Get("X-Request-Id")
			}
			first, second := get(""), get("")
			for _, id := range []string{first, second} {
				u, err := uuid.Parse(id)
				if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 || len(id) != 36 {
					t.Fatalf("generated X-Request-Id %q: not a version 4 UUID (%v)", id, err)
				}
			}
			if first == second {
				t.Fatalf("two requests got the same X-Request-Id %s", first)
			}
			if got := get("pipeline-run-42"); got != "pipeline-run-42" {
				t.Fatalf("X-Request-Id = %q, want the request's", got)
			}
			srv.Close() // waits for the handlers, which log after answering
			lines := logs.requestLogs(t)
			if level > slog.LevelDebug {
				if len(lines) != 0 {
					t.Fatalf("request lines logged at %s: %v", level, lines)
				}
				return
			}
			if len(lines) != 3 {
				t.Fatalf("%d request lines, want 3: %v", len(lines), lines)
			}
			if l := lines[2]; l["correlation_id"] != "pipeline-run-42" || l["method"] != "GET" || l["path"] != "/environments" || l["duration"] == nil {
				t.Fatalf("request line %v", l)
			}
			if lines[0]["correlation_id"] != first {
				t.Fatalf("request line %v, want correlation_id %s", lines[0], first)
			}
		})
	}
}
