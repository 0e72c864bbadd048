package queries

import (
	"slices"
	"time"
)

// fixture is a tiny fluent DSL over fakeReader. Every step advances the
// clock by a second and the log position by one, so creation times and
// orders are distinct and increasing. Names and versions are created on
// first use, as publishing does in the broker.
type fixture struct {
	*fakeReader
	now         time.Time
	pos         uint64
	deployments []fxRecord
	releases    []fxRecord
	numbers     map[[3]string]int // verification numbers per pact version
	revisions   map[[3]string]int // (consumer, version, provider) → revision
}

type fxRecord struct {
	pacticipant, version, env, instance string
	live                                bool
	at                                  time.Time
}

func newFixture() *fixture {
	return &fixture{fakeReader: newFakeReader(), now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		numbers: map[[3]string]int{}, revisions: map[[3]string]int{}}
}

func (fx *fixture) tick() (uint64, time.Time) {
	fx.pos++
	fx.now = fx.now.Add(time.Second)
	return fx.pos, fx.now
}

func (fx *fixture) addDay() *fixture {
	fx.now = fx.now.Add(24 * time.Hour)
	return fx
}

func (fx *fixture) pacticipant(name string) *fixture {
	if _, ok := fx.pacticipants[name]; !ok {
		fx.pacticipants[name] = PacticipantInfo{Name: name}
	}
	return fx
}

func (fx *fixture) mainBranch(p, branch string) *fixture {
	fx.pacticipant(p)
	fx.pacticipants[p] = PacticipantInfo{Name: p, MainBranch: branch}
	return fx
}

func (fx *fixture) version(p, n string) *fixture {
	fx.pacticipant(p)
	if _, ok := fx.versions[versionKey{p, n}]; !ok {
		order, at := fx.tick()
		fx.addVersion(p, n, order, at)
	}
	return fx
}

func (fx *fixture) tag(p, n string, tags ...string) *fixture {
	fx.version(p, n)
	for _, t := range tags {
		_, at := fx.tick()
		v := fx.versions[versionKey{p, n}]
		v.Tags = append(slices.Clip(v.Tags), TagMembership{Name: t, CreatedAt: at})
		fx.versions[versionKey{p, n}] = v
		fx.reindexTag(p, t)
	}
	return fx
}

// branch adds a version to a branch, which makes it the head. A branch named
// develop, main or master becomes the main branch when none is set.
func (fx *fixture) branch(p, n, b string) *fixture {
	fx.version(p, n)
	if fx.pacticipants[p].MainBranch == "" && slices.Contains([]string{"develop", "main", "master"}, b) {
		fx.mainBranch(p, b)
	}
	k := versionKey{p, b}
	if old, ok := fx.heads[k]; ok {
		ov := fx.versions[versionKey{p, old}]
		ov.Branches = slices.Clone(ov.Branches)
		for i := range ov.Branches {
			if ov.Branches[i].Name == b {
				ov.Branches[i].Head = false
			}
		}
		fx.versions[versionKey{p, old}] = ov
	}
	v := fx.versions[versionKey{p, n}]
	v.Branches = append(slices.Clip(v.Branches), BranchMembership{Name: b, Head: true})
	fx.versions[versionKey{p, n}] = v
	fx.heads[k] = n
	fx.onBranch[k] = append(fx.onBranch[k], n)
	fx.tick()
	return fx
}

func (fx *fixture) env(name string) *fixture {
	if _, ok := fx.envs[name]; !ok {
		_, at := fx.tick()
		fx.envs[name] = EnvironmentInfo{UUID: "uuid-" + name, Name: name, DisplayName: name, Production: name == "production",
			CreatedAt: at, UpdatedAt: at}
	}
	return fx
}

// pact publishes consumer version cv's pact for provider with content sha;
// different content makes a new revision, the same content changes nothing.
func (fx *fixture) pact(c, cv, p, sha string) *fixture {
	fx.version(c, cv).pacticipant(p)
	k := [3]string{c, cv, p}
	if fx.revisions[k] > 0 && fx.latestSHA[k] == sha {
		return fx
	}
	fx.revisions[k]++
	order, at := fx.tick()
	fx.addPact(Pact{Consumer: c, Provider: p, ConsumerVersion: cv, SHA: sha, Revision: fx.revisions[k], CreatedAt: at, Order: order})
	return fx
}

// verify publishes provider version pv's result for a pact version.
func (fx *fixture) verify(c, p, sha, pv string, success bool) *fixture {
	fx.version(p, pv)
	k := [3]string{c, p, sha}
	fx.numbers[k]++
	order, at := fx.tick()
	fx.addVerification(c, p, sha, Verification{ProviderVersion: pv, Number: fx.numbers[k], Success: success,
		CreatedAt: at, ExecutedAt: at, Order: order})
	return fx
}

// deploy records a deployment; it replaces the current one on the same
// application instance ("" is the null instance).
func (fx *fixture) deploy(p, n, env string, instance ...string) *fixture {
	fx.version(p, n).env(env)
	inst := ""
	if len(instance) > 0 {
		inst = instance[0]
	}
	for i, d := range fx.deployments {
		if d.pacticipant == p && d.env == env && d.instance == inst {
			fx.deployments[i].live = false
		}
	}
	_, at := fx.tick()
	fx.deployments = append(fx.deployments, fxRecord{p, n, env, inst, true, at})
	return fx.reindexEnv(p, env)
}

func (fx *fixture) undeploy(p, n, env string) *fixture {
	for i, d := range fx.deployments {
		if d.pacticipant == p && d.version == n && d.env == env {
			fx.deployments[i].live = false
		}
	}
	return fx.reindexEnv(p, env)
}

func (fx *fixture) release(p, n, env string) *fixture {
	fx.version(p, n).env(env)
	_, at := fx.tick()
	fx.releases = append(fx.releases, fxRecord{p, n, env, "", true, at})
	return fx.reindexEnv(p, env)
}

func (fx *fixture) endSupport(p, n, env string) *fixture {
	for i, r := range fx.releases {
		if r.pacticipant == p && r.version == n && r.env == env {
			fx.releases[i].live = false
		}
	}
	return fx.reindexEnv(p, env)
}

// reindexEnv recomputes what is in env for p, and where p's versions are
// (environments ordered by the creation of their earliest live record).
func (fx *fixture) reindexEnv(p, env string) *fixture {
	type live struct {
		fxRecord
		released bool
	}
	var recs []live
	for gi, group := range [][]fxRecord{fx.deployments, fx.releases} {
		for _, r := range group {
			if r.pacticipant == p && r.live {
				recs = append(recs, live{r, gi == 1})
			}
		}
	}
	slices.SortStableFunc(recs, func(a, b live) int { return a.at.Compare(b.at) })
	var lists [2][]string
	where := map[string][]EnvironmentInfo{}
	for _, r := range recs {
		i := 0
		if r.released {
			i = 1
		}
		if r.env == env && !slices.Contains(lists[i], r.version) {
			lists[i] = append(lists[i], r.version)
		}
		if e := fx.envs[r.env]; !slices.ContainsFunc(where[r.version], func(x EnvironmentInfo) bool { return x.Name == e.Name }) {
			where[r.version] = append(where[r.version], e)
		}
	}
	fx.inEnv[versionKey{p, env}] = lists
	for k := range fx.currentEnvs {
		if k.pacticipant == p {
			delete(fx.currentEnvs, k)
		}
	}
	for n, envs := range where {
		fx.currentEnvs[versionKey{p, n}] = envs
	}
	return fx
}
