package projections

import "github.com/pactledger/pactledger/queries"

// The catalog's side of ForVerification (view_verification.go): branches
// and tags without copying their version lists.

// verificationBranch reads one branch.
func (c *Catalog) verificationBranch(pacticipant, branch string) (queries.BranchRef, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row, b := c.branch(pacticipant, branch)
	if b == nil {
		return queries.BranchRef{}, false
	}
	return c.branchRef(row, b), true
}

func (c *Catalog) branchRef(row *pacticipantRow, b *branchRow) queries.BranchRef {
	return queries.BranchRef{Name: c.syms.str(b.name), Head: c.syms.str(row.vers[b.head].number), CreatedAt: b.created.time()}
}

// verificationBranches reads an application's branches in any order.
func (c *Catalog) verificationBranches(pacticipant string) []queries.BranchRef {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil
	}
	out := make([]queries.BranchRef, 0, len(row.branches))
	for _, bi := range row.branches {
		out = append(out, c.branchRef(row, &row.brs[bi]))
	}
	return out
}

// tagHeads reads the tag index: each tag's head (largest order) and first
// application, for the tags keep accepts. It walks the tagged versions and
// their memberships.
func (c *Catalog) tagHeads(pacticipant string, keep func(tag string) bool) []queries.TagRef {
	c.mu.RLock()
	defer c.mu.RUnlock()
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil
	}
	var out []queries.TagRef
	for name, ti := range row.tags {
		t := &row.tgs[ti]
		if tag := c.syms.str(name); !keep(tag) || len(t.versions) == 0 {
			continue
		}
		first := zeroStamp
		for _, slot := range t.versions {
			for i := row.vers[slot].more; i != 0; i = row.members[i-1].next {
				if m := &row.members[i-1]; m.tag && m.name == name && (first == zeroStamp || m.at < first) {
					first = m.at
				}
			}
		}
		out = append(out, queries.TagRef{Name: c.syms.str(name), Head: c.syms.str(row.vers[t.latest].number), FirstCreatedAt: first.time()})
	}
	return out
}
