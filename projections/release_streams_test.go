package projections

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// TestReleaseStreamStateEqualsTheFold: for random release, repeat and
// end-of-support sequences, the read model seeds every release stream
// exactly as folding it gives, also after a snapshot round trip; a deleted
// version's streams are not seeded any more.
func TestReleaseStreamStateEqualsTheFold(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	type key struct{ p, v, env string }
	keys := []key{{"Foo", "1", "env-1"}, {"Foo", "1", "env-2"}, {"Foo", "2", "env-1"}, {"Bar", "1", "env-1"}}
	l := newDeploymentLog(t)
	fold := func(k key) (domain.Release, string) {
		stream, _ := domain.ReleaseStream(k.p, k.v, k.env)
		var s domain.Release
		for _, e := range l.streams[stream] {
			s = domain.EvolveRelease(s, e)
		}
		return s, stream
	}
	check := func(d *Deployments, k key) {
		t.Helper()
		want, stream := fold(k)
		evs := l.streams[stream]
		got, version, position, ok := d.ReleaseStreamState(k.p, k.v, k.env)
		if len(evs) == 0 {
			if ok {
				t.Fatalf("%s has no event but is seeded", stream)
			}
			return
		}
		if !ok || got != want || version != uint64(len(evs)) || position != evs[len(evs)-1].Position {
			t.Fatalf("%s seeded %v %+v at %d/%d, want %+v at %d/%d", stream, ok, got, version, position, want, len(evs), evs[len(evs)-1].Position)
		}
	}
	for step := range 200 {
		k := keys[rng.IntN(len(keys))]
		st, stream := fold(k)
		if rng.IntN(3) == 0 && st.Exists {
			evs, err := domain.DecideEndSupport(st, st.Ref.ReleaseID)
			if err != nil {
				t.Fatal(err)
			}
			l.appendTo(stream, evs...)
		} else {
			evs, _, _ := domain.DecideRecordRelease(st, events.ReleaseRef{ReleaseID: fmt.Sprint("r", step), Pacticipant: k.p, Version: k.v, EnvironmentUUID: k.env})
			l.appendTo(stream, evs...)
		}
		for _, k := range keys {
			check(l.d, k)
		}
	}
	restored := NewDeployments()
	if err := restored.RestoreSnapshot(l.d.AppendSnapshot(nil)); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		check(restored, k)
	}
	l.appendTo("version-Foo.1", events.VersionDeleted{Pacticipant: "Foo", Number: "1"})
	if _, _, _, ok := l.d.ReleaseStreamState("Foo", "1", "env-1"); ok {
		t.Fatal("the release stream of a deleted version is seeded")
	}
	check(l.d, keys[2])
}
