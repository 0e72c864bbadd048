package projections

import (
	"slices"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
)

// DeployedVersionView is one deployed-version record.
type DeployedVersionView struct {
	events.DeploymentRef
	AutoCreated  bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	UndeployedAt *time.Time
}

// CurrentlyDeployed reports whether the record is still current.
func (d DeployedVersionView) CurrentlyDeployed() bool { return d.UndeployedAt == nil }

// ReleasedVersionView is one released-version record.
type ReleasedVersionView struct {
	events.ReleaseRef
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SupportEndedAt *time.Time
}

// CurrentlySupported reports whether the release is still supported.
func (r ReleasedVersionView) CurrentlySupported() bool { return r.SupportEndedAt == nil }

// Deployments is the read model of deployed and released versions. Records of
// a deleted environment, application or version leave it (their history stays
// in the log). Every read goes through an index: by id, by version, or by
// application in an environment (deplStore, deployments_rows.go). Its
// methods are safe for concurrent use and return copies; times come back in
// UTC, to the nanosecond.
//
// A record whose id is recorded again (not a log the commands write) is
// replaced by the new one, and both deployment streams are untracked.
type Deployments struct {
	mu sync.RWMutex
	deplStore
}

// NewDeployments returns an empty read model.
func NewDeployments() *Deployments {
	return &Deployments{deplStore: newDeplStore()}
}

// Name implements Projector.
func (*Deployments) Name() string { return "deployments" }

// Apply implements Projector.
func (d *Deployments) Apply(e events.Envelope) {
	if deploymentsIgnores(e.Data) {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.apply(e)
}

// ApplyBatch implements BatchApplier.
func (d *Deployments) ApplyBatch(batch []events.Envelope) {
	applyRuns(&d.mu, batch, deploymentsIgnores, d.apply)
}

func (s *deplStore) apply(e events.Envelope) {
	at := stampOf(e.OccurredAt)
	switch p := e.Data.(type) {
	case events.DeploymentRecorded:
		s.recordDeployment(e, p, at)
	case events.AutoUndeployed:
		s.endDeployment(e, p.DeploymentRef, at)
	case events.Undeployed:
		s.endDeployment(e, p.DeploymentRef, at)
	case events.ReleaseRecorded:
		s.recordRelease(e, p.ReleaseRef, at)
	case events.ReleaseSupportResumed:
		if i, ok := s.rel(p.ReleaseID); ok {
			if r := &s.rels[i]; r.flags&rowEnded != 0 {
				r.flags, r.ended = r.flags&^rowEnded, 0
				grp := &s.groups[r.group]
				grp.liveRels = append(grp.liveRels, i)
			}
			s.rels[i].updated = at
			s.releaseStreamEvent(i, e, p.ReleaseRef)
		}
	case events.SupportEnded:
		if i, ok := s.rel(p.ReleaseID); ok {
			if r := &s.rels[i]; r.flags&rowEnded == 0 {
				r.flags, r.ended, r.updated = r.flags|rowEnded, at, at
				grp := &s.groups[r.group]
				grp.liveRels = dropIndex(grp.liveRels, i)
			}
			s.releaseStreamEvent(i, e, p.ReleaseRef)
		}
	case events.EnvironmentDeleted:
		if env, ok := s.syms.id(p.UUID); ok {
			s.forgetGroups(func(g *depGroup) bool { return g.env == env })
		}
	case events.PacticipantDeleted:
		if name, ok := s.syms.id(p.Name); ok {
			s.forgetGroups(func(g *depGroup) bool { return g.pacticipant == name })
		}
	case events.VersionDeleted:
		s.forgetVersion(p.Pacticipant, p.Number)
	}
}

func (s *deplStore) recordDeployment(e events.Envelope, p events.DeploymentRecorded, at stamp) {
	ref := p.DeploymentRef
	g := s.groupFor(s.syms.add(ref.EnvironmentUUID), s.syms.add(ref.Pacticipant))
	id, _ := recIDOf(&s.syms, ref.DeploymentID, true)
	tracked := s.streamEvent(e, g)
	if old, known := s.depIDs.find(id, s.depID); known { // folding either stream would not replace it
		s.untrack(g)
		s.untrack(s.deps[old].group)
		tracked = false
		s.removeDep(old)
	}
	r := depRow{id: id, version: s.syms.add(ref.Version), instance: s.instanceSym(ref.ApplicationInstance), created: at}
	if p.AutoCreated {
		r.flags |= rowAuto
	}
	i := s.addDep(r, g)
	if tracked {
		s.streamRecorded(g, i)
	}
	if au, ok := p.Replacement(); ok { // as the AutoUndeployed that older logs hold next
		s.streamEnded(g, au.DeploymentRef)
		s.undeploy(au.DeploymentID, at)
	}
}

// endDeployment applies an AutoUndeployed or Undeployed of ref.
func (s *deplStore) endDeployment(e events.Envelope, ref events.DeploymentRef, at stamp) {
	g := s.findGroup(ref.EnvironmentUUID, ref.Pacticipant)
	if g >= 0 && !s.streamEvent(e, g) {
		g = -1
	}
	s.streamEnded(g, ref)
	s.undeploy(ref.DeploymentID, at)
}

func (s *deplStore) undeploy(id string, at stamp) {
	if i, ok := s.dep(id); ok && s.deps[i].flags&rowEnded == 0 {
		r := &s.deps[i]
		r.flags, r.ended = r.flags|rowEnded, at
		grp := &s.groups[r.group]
		grp.liveDeps = dropIndex(grp.liveDeps, i)
	}
}

func (s *deplStore) recordRelease(e events.Envelope, ref events.ReleaseRef, at stamp) {
	g := s.groupFor(s.syms.add(ref.EnvironmentUUID), s.syms.add(ref.Pacticipant))
	id, _ := recIDOf(&s.syms, ref.ReleaseID, true)
	if old, known := s.relIDs.find(id, s.relID); known {
		s.removeRel(old)
	}
	i := s.addRel(relRow{id: id, version: s.syms.add(ref.Version), created: at, updated: at}, g)
	s.releaseStreamEvent(i, e, ref)
}

// forgetGroups removes every record of the groups that match.
func (s *deplStore) forgetGroups(match func(*depGroup) bool) {
	for g := range s.groups {
		grp := &s.groups[g]
		if !match(grp) {
			continue
		}
		s.untrack(int32(g))
		for len(grp.deps) > 0 {
			s.removeDep(grp.deps[len(grp.deps)-1])
		}
		for len(grp.rels) > 0 {
			s.removeRel(grp.rels[len(grp.rels)-1])
		}
	}
}

// forgetVersion removes the records of one version.
func (s *deplStore) forgetVersion(pacticipant, number string) {
	p, ok1 := s.syms.id(pacticipant)
	v, ok2 := s.syms.id(number)
	if !ok1 || !ok2 {
		return
	}
	key := verKey(p, v)
	for head, ok := s.depByVer[key]; ok; head, ok = s.depByVer[key] {
		s.untrack(s.deps[head].group)
		s.removeDep(head)
	}
	for head, ok := s.relByVer[key]; ok; head, ok = s.relByVer[key] {
		s.removeRel(head)
	}
}

// byVersion lists the rows of one version, following next from head.
func byVersion(m map[uint64]int32, key uint64, next func(int32) int32) []int32 {
	var out []int32
	head, ok := m[key]
	for i := head; ok && i >= 0; i = next(i) {
		out = append(out, i)
	}
	return out
}

// sortNewestFirst orders views by creation time, newest first; records
// created at the same time keep their order.
func sortNewestFirst[V any](out []V, created func(*V) time.Time) {
	slices.SortStableFunc(out, func(a, b V) int { return created(&b).Compare(created(&a)) })
}
