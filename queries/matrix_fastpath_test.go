package queries

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"
)

// The tests here compare each fast path of the matrix with the general
// algorithm it replaces, on generated data of both sizes (the short lists
// searched linearly and the long ones indexed by a map).

// latestPerPVReference is the map-based reduction allVerifications used.
func latestPerPVReference(vs []Verification) []Verification {
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

func TestLatestPerProviderVersionMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 5, 16, 17, 40, 300} {
		for range 20 {
			vs := make([]Verification, n)
			for i := range vs {
				vs[i] = Verification{ProviderVersion: fmt.Sprint(rng.IntN(max(1, n/2))), Number: i + 1, Order: rng.Uint64N(1000)}
			}
			got, want := LatestPerProviderVersion(vs), latestPerPVReference(vs)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d: got %v, want %v", n, got, want)
			}
		}
	}
}

func TestSortStableMatchesSlicesSortStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	byLast := func(a, b *matrixRow) int { return cmp.Compare(a.last, b.last) }
	for _, n := range []int{0, 1, 2, 3, smallSort, smallSort + 1, 50, 400} {
		for range 20 {
			rows := make([]matrixRow, n)
			for i := range rows {
				rows[i] = matrixRow{last: rng.Int64N(int64(max(1, n/3))), pact: &Pact{Order: uint64(i)}}
			}
			want := slices.Clone(rows)
			slices.SortStableFunc(want, func(a, b matrixRow) int { return byLast(&a, &b) })
			sortStable(rows, byLast)
			for i := range rows {
				if rows[i].last != want[i].last || rows[i].pact.Order != want[i].pact.Order {
					t.Fatalf("n=%d: row %d is (%d, %d), want (%d, %d)", n, i, rows[i].last, rows[i].pact.Order, want[i].last, want[i].pact.Order)
				}
			}
		}
	}
}

// TestPreLimitMatchesFullSort checks that preLimit, which reads stamps
// once and skips sorting ordered input, keeps the pacts a stable sort on
// (pact time, publication) keeps, with and without latestby, for ordered,
// reversed and shuffled input with equal times.
func TestPreLimitMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, latestBy := range []string{"", LatestByConsumerVersionProviderVersion} {
		for _, n := range []int{5, 30, 200} {
			for trial := range 30 {
				f := newFakeReader()
				var pacts []Pact
				for i := range n {
					cv := fmt.Sprint(i / 2)
					if _, ok := f.versions[versionKey{"c", cv}]; !ok && i%7 != 3 { // some versions missing
						f.versions[versionKey{"c", cv}] = VersionInfo{Number: cv, Order: uint64(i), CreatedAt: base.Add(time.Duration(rng.IntN(n/3+1)) * time.Minute)}
					}
					pacts = append(pacts, Pact{Consumer: "c", Provider: "p", ConsumerVersion: cv, Order: uint64(1000 + i),
						CreatedAt: base.Add(time.Duration(rng.IntN(n/3+1)) * time.Minute), Latest: true})
				}
				switch trial % 3 {
				case 1:
					slices.Reverse(pacts)
				case 2:
					rng.Shuffle(len(pacts), func(i, j int) { pacts[i], pacts[j] = pacts[j], pacts[i] })
				}
				limit := 1 + rng.IntN(n-1) // fewer than n: at n or more, preLimit keeps the input as it is
				q := MatrixQuery{LatestBy: latestBy, Limit: &limit}
				m := &run{r: f, q: q, latestOnly: latestBy != ""}
				ref := slices.Clone(pacts)
				timeOf := func(p Pact) time.Time {
					if latestBy != "" {
						return f.versions[versionKey{p.Consumer, p.ConsumerVersion}].CreatedAt
					}
					return p.CreatedAt
				}
				sort.SliceStable(ref, func(i, j int) bool {
					ti, tj := timeOf(ref[i]), timeOf(ref[j])
					return ti.After(tj) || ti.Equal(tj) && ref[i].Order > ref[j].Order
				})
				in := slices.Clone(pacts)
				got := m.preLimit(in)
				if !slices.Equal(got, ref[:limit]) {
					t.Fatalf("latestby %q, n=%d, limit %d: got %v, want %v", latestBy, n, limit, orders(got), orders(ref[:limit]))
				}
				if !slices.Equal(in, pacts) {
					t.Fatal("preLimit modified its input")
				}
			}
		}
	}
}

func orders(ps []Pact) []uint64 {
	out := make([]uint64, len(ps))
	for i, p := range ps {
		out[i] = p.Order
	}
	return out
}

func TestVersionCacheAndNameSetPastTheLinearPart(t *testing.T) {
	var c versionCache[int]
	var s nameSet
	for i := range 3 * fewVersions {
		k := versionKey{"p", fmt.Sprint(i)}
		if _, ok := c.get(k); ok {
			t.Fatalf("%v cached before put", k)
		}
		c.put(k, i)
		s.add(k.number)
		s.add(k.number) // twice: still once
		for j := 0; j <= i; j++ {
			if v, ok := c.get(versionKey{"p", fmt.Sprint(j)}); !ok || v != j {
				t.Fatalf("after %d puts, get(%d) = %d, %v", i+1, j, v, ok)
			}
			if !s.has(fmt.Sprint(j)) {
				t.Fatalf("after %d adds, %d missing", i+1, j)
			}
		}
		if s.has(fmt.Sprint(i + 1)) {
			t.Fatalf("%d present before it was added", i+1)
		}
	}
}

// TestSortTopMatchesSortStablePrefix checks the selection against the full
// stable sort, with many ties (broken by position), for every k on short
// lists and sampled k on long ones, in sorted, reversed and random input.
func TestSortTopMatchesSortStablePrefix(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	byLast := func(a, b *matrixRow) int { return cmp.Compare(a.last, b.last) }
	for _, n := range []int{2, 3, 17, 18, 40, 500, 3000} {
		for trial := range 12 {
			rows := make([]matrixRow, n)
			for i := range rows {
				rows[i] = matrixRow{last: rng.Int64N(int64(1 + n/(1+trial%4*5))), pact: &Pact{Order: uint64(i)}}
			}
			switch trial % 3 {
			case 1:
				slices.SortFunc(rows, func(a, b matrixRow) int { return byLast(&a, &b) })
			case 2:
				slices.SortFunc(rows, func(a, b matrixRow) int { return byLast(&b, &a) })
			}
			want := slices.Clone(rows)
			sortStable(want, byLast)
			ks := []int{1, n / 2, n - 1, 1 + rng.IntN(n-1)}
			if n < 50 {
				ks = ks[:0]
				for k := 1; k < n; k++ {
					ks = append(ks, k)
				}
			}
			for _, k := range ks {
				got := sortTop(slices.Clone(rows), k, byLast)
				if len(got) != k {
					t.Fatalf("n=%d k=%d: %d rows", n, k, len(got))
				}
				for i := range got {
					if got[i].pact != want[i].pact {
						t.Fatalf("n=%d k=%d trial %d: row %d is pact %d, want %d", n, k, trial, i, got[i].pact.Order, want[i].pact.Order)
					}
				}
			}
		}
	}
}

// TestIndexedSelectorForMatchesLinear compares the indexed lookup of a
// row's selector with the linear one over many selectors with repeated
// names and versions, including names and versions no selector has.
func TestIndexedSelectorForMatchesLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20 {
		var sels []ResolvedSelector
		for i := range 20 + rng.IntN(200) {
			sels = append(sels, ResolvedSelector{Pacticipant: fmt.Sprint("app", rng.IntN(12)), Version: fmt.Sprint(rng.IntN(30)), Type: SelectorType(i % 2)})
		}
		for i := range 3 { // names with one selector each
			sels = append(sels, ResolvedSelector{Pacticipant: fmt.Sprint("solo", i), Version: fmt.Sprint(i)})
		}
		rows := []matrixRow{{pact: &Pact{Consumer: "app1", ConsumerVersion: "3", Provider: "app99"}}}
		linear := &summary{selectors: sels, considered: rows}
		indexed := &summary{selectors: sels, considered: rows}
		for range 300 {
			name, version, hasVersion := fmt.Sprint("app", rng.IntN(14)), fmt.Sprint(rng.IntN(34)), rng.IntN(2) == 0
			switch name {
			case "app13":
				name = "app99" // no selector: a stand-in from the rows
			case "app12":
				name = fmt.Sprint("solo", rng.IntN(3))
			}
			got, want := indexed.indexedSelectorFor(name, version, hasVersion), linear.linearSelectorFor(name, version, hasVersion)
			if got != want {
				t.Fatalf("selectorFor(%s, %s, %v) = %+v, want %+v", name, version, hasVersion, got, want)
			}
		}
	}
}
