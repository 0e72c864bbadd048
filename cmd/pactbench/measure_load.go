package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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

// loadReport is what a load child prints as its last line.
type loadReport struct {
	Events     uint64  `json:"events"`
	ReplayS    float64 `json:"replay_s"`
	HeapModels uint64  `json:"heap_models"`
	HeapServer uint64  `json:"heap_with_server"`
	RSS        uint64  `json:"rss"`
	RSSPeak    uint64  `json:"rss_peak"`
}

// measureLoad starts a fresh process of this program on the data directory
// and measures the wall time from starting it to its read models being
// ready: Go start-up, opening the embedded store (SyncAlways, as serve
// does), app.Start and Runner.CatchUp. The process is this binary, not
// pactledger serve, so that it can report its heap and RSS; serve runs the
// same wiring (infra/app). A fresh process keeps the generator's garbage out
// of the memory figures.
func measureLoad(ctx context.Context, dataDir string, versions int64, profileDir string, res *Result) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), loadEnv+"="+dataDir, profileEnv+"="+profileDir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait()
	lines := bufio.NewScanner(out)
	var rep loadReport
	for lines.Scan() {
		switch line := lines.Text(); {
		case line == "ready":
			res.StartupS = time.Since(start).Seconds()
		case strings.HasPrefix(line, "{"):
			if err := json.Unmarshal([]byte(line), &rep); err != nil {
				return fmt.Errorf("load child: %w", err)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("load child: %w", err)
	}
	if rep.Events == 0 {
		return fmt.Errorf("load child reported nothing")
	}
	res.StartupMethod = "fresh pactbench process: jetstream.Open (SyncAlways) + app.Start + Runner.CatchUp"
	res.ReplayS, res.ReplayEventsPerS = rep.ReplayS, float64(rep.Events)/rep.ReplayS
	res.HeapBytes, res.HeapWithServerBytes, res.RSSBytes, res.RSSPeakBytes = rep.HeapModels, rep.HeapServer, rep.RSS, rep.RSSPeak
	res.HeapBytesPerVersion = float64(rep.HeapModels) / float64(versions)
	return nil
}

// runLoadChild opens the store in dataDir, rebuilds the read models, prints
// "ready", then measures memory and prints a loadReport as JSON.
//
// HeapModels is the live heap after GC with the store closed (the embedded
// server and its caches gone) minus the live heap before anything was
// opened: the read models and what the application holds. HeapServer is
// the live heap at ready with the server still running, RSS the resident
// set at ready.
func runLoadChild(dataDir string, prof profiler) error {
	ctx := context.Background()
	base := liveHeap()
	s, err := jetstream.Open(ctx, jetstream.Config{DataDir: dataDir, SyncAlways: true})
	if err != nil {
		return err
	}
	start := time.Now()
	a := app.Start(s, app.Options{})
	if err := prof.cpu("replay", func() error { return a.Runner.CatchUp(ctx) }); err != nil {
		return err
	}
	rep := loadReport{Events: a.Runner.Position(), ReplayS: time.Since(start).Seconds()}
	fmt.Println("ready")
	rep.HeapServer = liveHeap() - base
	rep.RSS, rep.RSSPeak = procStatus("VmRSS"), procStatus("VmHWM")
	a.Close()
	if err := s.Close(); err != nil {
		return err
	}
	rep.HeapModels = liveHeap() - base
	if err := prof.heap("models"); err != nil {
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
