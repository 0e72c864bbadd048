package commands

import (
	"context"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// CreateEnvironment creates an environment and returns its new uuid. Names
// stay unique under concurrent creates because every environment event goes
// to one stream.
func (s *Service) CreateEnvironment(ctx context.Context, in domain.EnvironmentInput) (string, error) {
	id := s.newID()
	_, err := execute(ctx, s, domain.EnvironmentsStream, domain.EvolveEnvironments,
		func(st domain.Environments, _ time.Time) ([]events.Payload, error) {
			return domain.DecideCreateEnvironment(st, id, in)
		})
	return id, err
}

// UpdateEnvironment replaces every attribute of an environment.
func (s *Service) UpdateEnvironment(ctx context.Context, uuid string, in domain.EnvironmentInput) error {
	_, err := execute(ctx, s, domain.EnvironmentsStream, domain.EvolveEnvironments,
		func(st domain.Environments, _ time.Time) ([]events.Payload, error) {
			return domain.DecideUpdateEnvironment(st, uuid, in)
		})
	return err
}

// DeleteEnvironment deletes an environment. Its deployments and releases end
// with it in the read models; the log keeps their history.
func (s *Service) DeleteEnvironment(ctx context.Context, uuid string) error {
	_, err := execute(ctx, s, domain.EnvironmentsStream, domain.EvolveEnvironments,
		func(st domain.Environments, _ time.Time) ([]events.Payload, error) {
			return domain.DecideDeleteEnvironment(st, uuid)
		})
	return err
}

// SeedEnvironments creates "test" and "production" when the log is empty,
// as the Pact Broker's example seed does. It reports whether it seeded.
func (s *Service) SeedEnvironments(ctx context.Context) (bool, error) {
	head, err := s.log.Head(ctx)
	if err != nil || head > 0 {
		return false, err
	}
	no, yes := false, true
	for _, in := range []domain.EnvironmentInput{
		{Name: "test", Production: &no},
		{Name: "production", Production: &yes},
	} {
		if _, err := s.CreateEnvironment(ctx, in); err != nil {
			return false, err
		}
	}
	return true, nil
}
