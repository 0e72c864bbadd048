package app

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// matrixReader answers queries.MatrixReader from the read models. It lives
// here, not in projections, because its types are the queries package's and
// the inner folders do not import one another beyond the design's arrows.
// Every method is an indexed read of one or two models.
type matrixReader struct {
	*projections.View
	bdct *bdctReader // nil: no bi-directional results
}

var _ queries.MatrixReader = matrixReader{}

func (m matrixReader) Pacticipant(name string) (queries.PacticipantInfo, bool) {
	stored, main, ok := m.Catalog.PacticipantBrief(name)
	return queries.PacticipantInfo{Name: stored, MainBranch: main}, ok
}

// ReadVersion reads the version in one visit of the catalog that reads
// only what rows show (no build URL; heads compared by slot), into the
// caller's lists.
func (m matrixReader) ReadVersion(out *queries.VersionInfo, pacticipant, number string) bool {
	return m.Catalog.ReadVersionBrief(out, pacticipant, number)
}

func (m matrixReader) VersionStamp(pacticipant, number string) (uint64, time.Time, bool) {
	return m.Catalog.VersionStamp(pacticipant, number)
}

func (m matrixReader) LatestVersion(pacticipant string) (string, bool) {
	p, ok := m.Catalog.Pacticipant(pacticipant)
	return p.LatestVersion, ok && p.LatestVersion != ""
}

func (m matrixReader) LatestVersionWithTag(pacticipant, tag string) (string, bool) {
	return m.Catalog.LatestVersionNumberWithTag(pacticipant, tag)
}

func (m matrixReader) VersionsWithTag(pacticipant, tag string) []string {
	return m.Catalog.VersionsWithTag(pacticipant, tag)
}

func (m matrixReader) BranchHead(pacticipant, branch string) (string, bool) {
	return m.Catalog.BranchHead(pacticipant, branch)
}

func (m matrixReader) BranchVersions(pacticipant, branch string) []string {
	return m.Catalog.BranchVersionNumbers(pacticipant, branch)
}

func (m matrixReader) EnvironmentExists(name string) bool {
	_, ok := m.Catalog.EnvironmentByName(name)
	return ok
}

func (m matrixReader) AppendVersionsInEnvironment(dst []string, pacticipant, environment string) []string {
	env, ok := m.Catalog.EnvironmentByName(environment)
	if !ok {
		return dst
	}
	return m.Deployments.AppendLiveVersions(dst, env.UUID, pacticipant)
}

func (m matrixReader) AppendCurrentEnvironments(dst []queries.EnvironmentInfo, pacticipant, version string) []queries.EnvironmentInfo {
	type first struct {
		uuid string
		at   int64
	}
	var buf [4]first // a version is live in a few environments: no allocation
	seen := buf[:0]
	note := func(uuid string, at int64) {
		if i := slices.IndexFunc(seen, func(f first) bool { return f.uuid == uuid }); i >= 0 {
			seen[i].at = min(seen[i].at, at)
			return
		}
		seen = append(seen, first{uuid, at})
	}
	m.Deployments.EachLiveEnvironment(pacticipant, version, func(uuid string, createdAt time.Time) {
		note(uuid, createdAt.UnixNano())
	})
	slices.SortFunc(seen, func(a, b first) int { return cmp.Or(cmp.Compare(a.at, b.at), strings.Compare(a.uuid, b.uuid)) })
	out := dst
	for _, f := range seen {
		if env, ok := m.Catalog.EnvironmentView(f.uuid); ok {
			out = append(out, queries.EnvironmentInfo{UUID: env.UUID, Name: env.Name, DisplayName: env.DisplayName,
				Production: env.Production, CreatedAt: env.CreatedAt, UpdatedAt: env.UpdatedAt})
		}
	}
	return out
}

// pacts collects the revisions a Contracts visitor hands out: every
// revision of each pact, the current one flagged Latest.
type pacts []queries.Pact

func (ps *pacts) add(p *projections.PactView, latest bool) {
	*ps = append(*ps, queries.Pact{Consumer: p.Consumer, Provider: p.Provider, ConsumerVersion: p.ConsumerVersion, SHA: p.SHA,
		Revision: p.Revision, Latest: latest, CreatedAt: p.CreatedAt, Order: p.Position})
}

func (m matrixReader) Pacts(consumer, consumerVersion string) []queries.Pact {
	return m.AppendPacts(nil, consumer, consumerVersion)
}

func (m matrixReader) AppendPacts(dst []queries.Pact, consumer, consumerVersion string) []queries.Pact {
	out := pacts(dst)
	m.Contracts.EachPactRevisionOfConsumerVersion(consumer, consumerVersion, out.add)
	return out
}

// PactsBetween counts the revisions first, so that the list (a pair's whole
// history) is allocated once; a publication between the two walks only
// costs a reallocation.
func (m matrixReader) PactsBetween(consumer, provider string) []queries.Pact {
	n := 0
	m.Contracts.EachPactRevisionOfIntegration(consumer, provider, func(*projections.PactView, bool) { n++ })
	out := make(pacts, 0, n)
	m.Contracts.EachPactRevisionOfIntegration(consumer, provider, out.add)
	return out
}

func (m matrixReader) PactsWithContent(consumer, provider, sha string) []queries.Pact {
	var out pacts
	m.Contracts.EachPactRevisionWithContent(domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}, out.add)
	return out
}

// AppendConsumers and Providers read the names only (not each
// integration's row): the queries sort what they build from them.
func (m matrixReader) AppendConsumers(dst []string, provider string) []string {
	return m.Contracts.AppendConsumerNames(dst, provider)
}

func (m matrixReader) Providers(consumer string) []string {
	return m.Contracts.ProviderNames(consumer)
}

func verification(v projections.VerificationResult) queries.Verification {
	return queries.Verification{ProviderVersion: v.ProviderVersion, Number: v.Number, Success: v.Success,
		CreatedAt: v.CreatedAt, ExecutedAt: v.VerificationDate, Order: v.Position}
}

func (m matrixReader) LatestVerification(consumer, provider, sha, providerVersion string) (queries.Verification, bool) {
	v, ok := m.Contracts.LatestVerificationResult(domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}, providerVersion)
	if !ok {
		return m.bdct.result(sha, provider, providerVersion)
	}
	return verification(v), ok
}

// Verifications visits the results without copying the rest of each one
// (test results, verifier details), which the matrix does not show.
func (m matrixReader) Verifications(consumer, provider, sha, providerVersion string) []queries.Verification {
	var out []queries.Verification
	m.Contracts.EachVerificationResult(domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}, providerVersion,
		func(v projections.VerificationResult) { out = append(out, verification(v)) })
	if m.bdct == nil {
		return out
	}
	if providerVersion != "" {
		if len(out) == 0 {
			if v, ok := m.bdct.result(sha, provider, providerVersion); ok {
				out = append(out, v)
			}
		}
		return out
	}
	verified := make(map[string]bool, len(out))
	for _, v := range out {
		verified[v.ProviderVersion] = true
	}
	return append(out, m.bdct.completed(sha, provider, verified)...)
}

// LatestVerifications is LatestPerProviderVersion of Verifications(…, ""),
// kept as the results are visited: one list of at most one result per
// provider version, no copy of the rest.
func (m matrixReader) LatestVerifications(consumer, provider, sha string) []queries.Verification {
	var l queries.LatestResults
	m.Contracts.EachVerificationResult(domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}, "",
		func(v projections.VerificationResult) { l.Add(verification(v)) })
	if m.bdct == nil {
		return l.List
	}
	verified := make(map[string]bool, len(l.List))
	for _, v := range l.List {
		verified[v.ProviderVersion] = true
	}
	for _, v := range m.bdct.completed(sha, provider, verified) {
		l.Add(v)
	}
	return l.List
}

func (m matrixReader) VerifiedPactVersions(provider, providerVersion string) []queries.PactVersion {
	keys := m.Contracts.PactVersionsVerifiedBy(provider, providerVersion)
	out := make([]queries.PactVersion, len(keys))
	for i, k := range keys {
		out[i] = queries.PactVersion{Consumer: k.Consumer, SHA: k.SHA}
	}
	return m.bdct.comparedPactVersions(provider, providerVersion, out)
}
