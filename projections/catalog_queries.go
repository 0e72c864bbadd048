package projections

import (
	"slices"
	"sort"
	"time"
)

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

// Version returns one version.
func (c *Catalog) Version(pacticipant, number string) (VersionView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v := c.version(pacticipant, number)
	if v == nil {
		return VersionView{}, false
	}
	return copyVersion(v), true
}

// VersionExists reports whether a version exists.
func (c *Catalog) VersionExists(pacticipant, number string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.version(pacticipant, number) != nil
}

// Versions lists an application's versions, newest first.
func (c *Catalog) Versions(pacticipant string) []VersionView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil
	}
	out := make([]VersionView, 0, len(row.versions))
	for _, v := range row.versions {
		out = append(out, copyVersion(v))
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
	out := make([]string, 0, len(row.versions))
	for n := range row.versions {
		out = append(out, n)
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
	return copyVersion(row.versions[row.view.LatestVersion]), true
}

// LatestVersionWithTag returns the most recently created version that
// carries tag. It walks only the versions with that tag.
func (c *Catalog) LatestVersionWithTag(pacticipant, tag string) (VersionView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil || row.latestTagged[tag] == nil {
		return VersionView{}, false
	}
	return copyVersion(row.latestTagged[tag]), true
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
	out := make([]string, len(row.tagged[tag]))
	for i, v := range row.tagged[tag] {
		out[i] = v.Number
	}
	return out
}

// Branch returns one branch.
func (c *Catalog) Branch(pacticipant, branch string) (BranchView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil || row.branches[branch] == nil {
		return BranchView{}, false
	}
	b := *row.branches[branch]
	b.Versions = slices.Clone(b.Versions)
	return b, true
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
	for _, b := range row.branches {
		cp := *b
		cp.Versions = slices.Clone(b.Versions)
		out = append(out, cp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UpdatedAt.After(out[j].UpdatedAt) })
	return out
}

// BranchVersionNumbers lists the versions on a branch in the order added.
func (c *Catalog) BranchVersionNumbers(pacticipant, branch string) []string {
	b, _ := c.Branch(pacticipant, branch)
	return b.Versions
}

// BranchHead returns the number of a branch's head without copying the
// branch.
func (c *Catalog) BranchHead(pacticipant, branch string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil || row.branches[branch] == nil {
		return "", false
	}
	return row.branches[branch].Head, true
}

// ReadVersion calls fn with a version and a lookup of its branches' heads,
// under the read lock, without copying: fn must treat v as read-only, must
// not keep it and must not call the catalog. It reports whether the version
// exists (fn is not called otherwise).
func (c *Catalog) ReadVersion(pacticipant, number string, fn func(v *VersionView, branchHead func(branch string) string)) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil || row.versions[number] == nil {
		return false
	}
	fn(row.versions[number], func(branch string) string {
		if b := row.branches[branch]; b != nil {
			return b.Head
		}
		return ""
	})
	return true
}

// VersionStamp returns a version's order and creation time without copying
// the version (the matrix orders candidate rows by them).
func (c *Catalog) VersionStamp(pacticipant, number string) (order uint64, createdAt time.Time, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if v := c.version(pacticipant, number); v != nil {
		return v.Order, v.CreatedAt, true
	}
	return 0, time.Time{}, false
}

// LatestVersionNumberWithTag is LatestVersionWithTag's number, without the
// copy of the version.
func (c *Catalog) LatestVersionNumberWithTag(pacticipant, tag string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if row := c.pacticipants[pacticipant]; row != nil && row.latestTagged[tag] != nil {
		return row.latestTagged[tag].Number, true
	}
	return "", false
}
