package queries

import "time"

// PactsForVerificationReader is everything the pacts-for-verification query
// reads (projections.View.ForVerification satisfies it).
//
// Contract for implementations:
//   - names are compared exactly (case-sensitive);
//   - a method costs a lookup, or a walk over what it returns (one
//     application's branches, tags, tagged versions or versions in
//     environments, one pact version's results); none walks an
//     application's versions;
//   - returned slices belong to the caller;
//   - "order" is a version's creation order (its VersionCreated log
//     position): the latest version has the largest.
type PactsForVerificationReader interface {
	// Application returns an application's main branch ("" when none is set
	// or detected); ok is false when the application does not exist.
	Application(name string) (mainBranch string, ok bool)
	// Environment returns the environment with exactly this name.
	Environment(name string) (EnvironmentRef, bool)
	// Consumers lists the applications with pacts for provider (the
	// integrations), in any order.
	Consumers(provider string) []string
	// Pact returns the pact (its newest revision) that one consumer version
	// holds for provider.
	Pact(consumer, consumerVersion, provider string) (PactRef, bool)
	// LatestPact returns the pact of the consumer version with the largest
	// order among those holding a pact for provider.
	LatestPact(consumer, provider string) (PactRef, bool)
	// VersionsWithTag lists the numbers of an application's versions that
	// carry tag, in any order.
	VersionsWithTag(pacticipant, tag string) []string
	// Version returns one version with its branches and tags.
	Version(pacticipant, number string) (VersionRef, bool)
	// Branch returns one branch with its head (the version most recently
	// added to it).
	Branch(pacticipant, branch string) (BranchRef, bool)
	// Branches lists an application's branches with their heads.
	Branches(pacticipant string) []BranchRef
	// Tag returns the head of a tag (the largest-order version carrying it)
	// and when the tag was first applied to any version of the application.
	Tag(pacticipant, tag string) (TagRef, bool)
	// Tags lists an application's tag names with their heads.
	Tags(pacticipant string) []TagRef
	// InEnvironments lists the application's versions that are currently
	// deployed (the current deployment of an application instance) or
	// currently supported (a release whose support has not ended), in the
	// environment named environment, or in every environment when it is "".
	// A version deployed and released in one environment appears twice.
	InEnvironments(pacticipant, environment string) []EnvironmentVersionRef
	// SuccessfulVerifications lists the successful results of one pact
	// version (consumer, provider, content SHA), by any provider version.
	SuccessfulVerifications(consumer, provider, sha string) []VerificationRef
}

// EnvironmentRef is an environment as selectors and notices name it.
type EnvironmentRef struct {
	Name       string
	Production bool
}

// PactRef is the pact one consumer version holds for a provider.
type PactRef struct {
	Consumer, Provider, ConsumerVersion string
	SHA                                 string    // content hash: names the pact version
	Order                               uint64    // the consumer version's order
	CreatedAt                           time.Time // when this revision was published
}

// Name is the Pact Broker's name of the pact: "Pact between C (v) and P".
func (p PactRef) Name() string {
	return "Pact between " + p.Consumer + " (" + p.ConsumerVersion + ") and " + p.Provider
}

// VersionRef is one application version.
type VersionRef struct {
	Number   string
	Order    uint64
	Branches []string // the branches the version is on
	Tags     []string
}

// BranchRef is one branch of an application.
type BranchRef struct {
	Name, Head string
	CreatedAt  time.Time // when its first version was added
}

// TagRef is one tag name of an application.
type TagRef struct {
	Name, Head     string
	FirstCreatedAt time.Time // when the name was first applied to any version
}

// EnvironmentVersionRef is a version in an environment: currently deployed
// (Deployed) or currently supported (a release).
type EnvironmentVersionRef struct {
	Version     string
	Environment EnvironmentRef
	Deployed    bool
}

// VerificationRef is one successful verification result.
type VerificationRef struct {
	ProviderVersion string
	WIP             bool      // published through a WIP pact URL
	CreatedAt       time.Time // when the broker recorded it
	ExecutedAt      time.Time // the verificationDate the verifier gave, else CreatedAt
}
