package projections

import (
	"cmp"
	"math"
	"slices"
)

// The catalog's per-application storage. Everything per version is a
// plain number: a version is a verRow in pacticipantRow.vers (its slot),
// found through index by the symbol of its number; branches and tags are
// rows of brs and tgs listing slots; a version's first branch is inline in
// its row, further branches and all tags are members, a pointer-free
// linked list in one slice per application. The collector marks a few
// objects per application (the slices and maps, and one slot list per
// branch and per tag), none per version.
//
// Memberships keep the events' semantics: adding a branch or a tag twice
// lists it twice, removing one removes every occurrence.

// deadNumber is the number of a free slot (a deleted version); symtab never
// hands it out.
const deadNumber = math.MaxUint32

// verRow is one version (48 bytes). Its build URL is two symbols, split
// after the last '/', so that the URLs of an application's builds, which
// differ by a build number, share their head and, across applications,
// their tails. When it was last updated is in pacticipantRow.updated.
type verRow struct {
	order            uint64 // log position of VersionCreated
	created          stamp
	branchAt         stamp  // when it joined its first branch
	number           uint32 // symbol; deadNumber in a free slot
	urlHead, urlTail uint32 // symbols
	branch           uint32 // symbol+1 of its first branch, 0: on none
	more             uint32 // index+1 in members of its first further membership, 0: none
}

// member is a version's branch (after the first) or tag.
type member struct {
	at   stamp
	name uint32 // symbol
	next uint32 // index+1 of the next member, 0: the last
	tag  bool
}

// branchRow is a branch: its versions' slots in the order added.
type branchRow struct {
	created, updated stamp
	name, head       uint32 // symbol; slot of the version added last (or, after removals, of the newest)
	versions         []uint32
}

// tagRow lists the slots of the versions carrying a tag, in tagging order.
// latest is the one with the highest order, so that LatestVersionWithTag
// (asked per tag of every version a matrix row shows) is a lookup.
type tagRow struct {
	name, latest uint32
	versions     []uint32
}

type pacticipantRow struct {
	view     PacticipantView
	vers     []verRow
	free     []uint32          // free slots of vers
	index    map[uint32]uint32 // number symbol → slot
	brs      []branchRow
	brFree   []uint32
	branches map[uint32]uint32 // name symbol → index in brs
	tgs      []tagRow
	tgFree   []uint32
	tags     map[uint32]uint32 // name symbol → index in tgs
	members  []member
	memFree  uint32 // index+1 of a free member (chained by next), 0: none
	// updated holds, by slot, when a version was last updated if not when
	// it was created: VersionUpdated (a new build URL) is rare.
	updated map[uint32]stamp
}

func newPacticipantRow(view PacticipantView) *pacticipantRow {
	return &pacticipantRow{view: view, index: map[uint32]uint32{}, branches: map[uint32]uint32{}, tags: map[uint32]uint32{},
		updated: map[uint32]stamp{}}
}

// setUpdated records when a version was last updated.
func (row *pacticipantRow) setUpdated(slot uint32, at stamp) {
	if at == row.vers[slot].created {
		delete(row.updated, slot)
	} else {
		row.updated[slot] = at
	}
}

// updatedAt is when a version was last updated.
func (row *pacticipantRow) updatedAt(slot uint32) stamp {
	if len(row.updated) > 0 {
		if at, ok := row.updated[slot]; ok {
			return at
		}
	}
	return row.vers[slot].created
}

// createVersion stores v (not yet in the index) in a free slot.
func (row *pacticipantRow) createVersion(v verRow) uint32 {
	if len(row.free) == 0 && len(row.vers) >= math.MaxUint32 {
		panic("projections: too many versions")
	}
	slot := takeRow(&row.vers, &row.free, v)
	row.index[v.number] = slot
	return slot
}

// deleteVersion takes a version off its branches and tags and frees its
// slot and members.
func (row *pacticipantRow) deleteVersion(slot uint32) {
	v := &row.vers[slot]
	if v.branch != 0 {
		row.dropFromBranch(v.branch-1, slot)
	}
	for i := v.more; i != 0; {
		m := row.members[i-1]
		if m.tag {
			row.dropTag(m.name, slot)
		} else {
			row.dropFromBranch(m.name, slot)
		}
		row.members[i-1] = member{next: row.memFree}
		row.memFree, i = i, m.next
	}
	delete(row.index, v.number)
	delete(row.updated, slot)
	*v = verRow{number: deadNumber}
	row.free = append(row.free, slot)
}

// latest is the live version with the highest order (above 0).
func (row *pacticipantRow) latest() (uint32, bool) {
	var best uint64
	var slot uint32
	for i := range row.vers {
		if v := &row.vers[i]; v.number != deadNumber && v.order > best {
			best, slot = v.order, uint32(i)
		}
	}
	return slot, best > 0
}

// appendMember adds m at the end of a version's members.
func (row *pacticipantRow) appendMember(slot uint32, m member) {
	var at uint32
	if at = row.memFree; at != 0 {
		row.memFree = row.members[at-1].next
		row.members[at-1] = m
	} else {
		row.members = append(row.members, m)
		at = uint32(len(row.members))
	}
	link := &row.vers[slot].more
	for *link != 0 {
		link = &row.members[*link-1].next
	}
	*link = at
}

// removeMembers unlinks every member of a version with this name and kind.
func (row *pacticipantRow) removeMembers(slot, name uint32, tag bool) {
	link := &row.vers[slot].more
	for *link != 0 {
		i := *link
		m := row.members[i-1]
		if m.name != name || m.tag != tag {
			link = &row.members[i-1].next
			continue
		}
		*link = m.next
		row.members[i-1] = member{next: row.memFree}
		row.memFree = i
	}
}

func (row *pacticipantRow) addToBranch(slot, name uint32, at stamp) {
	bi, ok := row.branches[name]
	if !ok {
		bi = takeRow(&row.brs, &row.brFree, branchRow{name: name, created: at})
		row.branches[name] = bi
	}
	row.joinBranch(slot, name, at)
	b := &row.brs[bi]
	b.versions, b.head, b.updated = append(b.versions, slot), slot, at
}

// joinBranch adds a branch to a version's memberships (not the version to
// the branch): inline when it is the first.
func (row *pacticipantRow) joinBranch(slot, name uint32, at stamp) {
	if v := &row.vers[slot]; v.branch == 0 {
		v.branch, v.branchAt = name+1, at
	} else {
		row.appendMember(slot, member{at: at, name: name})
	}
}

func (row *pacticipantRow) removeFromBranch(slot, name uint32) {
	v := &row.vers[slot]
	row.removeMembers(slot, name, false)
	if v.branch == name+1 {
		v.branch, v.branchAt = 0, 0
		// the first further branch, if any, becomes the inline one
		for link := &v.more; *link != 0; link = &row.members[*link-1].next {
			if i := *link; !row.members[i-1].tag {
				m := row.members[i-1]
				v.branch, v.branchAt, *link = m.name+1, m.at, m.next
				row.members[i-1] = member{next: row.memFree}
				row.memFree = i
				break
			}
		}
	}
	row.dropFromBranch(name, slot)
}

// dropFromBranch removes slot from a branch; the head moves to the
// remaining version with the highest order, and an empty branch goes away.
func (row *pacticipantRow) dropFromBranch(name, slot uint32) {
	bi, ok := row.branches[name]
	if !ok {
		return
	}
	b := &row.brs[bi]
	b.versions = slices.DeleteFunc(b.versions, func(s uint32) bool { return s == slot })
	if len(b.versions) == 0 {
		delete(row.branches, name)
		row.brs[bi] = branchRow{}
		row.brFree = append(row.brFree, bi)
		return
	}
	if b.head == slot {
		b.head = slices.MaxFunc(b.versions, row.byOrder)
	}
}

func (row *pacticipantRow) tag(slot, name uint32, at stamp) {
	row.appendMember(slot, member{at: at, name: name, tag: true})
	ti, ok := row.tags[name]
	if !ok {
		ti = takeRow(&row.tgs, &row.tgFree, tagRow{name: name, latest: slot})
		row.tags[name] = ti
	}
	t := &row.tgs[ti]
	t.versions = append(t.versions, slot)
	if row.vers[slot].order > row.vers[t.latest].order {
		t.latest = slot
	}
}

func (row *pacticipantRow) untag(slot, name uint32) {
	row.removeMembers(slot, name, true)
	row.dropTag(name, slot)
}

// dropTag removes slot from the tag index.
func (row *pacticipantRow) dropTag(name, slot uint32) {
	ti, ok := row.tags[name]
	if !ok {
		return
	}
	t := &row.tgs[ti]
	t.versions = slices.DeleteFunc(t.versions, func(s uint32) bool { return s == slot })
	switch {
	case len(t.versions) == 0:
		delete(row.tags, name)
		row.tgs[ti] = tagRow{}
		row.tgFree = append(row.tgFree, ti)
	case t.latest == slot:
		t.latest = slices.MaxFunc(t.versions, row.byOrder)
	}
}

func (row *pacticipantRow) byOrder(a, b uint32) int {
	return cmp.Compare(row.vers[a].order, row.vers[b].order)
}
