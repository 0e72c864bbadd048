package projections_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// TestReadVersionBriefMatchesReadVersion applies random version, branch and
// tag events and checks after each that ReadVersionBrief gives, for every
// version, what ReadVersion and its branch heads give: number, order,
// creation time, branches in order with head flags, tags in order.
func TestReadVersionBriefMatchesReadVersion(t *testing.T) {
	heads := 0 // versions seen as a branch's head: the logs exercise the comparison
	apps, numbers, names := []string{"a", "b"}, []string{"1", "2", "3", "4", "5"}, []string{"main", "dev", "feat/x"}
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 11))
		pick := func(s []string) string { return s[rng.IntN(len(s))] }
		c := projections.NewCatalog()
		for i, p := range apps {
			created := events.PacticipantCreated{Name: p}
			c.Apply(events.Envelope{Type: created.EventType(), Position: uint64(i + 1), OccurredAt: start, Data: created})
		}
		for pos := uint64(len(apps) + 1); pos <= 300; pos++ {
			p, n, name := pick(apps), pick(numbers), pick(names)
			var payload events.Payload
			switch k := rng.IntN(100); {
			case k < 25:
				payload = events.VersionCreated{Pacticipant: p, Number: n, BuildURL: "https://ci/" + n}
			case k < 55:
				payload = events.VersionAddedToBranch{Pacticipant: p, Number: n, Branch: name}
			case k < 65:
				payload = events.VersionRemovedFromBranch{Pacticipant: p, Number: n, Branch: name}
			case k < 85:
				payload = events.VersionTagged{Pacticipant: p, Number: n, Tag: name}
			case k < 92:
				payload = events.VersionTagRemoved{Pacticipant: p, Number: n, Tag: name}
			default:
				payload = events.VersionDeleted{Pacticipant: p, Number: n}
			}
			at := start.Add(time.Duration(pos) * time.Second)
			c.Apply(events.Envelope{Type: payload.EventType(), Position: pos, OccurredAt: at, Data: payload})
			for _, p := range apps {
				for _, n := range numbers {
					var want, got queries.VersionInfo
					okWant := c.ReadVersion(p, n, func(v *projections.VersionView, head func(string) string) {
						want = queries.VersionInfo{Number: v.Number, Order: v.Order, CreatedAt: v.CreatedAt}
						for _, t := range v.Tags {
							want.Tags = append(want.Tags, queries.TagMembership{Name: t.Name, CreatedAt: t.CreatedAt})
						}
						for _, b := range v.Branches {
							want.Branches = append(want.Branches, queries.BranchMembership{Name: b.Name, Head: head(b.Name) == n})
						}
					})
					okGot := c.ReadVersionBrief(&got, p, n)
					if len(want.Tags) == 0 {
						want.Tags = nil
					}
					if okGot != okWant || !reflect.DeepEqual(got, want) {
						t.Fatalf("seed %d pos %d %s %s: brief %v %+v, want %v %+v", seed, pos, p, n, okGot, got, okWant, want)
					}
					for _, b := range got.Branches {
						if b.Head {
							heads++
						}
					}
				}
			}
		}
	}
	if heads < 100 {
		t.Fatalf("only %d branch heads seen: the random logs do not exercise the method", heads)
	}
}

// TestPacticipantBriefMatchesPacticipant checks PacticipantBrief against
// Pacticipant as applications are created, get a main branch, are updated
// and deleted.
func TestPacticipantBriefMatchesPacticipant(t *testing.T) {
	c := projections.NewCatalog()
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	steps := []events.Payload{
		events.PacticipantCreated{Name: "a"},
		events.MainBranchDetected{Pacticipant: "a", Branch: "main"},
		events.PacticipantCreated{Name: "b", MainBranch: "trunk"},
		events.PacticipantUpdated{Name: "b", DisplayName: "B"},
		events.PacticipantDeleted{Name: "a"},
	}
	for i, p := range steps {
		c.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: at, Data: p})
		for _, name := range []string{"a", "b", "c"} {
			want, okWant := c.Pacticipant(name)
			stored, main, ok := c.PacticipantBrief(name)
			if ok != okWant || stored != want.Name || main != want.MainBranch {
				t.Errorf("step %d %s: brief %q %q %v, want %q %q %v", i, name, stored, main, ok, want.Name, want.MainBranch, okWant)
			}
		}
	}
}
