package queries

import (
	"slices"
	"time"
)

// matrixRow is a pact publication joined to at most one verification. It
// keeps only what ordering needs; details are read again when rendering.
type matrixRow struct {
	pact    *Pact         // points into the query's candidate list: rows stay small to sort
	ver     *Verification // nil: no result from a selected provider version
	cvOrder uint64        // the consumer version's order
	pvOrder uint64        // the provider version's order, when ver is set
	last    int64         // last action date (Unix ns): the later of pactTime and the result's creation
}

// selGroup gathers the selectors of one application.
type selGroup struct {
	name     string
	all      bool     // a name-only selector: every version
	versions []string // the found versions, each once
}

// selGroups are the groups in the order their applications first appear,
// looked up linearly while few, through an index when many.
type selGroups struct {
	list  []selGroup
	index map[string]int
}

func (gs *selGroups) get(name string) *selGroup {
	if gs.index != nil {
		if i, ok := gs.index[name]; ok {
			return &gs.list[i]
		}
		return nil
	}
	for i := range gs.list {
		if gs.list[i].name == name {
			return &gs.list[i]
		}
	}
	return nil
}

// groupSelectors groups the selectors in the query's pooled groups: a
// group taken from the pool reuses its versions' array.
func (m *run) groupSelectors(sels []ResolvedSelector) *selGroups {
	gs := &m.sc.groups
	gs.list, gs.index = gs.list[:0], nil
	for _, s := range sels {
		g := gs.get(s.Pacticipant)
		if g == nil {
			n := len(gs.list)
			var versions []string
			if n < cap(gs.list) {
				versions = gs.list[:n+1][n].versions[:0]
			}
			gs.list = append(gs.list, selGroup{name: s.Pacticipant, versions: versions})
			g = &gs.list[n]
			switch {
			case gs.index != nil:
				gs.index[s.Pacticipant] = n
			case len(gs.list) > fewVersions:
				gs.index = make(map[string]int, 4*fewVersions)
				for i := range gs.list {
					gs.index[gs.list[i].name] = i
				}
			}
		}
		if s.AllVersions {
			g.all = true
		} else if s.versionFound() && !slices.Contains(g.versions, s.Version) {
			g.versions = append(g.versions, s.Version)
		}
	}
	return gs
}

// rowsForSelectors is the two-or-more-selectors query: pacts of a selected
// consumer version (any version for a name-only selector) with a selected
// provider, left-joined on the pact version to the results of the selected
// provider versions, keeping rows that involve a specified application. The
// join on content makes results for identical content count ("pre-verified").
func (m *run) rowsForSelectors(all []ResolvedSelector, specified *nameSet) []matrixRow {
	groups := m.groupSelectors(all)
	var byName []Pact
	byVersion, scratch := m.sc.byVersion[:0], m.sc.pacts[:0]
	for i := range groups.list {
		g := &groups.list[i]
		c := g.name
		if g.all {
			for _, p := range m.r.Providers(c) {
				if groups.get(p) != nil {
					byName = m.appendPacts(byName, m.r.PactsBetween(c, p))
				}
			}
		}
		for _, v := range g.versions {
			scratch = m.r.AppendPacts(scratch[:0], c, v)
			for _, pact := range scratch {
				if m.keep(pact) && groups.get(pact.Provider) != nil {
					byVersion = append(byVersion, pact)
				}
			}
		}
	}
	m.sc.byVersion, m.sc.pacts = byVersion, scratch
	pacts := unionPacts(m.preLimit(byName), m.preLimit(byVersion))
	// Results first, then the rows in one allocation of the right size.
	// The selected provider versions' results share one buffer (spans of
	// it are taken once it is complete, since appending may move it).
	results, n := grow(m.sc.found, len(pacts)), 0
	m.sc.found = results
	buf := m.sc.results[:0]
	for i, pact := range pacts {
		if !specified.has(pact.Consumer) && !specified.has(pact.Provider) {
			continue
		}
		// A name-only provider selector takes every result, which includes
		// those of any version selected as well.
		if g := groups.get(pact.Provider); g.all {
			results[i].all = m.allVerifications(pact)
			n += max(1, len(results[i].all))
		} else {
			from := len(buf)
			for _, pv := range g.versions {
				buf = m.appendVerificationsBy(buf, pact, pv)
			}
			results[i].from, results[i].to = from, len(buf)
			n += max(1, len(buf)-from)
		}
	}
	m.sc.results = buf
	rows := m.sc.rows[:0]
	if cap(rows) < n {
		rows = make([]matrixRow, 0, n)
	}
	m.sc.rows = rows
	for i := range pacts {
		if pact := &pacts[i]; specified.has(pact.Consumer) || specified.has(pact.Provider) {
			vs := results[i].all
			if vs == nil {
				vs = buf[results[i].from:results[i].to:results[i].to]
			}
			rows = m.join(rows, pact, vs, true)
		}
	}
	return rows
}

// rowsForOneSelector is the exactly-one-selector query: the selected
// version as consumer, left-joined to every result for its pacts, united
// with the selected version as provider, inner-joined to its own results.
func (m *run) rowsForOneSelector(s ResolvedSelector) []matrixRow {
	var asConsumer []Pact
	switch {
	case s.AllVersions:
		for _, p := range m.r.Providers(s.Pacticipant) {
			asConsumer = m.appendPacts(asConsumer, m.r.PactsBetween(s.Pacticipant, p))
		}
	case s.versionFound():
		asConsumer = m.appendPacts(nil, m.r.Pacts(s.Pacticipant, s.Version))
	}
	var rows []matrixRow
	asConsumer = m.preLimit(asConsumer)
	for i := range asConsumer {
		rows = m.join(rows, &asConsumer[i], m.allVerifications(asConsumer[i]), true)
	}
	var asProvider []Pact
	switch {
	case s.AllVersions:
		for _, c := range m.r.AppendConsumers(nil, s.Pacticipant) {
			asProvider = m.appendPacts(asProvider, m.r.PactsBetween(c, s.Pacticipant))
		}
	case s.versionFound():
		for _, pv := range m.r.VerifiedPactVersions(s.Pacticipant, s.Version) {
			asProvider = m.appendPacts(asProvider, m.r.PactsWithContent(pv.Consumer, s.Pacticipant, pv.SHA))
		}
	}
	seen := map[[2]uint64]bool{}
	for _, row := range rows {
		seen[row.id()] = true
	}
	asProvider = m.preLimit(asProvider)
	for i, pact := range asProvider {
		var vs []Verification
		if s.AllVersions {
			vs = m.allVerifications(pact)
		} else {
			vs = m.appendVerificationsBy(nil, pact, s.Version)
		}
		for _, row := range m.join(nil, &asProvider[i], vs, false) {
			if !seen[row.id()] { // UNION drops duplicates
				seen[row.id()] = true
				rows = append(rows, row)
			}
		}
	}
	return rows
}

// grow returns s with length n, zeroed: s's array when it is big enough.
// It zeroes only those n entries.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

func (row matrixRow) id() [2]uint64 {
	if row.ver == nil {
		return [2]uint64{row.pact.Order, 0}
	}
	return [2]uint64{row.pact.Order, row.ver.Order}
}

// appendPacts keeps the latest revisions only when latestby is given
// (MatrixRow); without it every revision takes part (EveryRow).
func (m *run) appendPacts(dst, pacts []Pact) []Pact {
	if len(dst) == 0 && (!m.latestOnly || !slices.ContainsFunc(pacts, func(p Pact) bool { return !p.Latest })) {
		return slices.Clip(pacts) // all kept: no copy (clipped, so appending never writes into the reader's array)
	}
	for _, p := range pacts {
		if m.keep(p) {
			dst = append(dst, p)
		}
	}
	return dst
}

func (m *run) keep(p Pact) bool { return p.Latest || !m.latestOnly }

// allVerifications is every result for the pact version: the latest per
// provider version with latestby, every one without. It reads each pact
// version once per query: consumer versions with unchanged content share
// one, and a pair's matrix joins many of them to the same results.
func (m *run) allVerifications(p Pact) []Verification {
	k := [3]string{p.Consumer, p.Provider, p.SHA}
	if vs, ok := m.results[k]; ok {
		return vs
	}
	var vs []Verification
	if m.latestOnly {
		vs = m.r.LatestVerifications(p.Consumer, p.Provider, p.SHA)
	} else {
		vs = m.r.Verifications(p.Consumer, p.Provider, p.SHA, "")
	}
	if m.results == nil {
		m.results = map[[3]string][]Verification{}
	}
	m.results[k] = vs
	return vs
}

// appendVerificationsBy appends one provider version's result for the pact
// version: the latest with latestby, every one without.
func (m *run) appendVerificationsBy(dst []Verification, p Pact, providerVersion string) []Verification {
	if !m.latestOnly {
		return append(dst, m.r.Verifications(p.Consumer, p.Provider, p.SHA, providerVersion)...)
	}
	if v, ok := m.r.LatestVerification(p.Consumer, p.Provider, p.SHA, providerVersion); ok {
		if dst == nil {
			dst = make([]Verification, 0, 4)
		}
		return append(dst, v)
	}
	return dst
}

// join appends one row per result, or a single unverified row when there is
// none and the join is a left join.
func (m *run) join(rows []matrixRow, pact *Pact, vs []Verification, left bool) []matrixRow {
	cv := m.stamp(pact.Consumer, pact.ConsumerVersion)
	if !cv.ok {
		return rows
	}
	pactTime := m.pactTime(*pact, cv)
	if len(vs) == 0 && left {
		return append(rows, matrixRow{pact: pact, cvOrder: cv.order, last: pactTime.UnixNano()})
	}
	for i := range vs {
		pv := m.stamp(pact.Provider, vs[i].ProviderVersion)
		if pv.ok {
			last := pactTime
			if vs[i].CreatedAt.After(last) {
				last = vs[i].CreatedAt
			}
			rows = append(rows, matrixRow{pact: pact, ver: &vs[i], cvOrder: cv.order, pvOrder: pv.order, last: last.UnixNano()})
		}
	}
	return rows
}

// pactTime is the pact side of the last action date: the consumer version's
// creation with latestby (the broker's latest-publication table), the
// publication's own time without. cv is the consumer version's stamp.
func (m *run) pactTime(p Pact, cv stamp) time.Time {
	if m.latestOnly {
		return cv.at
	}
	return p.CreatedAt
}

func unionPacts(a, b []Pact) []Pact {
	if len(a) == 0 {
		return b
	}
	seen := make(map[uint64]bool, len(a))
	for _, p := range a {
		seen[p.Order] = true
	}
	for _, p := range b {
		if !seen[p.Order] {
			a = append(a, p)
		}
	}
	return a
}
