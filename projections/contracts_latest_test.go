package projections

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLatestAtMatchesBinarySearch checks that latestAt, which gallops from
// the end, finds every provider version (present or not) where a binary
// search over the whole index does, for indexes of every size up to 70.
func TestLatestAtMatchesBinarySearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for n := range 70 {
		for range 20 {
			var pv pvRec
			keys := map[uint32]bool{}
			for len(keys) < n {
				keys[uint32(1+rng.IntN(4*n+1))] = true
			}
			for k := range keys {
				pv.results = append(pv.results, verification{providerVersion: k})
			}
			rng.Shuffle(len(pv.results), func(i, j int) { pv.results[i], pv.results[j] = pv.results[j], pv.results[i] })
			for i, r := range pv.results {
				pv.latest = append(pv.latest, latestRef{r.providerVersion, int32(i)})
			}
			slices.SortFunc(pv.latest, func(a, b latestRef) int { return cmp.Compare(a.providerVersion, b.providerVersion) })
			for k := uint32(0); k <= uint32(4*n+2); k++ {
				wi, wf := slices.BinarySearchFunc(pv.latest, k, func(l latestRef, k uint32) int { return cmp.Compare(l.providerVersion, k) })
				if gi, gf := pv.latestAt(k); gi != wi || gf != wf {
					t.Fatalf("n %d key %d: latestAt %d %v, binary search %d %v", n, k, gi, gf, wi, wf)
				}
			}
		}
	}
}
