//go:build !unix

package jetstream

import "time"

// ProcessCPU is not measured here: cpu-ns/op reads 0.
func ProcessCPU() time.Duration { return 0 }
