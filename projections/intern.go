package projections

import "github.com/pactledger/pactledger/events"

// interner hands out one shared copy of each distinct string. Decoding
// allocates every name, version number, SHA and URL of every event afresh,
// and the read models keep them: without interning, the consumer version of
// a pact, its SHA and the provider version of each result are stored once
// per event that mentions them. Interned, each is stored once per read
// model, which roughly halves the objects the garbage collector marks on
// every cycle (see cmd/pactbench).
//
// Not safe for concurrent use: a read model calls it under its write lock.
// Hazard: strings are never released, even when the versions they name are
// deleted; they are bounded by the distinct strings ever seen, a small
// fraction of the events.
type interner struct {
	strs map[string]string
	ptrs map[string]*string
}

func newInterner() interner {
	return interner{strs: map[string]string{}, ptrs: map[string]*string{}}
}

// str returns the shared copy of s.
func (in interner) str(s string) string {
	if v, ok := in.strs[s]; ok {
		return v
	}
	in.strs[s] = s
	return s
}

// ptr returns a shared pointer to the shared copy of *s, or nil. Callers
// must not write through it.
func (in interner) ptr(s *string) *string {
	if s == nil {
		return nil
	}
	if v, ok := in.ptrs[*s]; ok {
		return v
	}
	v := in.str(*s)
	in.ptrs[v] = &v
	return &v
}

// deployment interns a deployment reference's names (not its unique id).
func (in interner) deployment(r events.DeploymentRef) events.DeploymentRef {
	r.Pacticipant, r.Version, r.EnvironmentUUID = in.str(r.Pacticipant), in.str(r.Version), in.str(r.EnvironmentUUID)
	r.ApplicationInstance = in.ptr(r.ApplicationInstance)
	return r
}

// release interns a release reference's names (not its unique id).
func (in interner) release(r events.ReleaseRef) events.ReleaseRef {
	r.Pacticipant, r.Version, r.EnvironmentUUID = in.str(r.Pacticipant), in.str(r.Version), in.str(r.EnvironmentUUID)
	return r
}
