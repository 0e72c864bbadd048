package app

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/projections"
)

// ReadModelDigests returns one digest per read model, by name: the SHA-256
// of its deterministic snapshot encoding (projections.ReadModelDigest).
// Two sets of read models that reached the same log position have equal
// digests exactly when they hold the same state, so `replay --verify` can
// compare a full rebuild with the models a server built from a snapshot
// plus the tail.
//
// Hazard: models that are still applying events give digests of different
// moments; use App.ReadModelDigests for a consistent set.
func ReadModelDigests(models ...projections.Snapshotter) map[string]string {
	out := make(map[string]string, len(models))
	for _, m := range models {
		out[m.Name()] = projections.ReadModelDigest(m)
	}
	return out
}

// ReadModelDigests returns the digests of every read model the App's runner
// feeds (ReadModelDigests above), taken while the runner pauses, and the log
// position they describe. A model that cannot be snapshotted has no digest.
func (a *App) ReadModelDigests() (position uint64, digests map[string]string) {
	a.Runner.Pause(func(p uint64, _ uuid.UUID) {
		var models []projections.Snapshotter
		for _, m := range a.Runner.Projectors() {
			if sm, ok := m.(projections.Snapshotter); ok {
				models = append(models, sm)
			}
		}
		position, digests = p, ReadModelDigests(models...)
	})
	return position, digests
}

// SnapshotDigests reads the snapshot file in dir and returns the position it
// was taken at and the digest of each read model it holds: the SHA-256 of
// the saved encoding, which is what ReadModelDigest gives for the model
// restored from it (restoring and encoding again gives the same bytes; the
// projections tests check it).
func SnapshotDigests(dir string) (position uint64, digests map[string]string, err error) {
	snap, err := readSnapshotFile(dir)
	if err != nil {
		return 0, nil, err
	}
	digests = make(map[string]string, len(snap.models))
	for _, m := range snap.models {
		sum := sha256.Sum256(m.data)
		digests[m.name] = hex.EncodeToString(sum[:])
	}
	return snap.position, digests, nil
}
