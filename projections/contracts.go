package projections

import (
	"encoding/json"
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

// PactContentView is stored pact content, read from the log (the model
// keeps only where it is: PactContentRef). Content may be shared with a
// cache: it must not be modified.
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

// versionKey names an application version (provider_contracts.go).
type versionKey struct{ pacticipant, number string }

// Contracts is the read model of pacts, their content, integrations and
// verification results. Every read is a lookup or a walk over the rows it
// returns; none scans all versions. Deleting a version drops the pacts it
// holds as consumer and the results it published as provider; deleting an
// application drops every pact and result it takes part in. Its methods are
// safe for concurrent use and return copies (except the read-only JSON noted
// on the view types).
//
// The layout is compact for the garbage collector's sake (an organisation
// has millions of pacts and results): every string is a symbol (symtab),
// times are stamps, and pacts, pact versions, versions and results are
// values in slices indexed by dense ids, linked by ids, not pointers. See
// contracts_rows.go.
type Contracts struct {
	mu sync.RWMutex
	contractsState
}

// contractsState is all of Contracts but its lock (a restore swaps it).
type contractsState struct {
	syms     symtab
	verifier verifierTable
	contents map[uint32]contentRef     // by SHA: where the content is in the log
	splits   map[uint32][]uint64       // by SHA: split content's parts before the last
	pending  map[string]pendingContent // split content being joined
	versions map[uint64]int32          // verKey(pacticipant, number) → index in vers
	vers     []versionRec              // free ones are listed in freeVers
	pacts    []pactRec                 // free ones have consumer 0
	earlier  map[int32][]pactRev       // pact → the revisions before its latest, oldest first
	pvIndex  map[pvKey]int32           // pair and SHA → index in pvs
	pvs      []pvRec                   // free ones have no refs
	links    []verifiedLink            // provider versions' lists of pact versions
	extras   map[extraKey]extraPart    // the rare parts of results
	free     struct{ vers, pacts, pvs, links []int32 }
	ints     map[uint32]map[uint32]*integrationRow // consumer → provider
	byProv   map[uint32]map[uint32]*integrationRow // provider → consumer
	tally    verificationTally                     // the results held (counts.go)
}

// NewContracts returns an empty read model.
func NewContracts() *Contracts {
	return &Contracts{contractsState: contractsState{
		syms: newSymtab(), verifier: newVerifierTable(),
		contents: map[uint32]contentRef{}, splits: map[uint32][]uint64{}, pending: map[string]pendingContent{},
		versions: map[uint64]int32{}, extras: map[extraKey]extraPart{}, earlier: map[int32][]pactRev{}, pvIndex: map[pvKey]int32{},
		ints: map[uint32]map[uint32]*integrationRow{}, byProv: map[uint32]map[uint32]*integrationRow{},
	}}
}

// Name implements Projector.
func (*Contracts) Name() string { return "contracts" }

// Apply implements Projector.
func (c *Contracts) Apply(e events.Envelope) {
	if !contractsIgnores(e.Data) {
		c.apply(e)
	}
}

// ApplyBatch implements BatchApplier.
func (c *Contracts) ApplyBatch(batch []events.Envelope) {
	applyRuns(&c.mu, batch, contractsIgnores, c.applyLocked)
}

func (c *Contracts) apply(e events.Envelope) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyLocked(e)
}

// applyLocked applies e; the caller holds c.mu.
func (c *Contracts) applyLocked(e events.Envelope) {
	switch p := e.Data.(type) {
	case events.VersionCreated:
		vid := c.version(c.syms.add(p.Pacticipant), c.syms.add(p.Number))
		c.vers[vid].order = e.Position
	case events.VersionDeleted:
		c.dropVersion(p.Pacticipant, p.Number)
	case events.PacticipantDeleted:
		c.dropPacticipant(p.Name)
	case events.PactContentStored:
		c.storeContent(e, p)
	case events.PactPublished:
		c.publish(p, e)
	case events.PactDeleted:
		if id := c.pactOf(p.Consumer, p.ConsumerVersion, p.Provider); id >= 0 {
			c.dropPact(id)
		}
	case events.VerificationPublished:
		c.verify(p, e)
	}
}

func (c *Contracts) publish(p events.PactPublished, e events.Envelope) {
	at := stampOf(e.OccurredAt)
	consumer, provider := c.syms.add(p.Consumer), c.syms.add(p.Provider)
	number, sha := c.syms.add(p.ConsumerVersion), c.syms.add(p.SHA)
	ig := c.integration(consumer, provider, at)
	vid := c.version(consumer, number)
	id := c.pactIn(vid, provider)
	if id < 0 {
		id = c.newPact(vid, pactRec{consumer: consumer, provider: provider, number: number, order: c.vers[vid].order})
		ig.byOrder = c.insertByOrder(ig.byOrder, id)
	} else {
		c.earlier[id] = append(c.earlier[id], c.pacts[id].rev)
	}
	c.pacts[id].rev = newRev(e.Position, at, sha, p.Revision, p.Merged)
	k := pvKey{consumer, provider, sha}
	pvid, ok := c.pvIndex[k]
	if !ok {
		pvid = c.newPV(pvRec{key: k, createdAt: at})
		ig.pvs = append(ig.pvs, pvid)
	}
	pv := &c.pvs[pvid]
	if !containsID(pv.refs, id) {
		pv.refs = c.insertByOrder(pv.refs, id)
	}
}

func (c *Contracts) verify(p events.VerificationPublished, e events.Envelope) {
	pvid := c.pvOf(domain.PactVersionKey{Consumer: p.Consumer, Provider: p.Provider, SHA: p.SHA})
	if pvid < 0 {
		return // the pact version was deleted since
	}
	pv := &c.pvs[pvid]
	v := c.newVerification(pv.key, p, e)
	if pv.latestOf(v.providerVersion) == nil {
		c.link(c.version(pv.key.provider, v.providerVersion), pvid)
	}
	pv.addResult(v)
	c.tally.add(v.success(), 1)
}
