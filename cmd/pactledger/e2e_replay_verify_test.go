package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EReplayVerify: a server saves a snapshot when it stops; a second run
// starts from it, adds events and saves a snapshot built from the first one
// plus the tail. `replay --verify` rebuilds everything from the log and
// finds every read model equal to that snapshot's; after the snapshot's
// bytes are damaged it refuses (exit 1) rather than claiming equality.
func TestE2EReplayVerify(t *testing.T) {
	bin := e2eBuild(t)
	data := t.TempDir()
	t.Run("first run", func(t *testing.T) {
		s := e2eStart(t, bin, "--data-dir", data)
		e2eSend(t, s, http.MethodPut, "/pacticipants/Foo/versions/1.0.0", `{"branch":"main"}`, 0)
		e2eSend(t, s, http.MethodPost, "/pacticipants/Foo/versions/1.0.0/deployed-versions/environment/"+e2eEnvironmentUUID(t, s, "production"), `{}`, 0)
	})
	t.Run("second run from the snapshot", func(t *testing.T) {
		s := e2eStart(t, bin, "--data-dir", data)
		if !strings.Contains(s.log(), "read-model snapshot loaded") {
			t.Fatalf("the snapshot was not loaded:\n%s", s.log())
		}
		e2eSend(t, s, http.MethodPut, "/pacticipants/Bar/versions/2.0.0", `{"branch":"main"}`, 0)
		e2eSend(t, s, http.MethodPost, "/pacticipants/Bar/versions/2.0.0/deployed-versions/environment/"+e2eEnvironmentUUID(t, s, "production"), `{}`, 0)
	})
	r := runTool(t, bin, "replay", "--verify", "--data-dir", data)
	if r.code != 0 {
		t.Fatalf("replay --verify: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, model := range []string{"catalog", "deployments", "contracts", "history"} {
		if !strings.Contains(r.stdout, model) {
			t.Errorf("replay --verify did not compare %s:\n%s", model, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "DIFFERENT") || strings.Contains(r.stdout, "missing") || !strings.Contains(r.stdout, "equal") {
		t.Fatalf("replay --verify output:\n%s", r.stdout)
	}

	file := filepath.Join(data, "snapshots", "read-models.snapshot")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runTool(t, bin, "replay", "--verify", "--data-dir", data); r.code != 1 || strings.Contains(r.stdout, "equal") {
		t.Fatalf("replay --verify of a damaged snapshot: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
