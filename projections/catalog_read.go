package projections

import (
	"sync"
	"time"
	"unsafe"
)

// The catalog's query hot path: reads of one version that copy nothing.

// VersionStamp returns a version's order and creation time without copying
// the version (the matrix orders candidate rows by them).
func (c *Catalog) VersionStamp(pacticipant, number string) (order uint64, createdAt time.Time, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if row, slot, ok := c.slot(pacticipant, number); ok {
		return row.vers[slot].order, row.vers[slot].created.time(), true
	}
	return 0, time.Time{}, false
}

// versionReader is ReadVersion's reusable view; head is bound to it once.
type versionReader struct {
	v    VersionView
	url  []byte // v.BuildURL, when joined
	c    *Catalog
	row  *pacticipantRow
	ids  []uint32 // symbols of v.Branches
	head func(branch string) string
}

var versionReaders = sync.Pool{New: func() any {
	r := &versionReader{}
	r.head = r.branchHead
	return r
}}

// branchHead finds the head of a branch; the name of one of v's branches
// (the very string) is known without hashing it.
func (r *versionReader) branchHead(branch string) string {
	var b *branchRow
	for i, m := range r.v.Branches {
		if len(m.Name) == len(branch) && unsafe.StringData(m.Name) == unsafe.StringData(branch) {
			if bi, ok := r.row.branches[r.ids[i]]; ok {
				b = &r.row.brs[bi]
			}
			break
		}
	}
	if b == nil {
		b = r.c.branchOf(r.row, branch)
	}
	if b != nil {
		return r.c.syms.str(r.row.vers[b.head].number)
	}
	return ""
}

// branchSyms lists the symbols of a version's branches, as fill lists
// their names.
func (row *pacticipantRow) branchSyms(slot uint32, dst []uint32) []uint32 {
	dst = dst[:0]
	v := &row.vers[slot]
	if v.branch != 0 {
		dst = append(dst, v.branch-1)
	}
	for i := v.more; i != 0; i = row.members[i-1].next {
		if m := &row.members[i-1]; !m.tag {
			dst = append(dst, m.name)
		}
	}
	return dst
}

// ReadVersion calls fn with a version and a lookup of its branches' heads,
// under the read lock, without allocating: v is a pooled view that is
// refilled for the next caller once fn returns. So fn must treat v (and its
// Branches and Tags) as read-only, must not keep v, its slices, its
// BuildURL (copy it with strings.Clone) or branchHead, and must not call
// the catalog; its other strings may be kept. It
// reports whether the version exists (fn is not called otherwise).
func (c *Catalog) ReadVersion(pacticipant, number string, fn func(v *VersionView, branchHead func(branch string) string)) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, slot, ok := c.slot(pacticipant, number)
	if !ok {
		return false
	}
	r := versionReaders.Get().(*versionReader)
	r.c, r.row = c, row
	c.fill(row, slot, &r.v, &r.url)
	r.ids = row.branchSyms(slot, r.ids)
	fn(&r.v, r.head)
	r.c, r.row = nil, nil
	versionReaders.Put(r)
	return true
}

// VersionBrief is what a matrix row shows of a version: no build URL, no
// update time, and each branch with whether the version is its head.
type VersionBrief struct {
	Number    string
	Order     uint64
	CreatedAt time.Time
	Branches  []BranchBrief // in the order the version joined them
	Tags      []Membership  // in the order they were applied
}

// BranchBrief is a version's place on a branch.
type BranchBrief struct {
	Name string
	Head bool // the version is the branch's head
}

var briefs = sync.Pool{New: func() any { return new(VersionBrief) }}

// ReadVersionBrief calls fn with a version as VersionBrief, under the read
// lock, without allocating: v is pooled and refilled for the next caller
// once fn returns, so fn must treat v and its slices as read-only, must not
// keep v or its slices (its strings may be kept), and must not call the
// catalog. It reports whether the version exists (fn is not called
// otherwise). It reads less than ReadVersion: the version's row, its
// members, and per branch the branch's row, whose head is compared by slot.
func (c *Catalog) ReadVersionBrief(pacticipant, number string, fn func(v *VersionBrief)) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, slot, ok := c.slot(pacticipant, number)
	if !ok {
		return false
	}
	b := briefs.Get().(*VersionBrief)
	v := &row.vers[slot]
	b.Number, b.Order, b.CreatedAt = number, v.order, v.created.time()
	b.Branches, b.Tags = b.Branches[:0], b.Tags[:0]
	if v.branch != 0 {
		b.Branches = append(b.Branches, row.branchBrief(c, v.branch-1, slot))
	}
	for i := v.more; i != 0; i = row.members[i-1].next {
		m := &row.members[i-1]
		if m.tag {
			b.Tags = append(b.Tags, Membership{Name: c.syms.str(m.name), CreatedAt: m.at.time()})
		} else {
			b.Branches = append(b.Branches, row.branchBrief(c, m.name, slot))
		}
	}
	fn(b)
	b.Number = ""
	clear(b.Branches)
	clear(b.Tags)
	briefs.Put(b)
	return true
}

// branchBrief names a branch of the version in slot and says whether the
// version is its head.
func (row *pacticipantRow) branchBrief(c *Catalog, name, slot uint32) BranchBrief {
	out := BranchBrief{Name: c.syms.str(name)}
	if bi, ok := row.branches[name]; ok {
		out.Head = row.brs[bi].head == slot
	}
	return out
}

// PacticipantBrief returns what the matrix needs of an application: its
// name as stored and its main branch ("" when none), reading only those
// (Pacticipant copies the whole view).
func (c *Catalog) PacticipantBrief(name string) (stored, mainBranch string, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[name]
	if row == nil {
		return "", "", false
	}
	return row.view.Name, row.view.MainBranch, true
}
