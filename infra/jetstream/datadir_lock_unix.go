//go:build unix

package jetstream

import (
	"os"
	"syscall"
)

func tryLock(f *os.File) error    { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }
func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
