package queries

import (
	"slices"
	"sort"
	"time"
)

// matrixRow is a pact publication joined to at most one verification. It
// keeps only what ordering needs; details are read again when rendering.
type matrixRow struct {
	pact    Pact
	ver     *Verification // nil: no result from a selected provider version
	cvOrder uint64        // the consumer version's order
	pvOrder uint64        // the provider version's order, when ver is set
	last    int64         // last action date (Unix ns): the later of pactTime and the result's creation
}

// selGroup gathers the selectors of one application.
type selGroup struct {
	all      bool     // a name-only selector: every version
	versions []string // the found versions, each once
}

func groupSelectors(sels []ResolvedSelector) (map[string]*selGroup, []string) {
	groups := map[string]*selGroup{}
	var names []string
	for _, s := range sels {
		g := groups[s.Pacticipant]
		if g == nil {
			g = &selGroup{}
			groups[s.Pacticipant] = g
			names = append(names, s.Pacticipant)
		}
		if s.AllVersions {
			g.all = true
		} else if s.versionFound() && !slices.Contains(g.versions, s.Version) {
			g.versions = append(g.versions, s.Version)
		}
	}
	return groups, names
}

// rowsForSelectors is the two-or-more-selectors query: pacts of a selected
// consumer version (any version for a name-only selector) with a selected
// provider, left-joined on the pact version to the results of the selected
// provider versions, keeping rows that involve a specified application. The
// join on content makes results for identical content count ("pre-verified").
func (m *run) rowsForSelectors(all []ResolvedSelector, specified map[string]bool) []matrixRow {
	groups, names := groupSelectors(all)
	var byName, byVersion []Pact
	for _, c := range names {
		g := groups[c]
		if g.all {
			for _, p := range m.r.Providers(c) {
				if groups[p] != nil {
					byName = m.appendPacts(byName, m.r.PactsBetween(c, p))
				}
			}
		}
		for _, v := range g.versions {
			for _, pact := range m.r.Pacts(c, v) {
				if groups[pact.Provider] != nil && m.keep(pact) {
					byVersion = append(byVersion, pact)
				}
			}
		}
	}
	pacts := unionPacts(m.preLimit(byName), m.preLimit(byVersion))
	var rows []matrixRow
	for _, pact := range pacts {
		if !specified[pact.Consumer] && !specified[pact.Provider] {
			continue
		}
		// A name-only provider selector takes every result, which includes
		// those of any version selected as well.
		g, vs := groups[pact.Provider], []Verification(nil)
		if g.all {
			vs = m.allVerifications(pact)
		} else {
			for _, pv := range g.versions {
				vs = append(vs, m.verificationsBy(pact, pv)...)
			}
		}
		rows = m.join(rows, pact, vs, true)
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
	for _, pact := range m.preLimit(asConsumer) {
		rows = m.join(rows, pact, m.allVerifications(pact), true)
	}
	var asProvider []Pact
	switch {
	case s.AllVersions:
		for _, c := range m.r.Consumers(s.Pacticipant) {
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
	for _, pact := range m.preLimit(asProvider) {
		var vs []Verification
		if s.AllVersions {
			vs = m.allVerifications(pact)
		} else {
			vs = m.verificationsBy(pact, s.Version)
		}
		for _, row := range m.join(nil, pact, vs, false) {
			if !seen[row.id()] { // UNION drops duplicates
				seen[row.id()] = true
				rows = append(rows, row)
			}
		}
	}
	return rows
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
	for _, p := range pacts {
		if m.keep(p) {
			dst = append(dst, p)
		}
	}
	return dst
}

func (m *run) keep(p Pact) bool { return p.Latest || !m.latestOnly }

// allVerifications is every result for the pact version: the latest per
// provider version with latestby, every one without.
func (m *run) allVerifications(p Pact) []Verification {
	vs := m.r.Verifications(p.Consumer, p.Provider, p.SHA, "")
	if !m.latestOnly || len(vs) < 2 {
		return vs
	}
	latest := map[string]int{}
	var out []Verification
	for _, v := range vs {
		if i, ok := latest[v.ProviderVersion]; ok {
			if v.Order > out[i].Order {
				out[i] = v
			}
			continue
		}
		latest[v.ProviderVersion] = len(out)
		out = append(out, v)
	}
	return out
}

// verificationsBy is one provider version's result for the pact version:
// the latest with latestby, every one without.
func (m *run) verificationsBy(p Pact, providerVersion string) []Verification {
	if !m.latestOnly {
		return m.r.Verifications(p.Consumer, p.Provider, p.SHA, providerVersion)
	}
	if v, ok := m.r.LatestVerification(p.Consumer, p.Provider, p.SHA, providerVersion); ok {
		return []Verification{v}
	}
	return nil
}

// join appends one row per result, or a single unverified row when there is
// none and the join is a left join.
func (m *run) join(rows []matrixRow, pact Pact, vs []Verification, left bool) []matrixRow {
	cv, ok := m.version(pact.Consumer, pact.ConsumerVersion)
	if !ok {
		return rows
	}
	pactTime := m.pactTime(pact)
	if len(vs) == 0 && left {
		return append(rows, matrixRow{pact: pact, cvOrder: cv.Order, last: pactTime.UnixNano()})
	}
	for i := range vs {
		pv, ok := m.version(pact.Provider, vs[i].ProviderVersion)
		if ok {
			last := pactTime
			if vs[i].CreatedAt.After(last) {
				last = vs[i].CreatedAt
			}
			rows = append(rows, matrixRow{pact: pact, ver: &vs[i], cvOrder: cv.Order, pvOrder: pv.Order, last: last.UnixNano()})
		}
	}
	return rows
}

// pactTime is the pact side of the last action date: the consumer version's
// creation with latestby (the broker's latest-publication table), the
// publication's own time without.
func (m *run) pactTime(p Pact) time.Time {
	if m.latestOnly {
		cv, _ := m.version(p.Consumer, p.ConsumerVersion)
		return cv.CreatedAt
	}
	return p.CreatedAt
}

// preLimit keeps the limit most recent candidate pacts, as the broker's
// most_recent(limit) does before joining results. Ties go to the later
// publication.
func (m *run) preLimit(pacts []Pact) []Pact {
	if m.q.Limit == nil || len(pacts) <= *m.q.Limit {
		return pacts
	}
	sort.SliceStable(pacts, func(i, j int) bool {
		ti, tj := m.pactTime(pacts[i]), m.pactTime(pacts[j])
		return ti.After(tj) || ti.Equal(tj) && pacts[i].Order > pacts[j].Order
	})
	return pacts[:*m.q.Limit]
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
