package domain

import (
	"github.com/pactledger/pactledger/events"
)

// DeploymentStream is the stream that guards one application's deployments
// to one environment: at most one current deployment per application instance.
func DeploymentStream(pacticipant, environmentUUID string) (string, error) {
	return events.StreamID("deployment", pacticipant, environmentUUID)
}

// InstanceKey turns an application instance into a map key. The null
// instance (nil) is a key of its own, distinct from every name, including "".
func InstanceKey(instance *string) string {
	if instance == nil {
		return "\x00null"
	}
	return "=" + *instance
}

// Deployment is one deployed-version record.
type Deployment struct {
	Ref        events.DeploymentRef
	Undeployed bool
}

// Deployments is the state of one deployment stream.
type Deployments struct {
	Current map[string]events.DeploymentRef // by InstanceKey
	ByID    map[string]Deployment
}

// EvolveDeployments folds one event into s.
func EvolveDeployments(s Deployments, e events.Envelope) Deployments {
	if s.Current == nil {
		s.Current, s.ByID = map[string]events.DeploymentRef{}, map[string]Deployment{}
	}
	var ended events.DeploymentRef
	switch p := e.Data.(type) {
	case events.DeploymentRecorded:
		s.Current[InstanceKey(p.ApplicationInstance)] = p.DeploymentRef
		s.ByID[p.DeploymentID] = Deployment{Ref: p.DeploymentRef}
		au, ok := p.Replacement()
		if !ok {
			return s
		}
		ended = au.DeploymentRef
	case events.AutoUndeployed:
		ended = p.DeploymentRef
	case events.Undeployed:
		ended = p.DeploymentRef
	default:
		return s
	}
	s.ByID[ended.DeploymentID] = Deployment{Ref: ended, Undeployed: true}
	key := InstanceKey(ended.ApplicationInstance)
	if s.Current[key].DeploymentID == ended.DeploymentID {
		delete(s.Current, key)
	}
	return s
}

// RecordDeployment asks to record that a version runs on an instance.
type RecordDeployment struct {
	NewID               string // uuid for the record, if one is created
	Pacticipant         string
	Version             string
	EnvironmentUUID     string
	ApplicationInstance *string
	AutoCreated         bool
}

// DecideRecordDeployment records a deployment, in one event that names the
// deployment it replaces on that instance (Replaces), if any. If the version
// is already current on that instance it returns no events and the existing
// record, so repeating a deployment changes nothing. A rollback (deploying an
// older version) is a new record like any other.
func DecideRecordDeployment(s Deployments, c RecordDeployment) ([]events.Payload, events.DeploymentRef) {
	key := InstanceKey(c.ApplicationInstance)
	if cur, ok := s.Current[key]; ok && cur.Version == c.Version {
		return nil, cur
	}
	ref := events.DeploymentRef{
		DeploymentID: c.NewID, Pacticipant: c.Pacticipant, Version: c.Version,
		EnvironmentUUID: c.EnvironmentUUID, ApplicationInstance: c.ApplicationInstance,
	}
	rec := events.DeploymentRecorded{DeploymentRef: ref, AutoCreated: c.AutoCreated}
	if cur, ok := s.Current[key]; ok {
		rec.Replaces = &cur
	}
	return []events.Payload{rec}, ref
}

// DecideUndeploy ends a deployment. Ending one that has ended already changes
// nothing.
func DecideUndeploy(s Deployments, id string) ([]events.Payload, error) {
	d, ok := s.ByID[id]
	if !ok {
		return nil, NotFound("deployed version %s", id)
	}
	if d.Undeployed {
		return nil, nil
	}
	return []events.Payload{events.Undeployed{DeploymentRef: d.Ref}}, nil
}
