package projections_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// catalogLog is the catalog's part of a log in the shape cmd/pactbench
// generates: apps applications with versions versions each, with a build
// URL; one version in seven is built on a feature branch of its own, the
// others on main; one application in seven also tags every version with
// its branch (an old CLI habit).
func catalogLog(apps, versions int) []events.Envelope {
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	var out []events.Envelope
	add := func(p events.Payload) {
		n := len(out) + 1
		out = append(out, events.Envelope{Type: p.EventType(), Position: uint64(n), StreamVersion: 1,
			OccurredAt: start.Add(time.Duration(n) * time.Second), Data: p})
	}
	name := func(i int) string { return fmt.Sprintf("app-%03d", i) }
	for i := range apps {
		add(events.PacticipantCreated{Name: name(i)})
		add(events.MainBranchDetected{Pacticipant: name(i), Branch: "main"})
	}
	for v := range versions {
		for i := range apps {
			n := fmt.Sprintf("%07x", (i*7919+v*104729)&0xfffffff)
			branch := "main"
			if (v*31+i)%7 == 3 {
				branch = fmt.Sprintf("feature/%s-%d", name(i), v)
			}
			add(events.VersionCreated{Pacticipant: name(i), Number: n, BuildURL: fmt.Sprintf("https://ci.example.com/%s/builds/%d", name(i), v+1)})
			add(events.VersionAddedToBranch{Pacticipant: name(i), Number: n, Branch: branch})
			if i%7 == 3 {
				add(events.VersionTagged{Pacticipant: name(i), Number: n, Tag: branch})
			}
		}
	}
	return out
}

// BenchmarkCatalogHeap decodes catalogLog (so that strings are made afresh,
// as the store does) and applies it to a fresh Catalog, then reports the
// live heap it keeps per application version and the objects a collection
// marks per version. An op is the whole log.
func BenchmarkCatalogHeap(b *testing.B) {
	benchHeapPerVersion(b, catalogLog(50, 200), 0, func() projections.Projector { return projections.NewCatalog() })
}

// BenchmarkCatalogReadVersion reads versions as the matrix does (the
// version, the head of each of its branches) over catalogLog: an op is one
// read.
func BenchmarkCatalogReadVersion(b *testing.B) {
	c := projections.NewCatalog()
	var keys [][2]string
	for _, e := range catalogLog(50, 200) {
		c.Apply(e)
		if p, ok := e.Data.(events.VersionCreated); ok {
			keys = append(keys, [2]string{p.Pacticipant, p.Number})
		}
	}
	heads := 0
	read := func(v *projections.VersionView, head func(string) string) {
		for _, m := range v.Branches {
			if head(m.Name) == v.Number {
				heads++
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := keys[i%len(keys)]
		if !c.ReadVersion(k[0], k[1], read) {
			b.Fatal("missing version")
		}
	}
}
