package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/jetstream"
)

// loadEnv, when set to a data directory, makes the process a load child
// (see runLoadChild) instead of a benchmark run.
const loadEnv = "PACTBENCH_LOAD_DIR"

// profileEnv passes -profile to a load child.
const profileEnv = "PACTBENCH_PROFILE_DIR"

// snapshotEnv is "1" when a load child may start from the read-model
// snapshot in its data directory (saved by the child before it).
const snapshotEnv = "PACTBENCH_FROM_SNAPSHOT"

// snapshotDir is where the load children keep their read-model snapshot,
// where pactledger serve keeps it by default.
func snapshotDir(dataDir string) string { return filepath.Join(dataDir, "snapshots") }

// loadReport is what a load child prints as its last line.
type loadReport struct {
	Events     uint64  `json:"events"`
	ReplayS    float64 `json:"replay_s"`
	Restored   bool    `json:"restored"` // the read models came from a snapshot
	HeapModels uint64  `json:"heap_models"`
	HeapServer uint64  `json:"heap_with_server"`
	RSS        uint64  `json:"rss"`
	RSSPeak    uint64  `json:"rss_peak"`
}

// measureLoad starts fresh processes of this program on the data directory
// and measures the wall time from starting each to its read models being
// ready: Go start-up, opening the embedded store (SyncAlways, as serve
// does), app.Start and Runner.CatchUp. The first process rebuilds the read
// models from the whole log (the replay figure and the memory figures) and
// saves a read-model snapshot when it closes; the second starts from that
// snapshot as pactledger serve does by default (the start-up figure). The
// processes are this binary, not pactledger serve, so that they can report
// their heap and RSS; serve runs the same wiring (infra/app). Fresh
// processes keep the generator's garbage out of the memory figures.
func measureLoad(ctx context.Context, dataDir string, versions int64, profileDir string, res *Result) error {
	if err := os.RemoveAll(snapshotDir(dataDir)); err != nil { // a -reuse run's
		return err
	}
	full, fullS, err := loadChild(ctx, dataDir, profileDir, false)
	if err != nil {
		return err
	}
	snap, snapS, err := loadChild(ctx, dataDir, profileDir, true)
	if err != nil {
		return err
	}
	if !snap.Restored || full.Restored {
		return fmt.Errorf("load children: restored from a snapshot %v (full replay) and %v (snapshot start)", full.Restored, snap.Restored)
	}
	res.StartupMethod = "fresh pactbench process: jetstream.Open (SyncAlways) + app.Start (read-model snapshot) + Runner.CatchUp (the tail)"
	res.StartupS, res.StartupFullReplayS, res.SnapshotLoadS = snapS, fullS, snap.ReplayS
	if st, err := os.Stat(filepath.Join(snapshotDir(dataDir), "read-models.snapshot")); err == nil {
		res.SnapshotBytes = st.Size()
	}
	res.ReplayS, res.ReplayEventsPerS = full.ReplayS, float64(full.Events)/full.ReplayS
	res.HeapBytes, res.HeapWithServerBytes, res.RSSBytes, res.RSSPeakBytes = full.HeapModels, full.HeapServer, full.RSS, full.RSSPeak
	res.HeapBytesPerVersion = float64(full.HeapModels) / float64(versions)
	res.HeapBytesPerVersionRestored = float64(snap.HeapModels) / float64(versions)
	return nil
}

// loadChild runs one load child and returns its report and the wall time
// from its start to its "ready".
func loadChild(ctx context.Context, dataDir, profileDir string, fromSnapshot bool) (loadReport, float64, error) {
	var rep loadReport
	exe, err := os.Executable()
	if err != nil {
		return rep, 0, err
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), loadEnv+"="+dataDir, profileEnv+"="+profileDir, snapshotEnv+"="+strconv.FormatBool(fromSnapshot))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return rep, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return rep, 0, err
	}
	defer cmd.Wait()
	var ready float64
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		switch line := lines.Text(); {
		case line == "ready":
			ready = time.Since(start).Seconds()
		case strings.HasPrefix(line, "{"):
			if err := json.Unmarshal([]byte(line), &rep); err != nil {
				return rep, 0, fmt.Errorf("load child: %w", err)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		return rep, 0, fmt.Errorf("load child: %w", err)
	}
	if rep.Events == 0 {
		return rep, 0, fmt.Errorf("load child reported nothing")
	}
	return rep, ready, nil
}

// runLoadChild opens the store in dataDir, rebuilds the read models, prints
// "ready", then measures memory and prints a loadReport as JSON.
//
// HeapModels is the live heap after GC with the store closed (the embedded
// server and its caches gone) minus the live heap before anything was
// opened: the read models and what the application holds. HeapServer is
// the live heap at ready with the server still running, RSS the resident
// set at ready.
//
// Without fromSnapshot it ignores (and later replaces) any snapshot and
// rebuilds from the whole log; either way it saves a snapshot when it
// closes, if it applied events since the one it loaded.
func runLoadChild(dataDir string, fromSnapshot bool, prof profiler) error {
	ctx := context.Background()
	base := liveHeap()
	s, err := jetstream.Open(ctx, jetstream.Config{DataDir: dataDir, SyncAlways: true})
	if err != nil {
		return err
	}
	if !fromSnapshot {
		if err := os.RemoveAll(snapshotDir(dataDir)); err != nil {
			return err
		}
		if os.Getenv(breakdownEnv) == "1" {
			if err := replayBreakdown(ctx, s, os.Stderr, prof); err != nil {
				return err
			}
		}
	}
	start, cpu := time.Now(), processCPU()
	// Profiles: replay (the whole log), or snapshot-load (app.Start, which
	// restores the snapshot) and snapshot-tail (the tail after it).
	phase := map[bool][2]string{false: {"start", "replay"}, true: {"snapshot-load", "snapshot-tail"}}[fromSnapshot]
	var a *app.App
	if err := prof.cpu(phase[0], func() error {
		a = app.Start(s, app.Options{Snapshots: app.SnapshotOptions{Dir: snapshotDir(dataDir)}})
		return nil
	}); err != nil {
		return err
	}
	restoredAt := a.Runner.Position() // before Run applies anything: the snapshot's position
	if err := prof.cpu(phase[1], func() error { return a.Runner.CatchUp(ctx) }); err != nil {
		return err
	}
	rep := loadReport{Events: a.Runner.Position(), ReplayS: time.Since(start).Seconds(), Restored: restoredAt > 0}
	if os.Getenv(breakdownEnv) == "1" && !rep.Restored {
		breakdownLine(os.Stderr, "(c) + apply (runner)", rep.Events, time.Since(start), processCPU()-cpu)
	}
	fmt.Println("ready")
	rep.HeapServer = liveHeap() - base
	rep.RSS, rep.RSSPeak = procStatus("VmRSS"), procStatus("VmHWM")
	a.Close()
	if err := s.Close(); err != nil {
		return err
	}
	rep.HeapModels = liveHeap() - base
	if err := prof.heap(map[bool]string{false: "models", true: "models-restored"}[fromSnapshot]); err != nil {
		return err
	}
	runtime.KeepAlive(a)
	b, _ := json.Marshal(rep)
	fmt.Println(string(b))
	return nil
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// procStatus reads a "kB" field of /proc/self/status in bytes (0 where
// there is no procfs).
func procStatus(field string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
