package queries

import "time"

// MatrixReader is everything the matrix and can-i-deploy queries read. The
// catalog and the contracts read models each satisfy one half; the wiring
// combines them (a struct embedding both is enough).
//
// Contract for implementations:
//   - every method is one indexed read (a map lookup, or a walk over an
//     index whose size is the answer's size); none scans all versions;
//   - names are compared exactly (case-sensitive), as elsewhere in pactledger;
//   - returned slices may be shared with the read model: the queries never
//     modify them, and an implementation must not modify them later either
//     (copy-on-write), because a query may still be reading them;
//   - a method answers for one consistent point of the log; the wiring holds
//     the read models steady (or waits for a position) around one query.
type MatrixReader interface {
	CatalogReader
	ContractReader
}

// CatalogReader reads applications, versions, branches, tags, environments
// and what is deployed or released where.
type CatalogReader interface {
	// Pacticipant returns an application; ok is false when it does not exist.
	Pacticipant(name string) (p PacticipantInfo, ok bool)
	// ReadVersion fills v with one version of an application, appending its
	// branches and tags to v.Branches[:0] and v.Tags[:0] (so that the
	// caller chooses where they are written); it reports whether the
	// version exists (v is left alone otherwise).
	ReadVersion(v *VersionInfo, pacticipant, number string) (ok bool)
	// VersionStamp returns what ordering rows needs of a version: its order
	// and creation time, as Version has them, without building its
	// branches and tags (the hot path reads it for every candidate pact).
	VersionStamp(pacticipant, number string) (order uint64, createdAt time.Time, ok bool)
	// LatestVersion returns the number of the version with the highest order.
	LatestVersion(pacticipant string) (number string, ok bool)
	// LatestVersionWithTag returns the highest-order version carrying tag.
	LatestVersionWithTag(pacticipant, tag string) (number string, ok bool)
	// VersionsWithTag lists the versions carrying tag, in any order.
	VersionsWithTag(pacticipant, tag string) []string
	// BranchHead returns the branch's head: its most recently added version.
	BranchHead(pacticipant, branch string) (number string, ok bool)
	// BranchVersions lists the versions on a branch, in any order.
	BranchVersions(pacticipant, branch string) []string
	// EnvironmentExists reports whether an environment has this name.
	EnvironmentExists(name string) bool
	// AppendVersionsInEnvironment appends to dst the application's versions
	// that are in the environment named environment (reference §4.6), each
	// once: the current deployment of every application instance (the null
	// instance included), then the releases whose support has not ended
	// that are not already listed. It appends nothing for an unknown
	// environment or application.
	AppendVersionsInEnvironment(dst []string, pacticipant, environment string) []string
	// AppendCurrentEnvironments appends to dst the environments in which
	// the version is currently deployed or supported, each once, ordered by
	// the creation time of the earliest such record. Only rendering uses it.
	AppendCurrentEnvironments(dst []EnvironmentInfo, pacticipant, version string) []EnvironmentInfo
}

// ContractReader reads pacts, integrations and verification results. A pact
// version is identified by (consumer, provider, content SHA), as in the Pact
// Broker: results recorded for one consumer version's pact apply to every
// consumer version whose pact has the same content ("pre-verified").
type ContractReader interface {
	// Pacts lists every publication by one consumer version: all providers,
	// every revision, Latest set on the newest revision per provider.
	Pacts(consumer, consumerVersion string) []Pact
	// AppendPacts appends what Pacts lists to dst and returns it: the
	// queries read many versions' pacts into one reused buffer.
	AppendPacts(dst []Pact, consumer, consumerVersion string) []Pact
	// PactsBetween lists every publication of every consumer version for one
	// integration (every revision, Latest flagged). Only queries that select
	// a whole application by name use it; its size is that application's
	// history with the other.
	PactsBetween(consumer, provider string) []Pact
	// PactsWithContent lists every publication (any consumer version, any
	// revision, Latest flagged) whose content is sha.
	PactsWithContent(consumer, provider, sha string) []Pact
	// AppendConsumers appends to dst every application that ever
	// published a pact for provider (the integrations table), in any
	// order, and returns it.
	AppendConsumers(dst []string, provider string) []string
	// Providers lists every application consumer ever published a pact for.
	Providers(consumer string) []string
	// LatestVerification returns the most recent result published by one
	// provider version for one pact version.
	LatestVerification(consumer, provider, sha, providerVersion string) (Verification, bool)
	// Verifications lists every result for one pact version, oldest first;
	// providerVersion "" means every provider version.
	Verifications(consumer, provider, sha, providerVersion string) []Verification
	// LatestVerifications lists, for one pact version, the latest result
	// (highest Order) of each provider version, in the order of each
	// provider version's first result: LatestPerProviderVersion of
	// Verifications(consumer, provider, sha, ""), which a reader may
	// compute without building the full list.
	LatestVerifications(consumer, provider, sha string) []Verification
	// VerifiedPactVersions lists the pact versions (consumer and content) that
	// one provider version has published a result for, each once.
	VerifiedPactVersions(provider, providerVersion string) []PactVersion
}

// PacticipantInfo is what the matrix needs of an application.
type PacticipantInfo struct {
	Name       string
	MainBranch string // "" when none is set or detected
}

// VersionInfo is one application version.
type VersionInfo struct {
	Number string
	// Order is the creation order (the VersionCreated log position): later
	// versions have larger orders, and "latest" means the largest.
	Order     uint64
	CreatedAt time.Time
	Branches  []BranchMembership // in the order the version joined them
	Tags      []TagMembership    // in the order they were applied
}

// BranchMembership is a version's place on one branch.
type BranchMembership struct {
	Name string
	Head bool // the version is the branch's head
}

// TagMembership is one tag on a version.
type TagMembership struct {
	Name      string
	CreatedAt time.Time
}

// EnvironmentInfo is an environment as matrix rows show it.
type EnvironmentInfo struct {
	UUID, Name, DisplayName string
	Production              bool
	CreatedAt, UpdatedAt    time.Time
}

// Pact is one pact publication: the pact a consumer version holds for a
// provider at one revision.
type Pact struct {
	Consumer, Provider, ConsumerVersion string
	SHA                                 string // content hash; names the pact version
	Revision                            int    // 1 for the first publication
	Latest                              bool   // newest revision for this consumer version and provider
	CreatedAt                           time.Time
	// Order is the PactPublished log position: unique and increasing, the
	// analogue of the Pact Broker's pact publication id.
	Order uint64
}

// PactVersion names pact content within an integration.
type PactVersion struct {
	Consumer, SHA string
}

// ResultKind says where a matrix row's result comes from. The rows, the
// latestby grouping and the deployability rules are the same for both: a
// reader answers LatestVerification and Verifications with results of
// either kind for a (pact version, provider version).
type ResultKind uint8

const (
	// ResultVerification is a provider verification (pact verifier).
	ResultVerification ResultKind = iota
	// ResultComparison is a comparison of the pact with the provider
	// version's OpenAPI contract (bi-directional contract testing).
	ResultComparison
)

// Verification is one result for a pact version and a provider version: a
// verification, or a contract comparison (Kind).
type Verification struct {
	Kind            ResultKind
	ProviderVersion string
	Number          int // per pact version, from 1; appears in result URLs
	Success         bool
	CreatedAt       time.Time // when the broker recorded it
	ExecutedAt      time.Time // when it ran, as rendered in verifiedAt
	// Order is the VerificationPublished log position: unique and
	// increasing, the analogue of the Pact Broker's verification id. For a
	// comparison it is the position of the provider contract's publication,
	// which is unique per provider version.
	Order uint64
	// Comparison details (Kind ResultComparison only). Pending: the
	// provider version has a contract but the comparison with the pact has
	// not completed, so the row is unknown (and the reader has asked for
	// the comparison). Otherwise Success is ComparisonSuccess &&
	// SelfVerified: the pact matches the OpenAPI contract and the
	// provider's own tests of that contract passed.
	Pending           bool
	ComparisonSuccess bool
	SelfVerified      bool
}
