package queries

import (
	"cmp"
	"slices"
	"testing"
	"time"
)

// fvFake is an in-memory PactsForVerificationReader with a builder. Every
// write advances its clock by a minute, so "created after" and "before the
// branch existed" follow the order of the builder calls.
type fvFake struct {
	now      time.Time
	order    uint64
	apps     map[string]string // name → main branch
	envs     map[string]EnvironmentRef
	versions map[[2]string]*fvFakeVersion
	branches map[[2]string]*fvFakeBranch
	pacts    map[[3]string]PactRef // consumer, version, provider
	inEnv    []fvFakeInEnv
	results  map[[3]string][]VerificationRef // consumer, provider, sha
}

type fvFakeVersion struct {
	order    uint64
	branches []string
	tags     []fvFakeTag
}

type fvFakeTag struct {
	name string
	at   time.Time
}

type fvFakeBranch struct {
	versions []string
	created  time.Time
}

type fvFakeInEnv struct {
	app, version, env string
	deployed          bool
}

var fvEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func newFVFake() *fvFake {
	return &fvFake{now: fvEpoch, apps: map[string]string{}, versions: map[[2]string]*fvFakeVersion{},
		branches: map[[2]string]*fvFakeBranch{}, pacts: map[[3]string]PactRef{}, results: map[[3]string][]VerificationRef{},
		envs: map[string]EnvironmentRef{"test": {Name: "test"}, "production": {Name: "production", Production: true}}}
}

func (f *fvFake) tick() time.Time { f.now = f.now.Add(time.Minute); return f.now }

// app creates an application with a main branch ("" for none).
func (f *fvFake) app(name, main string) *fvFake { f.apps[name] = main; return f }

// version creates a version (if new) and adds it to branches.
func (f *fvFake) version(app, number string, branches ...string) *fvFake {
	if _, ok := f.apps[app]; !ok {
		f.apps[app] = ""
	}
	k := [2]string{app, number}
	if f.versions[k] == nil {
		f.order++
		f.versions[k] = &fvFakeVersion{order: f.order}
	}
	for _, b := range branches {
		at := f.tick()
		bk := [2]string{app, b}
		if f.branches[bk] == nil {
			f.branches[bk] = &fvFakeBranch{created: at}
		}
		f.branches[bk].versions = append(f.branches[bk].versions, number)
		f.versions[k].branches = append(f.versions[k].branches, b)
	}
	return f
}

func (f *fvFake) tag(app, number string, tags ...string) *fvFake {
	f.version(app, number)
	for _, t := range tags {
		v := f.versions[[2]string{app, number}]
		v.tags = append(v.tags, fvFakeTag{name: t, at: f.tick()})
	}
	return f
}

// pact publishes consumer version's pact for provider with content sha.
func (f *fvFake) pact(consumer, version, provider, sha string) *fvFake {
	f.version(consumer, version)
	if _, ok := f.apps[provider]; !ok {
		f.apps[provider] = ""
	}
	f.pacts[[3]string{consumer, version, provider}] = PactRef{Consumer: consumer, Provider: provider, ConsumerVersion: version,
		SHA: sha, Order: f.versions[[2]string{consumer, version}].order, CreatedAt: f.tick()}
	return f
}

func (f *fvFake) deploy(app, version, env string) *fvFake {
	f.inEnv = append(f.inEnv, fvFakeInEnv{app, version, env, true})
	return f
}

func (f *fvFake) release(app, version, env string) *fvFake {
	f.inEnv = append(f.inEnv, fvFakeInEnv{app, version, env, false})
	return f
}

// verify records a result of (consumer, provider, sha) by providerVersion,
// created with its branches.
func (f *fvFake) verify(consumer, provider, sha, providerVersion string, success, wip bool, branches ...string) *fvFake {
	f.version(provider, providerVersion, branches...)
	if success {
		at := f.tick()
		k := [3]string{consumer, provider, sha}
		f.results[k] = append(f.results[k], VerificationRef{ProviderVersion: providerVersion, WIP: wip, CreatedAt: at, ExecutedAt: at})
	}
	return f
}

func (f *fvFake) Application(name string) (string, bool) { m, ok := f.apps[name]; return m, ok }

func (f *fvFake) Environment(name string) (EnvironmentRef, bool) { e, ok := f.envs[name]; return e, ok }

func (f *fvFake) Consumers(provider string) []string {
	var out []string
	for k := range f.pacts {
		if k[2] == provider && !slices.Contains(out, k[0]) {
			out = append(out, k[0])
		}
	}
	return out
}

func (f *fvFake) Pact(consumer, version, provider string) (PactRef, bool) {
	p, ok := f.pacts[[3]string{consumer, version, provider}]
	return p, ok
}

func (f *fvFake) pactsOf(consumer, provider string) []PactRef {
	var out []PactRef
	for k, p := range f.pacts {
		if k[0] == consumer && k[2] == provider {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b PactRef) int { return cmp.Compare(b.Order, a.Order) })
	return out
}

func (f *fvFake) LatestPact(consumer, provider string) (PactRef, bool) {
	ps := f.pactsOf(consumer, provider)
	if len(ps) == 0 {
		return PactRef{}, false
	}
	return ps[0], true
}

func (f *fvFake) Version(app, number string) (VersionRef, bool) {
	v := f.versions[[2]string{app, number}]
	if v == nil {
		return VersionRef{}, false
	}
	out := VersionRef{Number: number, Order: v.order, Branches: slices.Clone(v.branches)}
	for _, t := range v.tags {
		out.Tags = append(out.Tags, t.name)
	}
	return out, true
}

func (f *fvFake) Branch(app, branch string) (BranchRef, bool) {
	b := f.branches[[2]string{app, branch}]
	if b == nil {
		return BranchRef{}, false
	}
	return BranchRef{Name: branch, Head: b.versions[len(b.versions)-1], CreatedAt: b.created}, true
}

func (f *fvFake) Branches(app string) []BranchRef {
	var out []BranchRef
	for k := range f.branches {
		if k[0] == app {
			b, _ := f.Branch(app, k[1])
			out = append(out, b)
		}
	}
	return out
}

func (f *fvFake) VersionsWithTag(app, tag string) []string {
	var out []string
	for k, v := range f.versions {
		if k[0] == app && slices.ContainsFunc(v.tags, func(t fvFakeTag) bool { return t.name == tag }) {
			out = append(out, k[1])
		}
	}
	return out
}

func (f *fvFake) Tags(app string) []TagRef {
	byName := map[string]*TagRef{}
	orders := map[string]uint64{}
	var out []TagRef
	for k, v := range f.versions {
		if k[0] != app {
			continue
		}
		for _, t := range v.tags {
			r := byName[t.name]
			if r == nil {
				r = &TagRef{Name: t.name, FirstCreatedAt: t.at}
				byName[t.name] = r
			}
			if v.order > orders[t.name] {
				r.Head, orders[t.name] = k[1], v.order
			}
			if t.at.Before(r.FirstCreatedAt) {
				r.FirstCreatedAt = t.at
			}
		}
	}
	for _, r := range byName {
		out = append(out, *r)
	}
	return out
}

func (f *fvFake) Tag(app, tag string) (TagRef, bool) {
	for _, t := range f.Tags(app) {
		if t.Name == tag {
			return t, true
		}
	}
	return TagRef{}, false
}

func (f *fvFake) InEnvironments(app, env string) []EnvironmentVersionRef {
	var out []EnvironmentVersionRef
	for _, e := range f.inEnv {
		if e.app == app && (env == "" || e.env == env) {
			out = append(out, EnvironmentVersionRef{Version: e.version, Environment: f.envs[e.env], Deployed: e.deployed})
		}
	}
	return out
}

func (f *fvFake) SuccessfulVerifications(consumer, provider, sha string) []VerificationRef {
	return slices.Clone(f.results[[3]string{consumer, provider, sha}])
}

// fvRun runs the query and fails the test on an error.
func fvRun(t *testing.T, f *fvFake, req PactsForVerificationRequest) []VerifiablePact {
	t.Helper()
	if req.Provider == "" {
		req.Provider = "Bar"
	}
	out, err := PactsForVerification(f, req)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
