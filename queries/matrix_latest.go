package queries

import "slices"

// LatestPerProviderVersion keeps, of results in Verifications' order, the
// latest (highest Order) of each provider version, in the order of each
// one's first result. It returns a new slice.
func LatestPerProviderVersion(vs []Verification) []Verification {
	l := LatestResults{List: make([]Verification, 0, len(vs))}
	for _, v := range vs {
		l.Add(v)
	}
	return l.List
}

// LatestResults computes LatestPerProviderVersion one result at a time, for
// readers that visit results rather than list them. The zero value is
// empty and ready.
type LatestResults struct {
	List  []Verification
	index map[string]int // provider version → its place in List, once List is long
}

// Add takes the next result in Verifications' order.
func (l *LatestResults) Add(v Verification) {
	i, ok := -1, false
	if l.index != nil {
		i, ok = l.index[v.ProviderVersion]
	} else {
		// Few results: a linear search beats hashing (and allocating a map).
		i = slices.IndexFunc(l.List, func(o Verification) bool { return o.ProviderVersion == v.ProviderVersion })
		ok = i >= 0
	}
	if ok {
		if v.Order > l.List[i].Order {
			l.List[i] = v
		}
		return
	}
	if l.List == nil {
		l.List = make([]Verification, 0, 8) // one allocation for the usual handful of provider versions
	}
	l.List = append(l.List, v)
	switch {
	case l.index != nil:
		l.index[v.ProviderVersion] = len(l.List) - 1
	case len(l.List) > fewVersions:
		l.index = make(map[string]int, 2*len(l.List))
		for j := range l.List {
			l.index[l.List[j].ProviderVersion] = j
		}
	}
}
