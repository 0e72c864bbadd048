package projections

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestEachLiveEnvironmentAgreesWithTheFilters: for random logs, the
// environments EachLiveEnvironment visits for each version are those of the
// version's current deployments and supported releases as the filtered
// listings give them, with their creation times.
func TestEachLiveEnvironmentAgreesWithTheFilters(t *testing.T) {
	visited := 0
	for run := range 12 {
		rng := rand.New(rand.NewPCG(uint64(run), 29))
		d := NewDeployments()
		for _, e := range randomDeploymentEvents(rng, 150, run%2 == 0) {
			d.Apply(e)
		}
		if run%3 == 2 { // the groups' index is rebuilt on restore
			restored := NewDeployments()
			if err := restored.RestoreSnapshot(d.AppendSnapshot(nil)); err != nil {
				t.Fatal(err)
			}
			d = restored
		}
		type pv struct{ pacticipant, version string }
		var versions []pv
		for _, r := range d.DeployedVersions(DeploymentFilter{}) {
			versions = append(versions, pv{r.Pacticipant, r.Version})
		}
		for _, r := range d.ReleasedVersions(ReleaseFilter{}) {
			versions = append(versions, pv{r.Pacticipant, r.Version})
		}
		for _, v := range versions {
			var want []string
			for _, r := range d.DeployedVersions(DeploymentFilter{Pacticipant: v.pacticipant, Version: v.version, CurrentOnly: true}) {
				want = append(want, fmt.Sprint(r.EnvironmentUUID, r.CreatedAt.UnixNano()))
			}
			for _, r := range d.ReleasedVersions(ReleaseFilter{Pacticipant: v.pacticipant, Version: v.version, SupportedOnly: true}) {
				want = append(want, fmt.Sprint(r.EnvironmentUUID, r.CreatedAt.UnixNano()))
			}
			slices.Sort(want)
			// Both ways of finding them, whichever EachLiveEnvironment takes.
			fs := d.filterSyms("", v.pacticipant, v.version)
			for name, each := range map[string]func(fn func(string, time.Time)){
				"EachLiveEnvironment": func(fn func(string, time.Time)) { d.EachLiveEnvironment(v.pacticipant, v.version, fn) },
				"by groups":           func(fn func(string, time.Time)) { d.eachLiveByGroups(d.groupsOf[fs.pacticipant], fs.version, fn) },
				"by version":          func(fn func(string, time.Time)) { d.eachLiveByVersion(verKey(fs.pacticipant, fs.version), fn) },
			} {
				var got []string
				each(func(uuid string, at time.Time) { got = append(got, fmt.Sprint(uuid, at.UnixNano())) })
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("run %d, %s %s, %s: visited %v, the filters give %v", run, v.pacticipant, v.version, name, got, want)
				}
				visited += len(got)
			}
		}
	}
	if visited < 50 {
		t.Fatalf("only %d live records visited: the logs do not exercise the method", visited)
	}
}
