package projections

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// ProviderContractView is the contract a provider version holds (its latest
// revision). SelfVerification is shared: treat it as read-only.
type ProviderContractView struct {
	Provider, Version string
	SHA, ContentType  string
	Specification     string
	Revision          int
	SelfVerification  *events.SelfVerification // nil: none published
	CreatedAt         time.Time                // when this revision was published
	// Position is the log position of this revision's publication: unique
	// and increasing across every publication.
	Position uint64
}

// SelfVerified reports whether the provider's own tests passed.
func (v ProviderContractView) SelfVerified() bool {
	return v.SelfVerification != nil && v.SelfVerification.Success
}

// ContractContentView is stored contract content. Content is shared: treat
// it as read-only.
type ContractContentView struct {
	SHA, ContentType string
	Content          []byte
	CreatedAt        time.Time
}

// ComparisonView is a completed comparison. Its mismatches are shared:
// treat them as read-only.
type ComparisonView struct {
	events.ComparisonCompleted
	CreatedAt time.Time
	Position  uint64
}

// ProviderContracts is the read model of bi-directional contract testing:
// provider contracts per provider version, their content by SHA, and the
// completed comparisons by (pact SHA, contract SHA) with indexes both ways.
// Every read is a map lookup or a walk over its answer; its methods are
// safe for concurrent use. Deleting a version drops its contract; deleting
// an application drops all of its contracts. Content and comparisons stay:
// they are addressed by hash and may serve other versions.
type ProviderContracts struct {
	mu          sync.RWMutex
	byVersion   map[string]map[string]*ProviderContractView // provider → version
	bySHA       map[string]map[versionKey]struct{}          // contract sha → provider versions holding it
	contents    map[string]*ContractContentView
	pending     map[string]domain.ContractContent // split content being joined
	comparisons map[domain.ComparisonKey]*ComparisonView
	byPact      map[string][]string // pact sha → contract shas compared with it
	byContract  map[string][]string // contract sha → pact shas compared with it
	// successfulComparisons counts comparisons without an error (counts.go).
	successfulComparisons int
}

// NewProviderContracts returns an empty read model.
func NewProviderContracts() *ProviderContracts {
	return &ProviderContracts{
		byVersion: map[string]map[string]*ProviderContractView{}, bySHA: map[string]map[versionKey]struct{}{},
		contents: map[string]*ContractContentView{}, pending: map[string]domain.ContractContent{},
		comparisons: map[domain.ComparisonKey]*ComparisonView{}, byPact: map[string][]string{}, byContract: map[string][]string{},
	}
}

// Name implements Projector.
func (*ProviderContracts) Name() string { return "provider-contracts" }

// ApplyBatch implements BatchApplier: Apply for each event (most events
// return before locking).
func (m *ProviderContracts) ApplyBatch(batch []events.Envelope) {
	for _, e := range batch {
		m.Apply(e)
	}
}

// Apply implements Projector.
func (m *ProviderContracts) Apply(e events.Envelope) {
	if !providerContractsIgnores(e.Data) {
		m.apply(e)
	}
}

func (m *ProviderContracts) apply(e events.Envelope) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch p := e.Data.(type) {
	case events.ProviderContractContentStored:
		if m.contents[p.SHA] != nil {
			return
		}
		st := domain.EvolveContractContent(m.pending[p.SHA], e)
		if !st.Exists {
			m.pending[p.SHA] = st
			return
		}
		delete(m.pending, p.SHA)
		m.contents[p.SHA] = &ContractContentView{SHA: p.SHA, ContentType: st.ContentType, Content: st.Content, CreatedAt: e.OccurredAt}
	case events.ProviderContractPublished:
		m.drop(p.Provider, p.ProviderVersion)
		if m.byVersion[p.Provider] == nil {
			m.byVersion[p.Provider] = map[string]*ProviderContractView{}
		}
		m.byVersion[p.Provider][p.ProviderVersion] = &ProviderContractView{Provider: p.Provider, Version: p.ProviderVersion,
			SHA: p.SHA, ContentType: p.ContentType, Specification: p.Specification, Revision: p.Revision,
			SelfVerification: p.SelfVerification, CreatedAt: e.OccurredAt, Position: e.Position}
		if m.bySHA[p.SHA] == nil {
			m.bySHA[p.SHA] = map[versionKey]struct{}{}
		}
		m.bySHA[p.SHA][versionKey{p.Provider, p.ProviderVersion}] = struct{}{}
	case events.ComparisonCompleted:
		k := domain.ComparisonKey{PactSHA: p.PactSHA, ContractSHA: p.ContractSHA}
		if m.comparisons[k] != nil {
			return
		}
		m.comparisons[k] = &ComparisonView{ComparisonCompleted: p, CreatedAt: e.OccurredAt, Position: e.Position}
		if p.Success {
			m.successfulComparisons++
		}
		m.byPact[p.PactSHA] = append(slices.Clip(m.byPact[p.PactSHA]), p.ContractSHA)
		m.byContract[p.ContractSHA] = append(slices.Clip(m.byContract[p.ContractSHA]), p.PactSHA)
	case events.VersionDeleted:
		m.drop(p.Pacticipant, p.Number)
	case events.PacticipantDeleted:
		for v := range m.byVersion[p.Name] {
			m.drop(p.Name, v)
		}
		delete(m.byVersion, p.Name)
	}
}

// drop removes a provider version's contract from both indexes.
func (m *ProviderContracts) drop(provider, version string) {
	old := m.byVersion[provider][version]
	if old == nil {
		return
	}
	delete(m.byVersion[provider], version)
	delete(m.bySHA[old.SHA], versionKey{provider, version})
	if len(m.bySHA[old.SHA]) == 0 {
		delete(m.bySHA, old.SHA)
	}
}

// Contract returns the contract a provider version holds.
func (m *ProviderContracts) Contract(provider, version string) (ProviderContractView, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v := m.byVersion[provider][version]
	if v == nil {
		return ProviderContractView{}, false
	}
	return *v, true
}

// HasContracts reports whether any version of provider holds a contract;
// the matrix reader asks it first, so pact-only providers cost one lookup.
func (m *ProviderContracts) HasContracts(provider string) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.byVersion[provider]) > 0
}

// ContractsOf lists the contracts of a provider's versions, oldest
// publication first.
func (m *ProviderContracts) ContractsOf(provider string) []ProviderContractView {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]ProviderContractView, 0, len(m.byVersion[provider]))
	for _, v := range m.byVersion[provider] {
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b ProviderContractView) int { return cmp.Compare(a.Position, b.Position) })
	return out
}

// VersionsWithContract lists the versions of provider whose contract has
// content sha, in any order.
func (m *ProviderContracts) VersionsWithContract(provider, sha string) []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []string
	for k := range m.bySHA[sha] {
		if k.pacticipant == provider {
			out = append(out, k.number)
		}
	}
	return out
}

// Content returns stored contract content.
func (m *ProviderContracts) Content(sha string) (ContractContentView, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c := m.contents[sha]
	if c == nil {
		return ContractContentView{}, false
	}
	return *c, true
}

// Comparison returns a completed comparison.
func (m *ProviderContracts) Comparison(k domain.ComparisonKey) (ComparisonView, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c := m.comparisons[k]
	if c == nil {
		return ComparisonView{}, false
	}
	return *c, true
}

// ContractsComparedWith lists the contract SHAs compared with a pact SHA.
func (m *ProviderContracts) ContractsComparedWith(pactSHA string) []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.byPact[pactSHA])
}

// PactsComparedWith lists the pact SHAs compared with a contract SHA.
func (m *ProviderContracts) PactsComparedWith(contractSHA string) []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.byContract[contractSHA])
}
