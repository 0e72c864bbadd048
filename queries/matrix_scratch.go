package queries

import "sync"

// scratch holds a query's working buffers: the candidate pacts, their
// results, the rows before rendering, and the per-version caches. They are
// reused by later queries (a pool), so that a query writes into memory the
// last one warmed instead of into freshly allocated memory, which is cold
// in the caches (every byte a query allocates is a cache miss when the heap
// is large) and which the collector must then reclaim. Nothing in a
// MatrixResult points into them: rows are rendered into the Answer's
// arrays (matrix_answer.go), which outlive the query.
type scratch struct {
	stamps    []cacheEntry[stamp]
	details   []cacheEntry[*VersionDetails]
	byVersion []Pact
	pacts     []Pact // AppendPacts' buffer
	found     []found
	results   []Verification
	rows      []matrixRow
	ignored   []matrixRow         // split's
	missing   []Integration       // the summary's required integrations without a row
	versions  []VersionInfo       // findVersions' answer
	sels      []ResolvedSelector  // the selectors, before their copy into the result
	integ     []Integration       // integrationsInvolving's, likewise
	groups    selGroups           // rowsForSelectors' groups (each keeps its versions' array)
	numbers   []string            // environment versions (findVersions)
	names     []string            // an application's consumers (integrationsInvolving)
	version   VersionInfo         // readVersion's (a pointer handed to the reader escapes: pooled, not per call)
	envs      []EnvironmentInfo   // one version's environments, before they are shared
	envLists  [][]EnvironmentInfo // the distinct environment lists the result holds
	idx       []int32             // sortStableInto's indexes
	latest    []latestGroup       // latestBy's groups
	// The maps of queries with many entries, emptied before use (clear),
	// dropped when they grew big (releaseScratch).
	groupIndex map[groupKey]int // latestBy's index
	stampMap   map[versionKey]stamp
	detailMap  map[versionKey]*VersionDetails
	selIndex   selectorIndex // the summary's, over many selectors
}

// found locates one candidate pact's results: a name-only provider's list
// (all), or results[from:to] of the query's buffer.
type found struct {
	all      []Verification
	from, to int
}

// scratchKeep is the most entries a pooled buffer keeps: a /matrix of a
// whole history may need many more, which it allocates and drops.
const scratchKeep = 512

var scratches = sync.Pool{New: func() any { return new(scratch) }}

// takeScratch takes a scratch from the pool and lends its caches to m.
func (m *run) takeScratch() {
	m.sc = scratches.Get().(*scratch)
	m.stamps.few, m.stamps.spare = m.sc.stamps[:0], m.sc.stampMap
	m.details.few, m.details.spare = m.sc.details[:0], m.sc.detailMap
}

// releaseScratch returns m's buffers to the pool, emptied, unless they
// grew too big to keep. It does not zero them: that would write every line
// of them again, and no query reads an entry it has not written. What the
// stale entries point to (strings of the read models, a past query's
// versions) stays reachable only until the next collection or two, which
// empties the pool.
func (m *run) releaseScratch() {
	sc := m.sc
	m.sc = nil
	sc.stamps, sc.details = m.stamps.few, m.details.few
	if m.stamps.many != nil {
		sc.stampMap = keepMap(m.stamps.many)
	}
	if m.details.many != nil {
		clear(m.details.many) // it points into the answer: do not keep that alive
		sc.detailMap = keepMap(m.details.many)
	}
	sc.stamps = reuse(sc.stamps)
	sc.details = reuse(sc.details)
	sc.byVersion = reuse(sc.byVersion)
	sc.pacts = reuse(sc.pacts)
	sc.found = reuse(sc.found)
	sc.results = reuse(sc.results)
	sc.rows = reuse(sc.rows)
	sc.idx = reuse(sc.idx)
	sc.latest = reuse(sc.latest)
	sc.groupIndex = keepMap(sc.groupIndex)
	sc.selIndex.byName, sc.selIndex.byVersion = keepMap(sc.selIndex.byName), keepMap(sc.selIndex.byVersion)
	sc.ignored = reuse(sc.ignored)
	sc.missing = reuse(sc.missing)
	sc.versions = reuse(sc.versions)
	sc.sels = reuse(sc.sels)
	sc.integ = reuse(sc.integ)
	sc.numbers = reuse(sc.numbers)
	sc.names = reuse(sc.names)
	sc.envs = reuse(sc.envs)
	sc.version = VersionInfo{Branches: reuse(sc.version.Branches), Tags: reuse(sc.version.Tags)}
	clear(sc.envLists) // they belong to the result: do not keep them alive
	sc.envLists = reuse(sc.envLists)
	sc.groups.list, sc.groups.index = reuse(sc.groups.list), nil
	scratches.Put(sc)
}

// keepMap returns a map for the pool: nil when it holds too many entries to
// keep (clearing a map costs its size, and it pins what its entries point
// to). Its entries are cleared when it is next used.
func keepMap[K comparable, V any](m map[K]V) map[K]V {
	if len(m) > scratchKeep {
		return nil
	}
	return m
}

// reuse empties s for the pool: nil when it is too big to keep.
func reuse[T any](s []T) []T {
	if cap(s) > scratchKeep {
		return nil
	}
	return s[:0]
}

// readVersion reads a version into the scratch's VersionInfo, its lists
// into the scratch's buffers: they are the next read's, so a caller that
// keeps them must copy them.
func (m *run) readVersion(pacticipant, number string) bool {
	v := &m.sc.version
	v.Branches, v.Tags = v.Branches[:0], v.Tags[:0]
	ok := m.r.ReadVersion(v, pacticipant, number)
	if !ok {
		*v = VersionInfo{Branches: v.Branches, Tags: v.Tags}
	}
	return ok
}
