package app

import (
	"fmt"

	"github.com/pactledger/pactledger/projections"
)

// comparisonPoolSnapshotVersion changes whenever the encoding does.
const comparisonPoolSnapshotVersion = 1

// AppendSnapshot implements projections.Snapshotter. The pool holds no read
// model, only publications noted for pre-generation and not planned yet,
// and the comparisons queued or running; none of it is saved, so the
// encoding is its version alone.
//
// What a restore means: the runner starts after the snapshot's position,
// so the pool does not see the publications before it and pre-generation
// does not plan them again (a start from the whole log re-plans every
// publication). Nothing is lost for correctness: comparisons recorded
// before the snapshot are in the restored ProviderContracts, and one that
// was never recorded (queued, running, or dropped when the process
// stopped) is requested on demand by the matrix reader the first time the
// matrix or can-i-deploy needs it. Publications in the log's tail are
// planned as usual.
func (p *comparisonPool) AppendSnapshot(b []byte) []byte {
	return append(b, comparisonPoolSnapshotVersion)
}

// RestoreSnapshot implements projections.Snapshotter: it checks the
// encoding and changes nothing (publications noted from the tail, if any
// were applied already, stay noted).
func (p *comparisonPool) RestoreSnapshot(b []byte) error {
	if len(b) != 1 || b[0] != comparisonPoolSnapshotVersion {
		return fmt.Errorf("%w: comparison pool encoding %v, want [%d]", projections.ErrSnapshotCorrupt, b, comparisonPoolSnapshotVersion)
	}
	return nil
}

var _ projections.Snapshotter = (*comparisonPool)(nil)
