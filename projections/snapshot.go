package projections

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
)

// Snapshotter is a read model that can be saved and restored, so that a
// start-up replays only the log's tail after a snapshot.
//
// AppendSnapshot appends the model's whole state to b in a deterministic
// encoding: map entries in sorted key order, so two models that answer every
// query alike encode to the same bytes whatever order their maps were built
// in. Derived indexes are left out and rebuilt by RestoreSnapshot.
//
// RestoreSnapshot replaces the model's state with a snapshot's. It fails
// with ErrSnapshotCorrupt, leaving the model as it was, when the bytes are
// not a snapshot of this model.
//
// Hazard: neither is safe to call while the Runner applies events to other
// models of the same snapshot; use Runner.Pause to take a consistent set.
type Snapshotter interface {
	Projector
	AppendSnapshot(b []byte) []byte
	RestoreSnapshot(b []byte) error
}

// ReadModelDigest is the SHA-256 (hex) of a read model's snapshot encoding:
// equal digests mean equal read models. Compare digests taken at the same
// log position (Runner.Pause gives one).
func ReadModelDigest(m Snapshotter) string {
	sum := sha256.Sum256(m.AppendSnapshot(nil))
	return hex.EncodeToString(sum[:])
}

// sortedKeys returns a map's keys in order.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}
