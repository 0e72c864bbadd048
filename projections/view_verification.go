package projections

import (
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/queries"
)

// ForVerification is the View as the pacts-for-verification query reads it:
// it implements queries.PactsForVerificationReader. It is a distinct type
// over View so that this reader's method names (Pact, Branch, Tag...)
// cannot collide with another query's reader on View.
//
// Cost, per method: a map lookup, or a walk over what it returns (Tag and
// Tags walk the tagged versions of the tag index; InEnvironments does one
// lookup per environment).
type ForVerification View

// ForVerification returns the View's pacts-for-verification reader.
func (v *View) ForVerification() *ForVerification { return (*ForVerification)(v) }

var _ queries.PactsForVerificationReader = (*ForVerification)(nil)

// Application implements queries.PactsForVerificationReader.
func (f *ForVerification) Application(name string) (string, bool) {
	p, ok := f.Catalog.Pacticipant(name)
	return p.MainBranch, ok
}

// Environment implements queries.PactsForVerificationReader.
func (f *ForVerification) Environment(name string) (queries.EnvironmentRef, bool) {
	env, ok := f.Catalog.EnvironmentByName(name)
	return queries.EnvironmentRef{Name: env.Name, Production: env.Production}, ok
}

// Consumers implements queries.PactsForVerificationReader.
func (f *ForVerification) Consumers(provider string) []string {
	return f.Contracts.ConsumerNames(provider)
}

func pactRef(p PactView) queries.PactRef {
	return queries.PactRef{Consumer: p.Consumer, Provider: p.Provider, ConsumerVersion: p.ConsumerVersion, SHA: p.SHA,
		Order: p.ConsumerVersionOrder, CreatedAt: p.CreatedAt}
}

// Pact implements queries.PactsForVerificationReader.
func (f *ForVerification) Pact(consumer, consumerVersion, provider string) (queries.PactRef, bool) {
	p, ok := f.Contracts.Pact(domain.PactKey{Consumer: consumer, Provider: provider, ConsumerVersion: consumerVersion})
	return pactRef(p), ok
}

// LatestPact implements queries.PactsForVerificationReader.
func (f *ForVerification) LatestPact(consumer, provider string) (queries.PactRef, bool) {
	p, ok := f.Contracts.LatestPact(consumer, provider)
	return pactRef(p), ok
}

// VersionsWithTag implements queries.PactsForVerificationReader.
func (f *ForVerification) VersionsWithTag(pacticipant, tag string) []string {
	return f.Catalog.VersionsWithTag(pacticipant, tag)
}

// Version implements queries.PactsForVerificationReader.
func (f *ForVerification) Version(pacticipant, number string) (queries.VersionRef, bool) {
	v, ok := f.Catalog.Version(pacticipant, number)
	if !ok {
		return queries.VersionRef{}, false
	}
	out := queries.VersionRef{Number: v.Number, Order: v.Order}
	for _, m := range v.Branches {
		out.Branches = append(out.Branches, m.Name)
	}
	for _, m := range v.Tags {
		out.Tags = append(out.Tags, m.Name)
	}
	return out, true
}

// Branch implements queries.PactsForVerificationReader; unlike
// Catalog.Branch it does not copy the branch's version list.
func (f *ForVerification) Branch(pacticipant, branch string) (queries.BranchRef, bool) {
	return f.Catalog.verificationBranch(pacticipant, branch)
}

// Branches implements queries.PactsForVerificationReader.
func (f *ForVerification) Branches(pacticipant string) []queries.BranchRef {
	return f.Catalog.verificationBranches(pacticipant)
}

// tagHeads reads the tag index: each tag's head (largest order) and first
// application, for the tags keep accepts. It walks the tagged versions.
func (f *ForVerification) tagHeads(pacticipant string, keep func(tag string) bool) []queries.TagRef {
	return f.Catalog.tagHeads(pacticipant, keep)
}

// Tag implements queries.PactsForVerificationReader.
func (f *ForVerification) Tag(pacticipant, tag string) (queries.TagRef, bool) {
	if tag == "" {
		return queries.TagRef{}, false
	}
	tags := f.tagHeads(pacticipant, func(t string) bool { return t == tag })
	if len(tags) == 0 {
		return queries.TagRef{}, false
	}
	return tags[0], true
}

// Tags implements queries.PactsForVerificationReader.
func (f *ForVerification) Tags(pacticipant string) []queries.TagRef {
	return f.tagHeads(pacticipant, func(string) bool { return true })
}

// InEnvironments implements queries.PactsForVerificationReader: one
// indexed lookup per environment (Deployments.LiveVersions). A version
// deployed on several application instances of one environment appears
// once for that environment.
func (f *ForVerification) InEnvironments(pacticipant, environment string) []queries.EnvironmentVersionRef {
	var envs []domain.Environment
	if environment != "" {
		env, ok := f.Catalog.EnvironmentByName(environment)
		if !ok {
			return nil
		}
		envs = append(envs, env)
	} else {
		for _, env := range f.Catalog.Environments() {
			envs = append(envs, env.Environment)
		}
	}
	var out []queries.EnvironmentVersionRef
	for _, env := range envs {
		ref := queries.EnvironmentRef{Name: env.Name, Production: env.Production}
		deployed, released := f.Deployments.LiveVersions(env.UUID, pacticipant)
		for _, v := range deployed {
			out = append(out, queries.EnvironmentVersionRef{Version: v, Environment: ref, Deployed: true})
		}
		for _, v := range released {
			out = append(out, queries.EnvironmentVersionRef{Version: v, Environment: ref})
		}
	}
	return out
}

// SuccessfulVerifications implements queries.PactsForVerificationReader.
func (f *ForVerification) SuccessfulVerifications(consumer, provider, sha string) []queries.VerificationRef {
	var out []queries.VerificationRef
	for _, v := range f.Contracts.Verifications(domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}) {
		if v.Success {
			out = append(out, queries.VerificationRef{ProviderVersion: v.ProviderVersion, WIP: v.WIP,
				CreatedAt: v.CreatedAt, ExecutedAt: v.VerificationDate})
		}
	}
	return out
}
