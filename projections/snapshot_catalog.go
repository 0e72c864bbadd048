package projections

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unsafe"

	"github.com/pactledger/pactledger/domain"
)

// catalogSnapshotVersion changes whenever the catalog's encoding does.
const catalogSnapshotVersion = 2

// AppendSnapshot implements Snapshotter: environments by uuid; applications
// by name, each with its versions in creation order, its branches by name
// and its tags by name (the versions in tagging order). The latest version
// per tag is derived on restore.
func (c *Catalog) AppendSnapshot(b []byte) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	w := &snapWriter{b: b}
	w.uint(catalogSnapshotVersion)
	w.count(len(c.environments))
	for _, id := range sortedKeys(c.environments) {
		env := c.environments[id]
		contacts, _ := json.Marshal(env.Contacts) // plain JSON values: cannot fail
		w.str(env.UUID)
		w.str(env.Name)
		w.str(env.DisplayName)
		w.bool(env.Production)
		w.bytes(contacts)
		w.time(env.CreatedAt)
		w.time(env.UpdatedAt)
	}
	w.count(len(c.pacticipants))
	for _, name := range sortedKeys(c.pacticipants) {
		c.appendPacticipant(w, c.pacticipants[name])
	}
	return w.b
}

func (c *Catalog) appendPacticipant(w *snapWriter, row *pacticipantRow) {
	d := row.view.PacticipantDetails
	for _, s := range []string{d.Name, d.DisplayName, d.RepositoryURL, d.RepositoryName, d.RepositoryNamespace, d.MainBranch} {
		w.str(s)
	}
	w.time(row.view.CreatedAt)
	w.time(row.view.UpdatedAt)
	w.str(row.view.LatestVersion)
	slots := slices.SortedFunc(maps.Values(row.index), row.byOrder)
	w.count(len(slots))
	var v VersionView
	var scratch []byte
	for _, slot := range slots {
		c.fill(row, slot, &v, &scratch)
		w.str(v.Number)
		w.str(v.BuildURL)
		w.uint(v.Order)
		w.time(v.CreatedAt)
		w.time(v.UpdatedAt)
		appendMemberships(w, v.Branches)
		appendMemberships(w, v.Tags)
	}
	w.count(len(row.branches))
	for _, name := range c.sortedNames(row.branches) {
		b := &row.brs[row.branches[name]]
		w.str(c.syms.str(name))
		w.time(b.created.time())
		w.time(b.updated.time())
		w.count(len(b.versions))
		for _, slot := range b.versions {
			w.str(c.syms.str(row.vers[slot].number))
		}
		w.str(c.syms.str(row.vers[b.head].number))
	}
	w.count(len(row.tags))
	for _, name := range c.sortedNames(row.tags) {
		t := &row.tgs[row.tags[name]]
		w.str(c.syms.str(name))
		w.count(len(t.versions))
		for _, slot := range t.versions {
			w.str(c.syms.str(row.vers[slot].number))
		}
	}
}

// sortedNames returns the symbols keying m in the order of their strings.
func (c *Catalog) sortedNames(m map[uint32]uint32) []uint32 {
	return slices.SortedFunc(maps.Keys(m), func(a, b uint32) int { return strings.Compare(c.syms.str(a), c.syms.str(b)) })
}

func appendMemberships(w *snapWriter, ms []Membership) {
	w.count(len(ms))
	for _, m := range ms {
		w.str(m.Name)
		w.time(m.CreatedAt)
	}
}

// RestoreSnapshot implements Snapshotter.
func (c *Catalog) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != catalogSnapshotVersion {
		return fmt.Errorf("%w: catalog encoding %d, want %d", ErrSnapshotCorrupt, v, catalogSnapshotVersion)
	}
	fresh := NewCatalog()
	for n := r.count(); n > 0 && r.err == nil; n-- {
		env := &EnvironmentView{Environment: domain.Environment{UUID: r.str(), Name: r.str(), DisplayName: r.str(), Production: r.bool()}}
		if err := json.Unmarshal(r.bytes(), &env.Contacts); err != nil && r.err == nil {
			r.fail("environment contacts")
		}
		env.CreatedAt, env.UpdatedAt = r.time(), r.time()
		fresh.environments[env.UUID] = env
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		row := fresh.readPacticipant(r)
		fresh.pacticipants[row.view.Name] = row
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.environments, c.pacticipants, c.syms = fresh.environments, fresh.pacticipants, fresh.syms
	return nil
}

func (c *Catalog) readPacticipant(r *snapReader) *pacticipantRow {
	row := newPacticipantRow(PacticipantView{})
	d := &row.view.PacticipantDetails
	d.Name, d.DisplayName, d.RepositoryURL = r.str(), r.str(), r.str()
	d.RepositoryName, d.RepositoryNamespace, d.MainBranch = r.str(), r.str(), r.str()
	row.view.CreatedAt, row.view.UpdatedAt = r.time(), r.time()
	latest := r.sym(&c.syms)
	for n := r.count(); n > 0 && r.err == nil; n-- {
		v := verRow{number: r.sym(&c.syms)}
		url := r.take(r.uint())
		v.urlHead, v.urlTail = c.splitURL(unsafe.String(unsafe.SliceData(url), len(url)))
		v.order, v.created = r.uint(), stampOf(r.time())
		updated := stampOf(r.time())
		if _, dup := row.index[v.number]; dup {
			r.fail("duplicate version")
			break
		}
		slot := row.createVersion(v)
		row.setUpdated(slot, updated)
		for m := r.count(); m > 0 && r.err == nil; m-- {
			row.joinBranch(slot, r.sym(&c.syms), stampOf(r.time()))
		}
		for m := r.count(); m > 0 && r.err == nil; m-- {
			row.appendMember(slot, member{name: r.sym(&c.syms), at: stampOf(r.time()), tag: true})
		}
	}
	if latest != 0 {
		row.view.LatestVersion = c.syms.str(latest)
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		b := branchRow{name: r.sym(&c.syms), created: stampOf(r.time()), updated: stampOf(r.time())}
		for m := r.count(); m > 0 && r.err == nil; m-- {
			b.versions = append(b.versions, r.slot(row, &c.syms))
		}
		if b.head = r.slot(row, &c.syms); len(b.versions) == 0 {
			r.fail("empty branch")
		}
		row.branches[b.name] = takeRow(&row.brs, &row.brFree, b)
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		t := tagRow{name: r.sym(&c.syms)}
		for m := r.count(); m > 0 && r.err == nil; m-- {
			slot := r.slot(row, &c.syms)
			if r.err != nil {
				break
			}
			if t.versions = append(t.versions, slot); row.vers[slot].order > row.vers[t.latest].order || len(t.versions) == 1 {
				t.latest = slot
			}
		}
		if len(t.versions) == 0 {
			r.fail("empty tag")
		}
		row.tags[t.name] = takeRow(&row.tgs, &row.tgFree, t)
	}
	return row
}

// sym reads a string into t without a copy of its own.
func (r *snapReader) sym(t *symtab) uint32 {
	p := r.take(r.uint())
	if len(p) == 0 {
		return 0
	}
	return t.add(unsafe.String(&p[0], len(p)))
}

// slot reads a version number that must name one of row's versions.
func (r *snapReader) slot(row *pacticipantRow, t *symtab) uint32 {
	p := r.take(r.uint())
	if id, ok := t.id(unsafe.String(unsafe.SliceData(p), len(p))); ok {
		if slot, ok := row.index[id]; ok {
			return slot
		}
	}
	r.fail("branch or tag of a missing version")
	return 0
}

var _ Snapshotter = (*Catalog)(nil)
