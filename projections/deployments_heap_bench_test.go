package projections_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// deploymentsLog builds the deployment and release events of apps
// applications with versions versions each, in the shape cmd/pactbench
// generates: each version goes to test half of the time and to staging a
// fifth of the time (null instance, replacing the one before in one event),
// to production (two instances for every fifth application) now and then,
// with the odd staging teardown; every tenth application is a mobile one,
// released to production instead and ending support of all but its newest
// three releases. Ids are random uuids, as the commands make them; events
// carry their streams and stream versions, as the store delivers them. It
// also returns the number of application versions.
func deploymentsLog(apps, versions int) ([]events.Envelope, int) {
	rng := rand.New(rand.NewPCG(1, 2))
	newID := func() string {
		var u uuid.UUID
		for i := range u {
			u[i] = byte(rng.IntN(256))
		}
		u[6], u[8] = u[6]&0x0f|0x40, u[8]&0x3f|0x80
		return u.String()
	}
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	var out []events.Envelope
	streams := map[string]uint64{}
	add := func(stream string, p events.Payload) {
		n := len(out) + 1
		streams[stream]++
		out = append(out, events.Envelope{Type: p.EventType(), Stream: stream, StreamVersion: streams[stream],
			Position: uint64(n), OccurredAt: start.Add(time.Duration(n) * time.Second), Data: p})
	}
	envs := map[string]string{"test": newID(), "staging": newID(), "production": newID()}
	for _, name := range []string{"test", "staging", "production"} {
		add("environment-"+envs[name], events.EnvironmentCreated{UUID: envs[name], Name: name, DisplayName: name})
	}
	eu, us := "eu", "us"
	current := map[[2]string]events.DeploymentRef{} // by (environment, application/instance)
	deploy := func(app, number, env string, inst *string) {
		stream, _ := domain.DeploymentStream(app, envs[env])
		ref := events.DeploymentRef{DeploymentID: newID(), Pacticipant: app, Version: number, EnvironmentUUID: envs[env], ApplicationInstance: inst}
		rec := events.DeploymentRecorded{DeploymentRef: ref}
		key := [2]string{env, app + "/" + domain.InstanceKey(inst)}
		if old, ok := current[key]; ok {
			rec.Replaces = &old
		}
		current[key] = ref
		add(stream, rec)
	}
	releases := make([][]events.ReleaseRef, apps)
	for v := range versions {
		for i := range apps {
			app := fmt.Sprintf("app-%03d", i)
			number := fmt.Sprintf("%040x", i*1_000_000+v)
			add("version-"+app+"."+number, events.VersionCreated{Pacticipant: app, Number: number})
			if rng.Float64() < 0.5 || v == 0 {
				deploy(app, number, "test", nil)
			}
			if i%10 == 3 {
				if rng.Float64() < 0.1 {
					ref := events.ReleaseRef{ReleaseID: newID(), Pacticipant: app, Version: number, EnvironmentUUID: envs["production"]}
					stream, _ := domain.ReleaseStream(app, number, ref.EnvironmentUUID)
					add(stream, events.ReleaseRecorded{ReleaseRef: ref})
					if releases[i] = append(releases[i], ref); len(releases[i]) > 3 {
						old := releases[i][0]
						stream, _ := domain.ReleaseStream(app, old.Version, old.EnvironmentUUID)
						add(stream, events.SupportEnded{ReleaseRef: old})
						releases[i] = releases[i][1:]
					}
				}
				continue
			}
			if rng.Float64() < 0.2 {
				deploy(app, number, "staging", nil)
			} else if old, ok := current[[2]string{"staging", app + "/" + domain.InstanceKey(nil)}]; ok && rng.Float64() < 0.02 {
				stream, _ := domain.DeploymentStream(app, envs["staging"])
				add(stream, events.Undeployed{DeploymentRef: old})
				delete(current, [2]string{"staging", app + "/" + domain.InstanceKey(nil)})
			}
			if rng.Float64() < 0.08 {
				instances := []*string{nil}
				if i%5 == 1 {
					instances = []*string{&eu, &us}
				}
				for _, inst := range instances {
					deploy(app, number, "production", inst)
				}
			}
		}
	}
	return out, apps * versions
}

// BenchmarkDeploymentsHeap decodes deploymentsLog (so that strings are made
// afresh, as the store does) and applies it to a fresh Deployments read
// model, then reports the live heap it keeps per application version and
// the objects a collection marks per version. An op is the whole log.
func BenchmarkDeploymentsHeap(b *testing.B) {
	log, versions := deploymentsLog(50, 200)
	benchHeapPerVersion(b, log, versions, func() projections.Projector { return projections.NewDeployments() })
}
