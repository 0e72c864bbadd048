package queries

import (
	"slices"
	"time"
)

// Row is one matrix row: a consumer version's pact with a provider, and the
// result a provider version published for its content, if any. Rows of one
// result may share VersionDetails and reader-owned slices: read only.
type Row struct {
	Consumer, Provider string
	ConsumerVersion    VersionDetails
	// ProviderVersion and Verification are nil for an unverified row.
	ProviderVersion *VersionDetails
	Pact            RowPact
	Verification    *Verification
	Ignored         bool // an ignore selector matched; listed after considered rows
}

// RowPact is the pact publication of a row.
type RowPact struct {
	SHA       string
	Revision  int
	CreatedAt time.Time
}

// VersionDetails is a version as matrix rows render it.
type VersionDetails struct {
	Number       string
	Order        uint64
	Branches     []BranchMembership // Head renders as "latest"
	Tags         []RowTag           // oldest first
	Environments []EnvironmentInfo  // where currently deployed or supported
}

// RowTag is a tag on a row's version.
type RowTag struct {
	Name   string
	Latest bool // the version is the application's latest with this tag
}

type versionKey struct{ pacticipant, number string }

// run holds one query's state; it is not shared between queries.
type run struct {
	r          MatrixReader
	q          MatrixQuery
	latestOnly bool // latestby given: latest revisions and latest results only
	stamps     versionCache[stamp]
	details    versionCache[*VersionDetails]
	results    map[[3]string][]Verification // allVerifications by pact version
	sc         *scratch                     // pooled buffers (matrix_scratch.go)
	a          *Answer                      // the result's memory (matrix_answer.go)
	rendering  int                          // rows being rendered: newDetails' estimate
	slab       []VersionDetails             // newDetails'
	slabUsed   int                          // versions rendered
	branches   []BranchMembership           // the rendered versions' branches, one array
	tags       []RowTag                     // their tags, likewise
	envs       []EnvironmentInfo            // their distinct environment lists, likewise
	vers       []Verification               // the rows' results, likewise
}

// resolveInto runs a validated query (reference §7.4 steps 3–14) into a:
// the result is a.MatrixResult, built in a's arrays.
func resolveInto(r MatrixReader, q MatrixQuery, a *Answer) {
	if q.Limit != nil && *q.Limit < 0 { // callers validate; never slice below zero
		zero := 0
		q.Limit = &zero
	}
	m := &run{r: r, q: q, latestOnly: q.LatestBy != "", a: a}
	m.takeScratch()
	defer m.releaseScratch()
	var ig ignorer
	if len(q.Ignore) > 0 {
		ig = a.ignore[:0]
		for _, s := range q.Ignore {
			ig = resolve(m, ig, s, Ignoring, nil)
		}
		a.ignore = ig
	}
	// The selectors are resolved into a pooled buffer, the inferred ones
	// after the specified, then copied once into the answer's.
	specified := m.sc.sels[:0]
	for _, s := range q.Selectors {
		specified = resolve(m, specified, s, Specified, ig)
	}
	infer := q.infers()
	integ := findIntegrations(m, specified, infer)
	all := specified
	if infer {
		all = inferredSelectors(m, specified, specified, integ, ig)
	}
	m.sc.sels = all
	all = refill(&a.sels, all)
	specified = all[:len(specified):len(specified)]
	var rows []matrixRow
	if len(all) == 1 {
		rows = m.rowsForOneSelector(all[0])
	} else {
		var names nameSet
		for _, s := range specified {
			names.add(s.Pacticipant)
		}
		rows = m.rowsForSelectors(all, &names)
	}
	considered, ignored := m.split(m.shape(rows), ig)
	m.sortRows(considered)
	m.sortRows(ignored)
	sum := newSummary(m, all, ig, integ, considered, ignored)
	n := len(considered) + len(ignored)
	a.MatrixResult = MatrixResult{
		Deployable: sum.deployable(), Reasons: sum.reasons(), Counts: sum.counts(),
		Selectors: all, IgnoreSelectors: ig, Integrations: integ, Rows: a.rows[:0],
	}
	a.reasons, a.text = a.Reasons, sum.text.b
	if cap(a.rows) < n || a.rows == nil { // never nil: an empty answer has an empty list
		a.Rows = make([]Row, 0, n)
	}
	m.rendering = n
	m.slab = a.slab[:0]
	if need := max(n+1, a.slabUsed); n > 0 && cap(m.slab) < need {
		m.slab = make([]VersionDetails, 0, need)
	}
	m.branches, m.tags, m.envs = a.branches[:0], a.tags[:0], a.envs[:0]
	if n > 0 && cap(m.branches) < n+2 {
		m.branches = make([]BranchMembership, 0, n+2) // a version is on a branch or two
	}
	m.vers = a.vers[:0]
	if nv := verified(considered) + verified(ignored); cap(m.vers) < nv {
		m.vers = make([]Verification, 0, nv)
	}
	for _, r := range considered {
		a.Rows = append(a.Rows, m.row(r, false))
	}
	for _, r := range ignored {
		a.Rows = append(a.Rows, m.row(r, true))
	}
	a.rows, a.slab, a.slabUsed = a.Rows, m.slab, m.slabUsed
	a.branches, a.tags, a.envs, a.vers = m.branches, m.tags, m.envs, m.vers
}

// row renders one row, reading version details once per version.
func (m *run) row(r matrixRow, ignored bool) Row {
	out := Row{Consumer: r.pact.Consumer, Provider: r.pact.Provider, Ignored: ignored,
		ConsumerVersion: *m.versionDetails(r.pact.Consumer, r.pact.ConsumerVersion),
		Pact:            RowPact{SHA: r.pact.SHA, Revision: r.pact.Revision, CreatedAt: r.pact.CreatedAt}}
	if r.ver != nil {
		m.vers = append(m.vers, *r.ver) // sized for every verified row: never moves
		out.Verification, out.ProviderVersion = &m.vers[len(m.vers)-1], m.versionDetails(r.pact.Provider, r.ver.ProviderVersion)
	}
	return out
}

func verified(rows []matrixRow) int {
	n := 0
	for _, r := range rows {
		if r.ver != nil {
			n++
		}
	}
	return n
}

func (m *run) versionDetails(pacticipant, number string) *VersionDetails {
	k := versionKey{pacticipant, number}
	if d, ok := m.details.get(k); ok {
		return d
	}
	// The branches are copied into the answer's array (the result keeps
	// them); the tags are read from the pooled buffer (rows show RowTags
	// built from them, in the answer's array too).
	m.readVersion(pacticipant, number)
	v := m.sc.version
	if n := len(v.Branches); n > 0 {
		from := len(m.branches)
		m.branches = append(m.branches, v.Branches...) // a new array once the arena is full: earlier lists keep theirs
		v.Branches = m.branches[from : from+n : from+n]
	} else {
		v.Branches = nil
	}
	d := m.newDetails()
	*d = VersionDetails{Number: v.Number, Order: v.Order, Branches: v.Branches,
		Environments: m.environments(pacticipant, v.Number)}
	tags := v.Tags                             // the scratch's buffer: sorting it in place is fine
	if !slices.IsSortedFunc(tags, byTagTime) { // tags are applied in time order: rarely taken
		slices.SortStableFunc(tags, byTagTime)
	}
	from := len(m.tags)
	for _, t := range tags {
		latest, _ := m.r.LatestVersionWithTag(pacticipant, t.Name)
		m.tags = append(m.tags, RowTag{Name: t.Name, Latest: latest == v.Number}) // as the branches
	}
	if n := len(tags); n > 0 {
		d.Tags = m.tags[from : from+n : from+n]
	}
	m.details.put(k, d)
	return d
}

// environments reads a version's environments into a pooled buffer and
// returns an equal list the result already holds, if any: most rendered
// versions are live in the same one or two environments, and rows may
// share what they only read.
func (m *run) environments(pacticipant, number string) []EnvironmentInfo {
	envs := m.r.AppendCurrentEnvironments(m.sc.envs[:0], pacticipant, number)
	m.sc.envs = envs
	if len(envs) == 0 {
		return nil
	}
	for _, l := range m.sc.envLists {
		if slices.Equal(l, envs) {
			return l
		}
	}
	from := len(m.envs)
	m.envs = append(m.envs, envs...) // as the branches
	l := m.envs[from : from+len(envs) : from+len(envs)]
	m.sc.envLists = append(m.sc.envLists, l)
	return l
}

// newDetails returns a VersionDetails from the answer's slab, sized for
// one new version per row (a can-i-deploy's rows share the selected
// version) or for as many as the answer's last query rendered; when that
// is not enough, a new slab half as big again as the rows (a pair's matrix:
// rows with two new versions each), which the answer keeps for next time
// (the earlier slab stays with the versions in it).
func (m *run) newDetails() *VersionDetails {
	if len(m.slab) == cap(m.slab) {
		n := m.rendering + 1
		if cap(m.slab) > 0 {
			n = m.rendering / 2
		}
		m.slab = make([]VersionDetails, 0, max(4, n))
	}
	m.slab = m.slab[:len(m.slab)+1]
	m.slabUsed++
	return &m.slab[len(m.slab)-1]
}

func byTagTime(a, b TagMembership) int { return a.CreatedAt.Compare(b.CreatedAt) }
