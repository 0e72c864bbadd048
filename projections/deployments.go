package projections

import (
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
)

// DeployedVersionView is one deployed-version record.
type DeployedVersionView struct {
	events.DeploymentRef
	AutoCreated  bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	UndeployedAt *time.Time
}

// CurrentlyDeployed reports whether the record is still current.
func (d DeployedVersionView) CurrentlyDeployed() bool { return d.UndeployedAt == nil }

// ReleasedVersionView is one released-version record.
type ReleasedVersionView struct {
	events.ReleaseRef
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SupportEndedAt *time.Time
}

// CurrentlySupported reports whether the release is still supported.
func (r ReleasedVersionView) CurrentlySupported() bool { return r.SupportEndedAt == nil }

// Deployments is the read model of deployed and released versions. Records of
// a deleted environment, application or version leave it (their history stays
// in the log). Its methods are safe for concurrent use and return copies.
type Deployments struct {
	mu       sync.RWMutex
	deployed map[string]*DeployedVersionView // by deployment id
	released map[string]*ReleasedVersionView // by release id
}

// NewDeployments returns an empty read model.
func NewDeployments() *Deployments {
	return &Deployments{deployed: map[string]*DeployedVersionView{}, released: map[string]*ReleasedVersionView{}}
}

// Name implements Projector.
func (*Deployments) Name() string { return "deployments" }

// Apply implements Projector.
func (d *Deployments) Apply(e events.Envelope) {
	d.mu.Lock()
	defer d.mu.Unlock()
	at := e.OccurredAt
	switch p := e.Data.(type) {
	case events.DeploymentRecorded:
		d.deployed[p.DeploymentID] = &DeployedVersionView{DeploymentRef: p.DeploymentRef, AutoCreated: p.AutoCreated, CreatedAt: at, UpdatedAt: at}
	case events.AutoUndeployed:
		d.undeploy(p.DeploymentID, at)
	case events.Undeployed:
		d.undeploy(p.DeploymentID, at)
	case events.ReleaseRecorded:
		d.released[p.ReleaseID] = &ReleasedVersionView{ReleaseRef: p.ReleaseRef, CreatedAt: at, UpdatedAt: at}
	case events.ReleaseSupportResumed:
		if r := d.released[p.ReleaseID]; r != nil {
			r.SupportEndedAt, r.UpdatedAt = nil, at
		}
	case events.SupportEnded:
		if r := d.released[p.ReleaseID]; r != nil && r.SupportEndedAt == nil {
			r.SupportEndedAt, r.UpdatedAt = &at, at
		}
	case events.EnvironmentDeleted:
		d.forget(func(env, _, _ string) bool { return env == p.UUID })
	case events.PacticipantDeleted:
		d.forget(func(_, pacticipant, _ string) bool { return pacticipant == p.Name })
	case events.VersionDeleted:
		d.forget(func(_, pacticipant, version string) bool { return pacticipant == p.Pacticipant && version == p.Number })
	}
}

func (d *Deployments) undeploy(id string, at time.Time) {
	if r := d.deployed[id]; r != nil && r.UndeployedAt == nil {
		r.UndeployedAt, r.UpdatedAt = &at, at
	}
}

func (d *Deployments) forget(match func(env, pacticipant, version string) bool) {
	for id, r := range d.deployed {
		if match(r.EnvironmentUUID, r.Pacticipant, r.Version) {
			delete(d.deployed, id)
		}
	}
	for id, r := range d.released {
		if match(r.EnvironmentUUID, r.Pacticipant, r.Version) {
			delete(d.released, id)
		}
	}
}

// DeployedVersion returns one deployed-version record.
func (d *Deployments) DeployedVersion(id string) (DeployedVersionView, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	r, ok := d.deployed[id]
	if !ok {
		return DeployedVersionView{}, false
	}
	return *r, true
}

// DeploymentRef returns where a deployed-version record lives.
func (d *Deployments) DeploymentRef(id string) (events.DeploymentRef, bool) {
	r, ok := d.DeployedVersion(id)
	return r.DeploymentRef, ok
}

// DeploymentFilter selects deployed-version records. Empty strings match
// everything; Instance filters only when FilterInstance is set, and then a
// nil Instance selects the null instance.
type DeploymentFilter struct {
	EnvironmentUUID, Pacticipant, Version string
	FilterInstance                        bool
	Instance                              *string
	CurrentOnly                           bool
}

// DeployedVersions returns the records matching f, newest first.
func (d *Deployments) DeployedVersions(f DeploymentFilter) []DeployedVersionView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []DeployedVersionView
	for _, r := range d.deployed {
		if f.EnvironmentUUID != "" && r.EnvironmentUUID != f.EnvironmentUUID ||
			f.Pacticipant != "" && r.Pacticipant != f.Pacticipant ||
			f.Version != "" && r.Version != f.Version ||
			f.CurrentOnly && !r.CurrentlyDeployed() ||
			f.FilterInstance && !sameInstance(r.ApplicationInstance, f.Instance) {
			continue
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out
}

// CurrentDeployment returns the current record for one application instance.
func (d *Deployments) CurrentDeployment(pacticipant, environmentUUID string, instance *string) (events.DeploymentRef, bool) {
	rows := d.DeployedVersions(DeploymentFilter{EnvironmentUUID: environmentUUID, Pacticipant: pacticipant,
		FilterInstance: true, Instance: instance, CurrentOnly: true})
	if len(rows) == 0 {
		return events.DeploymentRef{}, false
	}
	return rows[0].DeploymentRef, true
}

func sameInstance(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// ReleasedVersion returns one released-version record.
func (d *Deployments) ReleasedVersion(id string) (ReleasedVersionView, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	r, ok := d.released[id]
	if !ok {
		return ReleasedVersionView{}, false
	}
	return *r, true
}

// ReleaseRef returns where a released-version record lives.
func (d *Deployments) ReleaseRef(id string) (events.ReleaseRef, bool) {
	r, ok := d.ReleasedVersion(id)
	return r.ReleaseRef, ok
}

// ReleaseFilter selects released-version records; empty strings match all.
type ReleaseFilter struct {
	EnvironmentUUID, Pacticipant, Version string
	SupportedOnly                         bool
}

// ReleasedVersions returns the records matching f, newest first.
func (d *Deployments) ReleasedVersions(f ReleaseFilter) []ReleasedVersionView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []ReleasedVersionView
	for _, r := range d.released {
		if f.EnvironmentUUID != "" && r.EnvironmentUUID != f.EnvironmentUUID ||
			f.Pacticipant != "" && r.Pacticipant != f.Pacticipant ||
			f.Version != "" && r.Version != f.Version ||
			f.SupportedOnly && !r.CurrentlySupported() {
			continue
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out
}

// EnvironmentsOf lists the environment uuids a version has deployment or
// release records in (used by the version resource's links).
func (d *Deployments) EnvironmentsOf(pacticipant, version string) []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []string
	for _, r := range d.deployed {
		if r.Pacticipant == pacticipant && r.Version == version && !slices.Contains(out, r.EnvironmentUUID) {
			out = append(out, r.EnvironmentUUID)
		}
	}
	return out
}
