package projections_test

import (
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// TestLatestVersionWithTag follows the latest tagged version through tags,
// untags and deletions (it is kept as an index, not computed per call).
func TestLatestVersionWithTag(t *testing.T) {
	c := projections.NewCatalog()
	pos := uint64(0)
	apply := func(ps ...events.Payload) {
		for _, p := range ps {
			pos++
			c.Apply(events.Envelope{Type: p.EventType(), Position: pos, OccurredAt: time.Unix(int64(pos), 0).UTC(), Data: p})
		}
	}
	latest := func(want string) {
		t.Helper()
		v, ok := c.LatestVersionWithTag("app", "prod")
		if got := map[bool]string{true: v.Number}[ok]; got != want {
			t.Fatalf("latest with tag prod = %q, want %q", got, want)
		}
	}
	tag := func(n string) events.VersionTagged {
		return events.VersionTagged{Pacticipant: "app", Number: n, Tag: "prod"}
	}
	apply(events.PacticipantCreated{Name: "app"},
		events.VersionCreated{Pacticipant: "app", Number: "1"}, events.VersionCreated{Pacticipant: "app", Number: "2"},
		events.VersionCreated{Pacticipant: "app", Number: "3"})
	latest("")
	apply(tag("2"), tag("1")) // tagged out of order: the version order decides
	latest("2")
	apply(tag("3"))
	latest("3")
	apply(events.VersionTagRemoved{Pacticipant: "app", Number: "3", Tag: "prod"})
	latest("2")
	apply(events.VersionDeleted{Pacticipant: "app", Number: "2"})
	latest("1")
	apply(events.VersionTagRemoved{Pacticipant: "app", Number: "1", Tag: "prod"})
	latest("")
}
