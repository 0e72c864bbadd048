//go:build !unix

package jetstream

import "os"

// Without flock the data directory is not locked: keep to one process.
func tryLock(*os.File) error    { return nil }
func unlockFile(*os.File) error { return nil }
