package commands

import (
	"context"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// RecordDeployment records that a version runs in an environment on an
// application instance (nil: the null instance). The version and the
// environment must exist. The one event it appends also ends the deployment
// the new one replaces on that instance. Deploying the version that is
// already current there returns the existing record and writes nothing.
func (s *Service) RecordDeployment(ctx context.Context, k domain.VersionKey, environmentUUID string, instance *string) (events.DeploymentRef, error) {
	return s.recordDeployment(ctx, k, environmentUUID, instance, false)
}

func (s *Service) recordDeployment(ctx context.Context, k domain.VersionKey, environmentUUID string, instance *string, auto bool) (events.DeploymentRef, error) {
	if !s.lookups.VersionExists(k.Pacticipant, k.Number) {
		return events.DeploymentRef{}, domain.NotFound("version %s of %s", k.Number, k.Pacticipant)
	}
	if _, ok := s.lookups.Environment(environmentUUID); !ok {
		return events.DeploymentRef{}, domain.NotFound("environment %s", environmentUUID)
	}
	if instance != nil {
		if err := domain.CheckPathName("applicationInstance", *instance); err != nil {
			return events.DeploymentRef{}, err
		}
	}
	stream, err := streamFor(domain.DeploymentStream(k.Pacticipant, environmentUUID))
	if err != nil {
		return events.DeploymentRef{}, err
	}
	id := s.newID()
	var ref events.DeploymentRef
	_, err = executeSeeded(ctx, s, stream, s.deploymentSeed(stream, k.Pacticipant, environmentUUID), domain.EvolveDeployments,
		func(st domain.Deployments, _ time.Time) (evs []events.Payload, err error) {
			evs, ref = domain.DecideRecordDeployment(st, domain.RecordDeployment{
				NewID: id, Pacticipant: k.Pacticipant, Version: k.Number,
				EnvironmentUUID: environmentUUID, ApplicationInstance: instance, AutoCreated: auto,
			})
			return evs, nil
		})
	return ref, err
}

// Undeploy ends a deployment (PATCH currentlyDeployed:false). Repeating it
// changes nothing.
func (s *Service) Undeploy(ctx context.Context, deploymentID string) error {
	ref, ok := s.lookups.DeploymentRef(deploymentID)
	if !ok {
		return domain.NotFound("deployed version %s", deploymentID)
	}
	stream, err := streamFor(domain.DeploymentStream(ref.Pacticipant, ref.EnvironmentUUID))
	if err != nil {
		return err
	}
	_, err = executeSeeded(ctx, s, stream, s.deploymentSeed(stream, ref.Pacticipant, ref.EnvironmentUUID), domain.EvolveDeployments,
		func(st domain.Deployments, _ time.Time) ([]events.Payload, error) {
			return domain.DecideUndeploy(st, deploymentID)
		})
	return err
}
