package projections

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAppendLiveVersionsIsTheUnionOfLiveVersions: for random logs, every
// application and environment, AppendLiveVersions appends after what dst
// holds the deployed versions LiveVersions lists, then its released ones
// not already appended, each once, and leaves dst's entries alone.
func TestAppendLiveVersionsIsTheUnionOfLiveVersions(t *testing.T) {
	both := 0
	for run := range 12 {
		rng := rand.New(rand.NewPCG(uint64(run), 31))
		d := NewDeployments()
		var envs, names []string
		for _, e := range randomDeploymentEvents(rng, 150, run%2 == 0) {
			d.Apply(e)
		}
		for _, r := range d.DeployedVersions(DeploymentFilter{}) {
			envs, names = append(envs, r.EnvironmentUUID), append(names, r.Pacticipant)
		}
		for _, r := range d.ReleasedVersions(ReleaseFilter{}) {
			envs, names = append(envs, r.EnvironmentUUID), append(names, r.Pacticipant)
		}
		slices.Sort(envs)
		slices.Sort(names)
		for _, env := range slices.Compact(envs) {
			for _, name := range append(slices.Compact(names), "nobody") {
				deployed, released := d.LiveVersions(env, name)
				want := append([]string{"kept"}, deployed...)
				for _, v := range released {
					if !slices.Contains(want[1:], v) {
						want = append(want, v)
					}
				}
				got := d.AppendLiveVersions([]string{"kept"}, env, name)
				if !slices.Equal(got, want) {
					t.Fatalf("run %d, %s in %s: appended %v, want %v (deployed %v, released %v)", run, name, env, got, want, deployed, released)
				}
				if len(deployed) > 0 && len(released) > 0 {
					both++
				}
			}
		}
	}
	if both == 0 {
		t.Fatal("no application had both deployed and released versions: the logs do not exercise the union")
	}
}
