package queries

import "slices"

// fvDefaultSelectors are the selectors used when a request gives none: for
// each consumer, its main branch head when it has a main branch with
// versions, else the latest version tagged with the main branch's name,
// else its latest pact; and, for everyone, every currently deployed and
// every currently supported version. The main-branch selector leaves
// latest unset, as the Pact Broker's does (it shows in the metadata).
func fvDefaultSelectors(r PactsForVerificationReader, consumers []string) []ConsumerVersionSelector {
	var out []ConsumerVersionSelector
	for _, c := range consumers {
		main, _ := r.Application(c)
		if _, ok := r.Branch(c, main); ok && main != "" {
			out = append(out, ConsumerVersionSelector{MainBranch: true, Consumer: c})
		} else if _, ok := r.Tag(c, main); ok && main != "" {
			out = append(out, ConsumerVersionSelector{Tag: main, Latest: fvTrue(), Consumer: c})
		} else {
			out = append(out, ConsumerVersionSelector{Latest: fvTrue(), Consumer: c})
		}
	}
	return append(out, ConsumerVersionSelector{Deployed: true}, ConsumerVersionSelector{Released: true})
}

// fvSelect applies every selector (or the defaults) to every consumer of
// the provider, then the fallbacks.
func fvSelect(r PactsForVerificationReader, req PactsForVerificationRequest, consumers []string) []fvSelected {
	sels := req.Selectors
	if len(sels) == 0 {
		sels = fvDefaultSelectors(r, consumers)
	}
	var out []fvSelected
	for _, s := range sels {
		if s.MatchingBranch {
			s.Branch = req.ProviderVersionBranch
		}
		for _, c := range consumers {
			if s.Consumer == "" || s.Consumer == c {
				out = append(out, fvSelectFor(r, req.Provider, c, s)...)
			}
		}
	}
	return append(out, fvFallbacks(r, req, consumers, sels, out)...)
}

// fvSelectFor applies one selector to one consumer. Heads (main branch,
// branch, tag) select the head version's pact, or nothing when the head has
// no pact with the provider: the Pact Broker does not fall back to an older
// version on the branch.
func fvSelectFor(r PactsForVerificationReader, provider, consumer string, s ConsumerVersionSelector) []fvSelected {
	s.FallbackTag, s.FallbackBranch = "", ""
	pactOf := func(version string, sel ConsumerVersionSelector) []fvSelected {
		if p, ok := r.Pact(consumer, version, provider); ok {
			return []fvSelected{fvResolve(p, sel)}
		}
		return nil
	}
	switch {
	case s.environmental():
		return fvSelectInEnvironments(r, provider, consumer, s)
	case s.MainBranch:
		if main, _ := r.Application(consumer); main != "" {
			if b, ok := r.Branch(consumer, main); ok {
				return pactOf(b.Head, s)
			}
		}
	case s.AllBranches:
		var out []fvSelected
		for _, b := range r.Branches(consumer) {
			one := s
			one.Branch = b.Name
			out = append(out, pactOf(b.Head, one)...)
		}
		return out
	case s.latestForBranch():
		if b, ok := r.Branch(consumer, s.Branch); ok {
			return pactOf(b.Head, s)
		}
	case s.latestForTag():
		if t, ok := r.Tag(consumer, s.Tag); ok {
			return pactOf(t.Head, s)
		}
	case s.allForTag():
		var out []fvSelected
		for _, v := range r.VersionsWithTag(consumer, s.Tag) {
			out = append(out, pactOf(v, s)...)
		}
		return out
	case s.overallLatest():
		if p, ok := r.LatestPact(consumer, provider); ok {
			return []fvSelected{fvResolve(p, s)}
		}
	}
	return nil
}

// fvSelectInEnvironments selects the pacts of the versions currently
// deployed (Deployed), currently supported (Released) or either (neither
// flag: the environment selector), in s.Environment or anywhere. A version
// found twice the same way in one environment (two application instances,
// or deployed and released for an environment selector) is selected once.
func fvSelectInEnvironments(r PactsForVerificationReader, provider, consumer string, s ConsumerVersionSelector) []fvSelected {
	var out []fvSelected
	seen := map[[2]string]bool{}
	for _, ev := range r.InEnvironments(consumer, s.Environment) {
		if s.Deployed && !ev.Deployed || s.Released && ev.Deployed || seen[[2]string{ev.Version, ev.Environment.Name}] {
			continue
		}
		p, ok := r.Pact(consumer, ev.Version, provider)
		if !ok {
			continue
		}
		seen[[2]string{ev.Version, ev.Environment.Name}] = true
		one := fvResolve(p, s)
		one.sel.InEnvironment = ev.Environment
		out = append(out, one)
	}
	return out
}

// fvFallbacks applies fallbackTag / fallbackBranch. As in the Pact Broker,
// a selector's fallback is used when no pact at all was selected as the
// head of its tag (branch), by any selector for any consumer; then the
// fallback's head pact of each consumer (or of the selector's consumer) is
// selected, the resolved selector keeping both names.
func fvFallbacks(r PactsForVerificationReader, req PactsForVerificationRequest, consumers []string,
	sels []ConsumerVersionSelector, selected []fvSelected) []fvSelected {
	found := func(match func(VerificationSelector) bool) bool {
		return slices.ContainsFunc(selected, func(s fvSelected) bool { return match(s.sel) })
	}
	var out []fvSelected
	for _, s := range sels {
		var head func(consumer string) (string, bool)
		switch {
		case s.FallbackTag != "" && s.latestForTag() &&
			!found(func(v VerificationSelector) bool { return v.latestForTag() && v.Tag == s.Tag }):
			head = func(c string) (string, bool) { t, ok := r.Tag(c, s.FallbackTag); return t.Head, ok }
		case s.FallbackBranch != "" && s.latestForBranch() &&
			!found(func(v VerificationSelector) bool { return v.latestForBranch() && v.Branch == s.Branch }):
			head = func(c string) (string, bool) { b, ok := r.Branch(c, s.FallbackBranch); return b.Head, ok }
		default:
			continue
		}
		for _, c := range consumers {
			if s.Consumer != "" && s.Consumer != c {
				continue
			}
			version, ok := head(c)
			if !ok {
				continue
			}
			if p, ok := r.Pact(c, version, req.Provider); ok {
				out = append(out, fvResolve(p, s))
			}
		}
	}
	return out
}

// fvResolve pairs a pact with the selector that chose it.
func fvResolve(p PactRef, s ConsumerVersionSelector) fvSelected {
	return fvSelected{pact: p, sel: VerificationSelector{ConsumerVersionSelector: s, ConsumerVersion: p.ConsumerVersion,
		ConsumerVersionOrder: p.Order}}
}
