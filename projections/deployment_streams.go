package projections

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// deploymentStream is the read model's account of one deployment stream
// (one application in one environment: a depGroup), kept so that a command
// can start from it instead of reading the stream from the store, which is
// slow for a sparse stream in a large log (see DeploymentStreamState).
//
// Invariant: while tracked, the group's records are exactly the records of
// the stream's fold, current is its Current, and the fold has version
// events. Tracking starts with the stream's first event (StreamVersion 1)
// when the group has no deployment yet, and follows each next event; any
// event it cannot follow exactly (a gap in the versions, another stream id,
// an end of a record it does not hold or holds otherwise, a repeated
// deployment id) and any record the read model forgets (a deleted
// environment, application or version) untrack it for good: the stream's
// next event's version is not 1. Commands then read such a stream from the
// store, as they did before.
type deploymentStream struct {
	tracked  bool
	stream   uint32 // symbol of the envelopes' stream id
	version  uint64 // events folded (the stream's version)
	position uint64 // of the last of them
	// current is EvolveDeployments' Current: the last record of each
	// instance until that record ends (at most one per instance).
	current []int32
}

// streamEvent advances the entry of group g by e and reports whether the
// stream is tracked (still, or from now on).
func (s *deplStore) streamEvent(e events.Envelope, g int32) bool {
	st := &s.groups[g].stream
	switch {
	case !st.tracked && e.StreamVersion == 1 && e.Stream != "" && len(s.groups[g].deps) == 0:
		*st = deploymentStream{tracked: true, stream: s.syms.add(e.Stream)}
	case !st.tracked:
		return false
	case e.Stream != s.syms.str(st.stream) || e.StreamVersion != st.version+1:
		s.untrack(g)
		return false
	}
	st.version, st.position = e.StreamVersion, e.Position
	return true
}

// untrack stops following group g's stream (g -1: none).
func (s *deplStore) untrack(g int32) {
	if g >= 0 {
		s.groups[g].stream = deploymentStream{}
	}
}

// streamRecorded makes the new record i of tracked group g its instance's
// current record.
func (s *deplStore) streamRecorded(g, i int32) {
	st := &s.groups[g].stream
	for k, j := range st.current {
		if s.deps[j].instance == s.deps[i].instance {
			st.current[k] = i
			return
		}
	}
	st.current = append(st.current, i)
}

// streamEnded follows, in the entry of group g (the stream the event is in;
// -1: none, or untracked), the end of the record ended names, as
// EvolveDeployments does; call it before the read model marks the record.
// A record that is not exactly ended, or lives in another group, untracks
// every stream concerned: their folds and the records would differ.
func (s *deplStore) streamEnded(g int32, ended events.DeploymentRef) {
	i, ok := s.dep(ended.DeploymentID)
	if !ok || !s.sameDepRef(i, ended) || s.deps[i].group != g {
		s.untrack(g)
		if ok {
			s.untrack(s.deps[i].group)
		}
		s.untrack(s.findGroup(ended.EnvironmentUUID, ended.Pacticipant))
		return
	}
	if st := &s.groups[g].stream; st.tracked {
		st.current = dropIndex(st.current, i)
	}
}

// DeploymentStreamState returns the state of the deployment stream of
// pacticipant in environmentUUID, named stream, exactly as folding its
// events with domain.EvolveDeployments gives, with the stream's version
// (its number of events) and the position of its last event, all as of the
// last event this read model applied. ok is false when the read model does
// not track the stream (no event yet, or one it could not follow; see
// deploymentStream): read the stream then.
//
// Hazard: the state may be behind the store (events not applied yet, or
// written by another process); a caller must append with the version as
// its exact expected version and treat a no-op decided on it as unverified.
// The returned maps are the caller's own.
func (d *Deployments) DeploymentStreamState(stream, pacticipant, environmentUUID string) (s domain.Deployments, version, position uint64, ok bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	g := d.findGroup(environmentUUID, pacticipant)
	if g < 0 || !d.groups[g].stream.tracked || d.syms.str(d.groups[g].stream.stream) != stream {
		return domain.Deployments{}, 0, 0, false
	}
	grp := &d.groups[g]
	s = domain.Deployments{Current: make(map[string]events.DeploymentRef, len(grp.stream.current)), ByID: make(map[string]domain.Deployment, len(grp.deps))}
	for _, i := range grp.stream.current {
		s.Current[domain.InstanceKey(d.instance(d.deps[i].instance))] = d.depRef(i)
	}
	for _, i := range grp.deps {
		ref := d.depRef(i)
		s.ByID[ref.DeploymentID] = domain.Deployment{Ref: ref, Undeployed: d.deps[i].flags&rowEnded != 0}
	}
	return s, grp.stream.version, grp.stream.position, true
}

// trackedGroups returns the groups whose stream is tracked, by environment
// uuid and then pacticipant name.
func (s *deplStore) trackedGroups() []int32 {
	var out []int32
	for g := range s.groups {
		if s.groups[g].stream.tracked {
			out = append(out, int32(g))
		}
	}
	slices.SortFunc(out, func(a, b int32) int {
		ga, gb := &s.groups[a], &s.groups[b]
		return cmp.Or(strings.Compare(s.syms.str(ga.env), s.syms.str(gb.env)),
			strings.Compare(s.syms.str(ga.pacticipant), s.syms.str(gb.pacticipant)))
	})
	return out
}

// currentByID returns a tracked stream's current records by id, for a
// deterministic encoding.
func (s *deplStore) currentByID(g int32) []int32 {
	return slices.SortedFunc(slices.Values(s.groups[g].stream.current), func(a, b int32) int {
		return compareIDs(&s.syms, s.deps[a].id, s.deps[b].id)
	})
}
