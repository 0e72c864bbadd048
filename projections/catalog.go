package projections

import (
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

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

// VersionView is a version as the API shows it. Slices are copies, except
// in the view ReadVersion lends. Times are in UTC.
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

// Catalog is the read model of environments, applications, versions,
// branches and tags. Its methods are safe for concurrent use and return
// copies (ReadVersion excepted: see there).
//
// Layout (catalog_rows.go): versions are pointer-free rows in a slice per
// application, names and numbers are symbols of one string table, times
// are stamps; so the collector marks a few objects per application, not
// several per version. Hazard: strings are never released (see symtab),
// nor is an application's room for versions once deleted (slots are
// reused by the versions created after).
type Catalog struct {
	mu           sync.RWMutex
	environments map[string]*EnvironmentView
	pacticipants map[string]*pacticipantRow
	syms         symtab // version numbers, build URLs, branch and tag names
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{environments: map[string]*EnvironmentView{}, pacticipants: map[string]*pacticipantRow{}, syms: newSymtab()}
}

// Name implements Projector.
func (*Catalog) Name() string { return "catalog" }

// Apply implements Projector.
func (c *Catalog) Apply(e events.Envelope) {
	if !catalogIgnores(e.Data) {
		c.apply(e)
	}
}

// ApplyBatch implements BatchApplier.
func (c *Catalog) ApplyBatch(batch []events.Envelope) {
	applyRuns(&c.mu, batch, catalogIgnores, c.applyLocked)
}

func (c *Catalog) apply(e events.Envelope) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyLocked(e)
}

// applyLocked applies e; the caller holds c.mu.
func (c *Catalog) applyLocked(e events.Envelope) {
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
		c.pacticipants[p.Name] = newPacticipantRow(PacticipantView{PacticipantDetails: events.PacticipantDetails(p), CreatedAt: at, UpdatedAt: at})
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
	at := stampOf(e.OccurredAt)
	switch p := e.Data.(type) {
	case events.VersionCreated:
		if row := c.pacticipants[p.Pacticipant]; row != nil {
			number := c.syms.add(p.Number)
			if slot, ok := row.index[number]; ok {
				row.deleteVersion(slot) // does not happen: the domain creates a version once
			}
			v := verRow{order: e.Position, created: at, number: number}
			v.urlHead, v.urlTail = c.splitURL(p.BuildURL)
			row.createVersion(v)
			row.view.LatestVersion = c.syms.str(number)
		}
	case events.VersionUpdated:
		if row, slot, ok := c.slot(p.Pacticipant, p.Number); ok {
			row.vers[slot].urlHead, row.vers[slot].urlTail = c.splitURL(p.BuildURL)
			row.setUpdated(slot, at)
		}
	case events.VersionAddedToBranch:
		if row, slot, ok := c.slot(p.Pacticipant, p.Number); ok {
			row.addToBranch(slot, c.syms.add(p.Branch), at)
		}
	case events.VersionRemovedFromBranch:
		row, slot, ok := c.slot(p.Pacticipant, p.Number)
		if branch, known := c.syms.id(p.Branch); ok && known {
			row.removeFromBranch(slot, branch)
		}
	case events.VersionTagged:
		if row, slot, ok := c.slot(p.Pacticipant, p.Number); ok {
			row.tag(slot, c.syms.add(p.Tag), at)
		}
	case events.VersionTagRemoved:
		row, slot, ok := c.slot(p.Pacticipant, p.Number)
		if tag, known := c.syms.id(p.Tag); ok && known {
			row.untag(slot, tag)
		}
	case events.VersionDeleted:
		if row, slot, ok := c.slot(p.Pacticipant, p.Number); ok {
			row.deleteVersion(slot)
			row.view.LatestVersion = ""
			if latest, ok := row.latest(); ok {
				row.view.LatestVersion = c.syms.str(row.vers[latest].number)
			}
		}
	}
}

// splitURL numbers a build URL's head (up to its last '/') and tail.
func (c *Catalog) splitURL(url string) (head, tail uint32) {
	i := strings.LastIndexByte(url, '/') + 1
	return c.syms.add(url[:i]), c.syms.add(url[i:])
}

// buildURL joins a version's build URL: into *scratch (which it reuses)
// when scratch is not nil, else into a new string. A URL without a head
// or tail is a symbol's string, and takes no copy.
func (c *Catalog) buildURL(v *verRow, scratch *[]byte) string {
	head, tail := c.syms.str(v.urlHead), c.syms.str(v.urlTail)
	switch {
	case head == "":
		return tail
	case tail == "":
		return head
	case scratch == nil:
		return head + tail
	}
	*scratch = append(append((*scratch)[:0], head...), tail...)
	return unsafe.String(unsafe.SliceData(*scratch), len(*scratch))
}

// slot finds a live version's row.
func (c *Catalog) slot(pacticipant, number string) (*pacticipantRow, uint32, bool) {
	row := c.pacticipants[pacticipant]
	if row == nil {
		return nil, 0, false
	}
	id, ok := c.syms.id(number)
	if !ok {
		return nil, 0, false
	}
	slot, ok := row.index[id]
	return row, slot, ok
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
