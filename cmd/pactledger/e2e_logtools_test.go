package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/infra/memstore"
)

// TestE2EExportImportReplay fills a server's embedded JetStream store
// through the API (names with spaces, slashes and unicode, a pact, a
// verification, deployments and releases), then, with the built binary:
// export refuses while the server holds the data directory; after it
// stops, export → import into a fresh JetStream directory → export again is
// byte-identical, and so is an import into the memory store; a second
// import into the filled directory is refused; replay reports the events
// per type that the export holds, and stops at --to-position; a server
// started on the imported directory shows the same audit trail (ids, times,
// actors, correlation ids, order).
func TestE2EExportImportReplay(t *testing.T) {
	bin := e2eBuild(t)
	ours := e2eCLI{name: "pactledger", argv: []string{bin}}
	srcDir, dstDir, work := t.TempDir(), t.TempDir(), t.TempDir()
	srcData := filepath.Join(srcDir, "data")
	var history []any

	t.Run("fill the store", func(t *testing.T) {
		s, err := e2eTryStart(t, bin, srcDir, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		pactDir := t.TempDir()
		if err := os.WriteFile(filepath.Join(pactDir, "Foo-Bar.json"), []byte(e2ePact), 0o600); err != nil {
			t.Fatal(err)
		}
		ours.ok(t, s, nil, "publish", pactDir, "--consumer-app-version", "1.0.0", "--branch", "main")
		ours.ok(t, s, nil, "create-or-update-version", "--pacticipant", "Bar", "--version", "2.0.0")
		publishResult(t, s, "2.0.0", true)
		for _, v := range []string{"1.0 / beta", "ünïcode 2"} {
			ours.ok(t, s, nil, "create-or-update-version", "--pacticipant", "web app", "--version", v, "--tag", "prod")
			ours.ok(t, s, nil, "record-deployment", "--pacticipant", "web app", "--version", v, "--environment", "production")
		}
		ours.ok(t, s, nil, "record-release", "--pacticipant", "Bar", "--version", "2.0.0", "--environment", "test")
		history = e2eHistoryAll(t, s, "")

		r := runTool(t, bin, "export", "--data-dir", srcData)
		if r.code != 1 || !strings.Contains(r.stderr, "Is a pactledger server running on --data-dir") {
			t.Fatalf("export while the server runs: exit %d, want 1 with the reason\n%s", r.code, r.stderr)
		}
	}) // the server stops here

	first := filepath.Join(work, "first.ndjson")
	if r := runTool(t, bin, "export", "--data-dir", srcData, "--out", first); r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	exported, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(exported), "\n"), "\n")
	if len(lines) != len(history) {
		t.Fatalf("export has %d lines, the audit trail %d entries", len(lines), len(history))
	}
	perType := map[string]int{}
	for i, line := range lines {
		var e exportedEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if e.ID != e2eStr(history[i], "eventId") || e.Type != e2eStr(history[i], "type") || e.Stream != e2eStr(history[i], "stream") ||
			e.Position != uint64(i+1) || e.Metadata.Actor != e2eStr(history[i], "actor") {
			t.Fatalf("line %d does not match the audit trail:\n%s\n%v", i+1, line, history[i])
		}
		perType[e.Type]++
	}

	if r := runTool(t, bin, "import", "--data-dir", filepath.Join(dstDir, "data"), "--in", first); r.code != 0 ||
		!strings.Contains(r.stdout, "imported "+strconv.Itoa(len(lines))+" events") {
		t.Fatalf("import: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := runTool(t, bin, "export", "--data-dir", filepath.Join(dstDir, "data"))
	if r.code != 0 || r.stdout != string(exported) {
		t.Fatalf("export after import (exit %d) differs from the first export:\n%s\n---\n%s", r.code, r.stdout, exported)
	}
	if r := runTool(t, bin, "import", "--data-dir", filepath.Join(dstDir, "data"), "--in", first); r.code != 1 ||
		!strings.Contains(r.stderr, "the store is not empty") {
		t.Fatalf("import into a filled store: exit %d, want 1 with the reason\n%s", r.code, r.stderr)
	}

	t.Run("through the memory store", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		f, err := os.Open(first)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		mem := memstore.New()
		if n, err := importLog(ctx, mem, f); err != nil || n != len(lines) {
			t.Fatalf("import into memory: %d events, %v", n, err)
		}
		var again bytes.Buffer
		if _, err := exportLog(ctx, mem, &again); err != nil {
			t.Fatal(err)
		}
		if again.String() != string(exported) {
			t.Fatalf("memory round trip differs:\n%s\n---\n%s", again.String(), exported)
		}
	})

	t.Run("replay", func(t *testing.T) {
		r := runTool(t, bin, "replay", "--data-dir", srcData)
		if r.code != 0 || !strings.Contains(r.stdout, "replayed "+strconv.Itoa(len(lines))+" events up to position "+strconv.Itoa(len(lines))) ||
			!strings.Contains(r.stdout, "read models: 2 environments, 3 applications, 1 integrations, 0 webhooks") {
			t.Fatalf("replay: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		for typ, n := range perType {
			if !strings.Contains(r.stdout, "  "+typ+strings.Repeat(" ", 27-len(typ))+strconv.Itoa(n)+"\n") {
				t.Errorf("replay does not report %d %s:\n%s", n, typ, r.stdout)
			}
		}
		if strings.Contains(r.stderr, "events\r") || strings.Contains(r.stderr, "[#") {
			t.Errorf("a progress bar on a stderr that is not a terminal:\n%q", r.stderr)
		}
		r = runTool(t, bin, "replay", "--data-dir", srcData, "--to-position", "5")
		if r.code != 0 || !strings.Contains(r.stdout, "replayed 5 events up to position 5") {
			t.Fatalf("replay --to-position 5: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		r = runTool(t, bin, "replay", "--data-dir", srcData, "--to-time", "2000-01-01T00:00:00Z")
		if r.code != 0 || !strings.Contains(r.stdout, "replayed 0 events") {
			t.Fatalf("replay --to-time before the first event: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if r := runTool(t, bin, "replay", "--data-dir", srcData, "--to-time", "noon"); r.code != 1 {
			t.Fatalf("replay --to-time noon: exit %d, want 1\n%s", r.code, r.stderr)
		}
	})

	t.Run("a server on the imported store", func(t *testing.T) {
		s, err := e2eTryStart(t, bin, dstDir, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := e2eHistoryAll(t, s, "")
		if len(got) != len(history) {
			t.Fatalf("%d entries, want %d", len(got), len(history))
		}
		for i := range got {
			a, _ := json.Marshal(got[i])
			b, _ := json.Marshal(history[i])
			if !bytes.Equal(a, b) {
				t.Fatalf("entry %d differs:\n got  %s\n want %s", i, a, b)
			}
		}
	})
}

type toolResult struct {
	code           int
	stdout, stderr string
}

// runTool runs the binary with args and returns its exit code and output.
func runTool(t *testing.T, bin string, args ...string) toolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), e2eCommandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := toolResult{stdout: stdout.String(), stderr: stderr.String()}
	if exitErr, ok := err.(*exec.ExitError); ok {
		r.code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	if strings.Contains(strings.ToLower(r.stdout+r.stderr), "panic") {
		t.Fatalf("%v: output mentions a panic:\n%s%s", args, r.stdout, r.stderr)
	}
	return r
}
