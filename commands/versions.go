package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

func isNotFound(err error) bool { return errors.Is(err, domain.ErrNotFound) }

// onVersion runs decide on a version's stream, after making sure its
// application exists (versions, tags and branches auto-create it).
func (s *Service) onVersion(ctx context.Context, k domain.VersionKey, autoCreate bool,
	decide func(domain.Version, time.Time) ([]events.Payload, error)) error {
	stream, err := streamFor(domain.VersionStream(k.Pacticipant, k.Number))
	if err != nil {
		return err
	}
	if autoCreate {
		if err := s.EnsurePacticipant(ctx, k.Pacticipant); err != nil {
			return err
		}
	}
	_, err = execute(ctx, s, stream, domain.EvolveVersion, decide)
	return err
}

// UpsertVersion creates or updates a version (PUT replaces, PATCH merges).
// created reports a new version.
func (s *Service) UpsertVersion(ctx context.Context, k domain.VersionKey, in domain.VersionUpsert) (created bool, err error) {
	if err := domain.CheckPathName("number", k.Number); err != nil {
		return false, err
	}
	err = s.onVersion(ctx, k, true, func(st domain.Version, _ time.Time) (evs []events.Payload, err error) {
		evs, created, err = domain.DecideUpsertVersion(st, k, in)
		return evs, err
	})
	return created, err
}

// DeleteVersion deletes a version with its tags and branch memberships, and
// first the pacts it holds as consumer (its verifications as provider leave
// the read models with it).
func (s *Service) DeleteVersion(ctx context.Context, k domain.VersionKey) error {
	if err := s.deletePacts(ctx, s.lookups.PactsOfPacticipantVersion(k.Pacticipant, k.Number)); err != nil {
		return err
	}
	return s.onVersion(ctx, k, false, func(st domain.Version, _ time.Time) ([]events.Payload, error) {
		return domain.DecideDeleteVersion(st, k)
	})
}

// AddVersionToBranch puts a version on a branch, creating the application and
// version as needed, and detects the main branch. added reports whether the
// version was new on the branch.
func (s *Service) AddVersionToBranch(ctx context.Context, k domain.VersionKey, branch string) (added bool, err error) {
	if err := domain.CheckPathName("branch", branch); err != nil {
		return false, err
	}
	err = s.onVersion(ctx, k, true, func(st domain.Version, _ time.Time) (evs []events.Payload, err error) {
		evs, added, err = domain.DecideAddVersionToBranch(st, k, branch)
		return evs, err
	})
	if err != nil {
		return false, err
	}
	return added, s.detectMainBranch(ctx, k.Pacticipant, branch)
}

// RemoveVersionFromBranch takes a version off a branch.
func (s *Service) RemoveVersionFromBranch(ctx context.Context, k domain.VersionKey, branch string) error {
	return s.onVersion(ctx, k, false, func(st domain.Version, _ time.Time) ([]events.Payload, error) {
		return domain.DecideRemoveVersionFromBranch(st, k, branch)
	})
}

// DeleteBranch takes every version off a branch, which removes the branch.
func (s *Service) DeleteBranch(ctx context.Context, pacticipant, branch string) error {
	numbers := s.lookups.BranchVersionNumbers(pacticipant, branch)
	if len(numbers) == 0 {
		return domain.NotFound("branch %s of %s", branch, pacticipant)
	}
	for _, n := range numbers {
		err := s.RemoveVersionFromBranch(ctx, domain.VersionKey{Pacticipant: pacticipant, Number: n}, branch)
		if err != nil && !isNotFound(err) {
			return err
		}
	}
	return nil
}

// TagVersion tags a version, creating the application and version as needed.
// Like the Pact Broker it then detects the main branch from the tag and, when
// an environment has the tag's name, records a deployment of the version
// there on the null application instance. added reports a new tag.
func (s *Service) TagVersion(ctx context.Context, k domain.VersionKey, tag string) (added bool, err error) {
	return s.tagVersion(ctx, k, tag, true)
}

// tagVersion is TagVersion; envDeployment says whether a tag named like an
// environment records a deployment (not when publishing contracts, §5.1).
func (s *Service) tagVersion(ctx context.Context, k domain.VersionKey, tag string, envDeployment bool) (added bool, err error) {
	if err := domain.CheckPathName("tag", tag); err != nil {
		return false, err
	}
	err = s.onVersion(ctx, k, true, func(st domain.Version, now time.Time) (evs []events.Payload, err error) {
		evs, added, err = domain.DecideTagVersion(st, k, tag, now)
		return evs, err
	})
	if err != nil {
		return false, err
	}
	if err := s.detectMainBranch(ctx, k.Pacticipant, tag); err != nil {
		return false, err
	}
	if env, ok := s.lookups.EnvironmentByName(tag); ok && envDeployment {
		if _, err := s.recordDeployment(ctx, k, env.UUID, nil, true); err != nil {
			return false, err
		}
	}
	return added, nil
}

// UntagVersion removes a tag from a version.
func (s *Service) UntagVersion(ctx context.Context, k domain.VersionKey, tag string) error {
	return s.onVersion(ctx, k, false, func(st domain.Version, _ time.Time) ([]events.Payload, error) {
		return domain.DecideUntagVersion(st, k, tag)
	})
}
