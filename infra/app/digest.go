package app

import (
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

// ReadModelDigests returns the App's read-model digests, taken while the
// runner pauses, and the log position they describe.
func (a *App) ReadModelDigests() (position uint64, digests map[string]string) {
	a.Runner.Pause(func(p uint64, _ uuid.UUID) {
		position, digests = p, ReadModelDigests(a.models()...)
	})
	return position, digests
}

// SnapshotDigests reads the snapshot file in dir and returns the position it
// was taken at and the digest of each read model it holds (restored into
// fresh models, so a snapshot that does not decode is an error).
func SnapshotDigests(dir string) (position uint64, digests map[string]string, err error) {
	snap, err := readSnapshotFile(dir)
	if err != nil {
		return 0, nil, err
	}
	models := []projections.Snapshotter{projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts(), projections.NewWebhooks()}
	if err := restoreModels(models, snap.models); err != nil {
		return 0, nil, err
	}
	return snap.position, ReadModelDigests(models...), nil
}
