package queries

import "time"

// stamp is what ordering rows needs of a version (VersionStamp).
type stamp struct {
	order uint64
	at    time.Time
	ok    bool
}

// fewVersions is how many entries a versionCache searches linearly before
// it switches to a map: a can-i-deploy touches a handful of versions, and
// comparing a few string pairs is cheaper than hashing them (and than
// allocating a map per query).
const fewVersions = 16

type cacheEntry[V any] struct {
	k versionKey
	v V
}

// versionCache memoises one query's reads per version. The zero value is
// empty and ready.
type versionCache[V any] struct {
	few   []cacheEntry[V]
	many  map[versionKey]V
	spare map[versionKey]V // a pooled map for many, emptied when taken
}

func (c *versionCache[V]) get(k versionKey) (V, bool) {
	if c.many != nil {
		v, ok := c.many[k]
		return v, ok
	}
	for i := range c.few {
		if c.few[i].k == k {
			return c.few[i].v, true
		}
	}
	var zero V
	return zero, false
}

func (c *versionCache[V]) put(k versionKey, v V) {
	switch {
	case c.many != nil:
		c.many[k] = v
	case len(c.few) < fewVersions:
		if c.few == nil {
			c.few = make([]cacheEntry[V], 0, 8)
		}
		c.few = append(c.few, cacheEntry[V]{k, v})
	default:
		if c.many = c.spare; c.many == nil {
			c.many = make(map[versionKey]V, 4*fewVersions)
		}
		clear(c.many)
		for _, e := range c.few {
			c.many[e.k] = e.v
		}
		c.many[k], c.few = v, c.few[:0] // few keeps its array for the pool
	}
}

// stamp reads a version's order and creation time once per query.
func (m *run) stamp(pacticipant, number string) stamp {
	k := versionKey{pacticipant, number}
	if s, ok := m.stamps.get(k); ok {
		return s
	}
	var s stamp
	s.order, s.at, s.ok = m.r.VersionStamp(pacticipant, number)
	m.stamps.put(k, s)
	return s
}

// nameSet is a set of application names: a list while short (in the
// value itself, so that a set on the stack allocates nothing), then a map.
type nameSet struct {
	n    int
	few  [fewVersions]string
	many map[string]bool
}

func (s *nameSet) add(name string) {
	switch {
	case s.many != nil:
		s.many[name] = true
	case s.has(name):
	case s.n < len(s.few):
		s.few[s.n] = name
		s.n++
	default:
		s.many = make(map[string]bool, 4*fewVersions)
		for _, n := range s.few[:s.n] {
			s.many[n] = true
		}
		s.many[name] = true
	}
}

func (s *nameSet) has(name string) bool {
	if s.many != nil {
		return s.many[name]
	}
	for _, n := range s.few[:s.n] {
		if n == name {
			return true
		}
	}
	return false
}
