package projections

import (
	"slices"

	"github.com/pactledger/pactledger/events"
)

// The rows of Deployments. A record is a row in a slice (deps or rels),
// found by id through an idIndex and holding no pointer: names are symbols
// of the model's symtab, times are stamps, so the garbage collector marks
// none of them. Row indexes are int32; -1 is none. A freed row is zeroed and
// its index reused.

const (
	rowUsed  uint8 = 1 << iota // the row holds a record
	rowEnded                   // undeployed, or support ended (at ended)
	rowAuto                    // an auto-created deployment
)

// depRow is a deployed-version record, in 56 bytes. Its pacticipant and
// environment are its group's; it was last updated when it ended, or else
// when it was created.
type depRow struct {
	created, ended stamp
	id             recID
	version        uint32
	instance       uint32 // 0: the null instance; else the name's symbol plus one
	group          int32
	nextVer        int32 // the next record of the same version
	flags          uint8
}

// relRow is a released-version record; streamVersion and streamPosition
// follow its release stream for ReleaseStreamState (0: not followed).
type relRow struct {
	created, updated, ended       stamp
	streamVersion, streamPosition uint64
	id                            recID
	version                       uint32
	group                         int32
	nextVer                       int32
	flags                         uint8
}

// depGroup is one application in one environment: all its records, the
// live ones (current deployments, supported releases; each few) and its
// deployment stream's entry. Groups are never freed: they are bounded by
// the (environment, application) pairs ever seen.
type depGroup struct {
	env, pacticipant   uint32
	deps, rels         []int32 // in no order
	liveDeps, liveRels []int32
	stream             deploymentStream
}

// deplStore is the state of Deployments, without its lock.
type deplStore struct {
	syms       symtab
	deps       []depRow
	rels       []relRow
	freeDeps   []int32
	freeRels   []int32
	depIDs     idIndex
	relIDs     idIndex
	depByVer   map[uint64]int32 // verKey(pacticipant, version) → first record (depRow.nextVer)
	relByVer   map[uint64]int32
	groups     []depGroup
	groupByKey map[uint64]int32   // verKey(environment, pacticipant)
	groupsOf   map[uint32][]int32 // pacticipant → its groups, one per environment
}

func newDeplStore() deplStore {
	return deplStore{syms: newSymtab(), depByVer: map[uint64]int32{}, relByVer: map[uint64]int32{}, groupByKey: map[uint64]int32{},
		groupsOf: map[uint32][]int32{}}
}

func (s *deplStore) depID(i int32) recID { return s.deps[i].id }
func (s *deplStore) relID(i int32) recID { return s.rels[i].id }

// dep returns the row of the deployment with id id, if any.
func (s *deplStore) dep(id string) (int32, bool) {
	k, ok := recIDOf(&s.syms, id, false)
	if !ok {
		return 0, false
	}
	return s.depIDs.find(k, s.depID)
}

func (s *deplStore) rel(id string) (int32, bool) {
	k, ok := recIDOf(&s.syms, id, false)
	if !ok {
		return 0, false
	}
	return s.relIDs.find(k, s.relID)
}

// groupFor returns the group of (env, pacticipant) symbols, making it.
func (s *deplStore) groupFor(env, pacticipant uint32) int32 {
	key := verKey(env, pacticipant)
	if g, ok := s.groupByKey[key]; ok {
		return g
	}
	g := int32(len(s.groups))
	s.groups = append(s.groups, depGroup{env: env, pacticipant: pacticipant})
	s.groupByKey[key] = g
	s.groupsOf[pacticipant] = append(s.groupsOf[pacticipant], g)
	return g
}

// findGroup returns the group of (env, pacticipant), or -1.
func (s *deplStore) findGroup(env, pacticipant string) int32 {
	e, ok1 := s.syms.id(env)
	p, ok2 := s.syms.id(pacticipant)
	if g, ok := s.groupByKey[verKey(e, p)]; ok && ok1 && ok2 {
		return g
	}
	return -1
}

// instanceSym numbers an application instance (0: the null instance).
func (s *deplStore) instanceSym(inst *string) uint32 {
	if inst == nil {
		return 0
	}
	return s.syms.add(*inst) + 1
}

// addDep stores r, a record whose id is new, in group g and every index.
func (s *deplStore) addDep(r depRow, g int32) int32 {
	grp := &s.groups[g]
	r.flags |= rowUsed
	r.group = g
	key := verKey(grp.pacticipant, r.version)
	r.nextVer = -1
	if head, ok := s.depByVer[key]; ok {
		r.nextVer = head
	}
	i := takeRow(&s.deps, &s.freeDeps, r)
	s.depByVer[key] = i
	grp.deps = append(grp.deps, i)
	if r.flags&rowEnded == 0 {
		grp.liveDeps = append(grp.liveDeps, i)
	}
	s.depIDs.insert(i, s.depID)
	return i
}

// removeDep drops record i from every index and frees its row; the caller
// untracks its stream.
func (s *deplStore) removeDep(i int32) {
	r := &s.deps[i]
	grp := &s.groups[r.group]
	s.depIDs.remove(i, r.id, s.depID)
	grp.deps = dropFromGroup(grp.deps, i)
	grp.liveDeps = dropIndex(grp.liveDeps, i)
	unlinkVer(s.depByVer, verKey(grp.pacticipant, r.version), i, func(j int32) *int32 { return &s.deps[j].nextVer })
	s.deps[i] = depRow{}
	s.freeDeps = append(s.freeDeps, i)
}

func (s *deplStore) addRel(r relRow, g int32) int32 {
	grp := &s.groups[g]
	r.flags |= rowUsed
	r.group = g
	key := verKey(grp.pacticipant, r.version)
	r.nextVer = -1
	if head, ok := s.relByVer[key]; ok {
		r.nextVer = head
	}
	i := takeRow(&s.rels, &s.freeRels, r)
	s.relByVer[key] = i
	grp.rels = append(grp.rels, i)
	if r.flags&rowEnded == 0 {
		grp.liveRels = append(grp.liveRels, i)
	}
	s.relIDs.insert(i, s.relID)
	return i
}

func (s *deplStore) removeRel(i int32) {
	r := &s.rels[i]
	grp := &s.groups[r.group]
	s.relIDs.remove(i, r.id, s.relID)
	grp.rels = dropFromGroup(grp.rels, i)
	grp.liveRels = dropIndex(grp.liveRels, i)
	unlinkVer(s.relByVer, verKey(grp.pacticipant, r.version), i, func(j int32) *int32 { return &s.rels[j].nextVer })
	s.rels[i] = relRow{}
	s.freeRels = append(s.freeRels, i)
}

// unlinkVer takes row i out of the list of key's records in m.
func unlinkVer(m map[uint64]int32, key uint64, i int32, next func(int32) *int32) {
	head := m[key]
	if head == i {
		if n := *next(i); n >= 0 {
			m[key] = n
		} else {
			delete(m, key)
		}
		return
	}
	for j := head; j >= 0; j = *next(j) {
		if *next(j) == i {
			*next(j) = *next(i)
			return
		}
	}
}

// dropFromGroup removes i from a group's records, in no order; it looks
// from the end, where a group being emptied removes them.
func dropFromGroup(list []int32, i int32) []int32 {
	for k := len(list) - 1; k >= 0; k-- {
		if list[k] == i {
			list[k] = list[len(list)-1]
			return list[:len(list)-1]
		}
	}
	return list
}

// dropIndex removes i from a short list, keeping the order.
func dropIndex(list []int32, i int32) []int32 {
	if k := slices.Index(list, i); k >= 0 {
		return slices.Delete(list, k, k+1)
	}
	return list
}

// instance returns a fresh pointer to an application instance's name.
func (s *deplStore) instance(sym uint32) *string {
	if sym == 0 {
		return nil
	}
	v := s.syms.str(sym - 1)
	return &v
}

// depRef returns record i's reference.
func (s *deplStore) depRef(i int32) events.DeploymentRef {
	r, g := &s.deps[i], &s.groups[s.deps[i].group]
	return events.DeploymentRef{DeploymentID: idString(&s.syms, r.id), Pacticipant: s.syms.str(g.pacticipant),
		Version: s.syms.str(r.version), EnvironmentUUID: s.syms.str(g.env), ApplicationInstance: s.instance(r.instance)}
}

func (s *deplStore) depView(i int32) DeployedVersionView {
	r := &s.deps[i]
	v := DeployedVersionView{DeploymentRef: s.depRef(i), AutoCreated: r.flags&rowAuto != 0, CreatedAt: r.created.time(), UpdatedAt: r.created.time()}
	if r.flags&rowEnded != 0 {
		t := r.ended.time()
		v.UndeployedAt, v.UpdatedAt = &t, t
	}
	return v
}

func (s *deplStore) relRef(i int32) events.ReleaseRef {
	r, g := &s.rels[i], &s.groups[s.rels[i].group]
	return events.ReleaseRef{ReleaseID: idString(&s.syms, r.id), Pacticipant: s.syms.str(g.pacticipant),
		Version: s.syms.str(r.version), EnvironmentUUID: s.syms.str(g.env)}
}

func (s *deplStore) relView(i int32) ReleasedVersionView {
	r := &s.rels[i]
	v := ReleasedVersionView{ReleaseRef: s.relRef(i), CreatedAt: r.created.time(), UpdatedAt: r.updated.time()}
	if r.flags&rowEnded != 0 {
		t := r.ended.time()
		v.SupportEndedAt = &t
	}
	return v
}

// sameDepRef reports whether record i is ref exactly.
func (s *deplStore) sameDepRef(i int32, ref events.DeploymentRef) bool {
	r, g := &s.deps[i], &s.groups[s.deps[i].group]
	inst := ref.ApplicationInstance == nil && r.instance == 0 ||
		ref.ApplicationInstance != nil && r.instance != 0 && s.syms.str(r.instance-1) == *ref.ApplicationInstance
	return inst && s.isID(r.id, ref.DeploymentID) && s.syms.str(g.pacticipant) == ref.Pacticipant &&
		s.syms.str(r.version) == ref.Version && s.syms.str(g.env) == ref.EnvironmentUUID
}

func (s *deplStore) sameRelRef(i int32, ref events.ReleaseRef) bool {
	r, g := &s.rels[i], &s.groups[s.rels[i].group]
	return s.isID(r.id, ref.ReleaseID) && s.syms.str(g.pacticipant) == ref.Pacticipant &&
		s.syms.str(r.version) == ref.Version && s.syms.str(g.env) == ref.EnvironmentUUID
}

// isID reports whether id is the id written s.
func (s *deplStore) isID(id recID, str string) bool {
	k, ok := recIDOf(&s.syms, str, false)
	return ok && k == id
}
