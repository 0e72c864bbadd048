package projections

import "sort"

// Pacticipants lists every application, sorted by name.
func (c *Catalog) Pacticipants() []PacticipantView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]PacticipantView, 0, len(c.pacticipants))
	for _, row := range c.pacticipants {
		out = append(out, row.view)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Pacticipant returns one application.
func (c *Catalog) Pacticipant(name string) (PacticipantView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, ok := c.pacticipants[name]
	if !ok {
		return PacticipantView{}, false
	}
	return row.view, true
}

// fill writes the version in slot into out, appending its memberships to
// out's (emptied) slices: nil ones stay nil when it has none. The build URL
// is joined into *scratch when scratch is not nil (see buildURL).
func (c *Catalog) fill(row *pacticipantRow, slot uint32, out *VersionView, scratch *[]byte) {
	v := &row.vers[slot]
	out.Pacticipant, out.Number, out.BuildURL = row.view.Name, c.syms.str(v.number), c.buildURL(v, scratch)
	out.Order, out.CreatedAt, out.UpdatedAt = v.order, v.created.time(), row.updatedAt(slot).time()
	out.Branches, out.Tags = out.Branches[:0], out.Tags[:0]
	if v.branch != 0 {
		out.Branches = append(out.Branches, Membership{Name: c.syms.str(v.branch - 1), CreatedAt: v.branchAt.time()})
	}
	for i := v.more; i != 0; i = row.members[i-1].next {
		m := &row.members[i-1]
		ms := Membership{Name: c.syms.str(m.name), CreatedAt: m.at.time()}
		if m.tag {
			out.Tags = append(out.Tags, ms)
		} else {
			out.Branches = append(out.Branches, ms)
		}
	}
}

func (c *Catalog) copyOf(row *pacticipantRow, slot uint32) VersionView {
	var out VersionView
	c.fill(row, slot, &out, nil)
	return out
}

// Version returns one version.
func (c *Catalog) Version(pacticipant, number string) (VersionView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, slot, ok := c.slot(pacticipant, number)
	if !ok {
		return VersionView{}, false
	}
	return c.copyOf(row, slot), true
}

// VersionExists reports whether a version exists.
func (c *Catalog) VersionExists(pacticipant, number string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, _, ok := c.slot(pacticipant, number)
	return ok
}

// Versions lists an application's versions, newest first.
func (c *Catalog) Versions(pacticipant string) []VersionView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil
	}
	out := make([]VersionView, 0, len(row.index))
	for _, slot := range row.index {
		out = append(out, c.copyOf(row, slot))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Order > out[j].Order })
	return out
}

// VersionNumbers lists an application's version numbers in any order.
func (c *Catalog) VersionNumbers(pacticipant string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil
	}
	out := make([]string, 0, len(row.index))
	for number := range row.index {
		out = append(out, c.syms.str(number))
	}
	return out
}

// LatestVersion returns the most recently created version.
func (c *Catalog) LatestVersion(pacticipant string) (VersionView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil || row.view.LatestVersion == "" {
		return VersionView{}, false
	}
	_, slot, ok := c.slot(pacticipant, row.view.LatestVersion)
	if !ok {
		return VersionView{}, false
	}
	return c.copyOf(row, slot), true
}

// latestTagged finds the tag's version with the highest order.
func (c *Catalog) latestTagged(pacticipant, tag string) (*pacticipantRow, uint32, bool) {
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil, 0, false
	}
	id, ok := c.syms.id(tag)
	if !ok {
		return nil, 0, false
	}
	ti, ok := row.tags[id]
	if !ok {
		return nil, 0, false
	}
	return row, row.tgs[ti].latest, true
}

// LatestVersionWithTag returns the most recently created version that
// carries tag: a lookup of the tag index.
func (c *Catalog) LatestVersionWithTag(pacticipant, tag string) (VersionView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, slot, ok := c.latestTagged(pacticipant, tag)
	if !ok {
		return VersionView{}, false
	}
	return c.copyOf(row, slot), true
}

// LatestVersionNumberWithTag is LatestVersionWithTag's number, without the
// copy of the version.
func (c *Catalog) LatestVersionNumberWithTag(pacticipant, tag string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, slot, ok := c.latestTagged(pacticipant, tag)
	if !ok {
		return "", false
	}
	return c.syms.str(row.vers[slot].number), true
}

// numbers returns the numbers of the versions in slots (non-nil).
func (c *Catalog) numbers(row *pacticipantRow, slots []uint32) []string {
	out := make([]string, len(slots))
	for i, slot := range slots {
		out[i] = c.syms.str(row.vers[slot].number)
	}
	return out
}

// VersionsWithTag lists the numbers of the versions carrying tag, in the
// order they were tagged.
func (c *Catalog) VersionsWithTag(pacticipant, tag string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil
	}
	var slots []uint32
	if id, ok := c.syms.id(tag); ok {
		if ti, ok := row.tags[id]; ok {
			slots = row.tgs[ti].versions
		}
	}
	return c.numbers(row, slots)
}

// branch finds a branch's row.
func (c *Catalog) branch(pacticipant, branch string) (*pacticipantRow, *branchRow) {
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil, nil
	}
	return row, c.branchOf(row, branch)
}

func (c *Catalog) branchOf(row *pacticipantRow, branch string) *branchRow {
	id, ok := c.syms.id(branch)
	if !ok {
		return nil
	}
	bi, ok := row.branches[id]
	if !ok {
		return nil
	}
	return &row.brs[bi]
}

func (c *Catalog) branchView(row *pacticipantRow, b *branchRow) BranchView {
	return BranchView{Pacticipant: row.view.Name, Name: c.syms.str(b.name), CreatedAt: b.created.time(),
		UpdatedAt: b.updated.time(), Versions: c.numbers(row, b.versions), Head: c.syms.str(row.vers[b.head].number)}
}

// Branch returns one branch.
func (c *Catalog) Branch(pacticipant, branch string) (BranchView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, b := c.branch(pacticipant, branch)
	if b == nil {
		return BranchView{}, false
	}
	return c.branchView(row, b), true
}

// Branches lists an application's branches, most recently updated first.
func (c *Catalog) Branches(pacticipant string) []BranchView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil
	}
	out := make([]BranchView, 0, len(row.branches))
	for _, bi := range row.branches {
		out = append(out, c.branchView(row, &row.brs[bi]))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UpdatedAt.After(out[j].UpdatedAt) })
	return out
}

// BranchVersionNumbers lists the versions on a branch in the order added.
func (c *Catalog) BranchVersionNumbers(pacticipant, branch string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, b := c.branch(pacticipant, branch)
	if b == nil {
		return nil
	}
	return c.numbers(row, b.versions)
}

// BranchHead returns the number of a branch's head without copying the
// branch.
func (c *Catalog) BranchHead(pacticipant, branch string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, b := c.branch(pacticipant, branch)
	if b == nil {
		return "", false
	}
	return c.syms.str(row.vers[b.head].number), true
}
