package projections

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// verification is one stored result, compact: a pact version holds its
// results by value in one slice (no object per result), without the pact
// version's key (the row has it), with the verifier's date only when it
// differs from the publication time. There are about six per provider
// version, so every byte here counts many times.
type verification struct {
	number                int32
	success, wip, pending bool
	providerVersion       string // interned
	buildURL              string // interned
	verifiedBy            *events.VerifiedBy
	createdAt             time.Time
	verificationDate      *time.Time // nil: createdAt
	position              uint64
	json                  *resultJSON // nil: neither test results nor selectors
}

// resultJSON is the JSON a result may carry, kept apart because most
// results carry none.
type resultJSON struct {
	testResults, selectors json.RawMessage
}

func (v *verification) testResults() json.RawMessage {
	if v.json == nil {
		return nil
	}
	return v.json.testResults
}

func (v *verification) selectors() json.RawMessage {
	if v.json == nil {
		return nil
	}
	return v.json.selectors
}

func newResultJSON(testResults, selectors json.RawMessage) *resultJSON {
	if testResults == nil && selectors == nil {
		return nil
	}
	return &resultJSON{testResults, selectors}
}

func newVerification(p events.VerificationPublished, e events.Envelope, in interner) verification {
	v := verification{number: int32(p.Number), success: p.Success, wip: p.WIP, pending: p.Pending,
		providerVersion: in.str(p.ProviderVersion), buildURL: in.str(p.BuildURL), verifiedBy: in.verifiedBy(p.VerifiedBy),
		createdAt: e.OccurredAt, position: e.Position, json: newResultJSON(p.TestResults, p.Selectors)}
	if p.VerificationDate != nil {
		if d := p.VerificationDate.UTC(); d != v.createdAt {
			v.verificationDate = &d
		}
	}
	return v
}

func (v *verification) date() time.Time {
	if v.verificationDate != nil {
		return *v.verificationDate
	}
	return v.createdAt
}

// view expands a result for readers; the verifier details are copied, the
// JSON is shared (read-only).
func (v *verification) view(k domain.PactVersionKey) VerificationView {
	out := VerificationView{PactVersionKey: k, Number: int(v.number), ProviderVersion: v.providerVersion, Success: v.success,
		BuildURL: v.buildURL, TestResults: v.testResults(), VerificationDate: v.date(), CreatedAt: v.createdAt,
		WIP: v.wip, Pending: v.pending, Selectors: v.selectors(), Position: v.position}
	if v.verifiedBy != nil {
		by := *v.verifiedBy
		out.VerifiedBy = &by
	}
	return out
}

// VerificationResult is what the matrix reads of a result: no JSON and no
// verifier details, so nothing to copy or allocate.
type VerificationResult struct {
	ProviderVersion  string
	Number           int
	Success          bool
	CreatedAt        time.Time
	VerificationDate time.Time // as given by the verifier, else CreatedAt
	Position         uint64
}

func (v *verification) result() VerificationResult {
	return VerificationResult{ProviderVersion: v.providerVersion, Number: int(v.number), Success: v.success,
		CreatedAt: v.createdAt, VerificationDate: v.date(), Position: v.position}
}

// addResult appends a result to a pact version and indexes it.
func (pv *pactVersionRow) addResult(v verification) {
	pv.verifications = append(pv.verifications, v)
	i := int32(len(pv.verifications) - 1)
	if cur, ok := pv.latestByPV[v.providerVersion]; !ok || pv.verifications[cur].number < v.number {
		pv.latestByPV[v.providerVersion] = i
	}
}

// dropResultsOf removes a provider version's results and re-indexes.
func (pv *pactVersionRow) dropResultsOf(providerVersion string) {
	pv.verifications = slices.DeleteFunc(pv.verifications, func(v verification) bool { return v.providerVersion == providerVersion })
	clear(pv.latestByPV)
	for i := range pv.verifications {
		v := &pv.verifications[i]
		if cur, ok := pv.latestByPV[v.providerVersion]; !ok || pv.verifications[cur].number < v.number {
			pv.latestByPV[v.providerVersion] = int32(i)
		}
	}
}

// latestOf returns a provider version's latest result, or nil.
func (pv *pactVersionRow) latestOf(providerVersion string) *verification {
	i, ok := pv.latestByPV[providerVersion]
	if !ok {
		return nil
	}
	return &pv.verifications[i]
}

// EachVerificationResult calls fn with a pact version's results in number
// order (only providerVersion's unless it is ""), under the read lock: fn
// must not call the model. It reports whether the pact version exists.
func (c *Contracts) EachVerificationResult(k domain.PactVersionKey, providerVersion string, fn func(VerificationResult)) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil {
		return false
	}
	for i := range pv.verifications {
		if v := &pv.verifications[i]; providerVersion == "" || v.providerVersion == providerVersion {
			fn(v.result())
		}
	}
	return true
}

// LatestVerificationResult is LatestVerificationFor without the copies.
func (c *Contracts) LatestVerificationResult(k domain.PactVersionKey, providerVersion string) (VerificationResult, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	pv := c.pactVersions[k]
	if pv == nil {
		return VerificationResult{}, false
	}
	if v := pv.latestOf(providerVersion); v != nil {
		return v.result(), true
	}
	return VerificationResult{}, false
}
