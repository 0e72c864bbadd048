package queries

import "sort"

// Integration is a consumer-provider pair a query involves.
type Integration struct {
	Consumer, Provider string
	// Required is set when a specified consumer needs the provider: a row
	// must exist for it, or the answer is unknown. A specified provider does
	// not need its consumers (it may be deployed first).
	Required bool
}

// findIntegrations implements IntegrationsRepository: with inference or a
// single specified selector, every integration involving a specified
// selector; otherwise only those between the specified selectors. The result
// is sorted by consumer, then provider.
func findIntegrations(r MatrixReader, specified []ResolvedSelector, infer bool) []Integration {
	var out []Integration
	if infer || len(specified) == 1 {
		out = integrationsInvolving(r, specified)
	} else {
		out = integrationsBetween(r, specified)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Consumer < b.Consumer || a.Consumer == b.Consumer && a.Provider < b.Provider
	})
	return out
}

// integrationsInvolving: as consumer, the providers of the selected consumer
// versions' pacts (required: the providers of that version, not of the
// application, since integrations come and go); as provider, every consumer
// that ever published a pact for it (optional). A pair found both ways is
// required.
func integrationsInvolving(r MatrixReader, specified []ResolvedSelector) []Integration {
	var out []Integration
	index := map[[2]string]int{}
	add := func(c, p string, required bool) {
		k := [2]string{c, p}
		if i, ok := index[k]; ok {
			out[i].Required = out[i].Required || required
			return
		}
		index[k] = len(out)
		out = append(out, Integration{Consumer: c, Provider: p, Required: required})
	}
	for _, s := range specified {
		switch {
		case s.AllVersions:
			for _, p := range r.Providers(s.Pacticipant) {
				add(s.Pacticipant, p, true)
			}
		case s.versionFound():
			for _, pact := range r.Pacts(s.Pacticipant, s.Version) {
				if pact.Latest {
					add(s.Pacticipant, pact.Provider, true)
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range specified {
		if seen[s.Pacticipant] {
			continue
		}
		seen[s.Pacticipant] = true
		for _, c := range r.Consumers(s.Pacticipant) {
			add(c, s.Pacticipant, false)
		}
	}
	return out
}

// integrationsBetween: pacts of the specified consumer versions (every
// version for a name-only selector) whose provider is also specified. The
// consumer is specified, so each is required.
func integrationsBetween(r MatrixReader, specified []ResolvedSelector) []Integration {
	names := map[string]bool{}
	for _, s := range specified {
		names[s.Pacticipant] = true
	}
	var out []Integration
	seen := map[[2]string]bool{}
	add := func(c, p string) {
		if k := [2]string{c, p}; names[p] && !seen[k] {
			seen[k] = true
			out = append(out, Integration{Consumer: c, Provider: p, Required: true})
		}
	}
	for _, s := range specified {
		switch {
		case s.AllVersions:
			for _, p := range r.Providers(s.Pacticipant) {
				add(s.Pacticipant, p)
			}
		case s.versionFound():
			for _, pact := range r.Pacts(s.Pacticipant, s.Version) {
				if pact.Latest {
					add(s.Pacticipant, pact.Provider)
				}
			}
		}
	}
	return out
}

// inferredSelectors builds a selector from the options for every integrated
// application that was not specified, in the order the sorted integrations
// name them, and resolves it (an environment gives one selector per version
// in it, or one that matched nothing).
func inferredSelectors(r MatrixReader, q MatrixQuery, specified []ResolvedSelector, integ []Integration, ig ignorer) []ResolvedSelector {
	skip := map[string]bool{}
	for _, s := range specified {
		skip[s.Pacticipant] = true
	}
	var out []ResolvedSelector
	for _, in := range integ {
		for _, name := range [2]string{in.Consumer, in.Provider} {
			if skip[name] {
				continue
			}
			skip[name] = true
			sel := Selector{Pacticipant: name, Latest: q.Latest, Tag: q.Tag, Branch: q.Branch,
				MainBranch: q.mainBranch(), Environment: q.Environment}
			out = append(out, resolve(r, sel, Inferred, ig)...)
		}
	}
	return out
}
