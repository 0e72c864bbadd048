package projections

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// deploymentLog writes deployment streams as the commands would, in either
// form of a replacement, and keeps each stream's fold to compare with.
type deploymentLog struct {
	t       *testing.T
	d       *Deployments
	pos     uint64
	streams map[string][]events.Envelope
	at      time.Time
}

func newDeploymentLog(t *testing.T) *deploymentLog {
	return &deploymentLog{t: t, d: NewDeployments(), streams: map[string][]events.Envelope{}, at: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (l *deploymentLog) stream(p, env string) string {
	s, err := domain.DeploymentStream(p, env)
	if err != nil {
		l.t.Fatal(err)
	}
	return s
}

// appendTo applies payloads as one append to stream (empty: not a
// deployment stream).
func (l *deploymentLog) appendTo(stream string, ps ...events.Payload) {
	for _, p := range ps {
		l.pos++
		l.at = l.at.Add(time.Second)
		e := events.Envelope{ID: uuid.New(), Type: p.EventType(), Stream: stream, Position: l.pos, OccurredAt: l.at, Data: p}
		if stream != "" {
			e.StreamVersion = uint64(len(l.streams[stream]) + 1)
			l.streams[stream] = append(l.streams[stream], e)
		}
		l.d.Apply(e)
	}
}

func (l *deploymentLog) fold(stream string) domain.Deployments {
	var s domain.Deployments
	for _, e := range l.streams[stream] {
		s = domain.EvolveDeployments(s, e)
	}
	return s
}

// check asserts that the read model seeds stream exactly as folding it
// gives, or (tracked false) that it does not seed it.
func (l *deploymentLog) check(d *Deployments, p, env string, tracked bool) {
	l.t.Helper()
	stream := l.stream(p, env)
	got, version, position, ok := d.DeploymentStreamState(stream, p, env)
	if !tracked {
		if ok {
			l.t.Fatalf("%s is seeded at %d, want it untracked", stream, version)
		}
		return
	}
	evs := l.streams[stream]
	if !ok {
		l.t.Fatalf("%s (%d events) is not seeded", stream, len(evs))
	}
	if want := l.fold(stream); !reflect.DeepEqual(got, want) {
		l.t.Fatalf("%s seeded as\n %+v\nfolding it gives\n %+v", stream, got, want)
	}
	if version != uint64(len(evs)) || position != evs[len(evs)-1].Position {
		l.t.Fatalf("%s seeded at version %d position %d, want %d and %d", stream, version, position, len(evs), evs[len(evs)-1].Position)
	}
}

// TestDeploymentStreamStateEqualsTheFold: for random logs with every
// deployment event kind (a first deployment, a replacement in one event
// and in the older two-event form, an explicit undeployment, auto-created
// records, named instances and the null one), the read model seeds every
// stream exactly as folding it gives, after each append and after a
// snapshot round trip.
func TestDeploymentStreamStateEqualsTheFold(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	instances := []*string{nil, ptr("blue"), ptr("green"), ptr("")}
	pacticipants, envs := []string{"Foo", "Bar Service"}, []string{"env-1", "env-2"}
	for run := range 20 {
		l := newDeploymentLog(t)
		for step := range 60 {
			p, env := pacticipants[rng.IntN(2)], envs[rng.IntN(2)]
			stream := l.stream(p, env)
			st := l.fold(stream)
			id := fmt.Sprintf("d%d-%d", run, step)
			switch op := rng.IntN(10); {
			case op < 2 && len(st.ByID) > 0: // an explicit undeployment, maybe of an ended record (no event)
				ids := sortedKeys(st.ByID)
				evs, err := domain.DecideUndeploy(st, ids[rng.IntN(len(ids))])
				if err != nil {
					t.Fatal(err)
				}
				l.appendTo(stream, evs...)
			default:
				evs, _ := domain.DecideRecordDeployment(st, domain.RecordDeployment{NewID: id, Pacticipant: p,
					Version: fmt.Sprint(rng.IntN(4)), EnvironmentUUID: env,
					ApplicationInstance: instances[rng.IntN(len(instances))], AutoCreated: rng.IntN(3) == 0})
				if len(evs) == 1 && rng.IntN(2) == 0 { // as versions before the one-event form wrote it
					if au, ok := evs[0].(events.DeploymentRecorded).Replacement(); ok {
						rec := evs[0].(events.DeploymentRecorded)
						rec.Replaces = nil
						evs = []events.Payload{rec, au}
					}
				}
				l.appendTo(stream, evs...)
			}
			for _, p := range pacticipants {
				for _, env := range envs {
					l.check(l.d, p, env, len(l.streams[l.stream(p, env)]) > 0)
				}
			}
		}
		restored := NewDeployments()
		if err := restored.RestoreSnapshot(l.d.AppendSnapshot(nil)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pacticipants {
			for _, env := range envs {
				l.check(restored, p, env, len(l.streams[l.stream(p, env)]) > 0)
			}
		}
	}
}

// TestAForgottenDeploymentUntracksItsStream: once the read model forgets a
// record (its version was deleted), the record's stream is never seeded
// again, even after more events; other streams are.
func TestAForgottenDeploymentUntracksItsStream(t *testing.T) {
	l := newDeploymentLog(t)
	foo, bar := l.stream("Foo", "env"), l.stream("Bar", "env")
	ref := func(id, p, v string) events.DeploymentRef {
		return events.DeploymentRef{DeploymentID: id, Pacticipant: p, Version: v, EnvironmentUUID: "env"}
	}
	l.appendTo(foo, events.DeploymentRecorded{DeploymentRef: ref("f1", "Foo", "1")})
	l.appendTo(bar, events.DeploymentRecorded{DeploymentRef: ref("b1", "Bar", "1")})
	l.appendTo("version-Foo.1", events.VersionDeleted{Pacticipant: "Foo", Number: "1"})
	l.check(l.d, "Foo", "env", false)
	l.check(l.d, "Bar", "env", true)
	l.appendTo(foo, events.DeploymentRecorded{DeploymentRef: ref("f2", "Foo", "2")})
	l.check(l.d, "Foo", "env", false)
	restored := NewDeployments()
	if err := restored.RestoreSnapshot(l.d.AppendSnapshot(nil)); err != nil {
		t.Fatal(err)
	}
	l.d = restored
	l.appendTo(foo, events.Undeployed{DeploymentRef: ref("f2", "Foo", "2")})
	l.check(l.d, "Foo", "env", false)
	l.check(l.d, "Bar", "env", true)
	if _, _, _, ok := l.d.DeploymentStreamState("deployment-other", "Bar", "env"); ok {
		t.Fatal("a stream id that is not the pair's own must not be seeded")
	}
}

// TestAReplacementInOneEventEndsTheReplacedRecord: the one-event form shows
// the replaced record as the two-event form did: not current, undeployed
// at the replacement's time.
func TestAReplacementInOneEventEndsTheReplacedRecord(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		l := newDeploymentLog(t)
		s := l.stream("Foo", "env")
		old := events.DeploymentRef{DeploymentID: "d1", Pacticipant: "Foo", Version: "1", EnvironmentUUID: "env", ApplicationInstance: ptr("blue")}
		cur := events.DeploymentRef{DeploymentID: "d2", Pacticipant: "Foo", Version: "2", EnvironmentUUID: "env", ApplicationInstance: ptr("blue")}
		l.appendTo(s, events.DeploymentRecorded{DeploymentRef: old})
		if legacy {
			l.appendTo(s, events.DeploymentRecorded{DeploymentRef: cur}, events.AutoUndeployed{DeploymentRef: old, ReplacedBy: "d2"})
		} else {
			l.appendTo(s, events.DeploymentRecorded{DeploymentRef: cur, Replaces: &old})
		}
		replaced, _ := l.d.DeployedVersion("d1")
		current, _ := l.d.DeployedVersion("d2")
		if replaced.CurrentlyDeployed() || replaced.UndeployedAt == nil || !replaced.UndeployedAt.Equal(l.at) || !replaced.UpdatedAt.Equal(l.at) {
			t.Fatalf("legacy=%v: replaced record %+v, want undeployed at %v", legacy, replaced, l.at)
		}
		if !current.CurrentlyDeployed() {
			t.Fatalf("legacy=%v: the new record is not current: %+v", legacy, current)
		}
		if live, _ := l.d.LiveVersions("env", "Foo"); !reflect.DeepEqual(live, []string{"2"}) {
			t.Fatalf("legacy=%v: live versions %v", legacy, live)
		}
	}
}

func ptr(s string) *string { return &s }
