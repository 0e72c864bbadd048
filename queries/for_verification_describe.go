package queries

import (
	"slices"
	"strings"
)

// fvKind is the Pact Broker's Selector#type, which groups the selector
// descriptions of the "being verified because" notice.
type fvKind int8

const (
	fvKindMainBranch fvKind = iota
	fvKindBranch
	fvKindDeployed
	fvKindReleased
	fvKindEnvironment
	fvKindTagHead
	fvKindAllForTag
	fvKindLatest
	fvKindOther
)

func (s VerificationSelector) kind() fvKind {
	switch {
	case s.MainBranch:
		return fvKindMainBranch
	case s.latestForBranch():
		return fvKindBranch
	case s.Deployed:
		return fvKindDeployed
	case s.Released:
		return fvKindReleased
	case s.Environment != "":
		return fvKindEnvironment
	case s.latestForTag():
		return fvKindTagHead
	case s.allForTag():
		return fvKindAllForTag
	case s.overallLatest():
		return fvKindLatest
	}
	return fvKindOther
}

// selectorDescriptions lists the selectors as "    * <description>" lines,
// sorted, grouped by kind in order of first appearance; deployed and released
// selectors are summarised per consumer ("consumer version(s) currently
// deployed to test (1) and prod (2)").
func (p VerifiablePact) selectorDescriptions() string {
	sels := slices.Clone(p.Selectors)
	slices.SortStableFunc(sels, fvCompareSelectors)
	var kinds []fvKind
	for _, s := range sels {
		if !slices.Contains(kinds, s.kind()) {
			kinds = append(kinds, s.kind())
		}
	}
	var lines []string
	for _, k := range kinds {
		var group []VerificationSelector
		for _, s := range sels {
			if s.kind() == k {
				group = append(group, s)
			}
		}
		switch k {
		case fvKindDeployed:
			lines = append(lines, fvEnvironmentDescriptions(group, "currently deployed to")...)
		case fvKindReleased:
			lines = append(lines, fvEnvironmentDescriptions(group, "released and supported in")...)
		default:
			for _, s := range group {
				lines = append(lines, p.describe(s))
			}
		}
	}
	for i, l := range lines {
		lines[i] = "    * " + l
	}
	return strings.Join(lines, "\n")
}

// fvEnvironmentDescriptions summarises deployed (released) selectors per
// consumer, in order of first appearance.
func fvEnvironmentDescriptions(group []VerificationSelector, verb string) []string {
	var consumers []string
	for _, s := range group {
		if !slices.Contains(consumers, s.Consumer) {
			consumers = append(consumers, s.Consumer)
		}
	}
	var out []string
	for _, c := range consumers {
		var places []string
		for _, s := range group {
			if s.Consumer == c {
				places = append(places, s.InEnvironment.Name+" ("+s.ConsumerVersion+")")
			}
		}
		who := "consumer version(s)"
		if c != "" {
			who = "version(s) of " + c
		}
		out = append(out, who+" "+verb+" "+fvJoin(places))
	}
	return out
}

// describe is one selector's line, ending with the consumer version.
func (p VerifiablePact) describe(s VerificationSelector) string {
	consumer, version := "a consumer", "version"
	if s.Consumer != "" {
		consumer, version = s.Consumer, "version of "+s.Consumer
	}
	var d string
	switch {
	case s.overallLatest():
		d = "latest version of " + consumer + " that has a pact with " + p.Provider
	case s.latestForTag() && s.FallbackTag != "":
		d = "latest " + version + " tagged '" + s.FallbackTag + "' (fallback tag used as no pact was found with tag '" + s.Tag + "')"
	case s.latestForTag():
		d = "latest " + version + " tagged '" + s.Tag + "'"
	case s.MainBranch:
		d = "latest " + version + " from the main branch '" + p.ConsumerMainBranch + "'"
	case s.latestForBranch() && s.FallbackBranch != "":
		d = "latest " + version + " from branch '" + s.FallbackBranch + "' (fallback branch used as no pact was found from branch '" +
			s.Branch + "')"
	case s.latestForBranch():
		d = "latest " + version + " from branch '" + s.Branch + "'"
	case s.allForTag() && s.Consumer != "":
		d = "all " + s.Consumer + " versions tagged '" + s.Tag + "'"
	case s.allForTag():
		d = "all consumer versions tagged '" + s.Tag + "'"
	default:
		d = consumer + " version in environment " + s.InEnvironment.Name
	}
	return d + " (" + s.ConsumerVersion + ")"
}
