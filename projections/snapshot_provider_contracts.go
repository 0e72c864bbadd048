package projections

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// providerContractsSnapshotVersion changes whenever the encoding does.
const providerContractsSnapshotVersion = 1

// AppendSnapshot implements Snapshotter: the contracts by provider and
// version (providers without one left out), the contents by SHA, the parts
// of split contents being joined, and the comparisons in log order. The
// index by contract SHA and the comparison indexes both ways are derived on
// restore (the latter in log order, as Apply builds them).
func (m *ProviderContracts) AppendSnapshot(b []byte) []byte {
	m.mu.RLock()
	defer m.mu.RUnlock()
	w := &snapWriter{b: b}
	w.uint(providerContractsSnapshotVersion)
	providers := slices.DeleteFunc(sortedKeys(m.byVersion), func(p string) bool { return len(m.byVersion[p]) == 0 })
	w.count(len(providers))
	for _, provider := range providers {
		w.str(provider)
		versions := m.byVersion[provider]
		w.count(len(versions))
		for _, number := range sortedKeys(versions) {
			appendProviderContract(w, versions[number])
		}
	}
	w.count(len(m.contents))
	for _, sha := range sortedKeys(m.contents) {
		c := m.contents[sha]
		w.str(c.SHA)
		w.str(c.ContentType)
		w.bytes(c.Content)
		w.time(c.CreatedAt)
	}
	w.count(len(m.pending))
	for _, sha := range sortedKeys(m.pending) {
		w.str(sha)
		chunks := m.pending[sha].Chunks()
		w.count(len(chunks))
		for _, c := range chunks {
			w.bytes(c)
		}
	}
	comparisons := slices.SortedFunc(maps.Values(m.comparisons), func(a, b *ComparisonView) int { return cmp.Compare(a.Position, b.Position) })
	w.count(len(comparisons))
	for _, c := range comparisons {
		appendComparison(w, c)
	}
	return w.b
}

func appendProviderContract(w *snapWriter, v *ProviderContractView) {
	for _, s := range []string{v.Version, v.SHA, v.ContentType, v.Specification} {
		w.str(s)
	}
	w.int(int64(v.Revision))
	w.bool(v.SelfVerification != nil)
	if sv := v.SelfVerification; sv != nil {
		w.bool(sv.Success)
		w.bytes(sv.Content)
		for _, s := range []string{sv.ContentType, sv.Format, sv.Verifier, sv.VerifierVersion} {
			w.str(s)
		}
	}
	w.time(v.CreatedAt)
	w.uint(v.Position)
}

func appendComparison(w *snapWriter, c *ComparisonView) {
	w.str(c.PactSHA)
	w.str(c.ContractSHA)
	w.bool(c.Success)
	var mismatches []byte
	if c.Mismatches != nil {
		mismatches, _ = json.Marshal(c.Mismatches) // plain JSON values: cannot fail
	}
	w.bytes(mismatches)
	w.int(int64(c.Truncated))
	w.str(c.Engine)
	w.time(c.ComparedAt)
	w.int(int64(c.Duration))
	w.time(c.CreatedAt)
	w.uint(c.Position)
}

// RestoreSnapshot implements Snapshotter.
func (m *ProviderContracts) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != providerContractsSnapshotVersion {
		return fmt.Errorf("%w: provider contracts encoding %d, want %d", ErrSnapshotCorrupt, v, providerContractsSnapshotVersion)
	}
	fresh := NewProviderContracts()
	for n := r.count(); n > 0 && r.err == nil; n-- {
		provider := r.str()
		versions := map[string]*ProviderContractView{}
		for k := r.count(); k > 0 && r.err == nil; k-- {
			v := readProviderContract(r, provider)
			versions[v.Version] = v
			if fresh.bySHA[v.SHA] == nil {
				fresh.bySHA[v.SHA] = map[versionKey]struct{}{}
			}
			fresh.bySHA[v.SHA][versionKey{provider, v.Version}] = struct{}{}
		}
		fresh.byVersion[provider] = versions
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		c := &ContractContentView{SHA: r.str(), ContentType: r.str(), Content: r.bytes(), CreatedAt: r.time()}
		fresh.contents[c.SHA] = c
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		sha := r.str()
		var chunks [][]byte
		for k := r.count(); k > 0 && r.err == nil; k-- {
			chunks = append(chunks, r.bytes())
		}
		fresh.pending[sha] = domain.ResumeContractContent(chunks)
	}
	var last uint64
	for n := r.count(); n > 0 && r.err == nil; n-- {
		c := readComparison(r)
		k := domain.ComparisonKey{PactSHA: c.PactSHA, ContractSHA: c.ContractSHA}
		if fresh.comparisons[k] != nil || c.Position <= last && last != 0 {
			r.fail("comparisons out of order")
			break
		}
		last = c.Position
		fresh.comparisons[k] = c
		fresh.byPact[c.PactSHA] = append(fresh.byPact[c.PactSHA], c.ContractSHA)
		fresh.byContract[c.ContractSHA] = append(fresh.byContract[c.ContractSHA], c.PactSHA)
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("provider contracts: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byVersion, m.bySHA, m.contents, m.pending = fresh.byVersion, fresh.bySHA, fresh.contents, fresh.pending
	m.comparisons, m.byPact, m.byContract = fresh.comparisons, fresh.byPact, fresh.byContract
	m.successfulComparisons = 0 // derived (counts.go): counted again
	for _, c := range m.comparisons {
		if c.Success {
			m.successfulComparisons++
		}
	}
	return nil
}

func readProviderContract(r *snapReader, provider string) *ProviderContractView {
	v := &ProviderContractView{Provider: provider, Version: r.str(), SHA: r.str(), ContentType: r.str(), Specification: r.str(),
		Revision: int(r.int())}
	if r.bool() {
		v.SelfVerification = &events.SelfVerification{Success: r.bool(), Content: r.bytes(), ContentType: r.str(),
			Format: r.str(), Verifier: r.str(), VerifierVersion: r.str()}
	}
	v.CreatedAt, v.Position = r.time(), r.uint()
	return v
}

func readComparison(r *snapReader) *ComparisonView {
	c := &ComparisonView{}
	c.PactSHA, c.ContractSHA, c.Success = r.str(), r.str(), r.bool()
	if raw := r.bytes(); raw != nil {
		if err := json.Unmarshal(raw, &c.Mismatches); err != nil {
			r.fail("comparison mismatches")
		}
	}
	c.Truncated, c.Engine, c.ComparedAt = int(r.int()), r.str(), r.time()
	c.Duration = time.Duration(r.int())
	c.CreatedAt, c.Position = r.time(), r.uint()
	return c
}

var _ Snapshotter = (*ProviderContracts)(nil)
