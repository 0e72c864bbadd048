package jetstream

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrDataDirInUse means another process (a running pactledger server, or a
// replay, export or import) has the embedded store's data directory open.
// nats-server itself does not stop two processes from opening one store
// directory, and two writers would corrupt it, so the store takes an
// exclusive lock on DataDir/LOCK for as long as it is open.
var ErrDataDirInUse = errors.New("jetstream: the data directory is in use by another process")

// lockDataDir takes the exclusive lock on dir/LOCK without waiting. The
// kernel releases it when the process ends, also on a crash; unlock
// releases it earlier.
func lockDataDir(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("jetstream: data directory: %w", err)
	}
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("jetstream: lock file: %w", err)
	}
	if err := tryLock(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%w (%s is locked: %v)", ErrDataDirInUse, path, err)
	}
	return func() { _ = unlockFile(f); _ = f.Close() }, nil
}
