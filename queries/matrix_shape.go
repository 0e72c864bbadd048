package queries

import (
	"cmp"
	"math/bits"
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
		sortStable(rows, byLastAction)
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

// sortTop returns the first k rows (0 < k < len(rows)) of a stable sort,
// in order, without sorting the rest: a selection moves the k first to the
// front, and only they are sorted. A pair's matrix joins thousands of rows
// to show the default 100. Ties are broken by position, as stability
// requires, so the answer is the stable sort's prefix exactly.
func sortTop(rows []matrixRow, k int, compare func(a, b *matrixRow) int) []matrixRow {
	idx := make([]int32, len(rows))
	for i := range idx {
		idx[i] = int32(i)
	}
	less := func(i, j int32) int {
		if c := compare(&rows[i], &rows[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	}
	selectFirst(idx, k, less)
	top := idx[:k]
	slices.SortFunc(top, less)
	out := make([]matrixRow, k)
	for j, i := range top {
		out[j] = rows[i]
	}
	return out
}

// selectFirst reorders idx so that its first k elements are the k least
// under less (a total order), in any order: quickselect on the median of
// three, falling back to a full sort if the partitions keep coming out
// lopsided.
func selectFirst(idx []int32, k int, less func(a, b int32) int) {
	lo, hi := 0, len(idx) // the k-th least lies in idx[lo:hi]
	for budget := 2 * bits.Len(uint(len(idx))); hi-lo > 16; budget-- {
		if budget == 0 {
			slices.SortFunc(idx[lo:hi], less)
			return
		}
		a, b, c := lo, lo+(hi-lo)/2, hi-1
		if less(idx[b], idx[a]) < 0 {
			a, b = b, a
		}
		if less(idx[c], idx[b]) < 0 {
			b = c
			if less(idx[b], idx[a]) < 0 {
				b = a
			}
		}
		// Lomuto partition around the median, moved to the end.
		idx[b], idx[hi-1] = idx[hi-1], idx[b]
		pivot, store := idx[hi-1], lo
		for i := lo; i < hi-1; i++ {
			if less(idx[i], pivot) < 0 {
				idx[i], idx[store] = idx[store], idx[i]
				store++
			}
		}
		idx[store], idx[hi-1] = idx[hi-1], idx[store]
		switch {
		case store == k || store == k-1:
			return // idx[:store] < pivot ≤ idx[store+1:]; with idx[store] = pivot, the first k are the least
		case store > k:
			hi = store
		default:
			lo = store + 1
		}
	}
	slices.SortFunc(idx[lo:hi], less)
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
	// Few rows: a linear search beats hashing four strings per row.
	var index map[groupKey]int
	if len(rows) > 16 {
		index = make(map[groupKey]int, len(rows))
	}
	type group struct {
		key             groupKey
		firstUnverified bool
	}
	groups := make([]group, 0, len(rows))
	out := rows[:0] // in place: a kept row is never ahead of the one being read
	for _, r := range rows {
		k, i, ok := key(r), 0, false
		if index != nil {
			i, ok = index[k]
		} else {
			i = slices.IndexFunc(groups, func(g group) bool { return g.key == k })
			ok = i >= 0
		}
		if !ok {
			if index != nil {
				index[k] = len(out)
			}
			groups = append(groups, group{k, r.ver == nil})
			out = append(out, r)
			continue
		}
		if !groups[i].firstUnverified && r.ver != nil && (out[i].ver == nil || r.pvOrder > out[i].pvOrder) {
			out[i] = r
		}
	}
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
// provider, by name only or by that version.
func split(rows []matrixRow, ig ignorer) (considered, ignored []matrixRow) {
	if len(ig) == 0 {
		return rows, nil
	}
	for _, r := range rows {
		if ig.matches(r.pact.Consumer, r.pact.ConsumerVersion, true) || ig.matches(r.pact.Provider, providerVersion(r), r.ver != nil) {
			ignored = append(ignored, r)
		} else {
			considered = append(considered, r)
		}
	}
	return considered, ignored
}

// sortRows orders rows for display: consumer name, consumer version order
// (newest first), pact revision (newest first), provider name, provider
// version order, verification (newest first), where unverified rows come
// before verified ones in the "newest first" comparisons.
func sortRows(rows []matrixRow) {
	sortStable(rows, compareRows)
}

// smallSort is the most rows sortStable sorts in place by insertion.
const smallSort = 12

// sortStable sorts rows as slices.SortStableFunc would (ties keep their
// order) but moves int32 indexes, not rows: a row is about 150 bytes with
// pointers in it, and the stable sort's merges move each one many times,
// paying write barriers while the GC runs. For the thousands of rows of a
// name-only /matrix the sort fell from about half of the query's CPU to a
// tenth (cmd/pactbench, medium scale).
func sortStable(rows []matrixRow, compare func(a, b *matrixRow) int) {
	if len(rows) < 2 {
		return
	}
	if len(rows) <= smallSort { // a can-i-deploy's rows: insertion sort, stable, no allocation
		for i := 1; i < len(rows); i++ {
			for j := i; j > 0 && compare(&rows[j-1], &rows[j]) > 0; j-- {
				rows[j-1], rows[j] = rows[j], rows[j-1]
			}
		}
		return
	}
	idx := make([]int32, len(rows))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		if c := compare(&rows[i], &rows[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	// Apply the permutation (rows[k] = old rows[idx[k]]) in place, one cycle
	// at a time, marking done indexes with -1: no copy of the rows.
	for k := range idx {
		if idx[k] < 0 {
			continue
		}
		tmp, j := rows[k], k
		for {
			src := int(idx[j])
			idx[j] = -1
			if src == k {
				rows[j] = tmp
				break
			}
			rows[j], j = rows[src], src
		}
	}
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
