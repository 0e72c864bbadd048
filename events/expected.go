package events

import "fmt"

type expectedKind uint8

const (
	anyVersion expectedKind = iota
	noStream
	exactVersion
)

// ExpectedVersion is the optimistic-concurrency condition of an append:
// Any, NoStream or Exact(n). Exact(0) means the same as NoStream.
type ExpectedVersion struct {
	kind expectedKind
	n    uint64
}

var (
	// Any appends whatever the stream's version.
	Any = ExpectedVersion{kind: anyVersion}
	// NoStream appends only to a stream that has no events yet.
	NoStream = ExpectedVersion{kind: noStream}
)

// Exact appends only when the stream's last event has version n.
func Exact(n uint64) ExpectedVersion {
	if n == 0 {
		return NoStream
	}
	return ExpectedVersion{kind: exactVersion, n: n}
}

// IsAny reports whether e places no condition.
func (e ExpectedVersion) IsAny() bool { return e.kind == anyVersion }

// Version is the stream version e requires: 0 for NoStream, n for Exact(n).
// It is meaningless for Any.
func (e ExpectedVersion) Version() uint64 { return e.n }

// Allows reports whether a stream at version current satisfies e.
func (e ExpectedVersion) Allows(current uint64) bool {
	switch e.kind {
	case noStream:
		return current == 0
	case exactVersion:
		return current == e.n
	default:
		return true
	}
}

func (e ExpectedVersion) String() string {
	switch e.kind {
	case noStream:
		return "no stream"
	case exactVersion:
		return fmt.Sprintf("version %d", e.n)
	default:
		return "any version"
	}
}
