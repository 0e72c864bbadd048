package queries

import (
	"cmp"
	"slices"
)

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
func findIntegrations(m *run, specified []ResolvedSelector, infer bool) []Integration {
	var out []Integration
	if infer || len(specified) == 1 {
		out = integrationsInvolving(m, specified)
		m.sc.integ = out
		out = refill(&m.a.integ, out) // built in a pooled buffer: copied once, into the answer's
	} else {
		out = integrationsBetween(m.r, specified)
	}
	slices.SortFunc(out, func(a, b Integration) int {
		return cmp.Or(cmp.Compare(a.Consumer, b.Consumer), cmp.Compare(a.Provider, b.Provider))
	})
	return out
}

// integrationsInvolving: as consumer, the providers of the selected consumer
// versions' pacts (required: the providers of that version, not of the
// application, since integrations come and go); as provider, every consumer
// that ever published a pact for it (optional). A pair found both ways is
// required.
func integrationsInvolving(m *run, specified []ResolvedSelector) []Integration {
	r := m.r
	out := m.sc.integ[:0]
	var index map[[2]string]int // once out is long; a linear search before
	add := func(c, p string, required bool) {
		i, ok := -1, false
		if index != nil {
			i, ok = index[[2]string{c, p}]
		} else {
			i = slices.IndexFunc(out, func(in Integration) bool { return in.Consumer == c && in.Provider == p })
			ok = i >= 0
		}
		if ok {
			out[i].Required = out[i].Required || required
			return
		}
		out = append(out, Integration{Consumer: c, Provider: p, Required: required})
		switch {
		case index != nil:
			index[[2]string{c, p}] = len(out) - 1
		case len(out) > fewVersions:
			index = make(map[[2]string]int, 4*fewVersions)
			for j, in := range out {
				index[[2]string{in.Consumer, in.Provider}] = j
			}
		}
	}
	for _, s := range specified {
		switch {
		case s.AllVersions:
			for _, p := range r.Providers(s.Pacticipant) {
				add(s.Pacticipant, p, true)
			}
		case s.versionFound():
			m.sc.pacts = r.AppendPacts(m.sc.pacts[:0], s.Pacticipant, s.Version)
			for _, pact := range m.sc.pacts {
				if pact.Latest {
					add(s.Pacticipant, pact.Provider, true)
				}
			}
		}
	}
	var seen nameSet
	for _, s := range specified {
		if seen.has(s.Pacticipant) {
			continue
		}
		seen.add(s.Pacticipant)
		m.sc.names = r.AppendConsumers(m.sc.names[:0], s.Pacticipant)
		for _, c := range m.sc.names {
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
// They are appended to dst.
func inferredSelectors(m *run, dst, specified []ResolvedSelector, integ []Integration, ig ignorer) []ResolvedSelector {
	var skip nameSet
	for _, s := range specified {
		skip.add(s.Pacticipant)
	}
	out := dst
	for _, in := range integ {
		for _, name := range [2]string{in.Consumer, in.Provider} {
			if skip.has(name) {
				continue
			}
			skip.add(name)
			q := &m.q
			sel := Selector{Pacticipant: name, Latest: q.Latest, Tag: q.Tag, Branch: q.Branch,
				MainBranch: q.mainBranch(), Environment: q.Environment}
			out = resolve(m, out, sel, Inferred, ig)
		}
	}
	return out
}
