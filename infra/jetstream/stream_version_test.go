package jetstream_test

import (
	"testing"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/storetest"
)

func TestStreamVersion(t *testing.T) {
	s := openEmbedded(t, t.TempDir())
	ctx := ctxT(t)
	mustAppend(t, s, "a", events.NoStream, storetest.Rec("A", `{}`), storetest.Rec("A", `{}`))
	mustAppend(t, s, "b", events.NoStream, storetest.Rec("B", `{}`))
	mustAppend(t, s, "a", events.Exact(2), storetest.Rec("A", `{}`))
	for stream, want := range map[string]uint64{"a": 3, "b": 1, "never written": 0} {
		if got, err := s.StreamVersion(ctx, stream); err != nil || got != want {
			t.Errorf("StreamVersion(%q) = %d, %v; want %d", stream, got, err, want)
		}
	}
}
