package projections

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// EnvironmentView is an environment as the API shows it.
type EnvironmentView struct {
	domain.Environment
	CreatedAt, UpdatedAt time.Time
}

// PacticipantView is an application as the API shows it.
type PacticipantView struct {
	events.PacticipantDetails
	CreatedAt, UpdatedAt time.Time
	LatestVersion        string // "" when it has none
}

// Membership is a version's place on a branch or a tag on it.
type Membership struct {
	Name      string
	CreatedAt time.Time
}

// VersionView is a version as the API shows it. Slices are copies.
type VersionView struct {
	Pacticipant, Number, BuildURL string
	Order                         uint64 // log position of VersionCreated: later versions have larger orders
	CreatedAt, UpdatedAt          time.Time
	Branches                      []Membership
	Tags                          []Membership
}

// BranchView is a branch with its versions in the order they were added.
type BranchView struct {
	Pacticipant, Name    string
	CreatedAt, UpdatedAt time.Time
	Versions             []string
	Head                 string
}

type pacticipantRow struct {
	view     PacticipantView
	versions map[string]*VersionView
	branches map[string]*BranchView
	tagged   map[string][]*VersionView // tag → the versions carrying it
	// latestTagged is the highest-order version of each tagged, so that
	// LatestVersionWithTag (asked per tag of every version a matrix row
	// shows) is a lookup, not a walk over every version with the tag.
	latestTagged map[string]*VersionView
}

// Catalog is the read model of environments, applications, versions,
// branches and tags. Its methods are safe for concurrent use and return
// copies.
type Catalog struct {
	mu           sync.RWMutex
	environments map[string]*EnvironmentView
	pacticipants map[string]*pacticipantRow
	in           interner // branch and tag names
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{environments: map[string]*EnvironmentView{}, pacticipants: map[string]*pacticipantRow{}, in: newInterner()}
}

// Name implements Projector.
func (*Catalog) Name() string { return "catalog" }

// Apply implements Projector.
func (c *Catalog) Apply(e events.Envelope) {
	c.mu.Lock()
	defer c.mu.Unlock()
	at := e.OccurredAt
	switch p := e.Data.(type) {
	case events.EnvironmentCreated:
		c.environments[p.UUID] = &EnvironmentView{Environment: domain.Environment(p), CreatedAt: at, UpdatedAt: at}
	case events.EnvironmentUpdated:
		if env := c.environments[p.UUID]; env != nil {
			env.Environment, env.UpdatedAt = domain.Environment(p), at
		}
	case events.EnvironmentDeleted:
		delete(c.environments, p.UUID)
	case events.PacticipantCreated:
		c.pacticipants[p.Name] = &pacticipantRow{
			view:     PacticipantView{PacticipantDetails: events.PacticipantDetails(p), CreatedAt: at, UpdatedAt: at},
			versions: map[string]*VersionView{}, branches: map[string]*BranchView{},
			tagged: map[string][]*VersionView{}, latestTagged: map[string]*VersionView{},
		}
	case events.PacticipantUpdated:
		if row := c.pacticipants[p.Name]; row != nil {
			row.view.PacticipantDetails, row.view.UpdatedAt = events.PacticipantDetails(p), at
		}
	case events.MainBranchDetected:
		if row := c.pacticipants[p.Pacticipant]; row != nil {
			row.view.MainBranch, row.view.UpdatedAt = p.Branch, at
		}
	case events.PacticipantDeleted:
		delete(c.pacticipants, p.Name)
	default:
		c.applyVersionEvent(e)
	}
}

func (c *Catalog) applyVersionEvent(e events.Envelope) {
	at := e.OccurredAt
	switch p := e.Data.(type) {
	case events.VersionCreated:
		if row := c.pacticipants[p.Pacticipant]; row != nil {
			row.versions[p.Number] = &VersionView{Pacticipant: row.view.Name, Number: p.Number, BuildURL: p.BuildURL,
				Order: e.Position, CreatedAt: at, UpdatedAt: at}
			row.view.LatestVersion = p.Number
		}
	case events.VersionUpdated:
		if v := c.version(p.Pacticipant, p.Number); v != nil {
			v.BuildURL, v.UpdatedAt = p.BuildURL, at
		}
	case events.VersionAddedToBranch:
		row, v := c.pacticipants[p.Pacticipant], c.version(p.Pacticipant, p.Number)
		if v == nil {
			return
		}
		b := row.branches[p.Branch]
		if b == nil {
			b = &BranchView{Pacticipant: row.view.Name, Name: c.in.str(p.Branch), CreatedAt: at}
			row.branches[b.Name] = b
		}
		v.Branches = append(v.Branches, Membership{Name: b.Name, CreatedAt: at})
		b.Versions, b.Head, b.UpdatedAt = append(b.Versions, v.Number), v.Number, at
	case events.VersionRemovedFromBranch:
		if v := c.version(p.Pacticipant, p.Number); v != nil {
			v.Branches = dropMembership(v.Branches, p.Branch)
			c.dropFromBranch(c.pacticipants[p.Pacticipant], p.Branch, p.Number)
		}
	case events.VersionTagged:
		if v := c.version(p.Pacticipant, p.Number); v != nil {
			tag := c.in.str(p.Tag)
			v.Tags = append(v.Tags, Membership{Name: tag, CreatedAt: at})
			row := c.pacticipants[p.Pacticipant]
			row.tagged[tag] = append(row.tagged[tag], v)
			if cur := row.latestTagged[tag]; cur == nil || v.Order > cur.Order {
				row.latestTagged[tag] = v
			}
		}
	case events.VersionTagRemoved:
		if v := c.version(p.Pacticipant, p.Number); v != nil {
			v.Tags = dropMembership(v.Tags, p.Tag)
			c.untag(c.pacticipants[p.Pacticipant], p.Tag, v)
		}
	case events.VersionDeleted:
		row, v := c.pacticipants[p.Pacticipant], c.version(p.Pacticipant, p.Number)
		if v == nil {
			return
		}
		for _, m := range v.Branches {
			c.dropFromBranch(row, m.Name, p.Number)
		}
		for _, m := range v.Tags {
			c.untag(row, m.Name, v)
		}
		delete(row.versions, p.Number)
		row.view.LatestVersion = ""
		var best uint64
		for n, other := range row.versions {
			if other.Order > best {
				best, row.view.LatestVersion = other.Order, n
			}
		}
	}
}

// dropMembership removes a branch or tag; none left is nil, as never having
// had one is, so that equal models have equal snapshots.
func dropMembership(ms []Membership, name string) []Membership {
	ms = slices.DeleteFunc(ms, func(m Membership) bool { return m.Name == name })
	if len(ms) == 0 {
		return nil
	}
	return ms
}

// untag removes v from the tag index.
func (c *Catalog) untag(row *pacticipantRow, tag string, v *VersionView) {
	row.tagged[tag] = slices.DeleteFunc(row.tagged[tag], func(x *VersionView) bool { return x == v })
	switch {
	case len(row.tagged[tag]) == 0:
		delete(row.tagged, tag)
		delete(row.latestTagged, tag)
	case row.latestTagged[tag] == v:
		row.latestTagged[tag] = slices.MaxFunc(row.tagged[tag], func(a, b *VersionView) int { return cmp.Compare(a.Order, b.Order) })
	}
}

// dropFromBranch removes number from a branch; the head moves to the
// remaining version with the highest order, and an empty branch goes away.
func (c *Catalog) dropFromBranch(row *pacticipantRow, branch, number string) {
	b := row.branches[branch]
	if b == nil {
		return
	}
	b.Versions = slices.DeleteFunc(b.Versions, func(n string) bool { return n == number })
	if len(b.Versions) == 0 {
		delete(row.branches, branch)
		return
	}
	if b.Head == number {
		b.Head = slices.MaxFunc(b.Versions, func(x, y string) int {
			return int(row.versions[x].Order) - int(row.versions[y].Order)
		})
	}
}

func (c *Catalog) version(pacticipant, number string) *VersionView {
	if row := c.pacticipants[pacticipant]; row != nil {
		return row.versions[number]
	}
	return nil
}

func copyVersion(v *VersionView) VersionView {
	out := *v
	out.Branches, out.Tags = slices.Clone(v.Branches), slices.Clone(v.Tags)
	return out
}

// Environments lists the environments ordered by lower-cased display name.
func (c *Catalog) Environments() []EnvironmentView {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]EnvironmentView, 0, len(c.environments))
	for _, env := range c.environments {
		out = append(out, *env)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].DisplayName), strings.ToLower(out[j].DisplayName)
		return a < b || a == b && out[i].Name < out[j].Name
	})
	return out
}

// EnvironmentView returns one environment by uuid.
func (c *Catalog) EnvironmentView(uuid string) (EnvironmentView, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	env, ok := c.environments[uuid]
	if !ok {
		return EnvironmentView{}, false
	}
	return *env, true
}

// Environment returns one environment by uuid (commands.Lookups).
func (c *Catalog) Environment(uuid string) (domain.Environment, bool) {
	env, ok := c.EnvironmentView(uuid)
	return env.Environment, ok
}

// EnvironmentByName returns the environment with exactly this name.
func (c *Catalog) EnvironmentByName(name string) (domain.Environment, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, env := range c.environments {
		if env.Name == name {
			return env.Environment, true
		}
	}
	return domain.Environment{}, false
}
