package queries

import (
	"slices"
	"time"
)

// fvProvider answers the pending and WIP questions for one request's
// provider build (its branch or tags), caching the provider versions that
// published results and the results of each pact version.
type fvProvider struct {
	r        PactsForVerificationReader
	req      PactsForVerificationRequest
	versions map[string]VersionRef
	results  map[[2]string][]VerificationRef // by consumer and sha
}

func newFVProvider(r PactsForVerificationReader, req PactsForVerificationRequest) *fvProvider {
	return &fvProvider{r: r, req: req, versions: map[string]VersionRef{}, results: map[[2]string][]VerificationRef{}}
}

func (p *fvProvider) version(number string) VersionRef {
	v, ok := p.versions[number]
	if !ok {
		v, _ = p.r.Version(p.req.Provider, number)
		p.versions[number] = v
	}
	return v
}

func (p *fvProvider) successes(consumer, sha string) []VerificationRef {
	k := [2]string{consumer, sha}
	rs, ok := p.results[k]
	if !ok {
		rs = p.r.SuccessfulVerifications(consumer, p.req.Provider, sha)
		p.results[k] = rs
	}
	return rs
}

// fvScope is which results count and which clock decides "before".
type fvScope struct {
	skipWIP  bool // only results not published through a WIP pact URL (the WIP rule)
	executed bool // compare the verification date (WIP) rather than the recording time (pending)
}

// verifiedFrom reports whether some counted result was published by a
// provider version on branch (tagged tag, when tag is true) — or, with
// other, by a version on a different branch (with a different tag), before
// the branch (tag) existed; a branch (tag) that does not exist yet puts no
// bound on the time.
func (p *fvProvider) verifiedFrom(results []VerificationRef, name string, tag, other bool, sc fvScope) bool {
	var since time.Time
	var exists bool
	if other && tag {
		t, ok := p.r.Tag(p.req.Provider, name)
		since, exists = t.FirstCreatedAt, ok
	} else if other {
		b, ok := p.r.Branch(p.req.Provider, name)
		since, exists = b.CreatedAt, ok
	}
	return slices.ContainsFunc(results, func(res VerificationRef) bool {
		if sc.skipWIP && res.WIP {
			return false
		}
		v := p.version(res.ProviderVersion)
		names := v.Branches
		if tag {
			names = v.Tags
		}
		if !other {
			return slices.Contains(names, name)
		}
		at := res.CreatedAt
		if sc.executed {
			at = res.ExecutedAt
		}
		return slices.ContainsFunc(names, func(n string) bool { return n != name }) && (!exists || at.Before(since))
	})
}

// pendingFor applies the pending rule (reference §6.1) to one pact version
// for one provider branch (tag): pending unless a version on that branch
// (with that tag) verified it successfully, or a version on another branch
// (with another tag) did before the branch (tag) was created.
func (p *fvProvider) pendingFor(results []VerificationRef, name string, tag bool, sc fvScope) bool {
	return !p.verifiedFrom(results, name, tag, false, sc) && !p.verifiedFrom(results, name, tag, true, sc)
}

// setPending sets the pending status of a selected pact: by the provider
// branch when given, else by each provider tag (pending when any is),
// else pending until any provider version verifies it successfully.
// Every result counts here, WIP ones included, as in the Pact Broker.
func (p *fvProvider) setPending(vp *VerifiablePact) {
	results := p.successes(vp.Consumer, vp.SHA)
	switch {
	case p.req.ProviderVersionBranch != "":
		vp.Pending = p.pendingFor(results, p.req.ProviderVersionBranch, false, fvScope{})
	case len(p.req.ProviderVersionTags) > 0:
		vp.PendingProviderTags, vp.NonPendingProviderTags = nil, nil
		for _, t := range p.req.ProviderVersionTags {
			if p.pendingFor(results, t, true, fvScope{}) {
				vp.PendingProviderTags = append(vp.PendingProviderTags, t)
			} else {
				vp.NonPendingProviderTags = append(vp.NonPendingProviderTags, t)
			}
		}
		vp.Pending = len(vp.PendingProviderTags) > 0
	default:
		vp.Pending = len(results) == 0
	}
}

// wip returns the work-in-progress pacts: the pacts of every consumer
// branch head and tag head published after since, that the selectors did
// not choose (by pact version), and that are pending for the provider
// branch — or for a provider tag, each tag on its own. Only results not
// published as WIP count, compared by verification date. They are pending
// and WIP, chosen by a "latest for branch/tag" selector, merged by pact
// version and sorted like the selected pacts.
//
// Hazard: it reads every branch and tag head of every consumer of the
// provider, and the results of each candidate. The Pact Broker also bounds
// the results it consults by a look-back window
// (verified_by_other_branch_before_this_branch_look_back); pactledger
// consults all. Where the Pact Broker compares with the creation of the
// provider branch's first version, pactledger uses the branch's creation
// (when its first version joined it).
func (p *fvProvider) wip(consumers []string, since time.Time, explicit []VerifiablePact) []VerifiablePact {
	chosen := map[[2]string]bool{}
	for _, vp := range explicit {
		chosen[[2]string{vp.Consumer, vp.SHA}] = true
	}
	var candidates []fvSelected
	add := func(consumer, head string, sel ConsumerVersionSelector) {
		pact, ok := p.r.Pact(consumer, head, p.req.Provider)
		if ok && pact.CreatedAt.After(since) && !chosen[[2]string{consumer, pact.SHA}] {
			candidates = append(candidates, fvResolve(pact, sel))
		}
	}
	for _, c := range consumers {
		for _, b := range p.r.Branches(c) {
			add(c, b.Head, ConsumerVersionSelector{Branch: b.Name, Latest: fvTrue()})
		}
		for _, t := range p.r.Tags(c) {
			add(c, t.Head, ConsumerVersionSelector{Tag: t.Name, Latest: fvTrue()})
		}
	}
	sc := fvScope{skipWIP: true, executed: true}
	var kept []fvSelected
	pendingTags := map[[2]string][]string{}
	for _, cand := range candidates {
		results := p.successes(cand.pact.Consumer, cand.pact.SHA)
		k := [2]string{cand.pact.Consumer, cand.pact.SHA}
		if p.req.ProviderVersionBranch != "" {
			if p.pendingFor(results, p.req.ProviderVersionBranch, false, sc) {
				kept = append(kept, cand)
			}
			continue
		}
		pendingHere := false
		for _, t := range p.req.ProviderVersionTags {
			if p.pendingFor(results, t, true, sc) {
				pendingHere = true
				if !slices.Contains(pendingTags[k], t) {
					pendingTags[k] = append(pendingTags[k], t)
				}
			}
		}
		if pendingHere {
			kept = append(kept, cand)
		}
	}
	out := fvMerge(p.r, kept)
	for i := range out {
		out[i].WIP, out[i].Pending, out[i].ProviderBranch = true, true, p.req.ProviderVersionBranch
		out[i].PendingProviderTags = pendingTags[[2]string{out[i].Consumer, out[i].SHA}]
	}
	return out
}
