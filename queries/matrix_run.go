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
	rendering  int                          // rows being rendered: newDetails' estimate
	slab       []VersionDetails             // newDetails'
	branches   []BranchMembership           // the rendered versions' branches, one allocation
	vers       []Verification               // the rows' results, one allocation
}

// resolveMatrix runs a validated query (reference §7.4 steps 3–14).
func resolveMatrix(r MatrixReader, q MatrixQuery) MatrixResult {
	if q.Limit != nil && *q.Limit < 0 { // callers validate; never slice below zero
		zero := 0
		q.Limit = &zero
	}
	m := &run{r: r, q: q, latestOnly: q.LatestBy != ""}
	m.takeScratch()
	defer m.releaseScratch()
	var ig ignorer
	for _, s := range q.Ignore {
		ig = resolve(m, ig, s, Ignoring, nil)
	}
	// The selectors are resolved into a pooled buffer, the inferred ones
	// after the specified, then copied once into a slice of their size.
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
	all = cloneOrNil(all)
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
	considered, ignored := split(m.shape(rows), ig)
	sortRows(considered)
	sortRows(ignored)
	sum := newSummary(q, all, ig, integ, considered, ignored)
	res := MatrixResult{
		Deployable: sum.deployable(), Reasons: sum.reasons(), Counts: sum.counts(),
		Selectors: all, IgnoreSelectors: ig, Integrations: integ,
		Rows: make([]Row, 0, len(considered)+len(ignored)),
	}
	m.rendering = cap(res.Rows)
	if m.rendering > 0 {
		m.branches = make([]BranchMembership, 0, m.rendering+2) // a version is on a branch or two
	}
	if nv := verified(considered) + verified(ignored); nv > 0 {
		m.vers = make([]Verification, 0, nv)
	}
	for _, r := range considered {
		res.Rows = append(res.Rows, m.row(r, false))
	}
	for _, r := range ignored {
		res.Rows = append(res.Rows, m.row(r, true))
	}
	return res
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
	// The branches are copied into the query's arena (the result keeps
	// them); the tags are read from the pooled buffer (rows show RowTags
	// built from them).
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
	tags := v.Tags
	if !slices.IsSortedFunc(tags, byTagTime) { // tags are applied in time order: rarely taken
		tags = slices.Clone(tags)
		slices.SortStableFunc(tags, byTagTime)
	}
	if len(tags) > 0 {
		d.Tags = make([]RowTag, len(tags))
	}
	for i, t := range tags {
		latest, _ := m.r.LatestVersionWithTag(pacticipant, t.Name)
		d.Tags[i] = RowTag{Name: t.Name, Latest: latest == v.Number}
	}
	m.details.put(k, d)
	return d
}

// cloneOrNil copies s into a slice of its length; nil when it is empty.
func cloneOrNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
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
	l := cloneOrNil(envs)
	m.sc.envLists = append(m.sc.envLists, l)
	return l
}

// newDetails returns a VersionDetails from the query's slab: one
// allocation for the versions of many rows, sized for one new version per
// row (a can-i-deploy's rows share the selected version), then grown by
// half as much again at a time.
func (m *run) newDetails() *VersionDetails {
	if len(m.slab) == cap(m.slab) {
		n := m.rendering + 1
		if m.slab != nil { // rows with two new versions each (a pair's matrix): half as many again
			n = m.rendering / 2
		}
		m.slab = make([]VersionDetails, 0, max(4, n))
	}
	m.slab = m.slab[:len(m.slab)+1]
	return &m.slab[len(m.slab)-1]
}

func byTagTime(a, b TagMembership) int { return a.CreatedAt.Compare(b.CreatedAt) }
