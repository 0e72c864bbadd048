package commands

import (
	"context"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

type pacticipantDecision func(domain.Pacticipant, string, domain.PacticipantPatch) ([]events.Payload, error)

func (s *Service) onPacticipant(ctx context.Context, name string, patch domain.PacticipantPatch, decide pacticipantDecision) (created bool, err error) {
	stream, err := streamFor(domain.PacticipantStream(name))
	if err != nil {
		return false, err
	}
	_, err = execute(ctx, s, stream, domain.EvolvePacticipant,
		func(st domain.Pacticipant, _ time.Time) ([]events.Payload, error) {
			created = !st.Exists
			return decide(st, name, patch)
		})
	return created, err
}

// CreatePacticipant creates an application (POST /pacticipants).
func (s *Service) CreatePacticipant(ctx context.Context, name string, patch domain.PacticipantPatch) error {
	_, err := s.onPacticipant(ctx, name, patch, domain.DecideCreatePacticipant)
	return err
}

// ReplacePacticipant replaces an application's attributes (PUT).
func (s *Service) ReplacePacticipant(ctx context.Context, name string, patch domain.PacticipantPatch) error {
	_, err := s.onPacticipant(ctx, name, patch, domain.DecideReplacePacticipant)
	return err
}

// PatchPacticipant sets some attributes, creating the application if need be
// (PATCH). created reports a creation.
func (s *Service) PatchPacticipant(ctx context.Context, name string, patch domain.PacticipantPatch) (bool, error) {
	return s.onPacticipant(ctx, name, patch, domain.DecidePatchPacticipant)
}

// EnsurePacticipant creates an application the first time something names it.
func (s *Service) EnsurePacticipant(ctx context.Context, name string) error {
	_, err := s.onPacticipant(ctx, name, domain.PacticipantPatch{},
		func(st domain.Pacticipant, n string, _ domain.PacticipantPatch) ([]events.Payload, error) {
			return domain.DecideEnsurePacticipant(st, n)
		})
	return err
}

// detectMainBranch sets the main branch from a branch or tag name if the
// application has none yet.
func (s *Service) detectMainBranch(ctx context.Context, pacticipant, name string) error {
	_, err := s.onPacticipant(ctx, pacticipant, domain.PacticipantPatch{},
		func(st domain.Pacticipant, _ string, _ domain.PacticipantPatch) ([]events.Payload, error) {
			return domain.DecideDetectMainBranch(st, name)
		})
	return err
}

// DeletePacticipant deletes an application. Its versions (with their pacts)
// and the pacts it is the provider of are deleted first, one stream each, so
// that a re-created application starts empty.
func (s *Service) DeletePacticipant(ctx context.Context, name string) error {
	if err := s.EnsureExists(ctx, name); err != nil {
		return err
	}
	for _, number := range s.lookups.VersionNumbers(name) {
		if err := s.DeleteVersion(ctx, domain.VersionKey{Pacticipant: name, Number: number}); err != nil && !isNotFound(err) {
			return err
		}
	}
	if err := s.deletePacts(ctx, s.lookups.PactsWithProvider(name)); err != nil {
		return err
	}
	_, err := s.onPacticipant(ctx, name, domain.PacticipantPatch{},
		func(st domain.Pacticipant, n string, _ domain.PacticipantPatch) ([]events.Payload, error) {
			return domain.DecideDeletePacticipant(st, n)
		})
	return err
}

// EnsureExists returns a not-found error unless the application exists.
func (s *Service) EnsureExists(ctx context.Context, name string) error {
	_, err := s.onPacticipant(ctx, name, domain.PacticipantPatch{},
		func(st domain.Pacticipant, n string, _ domain.PacticipantPatch) ([]events.Payload, error) {
			if !st.Exists {
				return nil, domain.NotFound("pacticipant %s", n)
			}
			return nil, nil
		})
	return err
}
