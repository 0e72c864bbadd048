package queries

import (
	"slices"
	"strings"
)

// The texts of the pacts-for-verification answer, as the Pact Broker words
// them (lib/pact_broker/pacts/verifiable_pact_messages.rb).

// VerificationNotice is one verificationProperties.notices entry.
type VerificationNotice struct {
	When string `json:"when"`
	Text string `json:"text"`
}

// DeprecatedNotice opens every pact's notices in answers to the deprecated
// GET.
const DeprecatedNotice = "WARNING - this version of the Pact library uses a beta version of the API which will be " +
	"removed in the future. Please upgrade your Pact library. See https://docs.pact.io/pact_broker/advanced_topics/" +
	"provider_verification_results/#pacts-for-verification for minimum required versions."

const (
	fvReadMorePending = "Read more at https://docs.pact.io/go/pending"
	fvReadMoreWIP     = "Read more at https://docs.pact.io/go/wip"
)

// ShortDescription names the selectors that chose the pact, comma-joined
// ("latest from main branch, deployed to production"); Pact Go uses it for
// test names. An environment selector (no deployed/released), which the
// Pact Broker renders as raw JSON, reads "in environment <name>".
func (p VerifiablePact) ShortDescription() string {
	parts := make([]string, len(p.Selectors))
	for i, s := range p.Selectors {
		parts[i] = s.shortDescription()
	}
	return strings.Join(parts, ", ")
}

func (s VerificationSelector) shortDescription() string {
	switch {
	case s.overallLatest():
		return "latest"
	case s.latestForTag() && s.FallbackTag != "":
		return "latest with tag " + s.FallbackTag
	case s.latestForTag():
		return "latest with tag " + s.Tag
	case s.MainBranch:
		return "latest from main branch"
	case s.latestForBranch() && s.FallbackBranch != "":
		return "latest from branch " + s.FallbackBranch
	case s.latestForBranch():
		return "latest from branch " + s.Branch
	case s.allForTag() && s.Consumer != "":
		return "one of " + s.Consumer + " " + s.Tag
	case s.Tag != "":
		return "one of " + s.Tag
	case s.Deployed:
		return "deployed to " + s.InEnvironment.Name
	case s.Released:
		return "released in " + s.InEnvironment.Name
	}
	return "in environment " + s.InEnvironment.Name
}

// Notices returns verificationProperties.notices: why the pact is verified
// and, with includePending, whether it is pending and what each outcome
// means. pactURL is the pact version's URL: plain for a selected pact, with
// the {wip: true} metadata for a WIP pact.
func (p VerifiablePact) Notices(pactURL string, includePending, deprecated bool) []VerificationNotice {
	var out []VerificationNotice
	add := func(when, text string) {
		if text != "" {
			out = append(out, VerificationNotice{When: when, Text: text})
		}
	}
	if deprecated {
		add("before_verification", DeprecatedNotice)
	}
	add("before_verification", p.inclusionReason(pactURL))
	if includePending {
		add("before_verification", p.pendingReason())
		if p.Pending {
			still := "This pact is still in pending state for " + p.pendingDescription("any") + " as a successful verification result " +
				p.withTheseTags() + "has not yet been published"
			add("after_verification:success_true_published_false", "This pact is still in pending state for "+
				p.pendingDescription("any")+" as the successful verification results "+p.withTheseTags()+"have not yet been published.")
			add("after_verification:success_false_published_false", still)
			add("after_verification:success_true_published_true", "This pact is no longer in pending state for "+
				p.pendingDescription("any")+", as a successful verification result "+p.withTheseTags()+"has been published. "+
				"If a verification for a version of "+p.Provider+" "+p.withTheseTags()+"fails in the future, it will fail the build. "+
				fvReadMorePending)
			add("after_verification:success_false_published_true", still)
		}
	}
	return out
}

func (p VerifiablePact) inclusionReason(pactURL string) string {
	if p.WIP {
		tags, branches := p.headTagsAndBranches()
		version := "versions"
		if len(tags) == 1 || len(branches) == 1 {
			version = "version"
		}
		var parts []string
		if len(branches) > 0 {
			parts = append(parts, "from "+fvPlural("branch", "branches", len(branches))+" "+fvJoin(fvQuote(branches)))
		}
		if len(tags) > 0 {
			parts = append(parts, "tagged with "+fvJoin(fvQuote(tags)))
		}
		same := [...]string{"", "", " (both have the same content)"}
		note := " (all have the same content)"
		if n := len(p.Selectors); n < len(same) {
			note = same[n]
		}
		return "The pact at " + pactURL + " is being verified because it is a 'work in progress' pact (ie. it is the pact for " +
			"the latest " + version + " of " + p.Consumer + " " + strings.Join(parts, " and ") + note + " and it has not yet " +
			"been successfully verified by " + p.pendingDescription("a") + " when the pact's application version was " +
			"explicitly specified in the consumer version selectors). " + fvReadMoreWIP
	}
	n := len(p.Selectors)
	return "The pact at " + pactURL + " is being verified because the pact content belongs to " +
		fvPlural("the consumer version", "the consumer versions", n) + " matching the following " +
		fvPlural("criterion", "criteria", n) + ":\n" + p.selectorDescriptions()
}

func (p VerifiablePact) pendingReason() string {
	switch {
	case p.Pending && p.WIP:
		return "This pact is in pending state for this version of " + p.Provider + " because it was included as a 'work in " +
			"progress' pact. If this verification fails, it will not cause the overall build to fail. " + fvReadMorePending
	case p.Pending:
		return "This pact is in pending state for this version of " + p.Provider + " because a successful verification " +
			"result for " + p.pendingDescription("a") + " has not yet been published. If this verification fails, it will " +
			"not cause the overall build to fail. " + fvReadMorePending
	}
	return "This pact has previously been successfully verified by " + p.nonPendingDescription() + ". If this verification " +
		"fails, it will fail the build. " + fvReadMorePending
}

// pendingDescription names the provider builds the pact is pending for;
// anyOrA is "any" or "a".
func (p VerifiablePact) pendingDescription(anyOrA string) string {
	if p.ProviderBranch != "" {
		return anyOrA + " version of " + p.Provider + " from branch '" + p.ProviderBranch + "'"
	}
	switch len(p.PendingProviderTags) {
	case 0:
		return p.Provider
	case 1:
		return anyOrA + " version of " + p.Provider + " with tag '" + p.PendingProviderTags[0] + "'"
	}
	return anyOrA + " versions of " + p.Provider + " with tag " + fvJoin(fvQuote(p.PendingProviderTags))
}

func (p VerifiablePact) nonPendingDescription() string {
	if p.ProviderBranch != "" {
		return "a version of " + p.Provider + " from branch '" + p.ProviderBranch + "'"
	}
	switch len(p.NonPendingProviderTags) {
	case 0:
		return p.Provider
	case 1:
		return "a version of " + p.Provider + " with tag '" + p.NonPendingProviderTags[0] + "'"
	}
	return "a version of " + p.Provider + " with tag " + fvJoin(fvQuote(p.NonPendingProviderTags))
}

func (p VerifiablePact) withTheseTags() string {
	switch len(p.PendingProviderTags) {
	case 0:
		return ""
	case 1:
		return "with this tag "
	}
	return "with these tags "
}

// headTagsAndBranches are the distinct tags and branches of the "latest
// for tag/branch" selectors.
func (p VerifiablePact) headTagsAndBranches() (tags, branches []string) {
	for _, s := range p.Selectors {
		if s.latestForTag() && !slices.Contains(tags, s.Tag) {
			tags = append(tags, s.Tag)
		}
		if s.latestForBranch() && !slices.Contains(branches, s.Branch) {
			branches = append(branches, s.Branch)
		}
	}
	return tags, branches
}

func fvPlural(one, many string, n int) string {
	if n == 1 {
		return one
	}
	return many
}

func fvQuote(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = "'" + w + "'"
	}
	return out
}

// fvJoin joins as "a", "a and b", "a, b and c".
func fvJoin(words []string) string {
	if len(words) <= 2 {
		return strings.Join(words, " and ")
	}
	return strings.Join(words[:len(words)-2], ", ") + ", " + strings.Join(words[len(words)-2:], " and ")
}
