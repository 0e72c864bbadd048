package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenOutResumesAfterTheLastCompleteLine: the output file is the
// subscriber's checkpoint; a line torn by a kill is cut off, and new lines
// are appended after the last complete one.
func TestOpenOutResumesAfterTheLastCompleteLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	content := `{"position":3,"type":"DeploymentRecorded"}` + "\n" + `{"position":7,"type":"AutoUndeployed"}` + "\n" + `{"position":9,"ty`
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	f, last, err := openOut(path)
	if err != nil {
		t.Fatal(err)
	}
	if last != 7 {
		t.Fatalf("checkpoint %d, want 7", last)
	}
	if _, err := io.WriteString(f, "next\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got, _ := os.ReadFile(path)
	want := `{"position":3,"type":"DeploymentRecorded"}` + "\n" + `{"position":7,"type":"AutoUndeployed"}` + "\n" + "next\n"
	if string(got) != want {
		t.Fatalf("file:\n%s\nwant:\n%s", got, want)
	}
	f, last, err = openOut(filepath.Join(t.TempDir(), "new.jsonl"))
	if err != nil || last != 0 {
		t.Fatalf("new file: checkpoint %d, %v", last, err)
	}
	f.Close()
}
