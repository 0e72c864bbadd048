package commands

import "github.com/pactledger/pactledger/domain"

// StateSeeds give a command the state of a stream from the read models, so
// that a stream missing from the state cache need not be read from the
// store: on JetStream a cold read of a sparse stream in a large log loads
// every message block between its first and last event, which takes
// seconds. It serves deployment and release streams;
// projections.Deployments implements it and infra/app wires it.
//
// A seed may be behind the store (events the read models have not applied
// yet, or another process's). It is used exactly like a cached state (see
// stateCache): the append expects the seed's version exactly, so a stale
// seed gets a conflict, after which the command reads the stream from the
// store (it never seeds again within one command); a no-op or a refusal
// decided on a seed is checked with the store's current version first.
type StateSeeds interface {
	// DeploymentStreamState returns the state of the deployment stream
	// named stream (pacticipant's deployments to environmentUUID) as
	// folding it with domain.EvolveDeployments gives, its version (number
	// of events) and its last event's position; ok is false when the read
	// models cannot tell. The maps returned are the caller's.
	DeploymentStreamState(stream, pacticipant, environmentUUID string) (s domain.Deployments, version, position uint64, ok bool)
	// ReleaseStreamState is the same for the release stream of a version
	// of pacticipant in environmentUUID, folded with domain.EvolveRelease.
	ReleaseStreamState(pacticipant, version, environmentUUID string) (s domain.Release, streamVersion, position uint64, ok bool)
}

// seed is one stream's state from StateSeeds, for executeSeeded.
type seed[S any] func() (state S, version, position uint64, ok bool)

// deploymentSeed returns the seed of a deployment stream, or nil when the
// Service has no StateSeeds.
func (s *Service) deploymentSeed(stream, pacticipant, environmentUUID string) seed[domain.Deployments] {
	if s.Seeds == nil {
		return nil
	}
	return func() (domain.Deployments, uint64, uint64, bool) {
		return s.Seeds.DeploymentStreamState(stream, pacticipant, environmentUUID)
	}
}

// releaseSeed returns the seed of a release stream, or nil when the Service
// has no StateSeeds.
func (s *Service) releaseSeed(pacticipant, version, environmentUUID string) seed[domain.Release] {
	if s.Seeds == nil {
		return nil
	}
	return func() (domain.Release, uint64, uint64, bool) {
		return s.Seeds.ReleaseStreamState(pacticipant, version, environmentUUID)
	}
}
