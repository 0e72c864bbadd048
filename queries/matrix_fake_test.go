package queries

import (
	"slices"
	"sort"
	"time"
)

// fakeReader is an in-memory MatrixReader with the indexes a read model
// would keep: every method is a map lookup. It is filled through fixture
// and rebuilt lazily after a change.
type fakeReader struct {
	pacticipants map[string]PacticipantInfo
	versions     map[versionKey]VersionInfo
	latest       map[string]string
	latestTag    map[versionKey]string // (pacticipant, tag) → number
	tagged       map[versionKey][]string
	heads        map[versionKey]string // (pacticipant, branch) → head
	onBranch     map[versionKey][]string
	envs         map[string]EnvironmentInfo
	inEnv        map[versionKey][2][]string // (pacticipant, env name) → deployed, released
	currentEnvs  map[versionKey][]EnvironmentInfo
	byCV         map[versionKey][]Pact // (consumer, consumer version)
	byIntegr     map[versionKey][]Pact // (consumer, provider)
	byContent    map[[3]string][]Pact  // (consumer, provider, sha)
	consumers    map[string][]string   // provider → consumers
	providers    map[string][]string   // consumer → providers
	verifs       map[[3]string][]Verification
	byPV         map[[4]string][]Verification // (consumer, provider, sha, provider version)
	verifiedPV   map[versionKey][]PactVersion // (provider, provider version)
	latestSHA    map[[3]string]string         // (consumer, consumer version, provider) → content
}

func newFakeReader() *fakeReader {
	return &fakeReader{pacticipants: map[string]PacticipantInfo{}, versions: map[versionKey]VersionInfo{},
		latest: map[string]string{}, latestTag: map[versionKey]string{}, tagged: map[versionKey][]string{},
		heads: map[versionKey]string{}, onBranch: map[versionKey][]string{}, envs: map[string]EnvironmentInfo{},
		inEnv: map[versionKey][2][]string{}, currentEnvs: map[versionKey][]EnvironmentInfo{},
		byCV: map[versionKey][]Pact{}, byIntegr: map[versionKey][]Pact{}, byContent: map[[3]string][]Pact{},
		consumers: map[string][]string{}, providers: map[string][]string{}, verifs: map[[3]string][]Verification{},
		byPV: map[[4]string][]Verification{}, verifiedPV: map[versionKey][]PactVersion{}, latestSHA: map[[3]string]string{}}
}

func (f *fakeReader) Pacticipant(name string) (PacticipantInfo, bool) {
	p, ok := f.pacticipants[name]
	return p, ok
}

func (f *fakeReader) ReadVersion(v *VersionInfo, p, n string) bool {
	stored, ok := f.versions[versionKey{p, n}]
	if ok {
		branches, tags := append(v.Branches[:0], stored.Branches...), append(v.Tags[:0], stored.Tags...)
		*v = stored
		v.Branches, v.Tags = branches, tags
	}
	return ok
}

func (f *fakeReader) LatestVerifications(c, p, sha string) []Verification {
	return LatestPerProviderVersion(f.Verifications(c, p, sha, ""))
}

func (f *fakeReader) AppendPacts(dst []Pact, c, v string) []Pact {
	return append(dst, f.Pacts(c, v)...)
}

func (f *fakeReader) VersionStamp(p, n string) (uint64, time.Time, bool) {
	v, ok := f.versions[versionKey{p, n}]
	return v.Order, v.CreatedAt, ok
}

func (f *fakeReader) LatestVersion(p string) (string, bool) {
	n, ok := f.latest[p]
	return n, ok
}

func (f *fakeReader) LatestVersionWithTag(p, tag string) (string, bool) {
	n, ok := f.latestTag[versionKey{p, tag}]
	return n, ok
}

func (f *fakeReader) VersionsWithTag(p, tag string) []string { return f.tagged[versionKey{p, tag}] }

func (f *fakeReader) BranchHead(p, b string) (string, bool) {
	n, ok := f.heads[versionKey{p, b}]
	return n, ok
}

func (f *fakeReader) BranchVersions(p, b string) []string { return f.onBranch[versionKey{p, b}] }

func (f *fakeReader) EnvironmentExists(name string) bool {
	_, ok := f.envs[name]
	return ok
}

func (f *fakeReader) AppendVersionsInEnvironment(dst []string, p, env string) []string {
	e := f.inEnv[versionKey{p, env}]
	from := len(dst)
	for _, list := range e { // deployed, then released; without a copy (the benchmarks count allocations)
		for _, v := range list {
			if !slices.Contains(dst[from:], v) {
				dst = append(dst, v)
			}
		}
	}
	return dst
}

func (f *fakeReader) AppendCurrentEnvironments(dst []EnvironmentInfo, p, v string) []EnvironmentInfo {
	return append(dst, f.currentEnvs[versionKey{p, v}]...)
}

func (f *fakeReader) Pacts(c, cv string) []Pact { return f.byCV[versionKey{c, cv}] }

func (f *fakeReader) PactsBetween(c, p string) []Pact { return f.byIntegr[versionKey{c, p}] }

func (f *fakeReader) PactsWithContent(c, p, sha string) []Pact {
	return f.byContent[[3]string{c, p, sha}]
}

func (f *fakeReader) AppendConsumers(dst []string, p string) []string {
	return append(dst, f.consumers[p]...)
}

func (f *fakeReader) Providers(c string) []string { return f.providers[c] }

func (f *fakeReader) LatestVerification(c, p, sha, pv string) (Verification, bool) {
	vs := f.byPV[[4]string{c, p, sha, pv}]
	if len(vs) == 0 {
		return Verification{}, false
	}
	return vs[len(vs)-1], true
}

func (f *fakeReader) Verifications(c, p, sha, pv string) []Verification {
	if pv == "" {
		return f.verifs[[3]string{c, p, sha}]
	}
	return f.byPV[[4]string{c, p, sha, pv}]
}

func (f *fakeReader) VerifiedPactVersions(p, pv string) []PactVersion {
	return f.verifiedPV[versionKey{p, pv}]
}

// addPact indexes one publication; later revisions for the same consumer
// version and provider clear Latest on the earlier ones.
func (f *fakeReader) addPact(p Pact) {
	p.Latest = true
	unlatest := func(ps []Pact) {
		for i := range ps {
			if ps[i].ConsumerVersion == p.ConsumerVersion && ps[i].Consumer == p.Consumer && ps[i].Provider == p.Provider {
				ps[i].Latest = false
			}
		}
	}
	cv, in, ct := versionKey{p.Consumer, p.ConsumerVersion}, versionKey{p.Consumer, p.Provider}, [3]string{p.Consumer, p.Provider, p.SHA}
	unlatest(f.byCV[cv])
	unlatest(f.byIntegr[in])
	lk := [3]string{p.Consumer, p.ConsumerVersion, p.Provider}
	if sha, ok := f.latestSHA[lk]; ok {
		unlatest(f.byContent[[3]string{p.Consumer, p.Provider, sha}])
	}
	f.latestSHA[lk] = p.SHA
	f.byCV[cv] = append(f.byCV[cv], p)
	f.byIntegr[in] = append(f.byIntegr[in], p)
	f.byContent[ct] = append(f.byContent[ct], p)
	if !slices.Contains(f.consumers[p.Provider], p.Consumer) {
		f.consumers[p.Provider] = append(f.consumers[p.Provider], p.Consumer)
		f.providers[p.Consumer] = append(f.providers[p.Consumer], p.Provider)
	}
}

func (f *fakeReader) addVerification(c, p, sha string, v Verification) {
	k := [3]string{c, p, sha}
	f.verifs[k] = append(f.verifs[k], v)
	pk := [4]string{c, p, sha, v.ProviderVersion}
	f.byPV[pk] = append(f.byPV[pk], v)
	vk := versionKey{p, v.ProviderVersion}
	if pv := (PactVersion{Consumer: c, SHA: sha}); !slices.Contains(f.verifiedPV[vk], pv) {
		f.verifiedPV[vk] = append(f.verifiedPV[vk], pv)
	}
}

// addVersion indexes a new version as the pacticipant's latest.
func (f *fakeReader) addVersion(p, n string, order uint64, at time.Time) {
	f.versions[versionKey{p, n}] = VersionInfo{Number: n, Order: order, CreatedAt: at}
	f.latest[p] = n
}

// reindexTags recomputes the tag indexes of one pacticipant and tag.
func (f *fakeReader) reindexTag(p, tag string) {
	var best VersionInfo
	var all []string
	for k, v := range f.versions {
		if k.pacticipant == p && hasTag(v, tag) {
			all = append(all, v.Number)
			if v.Order > best.Order {
				best = v
			}
		}
	}
	sort.Strings(all)
	f.tagged[versionKey{p, tag}] = all
	f.latestTag[versionKey{p, tag}] = best.Number
}
