package main

import (
	"fmt"
	"path/filepath"
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

// addSnapshotSettings registers the read-model snapshot settings; the
// returned function, called after parsing, checks them.
func addSnapshotSettings(s *settings, c *snapshotConfig) func() error {
	s.Bool(&c.Enabled, "snapshots", true,
		"save read-model snapshots and start from the newest one (not with --store memory)", "PACTLEDGER_SNAPSHOTS")
	s.String(&c.Dir, "snapshot-dir", "",
		"directory of the read-model snapshot; default: snapshots under --data-dir", "PACTLEDGER_SNAPSHOT_DIR")
	every := 100_000
	s.Int(&every, "snapshot-every", every,
		"save a read-model snapshot after this many new events; 0: only by time and at shutdown", "PACTLEDGER_SNAPSHOT_EVERY")
	s.Duration(&c.Interval, "snapshot-interval", 10*time.Minute,
		"save a read-model snapshot this long after the last one if events arrived; 0: only by count and at shutdown",
		"PACTLEDGER_SNAPSHOT_INTERVAL")
	return func() error {
		if every < 0 {
			return fmt.Errorf("--snapshot-every must not be negative, not %d", every)
		}
		c.Every = uint64(every)
		return nil
	}
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
