package projections

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/pactledger/pactledger/domain"
)

// catalogSnapshotVersion changes whenever the catalog's encoding does.
const catalogSnapshotVersion = 1

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
		appendPacticipant(w, c.pacticipants[name])
	}
	return w.b
}

func appendPacticipant(w *snapWriter, row *pacticipantRow) {
	d := row.view.PacticipantDetails
	for _, s := range []string{d.Name, d.DisplayName, d.RepositoryURL, d.RepositoryName, d.RepositoryNamespace, d.MainBranch} {
		w.str(s)
	}
	w.time(row.view.CreatedAt)
	w.time(row.view.UpdatedAt)
	w.str(row.view.LatestVersion)
	versions := slices.SortedFunc(maps.Values(row.versions), func(a, b *VersionView) int { return cmp.Compare(a.Order, b.Order) })
	w.count(len(versions))
	for _, v := range versions {
		w.str(v.Number)
		w.str(v.BuildURL)
		w.uint(v.Order)
		w.time(v.CreatedAt)
		w.time(v.UpdatedAt)
		appendMemberships(w, v.Branches)
		appendMemberships(w, v.Tags)
	}
	w.count(len(row.branches))
	for _, name := range sortedKeys(row.branches) {
		br := row.branches[name]
		w.str(br.Name)
		w.time(br.CreatedAt)
		w.time(br.UpdatedAt)
		w.count(len(br.Versions))
		for _, n := range br.Versions {
			w.str(n)
		}
		w.str(br.Head)
	}
	w.count(len(row.tagged))
	for _, tag := range sortedKeys(row.tagged) {
		w.str(tag)
		w.count(len(row.tagged[tag]))
		for _, v := range row.tagged[tag] {
			w.str(v.Number)
		}
	}
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
	c.environments, c.pacticipants, c.in = fresh.environments, fresh.pacticipants, fresh.in
	return nil
}

func (c *Catalog) readPacticipant(r *snapReader) *pacticipantRow {
	in := c.in
	row := &pacticipantRow{versions: map[string]*VersionView{}, branches: map[string]*BranchView{},
		tagged: map[string][]*VersionView{}, latestTagged: map[string]*VersionView{}}
	d := &row.view.PacticipantDetails
	d.Name, d.DisplayName, d.RepositoryURL = in.str(r.str()), r.str(), r.str()
	d.RepositoryName, d.RepositoryNamespace, d.MainBranch = r.str(), r.str(), in.str(r.str())
	row.view.CreatedAt, row.view.UpdatedAt, row.view.LatestVersion = r.time(), r.time(), r.str()
	for n := r.count(); n > 0 && r.err == nil; n-- {
		v := &VersionView{Pacticipant: d.Name, Number: r.str(), BuildURL: r.str(), Order: r.uint(), CreatedAt: r.time(), UpdatedAt: r.time()}
		v.Branches, v.Tags = readMemberships(r, in), readMemberships(r, in)
		row.versions[v.Number] = v
	}
	if v := row.versions[row.view.LatestVersion]; v != nil {
		row.view.LatestVersion = v.Number // share the version's copy
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		br := &BranchView{Pacticipant: d.Name, Name: in.str(r.str()), CreatedAt: r.time(), UpdatedAt: r.time()}
		for m := r.count(); m > 0 && r.err == nil; m-- {
			br.Versions = append(br.Versions, r.shared(row, r.str()))
		}
		br.Head = r.shared(row, r.str())
		row.branches[br.Name] = br
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		tag := in.str(r.str())
		for m := r.count(); m > 0 && r.err == nil; m-- {
			v := row.versions[r.str()]
			if v == nil {
				r.fail("tagged version missing")
				break
			}
			row.tagged[tag] = append(row.tagged[tag], v)
			if cur := row.latestTagged[tag]; cur == nil || v.Order > cur.Order {
				row.latestTagged[tag] = v
			}
		}
	}
	return row
}

// shared returns the version's own copy of number when the version exists,
// so a branch's list does not hold a second copy of every number.
func (r *snapReader) shared(row *pacticipantRow, number string) string {
	if v := row.versions[number]; v != nil {
		return v.Number
	}
	return number
}

func readMemberships(r *snapReader, in interner) []Membership {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]Membership, 0, n)
	for ; n > 0 && r.err == nil; n-- {
		out = append(out, Membership{Name: in.str(r.str()), CreatedAt: r.time()})
	}
	return out
}

var _ Snapshotter = (*Catalog)(nil)
