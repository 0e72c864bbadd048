package queries

import (
	"cmp"
	"math/bits"
	"slices"
	"time"
)

// smallSort is the most rows sortStable sorts in place by insertion.
const smallSort = 12

// sortStable sorts rows as slices.SortStableFunc would (ties keep their
// order) but moves int32 indexes, not rows: a row is about 150 bytes with
// pointers in it, and the stable sort's merges move each one many times,
// paying write barriers while the GC runs. For the thousands of rows of a
// name-only /matrix the sort fell from about half of the query's CPU to a
// tenth (cmd/pactbench, medium scale).
func sortStable(rows []matrixRow, compare func(a, b *matrixRow) int) {
	sortStableInto(rows, compare, nil)
}

// sortStableInto is sortStable with the indexes in idx's array when it is
// big enough (a pooled buffer); it returns the array it used.
func sortStableInto(rows []matrixRow, compare func(a, b *matrixRow) int, idx []int32) []int32 {
	if len(rows) < 2 {
		return idx
	}
	if len(rows) <= smallSort { // a can-i-deploy's rows: insertion sort, stable, no allocation
		for i := 1; i < len(rows); i++ {
			for j := i; j > 0 && compare(&rows[j-1], &rows[j]) > 0; j-- {
				rows[j-1], rows[j] = rows[j], rows[j-1]
			}
		}
		return idx
	}
	idx = slices.Grow(idx[:0], len(rows))[:len(rows)]
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
	return idx
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

// preLimit keeps the limit most recent candidate pacts, as the broker's
// most_recent(limit) does before joining results. Ties go to the later
// publication. It reads each consumer version's stamp once, without
// caching the many it drops, and does not sort candidates that are already
// in order (a pair's pacts come newest consumer version first).
func (m *run) preLimit(pacts []Pact) []Pact {
	if m.q.Limit == nil || len(pacts) <= *m.q.Limit {
		return pacts
	}
	type ranked struct {
		at    time.Time
		order uint64
		i     int32
	}
	keys := make([]ranked, len(pacts))
	var last versionKey
	var cv stamp
	for i, p := range pacts {
		if m.latestOnly && (i == 0 || last != versionKey{p.Consumer, p.ConsumerVersion}) {
			last = versionKey{p.Consumer, p.ConsumerVersion}
			if s, ok := m.stamps.get(last); ok {
				cv = s
			} else {
				cv.order, cv.at, cv.ok = m.r.VersionStamp(p.Consumer, p.ConsumerVersion)
			}
		}
		keys[i] = ranked{m.pactTime(p, cv), p.Order, int32(i)}
	}
	newestFirst := func(a, b ranked) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return cmp.Compare(b.order, a.order)
	}
	if !slices.IsSortedFunc(keys, newestFirst) {
		slices.SortStableFunc(keys, newestFirst)
	}
	out := make([]Pact, *m.q.Limit)
	for j := range out {
		out[j] = pacts[keys[j].i]
	}
	return out
}
