package projections

import "github.com/pactledger/pactledger/events"

// A replay is mostly pact, verification, version and deployment events, and
// most read models ignore most of them; taking a model's write lock only to
// find that out costs a lock and an unlock (four atomic operations) per
// model per event. These filters let Apply return before locking for the
// frequent event types a model's switch has no case for. They are lists of
// what a model ignores, so that a type added to a switch later still
// reaches it unless it is also listed here (TestApplySkipsOnlyIgnoredEvents
// checks every listed type changes nothing).

// catalogIgnores: the catalog keeps environments, pacticipants and versions.
func catalogIgnores(p events.Payload) bool {
	switch p.(type) {
	case events.PactPublished, events.PactContentStored, events.VerificationPublished,
		events.DeploymentRecorded, events.AutoUndeployed, events.Undeployed:
		return true
	}
	return false
}

// contractsIgnores: the contracts model keeps versions, pacts and
// verifications, not branches or deployments.
func contractsIgnores(p events.Payload) bool {
	switch p.(type) {
	case events.VersionAddedToBranch, events.DeploymentRecorded, events.AutoUndeployed, events.Undeployed:
		return true
	}
	return false
}

// deploymentsIgnores: deployments and releases (and the deletions that
// drop them).
func deploymentsIgnores(p events.Payload) bool {
	switch p.(type) {
	case events.VersionCreated, events.VersionAddedToBranch, events.PactPublished, events.PactContentStored,
		events.VerificationPublished:
		return true
	}
	return false
}

// webhooksIgnores and providerContractsIgnores: webhook definitions;
// provider contracts and comparisons (and the deletions that drop them).
func webhooksIgnores(p events.Payload) bool { return hotIgnoredByBoth(p) }

func providerContractsIgnores(p events.Payload) bool { return hotIgnoredByBoth(p) }

func hotIgnoredByBoth(p events.Payload) bool {
	switch p.(type) {
	case events.VersionCreated, events.VersionAddedToBranch, events.PactPublished, events.PactContentStored,
		events.VerificationPublished, events.DeploymentRecorded, events.AutoUndeployed:
		return true
	}
	return false
}
