package main

import (
	"flag"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pactledger/pactledger/infra/app"
)

// snapshotConfig holds the read-model snapshot flags.
type snapshotConfig struct {
	Enabled  bool
	Dir      string
	Every    uint64
	Interval time.Duration
}

// snapshotFlags registers the read-model snapshot flags on fs.
func snapshotFlags(fs *flag.FlagSet, c *snapshotConfig) {
	fs.BoolVar(&c.Enabled, "snapshots", envBool(true, "PACTLEDGER_SNAPSHOTS"),
		"save read-model snapshots and start from the newest one (not with --store memory) (env PACTLEDGER_SNAPSHOTS)")
	fs.StringVar(&c.Dir, "snapshot-dir", envOr("", "PACTLEDGER_SNAPSHOT_DIR"),
		"directory of the read-model snapshot; default: snapshots under --data-dir (env PACTLEDGER_SNAPSHOT_DIR)")
	every := uint64(100_000)
	if v, err := strconv.ParseUint(envOr("", "PACTLEDGER_SNAPSHOT_EVERY"), 10, 64); err == nil {
		every = v
	}
	fs.Uint64Var(&c.Every, "snapshot-every", every,
		"save a read-model snapshot after this many new events; 0: only by time and at shutdown (env PACTLEDGER_SNAPSHOT_EVERY)")
	interval := 10 * time.Minute
	if v, err := time.ParseDuration(envOr("", "PACTLEDGER_SNAPSHOT_INTERVAL")); err == nil {
		interval = v
	}
	fs.DurationVar(&c.Interval, "snapshot-interval", interval,
		"save a read-model snapshot this long after the last one if events arrived; 0: only by count and at shutdown (env PACTLEDGER_SNAPSHOT_INTERVAL)")
}

// snapshotOptions are the App's snapshot options under cfg: none for the
// memory store (its log does not outlive the process).
func (c serveConfig) snapshotOptions() app.SnapshotOptions {
	if !c.Snapshots.Enabled || c.Store == "memory" {
		return app.SnapshotOptions{}
	}
	dir := c.Snapshots.Dir
	if dir == "" {
		dir = filepath.Join(filepath.Clean(c.DataDir), "snapshots")
	}
	return app.SnapshotOptions{Dir: dir, Every: c.Snapshots.Every, Interval: c.Snapshots.Interval}
}
