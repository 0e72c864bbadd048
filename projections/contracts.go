package projections

import (
	"cmp"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// PactView is the pact a consumer version holds for a provider: its latest
// revision.
type PactView struct {
	domain.PactKey
	SHA      string
	Revision int
	Merged   bool // the revision came from a merge
	// ConsumerVersionOrder is the consumer version's order (the log position
	// of its VersionCreated): the latest pact of a pair has the largest.
	ConsumerVersionOrder uint64
	CreatedAt            time.Time // when this revision was published
	// Position is the log position of this revision's PactPublished:
	// unique and increasing across all pacts.
	Position uint64
}

// PactVersionKey returns the pact version (pair and content) of the pact.
func (p PactView) PactVersionKey() domain.PactVersionKey {
	return domain.PactVersionKey{Consumer: p.Consumer, Provider: p.Provider, SHA: p.SHA}
}

// PactContentView is stored pact content. Content is shared, not copied:
// callers must treat it as read-only.
type PactContentView struct {
	SHA                              string
	Content                          json.RawMessage
	InteractionsCount, MessagesCount int
	CreatedAt                        time.Time
}

// PactVersionView is a pact version: one pair's pacts with one content.
type PactVersionView struct {
	domain.PactVersionKey
	CreatedAt time.Time // first publication of the content for the pair
	// ConsumerVersions hold the content as their latest revision, oldest
	// consumer version first; AllConsumerVersions also those whose earlier
	// revisions had it.
	ConsumerVersions, AllConsumerVersions []string
}

// IntegrationView is a consumer→provider pair that has pacts.
type IntegrationView struct {
	Consumer, Provider  string
	CreatedAt           time.Time // first pact publication
	LatestPactCreatedAt time.Time // when the latest pact's revision was published
	Verified            bool      // some pact version of the pair has a verification result
}

// VerificationView is one verification result. TestResults and Selectors
// are shared: treat them as read-only.
type VerificationView struct {
	domain.PactVersionKey
	Number           int // per pact version, from 1
	ProviderVersion  string
	Success          bool
	BuildURL         string
	TestResults      json.RawMessage
	VerifiedBy       *events.VerifiedBy
	VerificationDate time.Time // as given by the verifier, else CreatedAt
	CreatedAt        time.Time
	WIP, Pending     bool
	Selectors        json.RawMessage
	Position         uint64 // log position: orders results across pact versions
}

type versionKey struct{ pacticipant, number string }

type pactRow struct {
	view    PactView   // the latest revision
	earlier []PactView // the revisions before it, oldest first; nil for most pacts
}

// revisions returns every revision, oldest first, in a new slice.
func (r *pactRow) revisions() []PactView {
	return append(slices.Clone(r.earlier), r.view)
}

type integrationRow struct {
	view  IntegrationView
	pacts map[string]*pactRow // by consumer version
	// byOrder holds the pacts by consumer version order, oldest first.
	byOrder      []*pactRow
	pactVersions map[string]*pactVersionRow // by sha
}

type pactVersionRow struct {
	view          PactVersionView
	refs, latest  map[string]struct{} // consumer versions, as in the view
	verifications []verification      // by number
	latestByPV    map[string]int32    // provider version → its latest result in verifications
}

// Contracts is the read model of pacts, their content, integrations and
// verification results. Every read is a map lookup or a walk over the rows
// it returns; none scans all versions. Deleting a version drops the pacts it
// holds as consumer and the results it published as provider; deleting an
// application drops every pact and result it takes part in. Its methods are
// safe for concurrent use and return copies (except the read-only JSON noted
// on the view types).
type Contracts struct {
	mu           sync.RWMutex
	contents     map[string]*PactContentView
	pending      map[string][]events.PactContentStored     // parts of split content being joined
	byConsumer   map[string]map[string]*integrationRow     // consumer → provider
	byProvider   map[string]map[string]*integrationRow     // provider → consumer
	versionPacts map[versionKey][]*pactRow                 // consumer version → its pacts, one per provider
	pactVersions map[domain.PactVersionKey]*pactVersionRow // pair and sha
	verifiedBy   map[versionKey][]*pactVersionRow          // provider version → the pact versions it has results for
	orders       map[string]map[string]uint64              // pacticipant → version → order
	in           interner                                  // names, numbers, SHAs and URLs of stored rows
	tally        verificationTally                         // the results held (counts.go)
}

// NewContracts returns an empty read model.
func NewContracts() *Contracts {
	return &Contracts{
		contents: map[string]*PactContentView{}, pending: map[string][]events.PactContentStored{},
		byConsumer: map[string]map[string]*integrationRow{}, byProvider: map[string]map[string]*integrationRow{},
		versionPacts: map[versionKey][]*pactRow{}, pactVersions: map[domain.PactVersionKey]*pactVersionRow{},
		verifiedBy: map[versionKey][]*pactVersionRow{}, orders: map[string]map[string]uint64{},
		in: newInterner(),
	}
}

// Name implements Projector.
func (*Contracts) Name() string { return "contracts" }

// Apply implements Projector.
func (c *Contracts) Apply(e events.Envelope) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch p := e.Data.(type) {
	case events.VersionCreated:
		name := c.in.str(p.Pacticipant)
		if c.orders[name] == nil {
			c.orders[name] = map[string]uint64{}
		}
		c.orders[name][c.in.str(p.Number)] = e.Position
	case events.VersionDeleted:
		c.dropVersion(p.Pacticipant, p.Number)
		delete(c.orders[p.Pacticipant], p.Number)
	case events.PacticipantDeleted:
		c.dropPacticipant(p.Name)
	case events.PactContentStored:
		c.storeContent(e, p)
	case events.PactPublished:
		c.publish(p, e)
	case events.PactDeleted:
		if row := c.pactOf(p.Consumer, p.ConsumerVersion, p.Provider); row != nil {
			c.dropPact(row)
		}
	case events.VerificationPublished:
		c.verify(p, e)
	}
}

func (c *Contracts) storeContent(e events.Envelope, p events.PactContentStored) {
	if c.contents[p.SHA] != nil {
		return
	}
	// The parts seen so far are kept as events (not as the domain's
	// folded state) so that a snapshot can hold them; split content is
	// rare and has few parts, so folding them again is cheap.
	parts := append(c.pending[p.SHA], p)
	st := foldContent(parts)
	if !st.Exists {
		c.pending[p.SHA] = parts
		return
	}
	delete(c.pending, p.SHA)
	p.SHA = c.in.str(p.SHA)
	c.contents[p.SHA] = &PactContentView{SHA: p.SHA, Content: st.Stored.Content,
		InteractionsCount: st.Stored.InteractionsCount, MessagesCount: st.Stored.MessagesCount, CreatedAt: e.OccurredAt}
}

func foldContent(parts []events.PactContentStored) domain.PactContent {
	var st domain.PactContent
	for _, p := range parts {
		st = domain.EvolvePactContent(st, events.Envelope{Data: p})
	}
	return st
}

// integration returns the pair's row, creating it.
func (c *Contracts) integration(consumer, provider string, at time.Time) *integrationRow {
	if row := c.byConsumer[consumer][provider]; row != nil {
		return row
	}
	row := &integrationRow{view: IntegrationView{Consumer: consumer, Provider: provider, CreatedAt: at},
		pacts: map[string]*pactRow{}, pactVersions: map[string]*pactVersionRow{}}
	if c.byConsumer[consumer] == nil {
		c.byConsumer[consumer] = map[string]*integrationRow{}
	}
	if c.byProvider[provider] == nil {
		c.byProvider[provider] = map[string]*integrationRow{}
	}
	c.byConsumer[consumer][provider], c.byProvider[provider][consumer] = row, row
	return row
}

func (c *Contracts) publish(p events.PactPublished, e events.Envelope) {
	at := e.OccurredAt
	p.Consumer, p.Provider, p.ConsumerVersion, p.SHA = c.in.str(p.Consumer), c.in.str(p.Provider), c.in.str(p.ConsumerVersion), c.in.str(p.SHA)
	ig := c.integration(p.Consumer, p.Provider, at)
	vk := versionKey{p.Consumer, p.ConsumerVersion}
	row := ig.pacts[p.ConsumerVersion]
	if row == nil {
		row = &pactRow{view: PactView{
			PactKey:              domain.PactKey{Consumer: p.Consumer, Provider: p.Provider, ConsumerVersion: p.ConsumerVersion},
			ConsumerVersionOrder: c.orders[p.Consumer][p.ConsumerVersion],
		}}
		ig.pacts[p.ConsumerVersion] = row
		i, _ := slices.BinarySearchFunc(ig.byOrder, row, byConsumerOrder)
		ig.byOrder = slices.Insert(ig.byOrder, i, row)
		c.versionPacts[vk] = append(c.versionPacts[vk], row)
	} else {
		if old := c.pactVersions[row.view.PactVersionKey()]; old != nil {
			delete(old.latest, p.ConsumerVersion)
		}
		row.earlier = append(row.earlier, row.view)
	}
	row.view.SHA, row.view.Revision, row.view.Merged, row.view.CreatedAt, row.view.Position = p.SHA, p.Revision, p.Merged, at, e.Position
	pv := c.pactVersions[row.view.PactVersionKey()]
	if pv == nil {
		pv = &pactVersionRow{view: PactVersionView{PactVersionKey: row.view.PactVersionKey(), CreatedAt: at},
			refs: map[string]struct{}{}, latest: map[string]struct{}{}, latestByPV: map[string]int32{}}
		c.pactVersions[pv.view.PactVersionKey], ig.pactVersions[p.SHA] = pv, pv
	}
	pv.refs[p.ConsumerVersion], pv.latest[p.ConsumerVersion] = struct{}{}, struct{}{}
}

func byConsumerOrder(a, b *pactRow) int {
	if a.view.ConsumerVersionOrder != b.view.ConsumerVersionOrder {
		return cmp.Compare(a.view.ConsumerVersionOrder, b.view.ConsumerVersionOrder)
	}
	return cmp.Compare(a.view.ConsumerVersion, b.view.ConsumerVersion)
}

func (c *Contracts) verify(p events.VerificationPublished, e events.Envelope) {
	k := domain.PactVersionKey{Consumer: p.Consumer, Provider: p.Provider, SHA: p.SHA}
	pv := c.pactVersions[k]
	if pv == nil {
		return // the pact version was deleted since
	}
	v := newVerification(p, e, c.in)
	if pv.latestOf(v.providerVersion) == nil {
		vk := versionKey{pv.view.Provider, v.providerVersion}
		c.verifiedBy[vk] = append(c.verifiedBy[vk], pv)
	}
	pv.addResult(v)
	c.tally.add(v.success, 1)
}

// pactOf returns a consumer version's pact for a provider, or nil.
func (c *Contracts) pactOf(consumer, version, provider string) *pactRow {
	for _, row := range c.versionPacts[versionKey{consumer, version}] {
		if row.view.Provider == provider {
			return row
		}
	}
	return nil
}
