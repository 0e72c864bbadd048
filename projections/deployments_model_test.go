package projections

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// randomDeploymentEvents makes a log of every event kind Deployments
// applies, as the commands would write it (ids unique; uuids and, now and
// then, other ids; a few events outside their stream), with deletions when
// deletions is set (they untrack most streams).
func randomDeploymentEvents(rng *rand.Rand, n int, deletions bool) []events.Envelope {
	var out []events.Envelope
	versions := map[string]uint64{}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	names, envs := []string{"Foo", "Bar Service"}, []string{uuid.NewString(), "env-2"}
	instances := []*string{nil, ptr("blue"), ptr("")}
	state := map[string]domain.Deployments{}
	releases := map[string]domain.Release{}
	newID := func() string {
		if rng.IntN(4) == 0 {
			return fmt.Sprint("id-", len(out))
		}
		return uuid.NewString()
	}
	add := func(stream string, p events.Payload) {
		at = at.Add(time.Second)
		e := events.Envelope{Type: p.EventType(), Stream: stream, Position: uint64(len(out) + 1), OccurredAt: at, Data: p}
		if stream != "" && rng.IntN(300) > 0 {
			versions[stream]++
			e.StreamVersion = versions[stream]
		} else {
			e.Stream = "" // written as no stream: its stream is not followed
		}
		out = append(out, e)
		if s, ok := state[stream]; ok || stream != "" && strings.HasPrefix(stream, "deployment-") {
			state[stream] = domain.EvolveDeployments(s, e)
		}
		if strings.HasPrefix(stream, "release-") {
			releases[stream] = domain.EvolveRelease(releases[stream], e)
		}
	}
	for _, env := range envs {
		add("environment-"+env, events.EnvironmentCreated{UUID: env, Name: env})
	}
	for range n {
		p, env, v := names[rng.IntN(2)], envs[rng.IntN(2)], fmt.Sprint(rng.IntN(5))
		dstream, _ := domain.DeploymentStream(p, env)
		rstream, _ := domain.ReleaseStream(p, v, env)
		switch op := rng.IntN(40); {
		case op < 4:
			s := state[dstream]
			if ids := sortedKeys(s.ByID); len(ids) > 0 {
				evs, _ := domain.DecideUndeploy(s, ids[rng.IntN(len(ids))])
				for _, e := range evs {
					add(dstream, e)
				}
			}
		case op < 12:
			r := releases[rstream]
			if r.Exists && rng.IntN(2) == 0 {
				evs, _ := domain.DecideEndSupport(r, r.Ref.ReleaseID)
				for _, e := range evs {
					add(rstream, e)
				}
				continue
			}
			evs, _, _ := domain.DecideRecordRelease(r, events.ReleaseRef{ReleaseID: newID(), Pacticipant: p, Version: v, EnvironmentUUID: env})
			for _, e := range evs {
				add(rstream, e)
			}
		case op == 12 && deletions:
			add("version-x", events.VersionDeleted{Pacticipant: p, Number: v})
		case op == 13 && deletions && rng.IntN(4) == 0:
			add("pacticipant-x", events.PacticipantDeleted{Name: p})
		case op == 14 && deletions && rng.IntN(4) == 0:
			add("environment-x", events.EnvironmentDeleted{UUID: env})
		default:
			evs, _ := domain.DecideRecordDeployment(state[dstream], domain.RecordDeployment{NewID: newID(), Pacticipant: p,
				Version: v, EnvironmentUUID: env, ApplicationInstance: instances[rng.IntN(len(instances))], AutoCreated: rng.IntN(3) == 0})
			if len(evs) == 1 && rng.IntN(2) == 0 {
				if au, ok := evs[0].(events.DeploymentRecorded).Replacement(); ok { // the older two-event form
					rec := evs[0].(events.DeploymentRecorded)
					rec.Replaces = nil
					evs = []events.Payload{rec, au}
				}
			}
			for _, e := range evs {
				add(dstream, e)
			}
		}
	}
	return out
}

// deploymentsAnswers lists what every exported query of d answers for the
// names and ids of log (and some that are not there).
func deploymentsAnswers(d deploymentQueries, log []events.Envelope, streams bool) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	names, versions, envs := []string{"", "Foo", "Bar Service", "Nope"}, []string{"", "0", "1", "2", "3", "4", "9"}, []string{"", "env-2", "env-x"}
	ids := []string{"missing", "0b5f0b8e-4b43-4a5e-9b1a-6d0b7a1f2c3d"}
	for _, e := range log {
		switch p := e.Data.(type) {
		case events.DeploymentRecorded:
			ids = append(ids, p.DeploymentID)
		case events.ReleaseRecorded:
			ids = append(ids, p.ReleaseID)
		case events.EnvironmentCreated:
			envs = append(envs, p.UUID)
		}
	}
	for _, id := range ids {
		dv, ok1 := d.DeployedVersion(id)
		rv, ok2 := d.ReleasedVersion(id)
		dr, ok3 := d.DeploymentRef(id)
		rr, ok4 := d.ReleaseRef(id)
		p("id %s: %v %s | %v %s | %v %+v | %v %+v", id, ok1, showDep(dv), ok2, showRel(rv), ok3, showRef(dr), ok4, rr)
	}
	for _, env := range envs {
		for _, name := range names {
			dep, rel := d.LiveVersions(env, name)
			p("live %s %s: %v %v", env, name, slices.Sorted(slices.Values(dep)), slices.Sorted(slices.Values(rel)))
			for _, inst := range []*string{nil, ptr("blue"), ptr(""), ptr("red")} {
				ref, ok := d.CurrentDeployment(name, env, inst)
				p("current %s %s %v: %v %s", env, name, inst != nil, ok, showRef(ref))
			}
			if d, ok := d.(*Deployments); ok && streams {
				stream, _ := domain.DeploymentStream(name, env)
				s, v, pos, ok := d.DeploymentStreamState(stream, name, env)
				p("stream %s: %v %d %d %d %d", stream, ok, v, pos, len(s.Current), len(s.ByID))
				for _, k := range sortedKeys(s.Current) {
					ref := s.Current[k]
					p("  current %q %s", k, showRef(ref))
				}
				for _, k := range sortedKeys(s.ByID) {
					p("  by id %s %s %v", k, showRef(s.ByID[k].Ref), s.ByID[k].Undeployed)
				}
			}
			for _, v := range versions {
				for _, current := range []bool{false, true} {
					for _, inst := range []*string{nil, ptr("blue")} {
						for _, filter := range []bool{false, true} {
							for _, r := range d.DeployedVersions(DeploymentFilter{EnvironmentUUID: env, Pacticipant: name, Version: v,
								FilterInstance: filter, Instance: inst, CurrentOnly: current}) {
								p("deployed %s %s %s %v %v %v: %s", env, name, v, current, filter, inst != nil, showDep(r))
							}
						}
					}
					for _, r := range d.ReleasedVersions(ReleaseFilter{EnvironmentUUID: env, Pacticipant: name, Version: v, SupportedOnly: current}) {
						p("released %s %s %s %v: %s", env, name, v, current, showRel(r))
					}
				}
				if d, ok := d.(*Deployments); ok && streams {
					s, sv, pos, ok := d.ReleaseStreamState(name, v, env)
					p("release stream %s %s %s: %v %+v %d %d", env, name, v, ok, s, sv, pos)
				}
			}
		}
	}
	return b.String()
}

func showRef(r events.DeploymentRef) string {
	inst := "<null>"
	if r.ApplicationInstance != nil {
		inst = "=" + *r.ApplicationInstance
	}
	return fmt.Sprintf("{%s %s %s %s %s}", r.DeploymentID, r.Pacticipant, r.Version, r.EnvironmentUUID, inst)
}

func showTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func showDep(r DeployedVersionView) string {
	return fmt.Sprintf("%s auto=%v %s %s %s", showRef(r.DeploymentRef), r.AutoCreated, showTime(&r.CreatedAt), showTime(&r.UpdatedAt), showTime(r.UndeployedAt))
}

func showRel(r ReleasedVersionView) string {
	return fmt.Sprintf("%+v %s %s %s", r.ReleaseRef, showTime(&r.CreatedAt), showTime(&r.UpdatedAt), showTime(r.SupportEndedAt))
}

// TestDeploymentsAnswerAsTheRecordsAndAsRestored: for random logs of every
// event kind, the read model answers every query as the plain list of
// records does; a model restored from its snapshot answers every query
// (stream seeds included) alike, encodes to the same bytes, and still does
// after both apply the same tail.
func TestDeploymentsAnswerAsTheRecordsAndAsRestored(t *testing.T) {
	seeded := 0
	for run := range 12 {
		rng := rand.New(rand.NewPCG(uint64(run), 11))
		log := randomDeploymentEvents(rng, 150, run%2 == 0)
		cut := rng.IntN(len(log))
		live, naive := NewDeployments(), &naiveDeployments{}
		for _, e := range log[:cut] {
			live.Apply(e)
			naive.apply(e)
		}
		restored := NewDeployments()
		if err := restored.RestoreSnapshot(live.AppendSnapshot(nil)); err != nil {
			t.Fatal(err)
		}
		for _, e := range log[cut:] {
			live.Apply(e)
			restored.Apply(e)
			naive.apply(e)
		}
		got := deploymentsAnswers(live, log, true)
		if want := deploymentsAnswers(restored, log, true); got != want {
			t.Fatalf("run %d (cut %d): the restored model answers otherwise:\n%s", run, cut, firstDiff(want, got))
		}
		if ReadModelDigest(live) != ReadModelDigest(restored) {
			t.Fatalf("run %d: the restored model encodes otherwise", run)
		}
		seeded += checkSeedsFold(t, live, log)
		checkSeedsFold(t, restored, log)
		if want := deploymentsAnswers(naive, log, false); deploymentsAnswers(live, log, false) != want {
			t.Fatalf("run %d: the model answers otherwise than its records:\n%s", run, firstDiff(want, deploymentsAnswers(live, log, false)))
		}
	}
	if seeded < 20 {
		t.Fatalf("only %d streams seeded: the logs do not exercise the seeds", seeded)
	}
}

// checkSeedsFold asserts that every stream d seeds is seeded as folding
// its events in log gives.
func checkSeedsFold(t *testing.T, d *Deployments, log []events.Envelope) (seeded int) {
	t.Helper()
	for _, name := range []string{"Foo", "Bar Service"} {
		for _, env := range []string{log[0].Data.(events.EnvironmentCreated).UUID, "env-2"} {
			stream, _ := domain.DeploymentStream(name, env)
			var want domain.Deployments
			var n, pos uint64
			for _, e := range log {
				if e.Stream == stream {
					want, n, pos = domain.EvolveDeployments(want, e), n+1, e.Position
				}
			}
			got, v, at, ok := d.DeploymentStreamState(stream, name, env)
			if ok && (!reflect.DeepEqual(got, want) || v != n || at != pos) {
				t.Fatalf("%s seeded as %+v at %d/%d; its fold is %+v at %d/%d", stream, got, v, at, want, n, pos)
			}
			if ok {
				seeded++
			}
			for v := range 5 {
				stream, _ := domain.ReleaseStream(name, fmt.Sprint(v), env)
				var want domain.Release
				var n, pos uint64
				for _, e := range log {
					if e.Stream == stream {
						want, n, pos = domain.EvolveRelease(want, e), n+1, e.Position
					}
				}
				got, sv, at, ok := d.ReleaseStreamState(name, fmt.Sprint(v), env)
				if ok && (got != want || sv != n || at != pos) {
					t.Fatalf("%s seeded as %+v at %d/%d; its fold is %+v at %d/%d", stream, got, sv, at, want, n, pos)
				}
				if ok {
					seeded++
				}
			}
		}
	}
	return seeded
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d\nwant %s\ngot  %s", i, w[i], g[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(w), len(g))
}
