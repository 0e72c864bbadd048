package projections_test

import (
	"testing"

	"github.com/pactledger/pactledger/projections"
)

// BenchmarkContractsHeap decodes benchLog (so that strings and JSON are
// made afresh, as the store does) and applies it to a fresh Contracts read
// model, then reports the live heap it keeps per application version and
// the objects a collection marks per version. An op is the whole log.
func BenchmarkContractsHeap(b *testing.B) {
	benchHeapPerVersion(b, benchLog, 0, func() projections.Projector { return projections.NewContracts() })
}
