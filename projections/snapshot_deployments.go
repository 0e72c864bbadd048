package projections

import (
	"fmt"
	"slices"
	"unsafe"
)

// deploymentsSnapshotVersion changes whenever the encoding does.
const deploymentsSnapshotVersion = 3

// AppendSnapshot implements Snapshotter (version 3): the strings the
// records name, each once in order of first use; the deployed-version
// records by id (times: created, and ended if it ended), then the
// released-version records by id (also updated, and their release stream's
// version and position), then the tracked deployment
// streams by environment and application (stream id, version, position and
// current records' ids). Names are indexes in the strings; ids are a flag
// and either a uuid's 16 bytes or a string. Every index is derived from the
// records on restore, and a stream's records are its group's.
func (d *Deployments) AppendSnapshot(b []byte) []byte {
	d.mu.RLock()
	defer d.mu.RUnlock()
	byID := func(ids func(int32) recID) func(a, b int32) int {
		return func(a, b int32) int { return compareIDs(&d.syms, ids(a), ids(b)) }
	}
	deps, rels := d.allDeps(), d.allRels()
	slices.SortFunc(deps, byID(d.depID))
	slices.SortFunc(rels, byID(d.relID))
	streams := d.trackedGroups()
	local := map[uint32]uint64{} // symbol → index in the snapshot's strings
	var strs []uint32
	use := func(sym uint32) {
		if _, ok := local[sym]; !ok {
			local[sym] = uint64(len(strs))
			strs = append(strs, sym)
		}
	}
	for _, i := range deps {
		g := &d.groups[d.deps[i].group]
		use(g.pacticipant)
		use(d.deps[i].version)
		use(g.env)
		if d.deps[i].instance > 0 {
			use(d.deps[i].instance - 1)
		}
	}
	for _, i := range rels {
		g := &d.groups[d.rels[i].group]
		use(g.pacticipant)
		use(d.rels[i].version)
		use(g.env)
	}
	for _, g := range streams {
		use(d.groups[g].env)
		use(d.groups[g].pacticipant)
		use(d.groups[g].stream.stream)
	}
	w := &snapWriter{b: b}
	w.uint(deploymentsSnapshotVersion)
	w.count(len(strs))
	for _, sym := range strs {
		w.str(d.syms.str(sym))
	}
	w.count(len(deps))
	for _, i := range deps {
		r, g := &d.deps[i], &d.groups[d.deps[i].group]
		d.appendID(w, r.id)
		w.uint(local[g.pacticipant])
		w.uint(local[r.version])
		w.uint(local[g.env])
		if r.instance == 0 {
			w.uint(0)
		} else {
			w.uint(local[r.instance-1] + 1)
		}
		appendRowTimes(w, r.flags, r.created, r.ended)
	}
	w.count(len(rels))
	for _, i := range rels {
		r, g := &d.rels[i], &d.groups[d.rels[i].group]
		d.appendID(w, r.id)
		w.uint(local[g.pacticipant])
		w.uint(local[r.version])
		w.uint(local[g.env])
		appendRowTimes(w, r.flags, r.created, r.ended)
		w.int(int64(r.updated))
		w.uint(r.streamVersion)
		w.uint(r.streamPosition)
	}
	w.count(len(streams))
	for _, g := range streams {
		st := &d.groups[g].stream
		w.uint(local[d.groups[g].env])
		w.uint(local[d.groups[g].pacticipant])
		w.uint(local[st.stream])
		w.uint(st.version)
		w.uint(st.position)
		current := d.currentByID(g)
		w.count(len(current))
		for _, i := range current {
			d.appendID(w, d.deps[i].id)
		}
	}
	return w.b
}

func (s *deplStore) appendID(w *snapWriter, id recID) {
	w.bool(id.sym == 0)
	if id.sym == 0 {
		w.b = append(w.b, id.u[:]...)
	} else {
		w.str(s.syms.str(id.sym - 1))
	}
}

// appendRowTimes writes a row's flags (auto-created, ended) and times.
func appendRowTimes(w *snapWriter, flags uint8, created, ended stamp) {
	w.uint(uint64(flags &^ rowUsed))
	w.int(int64(created))
	if flags&rowEnded != 0 {
		w.int(int64(ended))
	}
}

// RestoreSnapshot implements Snapshotter.
func (d *Deployments) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != deploymentsSnapshotVersion {
		return fmt.Errorf("%w: deployments encoding %d, want %d", ErrSnapshotCorrupt, v, deploymentsSnapshotVersion)
	}
	s := newDeplStore()
	syms := make([]uint32, 0, min(r.count(), len(b)))
	for n := cap(syms); len(syms) < n && r.err == nil; {
		p := r.take(r.uint())
		syms = append(syms, s.syms.add(unsafe.String(unsafe.SliceData(p), len(p)))) // add copies it
	}
	sym := func() uint32 {
		if n := r.uint(); n < uint64(len(syms)) {
			return syms[n]
		}
		r.fail("bad string index")
		return 0
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		id, p, v, env := s.readID(r), sym(), sym(), sym()
		row := depRow{id: id, version: v}
		if inst := r.uint(); inst > 0 && inst <= uint64(len(syms)) {
			row.instance = syms[inst-1] + 1
		} else if inst > 0 {
			r.fail("bad instance")
		}
		row.flags, row.created, row.ended = readRowTimes(r)
		if _, dup := s.depIDs.find(id, s.depID); dup || r.err != nil {
			r.fail("repeated deployment id")
			break
		}
		s.addDep(row, s.groupFor(env, p))
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		id, p, v, env := s.readID(r), sym(), sym(), sym()
		row := relRow{id: id, version: v}
		row.flags, row.created, row.ended = readRowTimes(r)
		row.updated = stamp(r.int())
		row.streamVersion, row.streamPosition = r.uint(), r.uint()
		if _, dup := s.relIDs.find(id, s.relID); dup || r.err != nil {
			r.fail("repeated release id")
			break
		}
		s.addRel(row, s.groupFor(env, p))
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		env, p := sym(), sym()
		st := deploymentStream{tracked: true, stream: sym(), version: r.uint(), position: r.uint()}
		g := s.groupFor(env, p)
		for m := r.count(); m > 0 && r.err == nil; m-- {
			i, ok := s.depIDs.find(s.readID(r), s.depID)
			st.tracked = st.tracked && ok && s.deps[i].group == g
			st.current = append(st.current, i)
		}
		if st.tracked { // else the stream is read from the store
			s.groups[g].stream = st
		}
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("deployments: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.deplStore = s
	return nil
}

func (s *deplStore) readID(r *snapReader) recID {
	if !r.bool() {
		p := r.take(r.uint())
		return recID{sym: s.syms.add(unsafe.String(unsafe.SliceData(p), len(p))) + 1}
	}
	var id recID
	copy(id.u[:], r.take(16))
	return id
}

func readRowTimes(r *snapReader) (flags uint8, created, ended stamp) {
	f := r.uint()
	if f&^uint64(rowEnded|rowAuto) != 0 {
		r.fail("bad flags")
	}
	flags = uint8(f) | rowUsed
	created = stamp(r.int())
	if flags&rowEnded != 0 {
		ended = stamp(r.int())
	}
	return flags, created, ended
}

var _ Snapshotter = (*Deployments)(nil)
