package projections

import (
	"sync"
	"time"
	"unsafe"

	"github.com/pactledger/pactledger/queries"
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

// ReadVersionBrief reads a version as a matrix row shows it into v (no
// build URL, no update time, each branch with whether the version is its
// head), under the read lock. It refills v's own Branches and Tags, so a
// caller that reuses v allocates nothing; their order is the order the
// version joined the branches and got the tags. It reads less than
// ReadVersion: the version's row, its members, and per branch the branch's
// row, whose head is compared by slot. It reports whether the version
// exists, leaving v untouched otherwise.
func (c *Catalog) ReadVersionBrief(v *queries.VersionInfo, pacticipant, number string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, slot, ok := c.slot(pacticipant, number)
	if !ok {
		return false
	}
	r := &row.vers[slot]
	branches, tags := v.Branches[:0], v.Tags[:0]
	if r.branch != 0 {
		branches = append(branches, row.branchBrief(c, r.branch-1, slot))
	}
	for i := r.more; i != 0; i = row.members[i-1].next {
		m := &row.members[i-1]
		if m.tag {
			tags = append(tags, queries.TagMembership{Name: c.syms.str(m.name), CreatedAt: m.at.time()})
		} else {
			branches = append(branches, row.branchBrief(c, m.name, slot))
		}
	}
	*v = queries.VersionInfo{Number: number, Order: r.order, CreatedAt: r.created.time(), Branches: branches, Tags: tags}
	return true
}

// branchBrief names a branch of the version in slot and says whether the
// version is its head.
func (row *pacticipantRow) branchBrief(c *Catalog, name, slot uint32) queries.BranchMembership {
	out := queries.BranchMembership{Name: c.syms.str(name)}
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
