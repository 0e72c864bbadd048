package commands

import (
	"context"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// RecordRelease records that a version is released and supported in an
// environment. created is true the first time; a repeat resumes support.
// Many versions may be supported in one environment at once.
func (s *Service) RecordRelease(ctx context.Context, k domain.VersionKey, environmentUUID string) (ref events.ReleaseRef, created bool, err error) {
	if !s.lookups.VersionExists(k.Pacticipant, k.Number) {
		return ref, false, domain.NotFound("version %s of %s", k.Number, k.Pacticipant)
	}
	if _, ok := s.lookups.Environment(environmentUUID); !ok {
		return ref, false, domain.NotFound("environment %s", environmentUUID)
	}
	stream, err := streamFor(domain.ReleaseStream(k.Pacticipant, k.Number, environmentUUID))
	if err != nil {
		return ref, false, err
	}
	fresh := events.ReleaseRef{ReleaseID: s.newID(), Pacticipant: k.Pacticipant, Version: k.Number, EnvironmentUUID: environmentUUID}
	_, err = executeSeeded(ctx, s, stream, s.releaseSeed(k.Pacticipant, k.Number, environmentUUID), domain.EvolveRelease,
		func(st domain.Release, _ time.Time) (evs []events.Payload, err error) {
			evs, ref, created = domain.DecideRecordRelease(st, fresh)
			return evs, nil
		})
	return ref, created, err
}

// EndSupport ends support of a released version (PATCH
// currentlySupported:false). Repeating it changes nothing.
func (s *Service) EndSupport(ctx context.Context, releaseID string) error {
	ref, ok := s.lookups.ReleaseRef(releaseID)
	if !ok {
		return domain.NotFound("released version %s", releaseID)
	}
	stream, err := streamFor(domain.ReleaseStream(ref.Pacticipant, ref.Version, ref.EnvironmentUUID))
	if err != nil {
		return err
	}
	_, err = executeSeeded(ctx, s, stream, s.releaseSeed(ref.Pacticipant, ref.Version, ref.EnvironmentUUID), domain.EvolveRelease,
		func(st domain.Release, _ time.Time) ([]events.Payload, error) {
			return domain.DecideEndSupport(st, releaseID)
		})
	return err
}
