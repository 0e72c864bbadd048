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

// TestCatalogSemanticsOfCompactLayout pins what the compact layout changed:
// times come back in UTC (as after a snapshot restore) whatever the
// location of the event's time; ReadVersion does not allocate, and the
// build URL it shows is joined in its buffer (only the copy is kept); a
// VersionCreated for a version that exists (which the domain never emits)
// starts it afresh, off its branches and tags.
func TestCatalogSemanticsOfCompactLayout(t *testing.T) {
	c := projections.NewCatalog()
	zone := time.FixedZone("CEST", 2*3600)
	at := time.Date(2026, 11, 27, 12, 0, 0, 5, zone)
	pos := uint64(0)
	apply := func(ps ...events.Payload) {
		for _, p := range ps {
			pos++
			c.Apply(events.Envelope{Type: p.EventType(), Position: pos, OccurredAt: at.Add(time.Duration(pos) * time.Second), Data: p})
		}
	}
	apply(events.PacticipantCreated{Name: "app"}, events.VersionCreated{Pacticipant: "app", Number: "1", BuildURL: "https://ci/app/builds/1"},
		events.VersionAddedToBranch{Pacticipant: "app", Number: "1", Branch: "main"},
		events.VersionTagged{Pacticipant: "app", Number: "1", Tag: "prod"})
	v, _ := c.Version("app", "1")
	if want := at.Add(2 * time.Second); !v.CreatedAt.Equal(want) || v.CreatedAt.Location() != time.UTC || v.Branches[0].CreatedAt.Location() != time.UTC {
		t.Errorf("created %v (branch joined %v), want %v in UTC", v.CreatedAt, v.Branches[0].CreatedAt, want)
	}

	var heads int
	read := func(v *projections.VersionView, head func(string) string) {
		if head(v.Branches[0].Name) == v.Number && v.Tags[0].Name == "prod" && v.BuildURL == "https://ci/app/builds/1" {
			heads++
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { c.ReadVersion("app", "1", read) }); allocs != 0 && !raceEnabled || heads == 0 {
		t.Errorf("ReadVersion: %v allocations per call, %d heads and URLs seen", allocs, heads)
	}
	copied, _ := c.Version("app", "1")
	apply(events.VersionCreated{Pacticipant: "app", Number: "2", BuildURL: "https://ci/app/builds/2"})
	c.ReadVersion("app", "2", func(*projections.VersionView, func(string) string) {})
	if copied.BuildURL != "https://ci/app/builds/1" {
		t.Errorf("a copy's build URL changed to %q", copied.BuildURL)
	}

	apply(events.VersionCreated{Pacticipant: "app", Number: "1", BuildURL: "again"})
	v, ok := c.Version("app", "1")
	if !ok || v.BuildURL != "again" || v.Order != pos || len(v.Branches)+len(v.Tags) != 0 {
		t.Errorf("created again: %+v, %v", v, ok)
	}
	if _, ok := c.Branch("app", "main"); ok || len(c.VersionsWithTag("app", "prod")) != 0 {
		t.Error("a version created again stays on its old branch or tag")
	}
}
