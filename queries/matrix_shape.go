package queries

import (
	"cmp"
	"slices"
)

// shape applies, in the broker's order: order by last action date, the
// limit, latestby, then the success filter. The limit comes before
// latestby on purpose: the broker limits in SQL and collapses in memory, so
// a small limit can drop a whole integration (a tested quirk).
func (m *run) shape(rows []matrixRow) []matrixRow {
	if m.q.Limit != nil && len(rows) > *m.q.Limit {
		rows = sortTop(rows, *m.q.Limit, byLastAction)
	} else {
		m.sc.idx = sortStableInto(rows, byLastAction, m.sc.idx)
	}
	return m.filterSuccess(m.latestBy(rows))
}

// byLastAction orders rows most recent first: last action date, then
// publication, then result (the broker's order before its limit).
func byLastAction(x, y *matrixRow) int {
	if x.last != y.last {
		return cmp.Compare(y.last, x.last)
	}
	if x.pact.Order != y.pact.Order {
		return cmp.Compare(y.pact.Order, x.pact.Order)
	}
	return cmp.Compare(verificationOrder(*y), verificationOrder(*x))
}

func providerVersion(r matrixRow) string {
	if r.ver == nil {
		return ""
	}
	return r.ver.ProviderVersion
}

func verificationOrder(r matrixRow) uint64 {
	if r.ver == nil {
		return 0
	}
	return r.ver.Order
}

type groupKey struct {
	consumer, cv, provider, pv string
	verified                   bool
}

// latestGroup is one of latestBy's groups.
type latestGroup struct {
	key             groupKey
	firstUnverified bool
}

// latestBy keeps one row per group: the first row when it is unverified,
// otherwise the row with the highest provider version order (the earliest
// in last-action order among equals). The broker raises an error when a
// group mixes unverified rows into a verified first row (possible under cp
// only); pactledger ranks unverified rows lowest instead.
func (m *run) latestBy(rows []matrixRow) []matrixRow {
	var key func(matrixRow) groupKey
	switch m.q.LatestBy {
	case LatestByConsumerVersionProviderVersion:
		key = func(r matrixRow) groupKey {
			return groupKey{r.pact.Consumer, r.pact.ConsumerVersion, r.pact.Provider, providerVersion(r), r.ver != nil}
		}
	case LatestByConsumerVersionProvider:
		key = func(r matrixRow) groupKey {
			return groupKey{consumer: r.pact.Consumer, cv: r.pact.ConsumerVersion, provider: r.pact.Provider}
		}
	case LatestByConsumerProvider:
		key = func(r matrixRow) groupKey { return groupKey{consumer: r.pact.Consumer, provider: r.pact.Provider} }
	default:
		return rows
	}
	// Few rows: a linear search beats hashing four strings per row. The
	// index and the groups are the query's pooled ones.
	var index map[groupKey]int
	if len(rows) > 16 {
		if m.sc.groupIndex == nil {
			m.sc.groupIndex = make(map[groupKey]int, len(rows))
		}
		index = m.sc.groupIndex
		clear(index)
	}
	groups := m.sc.latest[:0]
	out := rows[:0] // in place: a kept row is never ahead of the one being read
	for _, r := range rows {
		k, i, ok := key(r), 0, false
		if index != nil {
			i, ok = index[k]
		} else {
			i = slices.IndexFunc(groups, func(g latestGroup) bool { return g.key == k })
			ok = i >= 0
		}
		if !ok {
			if index != nil {
				index[k] = len(out)
			}
			groups = append(groups, latestGroup{k, r.ver == nil})
			out = append(out, r)
			continue
		}
		if !groups[i].firstUnverified && r.ver != nil && (out[i].ver == nil || r.pvOrder > out[i].pvOrder) {
			out[i] = r
		}
	}
	m.sc.latest = groups
	return out
}

func (m *run) filterSuccess(rows []matrixRow) []matrixRow {
	if m.q.Success == nil {
		return rows
	}
	out := rows[:0]
	for _, r := range rows {
		o := Unverified
		if !r.unknown() {
			o = Failed
			if r.ver.Success {
				o = Succeeded
			}
		}
		for _, want := range m.q.Success {
			if want == o {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// split separates ignored rows: an ignore selector names the consumer or the
// provider, by name only or by that version. The considered rows stay in
// rows' array (a kept row is never ahead of the one being read), the ignored
// ones go to a pooled buffer.
func (m *run) split(rows []matrixRow, ig ignorer) (considered, ignored []matrixRow) {
	if len(ig) == 0 {
		return rows, nil
	}
	considered, ignored = rows[:0], m.sc.ignored[:0]
	for _, r := range rows {
		if ig.matches(r.pact.Consumer, r.pact.ConsumerVersion, true) || ig.matches(r.pact.Provider, providerVersion(r), r.ver != nil) {
			ignored = append(ignored, r)
		} else {
			considered = append(considered, r)
		}
	}
	m.sc.ignored = ignored
	return considered, ignored
}

// sortRows orders rows for display: consumer name, consumer version order
// (newest first), pact revision (newest first), provider name, provider
// version order, verification (newest first), where unverified rows come
// before verified ones in the "newest first" comparisons.
func sortRows(rows []matrixRow) {
	sortStable(rows, compareRows)
}

// sortRows is sortRows with the query's pooled index buffer.
func (m *run) sortRows(rows []matrixRow) {
	m.sc.idx = sortStableInto(rows, compareRows, m.sc.idx)
}

func compareRows(a, b *matrixRow) int {
	switch {
	case a.pact.Consumer != b.pact.Consumer:
		return compareStrings(a.pact.Consumer, b.pact.Consumer)
	case a.cvOrder != b.cvOrder:
		return compareDesc(a.cvOrder, b.cvOrder)
	case a.pact.Revision != b.pact.Revision:
		return compareDesc(uint64(a.pact.Revision), uint64(b.pact.Revision))
	case a.pact.Provider != b.pact.Provider:
		return compareStrings(a.pact.Provider, b.pact.Provider)
	}
	if c := compareNullableDesc(a.ver != nil, a.pvOrder, b.ver != nil, b.pvOrder); c != 0 {
		return c
	}
	return compareNullableDesc(a.ver != nil, verificationOrder(*a), b.ver != nil, verificationOrder(*b))
}

func compareStrings(a, b string) int {
	if a < b {
		return -1
	}
	return 1
}

func compareDesc(a, b uint64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// compareNullableDesc sorts null first, then descending.
func compareNullableDesc(aSet bool, a uint64, bSet bool, b uint64) int {
	switch {
	case aSet && bSet:
		return compareDesc(a, b)
	case aSet:
		return 1
	case bSet:
		return -1
	}
	return 0
}
