package projections

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// verification is one stored result in 32 bytes without pointers: a pact
// version holds its results by value in one slice, without the pact
// version's key (the row has it). The parts most results lack (the
// verifier's date when it differs from the publication time, test results
// and selectors) are in Contracts.extras, by position. There are about six
// per provider version, so every byte here counts many times.
type verification struct {
	position        uint64
	createdAt       stamp
	number          int32
	providerVersion uint32 // symbol
	buildURL        uint32 // symbol
	verifiedBy      uint16 // in Contracts.verifier; manyVerifiers: in the extra part
	flags           uint8
}

const (
	resultSuccess uint8 = 1 << iota
	resultWIP
	resultPending
	resultExtra // Contracts.extras has a part for it
)

// manyVerifiers marks a result whose verifier details are numbered beyond
// what the uint16 holds.
const manyVerifiers = 1<<16 - 1

func (v *verification) success() bool { return v.flags&resultSuccess != 0 }

// extraPart is what a result rarely has.
type extraPart struct {
	verificationDate       *time.Time // nil: the result's createdAt
	testResults, selectors json.RawMessage
	verifiedBy             uint32 // when verification.verifiedBy is manyVerifiers
}

func flag(b bool, f uint8) uint8 {
	if b {
		return f
	}
	return 0
}

func (c *Contracts) newVerification(k pvKey, p events.VerificationPublished, e events.Envelope) verification {
	v := verification{number: int32(p.Number), providerVersion: c.syms.add(p.ProviderVersion), buildURL: c.syms.add(p.BuildURL),
		createdAt: stampOf(e.OccurredAt), position: e.Position,
		flags: flag(p.Success, resultSuccess) | flag(p.WIP, resultWIP) | flag(p.Pending, resultPending)}
	x := extraPart{testResults: p.TestResults, selectors: p.Selectors}
	if p.VerificationDate != nil {
		if d := p.VerificationDate.UTC(); stampOf(d) != v.createdAt || !d.Equal(v.createdAt.time()) {
			x.verificationDate = &d
		}
	}
	c.setVerifiedBy(&v, &x, c.verifier.add(p.VerifiedBy))
	c.addExtra(k, &v, x)
	return v
}

func (c *Contracts) setVerifiedBy(v *verification, x *extraPart, id uint32) {
	if id < manyVerifiers {
		v.verifiedBy = uint16(id)
	} else {
		v.verifiedBy, x.verifiedBy = manyVerifiers, id
	}
}

// extraKey names a result of a pact version: by position, which is unique
// in a log, and by number, in case some log is not.
type extraKey struct {
	pv       pvKey
	number   int32
	position uint64
}

func resultKey(k pvKey, v *verification) extraKey { return extraKey{k, v.number, v.position} }

// addExtra stores x for v unless it is empty.
func (c *Contracts) addExtra(k pvKey, v *verification, x extraPart) {
	if x.verificationDate == nil && x.testResults == nil && x.selectors == nil && x.verifiedBy == 0 {
		return
	}
	v.flags |= resultExtra
	c.extras[resultKey(k, v)] = x
}

// dropExtra drops a result's extra part.
func (c *Contracts) dropExtra(k pvKey, v *verification) {
	if v.flags&resultExtra != 0 {
		delete(c.extras, resultKey(k, v))
	}
}

func (c *Contracts) extra(k pvKey, v *verification) extraPart {
	if v.flags&resultExtra == 0 {
		return extraPart{}
	}
	return c.extras[resultKey(k, v)]
}

func (c *Contracts) verifierOf(k pvKey, v *verification) uint32 {
	if v.verifiedBy == manyVerifiers {
		return c.extra(k, v).verifiedBy
	}
	return uint32(v.verifiedBy)
}

func (c *Contracts) date(k pvKey, v *verification) time.Time {
	if x := c.extra(k, v); x.verificationDate != nil {
		return *x.verificationDate
	}
	return v.createdAt.time()
}

// view expands a result for readers; the verifier details are copied, the
// JSON is shared (read-only).
func (c *Contracts) verificationView(k pvKey, v *verification) VerificationView {
	x := c.extra(k, v)
	out := VerificationView{PactVersionKey: c.pvKeyOf(k), Number: int(v.number), ProviderVersion: c.syms.str(v.providerVersion),
		Success: v.success(), BuildURL: c.syms.str(v.buildURL), TestResults: x.testResults, VerifiedBy: c.verifier.get(c.verifierOf(k, v)),
		CreatedAt: v.createdAt.time(), WIP: v.flags&resultWIP != 0, Pending: v.flags&resultPending != 0, Selectors: x.selectors,
		Position: v.position}
	out.VerificationDate = out.CreatedAt
	if x.verificationDate != nil {
		out.VerificationDate = *x.verificationDate
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

func (c *Contracts) result(k pvKey, v *verification) VerificationResult {
	return VerificationResult{ProviderVersion: c.syms.str(v.providerVersion), Number: int(v.number), Success: v.success(),
		CreatedAt: v.createdAt.time(), VerificationDate: c.date(k, v), Position: v.position}
}

// latestAt finds a provider version in the latest index, as a binary
// search does (its place, and whether it is there). It gallops from the
// end first: symbols are numbered as versions appear, so the provider
// versions a query asks about (deployed, recent) and those a new result
// adds sit at the end of a long index, and each probe of a binary search
// over the whole index reads a result far from the last (a cache miss when
// the pact version is old and much verified).
func (pv *pvRec) latestAt(providerVersion uint32) (int, bool) {
	lo, hi := 0, len(pv.latest) // the place is in [lo, hi]
	for step := 1; hi > lo; step *= 2 {
		j := max(lo, hi-step)
		k := pv.latest[j].providerVersion
		if k == providerVersion {
			return j, true
		}
		if k < providerVersion {
			lo = j + 1
			break
		}
		hi = j
	}
	i, found := slices.BinarySearchFunc(pv.latest[lo:hi], providerVersion, func(l latestRef, pvn uint32) int {
		return cmp.Compare(l.providerVersion, pvn)
	})
	return lo + i, found
}

// addResult appends a result to a pact version and indexes it.
// A pact version's results grow by a quarter (at least 4), not double as
// append does: they are the model's bulk, and most pact versions stop
// growing soon.
func (pv *pvRec) addResult(v verification) {
	if n := len(pv.results); n == cap(pv.results) {
		pv.results = append(make([]verification, 0, n+max(4, n/4)), pv.results...)
	}
	pv.results = append(pv.results, v)
	pv.index(int32(len(pv.results) - 1))
}

// index enters result i in the latest index, if it is its provider
// version's latest so far.
func (pv *pvRec) index(i int32) {
	v := &pv.results[i]
	j, found := pv.latestAt(v.providerVersion)
	switch {
	case !found:
		pv.latest = slices.Insert(pv.latest, j, latestRef{v.providerVersion, i})
	case pv.results[pv.latest[j].result].number < v.number:
		pv.latest[j].result = i
	}
}

// reindex rebuilds the latest index after results were removed.
func (pv *pvRec) reindex() {
	pv.latest = pv.latest[:0]
	for i := range pv.results {
		pv.index(int32(i))
	}
}

// latestOf returns a provider version's latest result, or nil.
func (pv *pvRec) latestOf(providerVersion uint32) *verification {
	if j, found := pv.latestAt(providerVersion); found {
		return &pv.results[pv.latest[j].result]
	}
	return nil
}

// EachVerificationResult calls fn with a pact version's results in number
// order (only providerVersion's unless it is ""), under the read lock: fn
// must not call the model. It reports whether the pact version exists.
func (c *Contracts) EachVerificationResult(k domain.PactVersionKey, providerVersion string, fn func(VerificationResult)) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id := c.pvOf(k)
	if id < 0 {
		return false
	}
	pvn, known := c.syms.id(providerVersion)
	if providerVersion != "" && !known {
		return true
	}
	pv := &c.pvs[id]
	for i := range pv.results {
		if v := &pv.results[i]; providerVersion == "" || v.providerVersion == pvn {
			fn(c.result(pv.key, v))
		}
	}
	return true
}

// LatestVerificationResult is LatestVerificationFor without the copies.
func (c *Contracts) LatestVerificationResult(k domain.PactVersionKey, providerVersion string) (VerificationResult, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if pv, v := c.latestFor(k, providerVersion); v != nil {
		return c.result(pv.key, v), true
	}
	return VerificationResult{}, false
}

// latestFor returns a pact version and the latest result of a provider
// version for it, or nils.
func (c *Contracts) latestFor(k domain.PactVersionKey, providerVersion string) (*pvRec, *verification) {
	id := c.pvOf(k)
	pvn, ok := c.syms.id(providerVersion)
	if id < 0 || !ok {
		return nil, nil
	}
	pv := &c.pvs[id]
	return pv, pv.latestOf(pvn)
}
