package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2ESnapshotRestart writes through a server, stops it (SIGTERM saves
// a read-model snapshot), starts it again on the same data directory (it
// loads the snapshot and replays the tail) and reads what was written; then
// damages the snapshot and starts once more (it is ignored with a warning
// and the log replayed).
func TestE2ESnapshotRestart(t *testing.T) {
	bin := e2eBuild(t)
	data := t.TempDir()
	file := filepath.Join(data, "snapshots", "read-models.snapshot")
	t.Run("write and stop", func(t *testing.T) {
		s := e2eStart(t, bin, "--data-dir", data)
		e2eSend(t, s, http.MethodPut, "/pacticipants/Foo/versions/1.0.0", `{"buildUrl":"https://ci.example.com/1"}`, 0)
	})
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("no snapshot after a clean shutdown: %v", err)
	}
	t.Run("start from the snapshot", func(t *testing.T) {
		s := e2eStart(t, bin, "--data-dir", data)
		if !strings.Contains(s.log(), "read-model snapshot loaded") {
			t.Fatalf("the snapshot was not loaded:\n%s", s.log())
		}
		if code, body := s.getJSON(t, "/pacticipants/Foo/versions/1.0.0"); code != http.StatusOK || e2eStr(body, "number") != "1.0.0" {
			t.Fatalf("version after restart: %d %v", code, body)
		}
		e2eSend(t, s, http.MethodPut, "/pacticipants/Foo/versions/1.0.1", `{"buildUrl":"https://ci.example.com/1"}`, 0) // the tail for the next start
	})
	if err := os.WriteFile(file, []byte("not a snapshot"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("damaged snapshot", func(t *testing.T) {
		s := e2eStart(t, bin, "--data-dir", data)
		if !strings.Contains(s.log(), "read-model snapshot ignored") {
			t.Fatalf("the damaged snapshot was not reported:\n%s", s.log())
		}
		for _, v := range []string{"1.0.0", "1.0.1"} {
			if code, _ := s.getJSON(t, "/pacticipants/Foo/versions/"+v); code != http.StatusOK {
				t.Fatalf("version %s after a rebuild: %d", v, code)
			}
		}
	})
}
