package commands

import (
	"context"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// PublishVerification records a provider's verification result of a pact
// version and returns its number (per pact version, from 1). The pact
// version must exist (else not found); the provider version is created when
// it does not exist. Invalid input writes nothing.
func (s *Service) PublishVerification(ctx context.Context, in domain.PublishVerification) (int, error) {
	if err := in.Validate(); err != nil {
		return 0, err
	}
	stream, err := streamFor(domain.VerificationStream(in.Pact))
	if err != nil {
		return 0, err
	}
	if !s.lookups.PactVersionExists(in.Pact) {
		return 0, domain.NotFound("pact version %s between %s and %s", in.Pact.SHA, in.Pact.Consumer, in.Pact.Provider)
	}
	k := domain.VersionKey{Pacticipant: in.Pact.Provider, Number: in.ProviderVersion}
	if _, err := s.UpsertVersion(ctx, k, domain.VersionUpsert{}); err != nil {
		return 0, err
	}
	var number int
	_, err = execute(ctx, s, stream, domain.EvolveVerifications,
		func(st domain.Verifications, _ time.Time) (evs []events.Payload, err error) {
			evs, number, err = domain.DecidePublishVerification(st, in)
			return evs, err
		})
	return number, err
}
