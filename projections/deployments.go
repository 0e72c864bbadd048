package projections

import (
	"iter"
	"maps"
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
	// streamVersion and streamPosition follow the record's release stream
	// for ReleaseStreamState; streamVersion 0: not followed.
	streamVersion, streamPosition uint64
}

// CurrentlySupported reports whether the release is still supported.
func (r ReleasedVersionView) CurrentlySupported() bool { return r.SupportEndedAt == nil }

// Deployments is the read model of deployed and released versions. Records of
// a deleted environment, application or version leave it (their history stays
// in the log). Every read goes through an index: by environment, by version,
// or the current records of one application in one environment. Its methods
// are safe for concurrent use and return copies.
type Deployments struct {
	mu       sync.RWMutex
	deployed map[string]*DeployedVersionView // by deployment id
	released map[string]*ReleasedVersionView // by release id
	depByEnv map[string]map[string]*DeployedVersionView
	depByVer map[[2]string][]*DeployedVersionView // (pacticipant, version): a few records each
	relByEnv map[string]map[string]*ReleasedVersionView
	relByVer map[[2]string][]*ReleasedVersionView
	inEnv    map[[2]string]*liveRecords // (environment uuid, pacticipant) → what is live there
	in       interner                   // names in the records
	// streams follow each deployment stream, by (environment uuid,
	// pacticipant), for DeploymentStreamState (deployment_streams.go).
	streams map[[2]string]*deploymentStream
}

// liveRecords are one application's current deployments and supported
// releases in one environment.
type liveRecords struct {
	deployed map[string]*DeployedVersionView
	released map[string]*ReleasedVersionView
}

// NewDeployments returns an empty read model.
func NewDeployments() *Deployments {
	return &Deployments{
		deployed: map[string]*DeployedVersionView{}, released: map[string]*ReleasedVersionView{},
		depByEnv: map[string]map[string]*DeployedVersionView{}, depByVer: map[[2]string][]*DeployedVersionView{},
		relByEnv: map[string]map[string]*ReleasedVersionView{}, relByVer: map[[2]string][]*ReleasedVersionView{},
		inEnv: map[[2]string]*liveRecords{}, in: newInterner(), streams: map[[2]string]*deploymentStream{},
	}
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
		st := d.streamEvent(e, p.DeploymentRef)
		r := &DeployedVersionView{DeploymentRef: d.in.deployment(p.DeploymentRef), AutoCreated: p.AutoCreated, CreatedAt: at, UpdatedAt: at}
		_, known := d.deployed[r.DeploymentID]
		d.deployed[r.DeploymentID] = r
		index(d.depByEnv, r.EnvironmentUUID, r.DeploymentID, r)
		indexList(d.depByVer, [2]string{r.Pacticipant, r.Version}, r)
		d.live(r.EnvironmentUUID, r.Pacticipant).deployed[r.DeploymentID] = r
		d.streamRecorded(st, r, known)
		if au, ok := p.Replacement(); ok { // as the AutoUndeployed that older logs hold next
			d.streamReplaced(r, au.DeploymentRef)
			d.undeploy(au.DeploymentID, at)
		}
	case events.AutoUndeployed:
		d.streamEnded(d.streamEvent(e, p.DeploymentRef), p.DeploymentRef)
		d.undeploy(p.DeploymentID, at)
	case events.Undeployed:
		d.streamEnded(d.streamEvent(e, p.DeploymentRef), p.DeploymentRef)
		d.undeploy(p.DeploymentID, at)
	case events.ReleaseRecorded:
		r := &ReleasedVersionView{ReleaseRef: d.in.release(p.ReleaseRef), CreatedAt: at, UpdatedAt: at}
		if old := d.released[r.ReleaseID]; old != nil {
			old.streamVersion = 0 // replaced: the fold of its stream would differ
		}
		d.released[r.ReleaseID] = r
		index(d.relByEnv, r.EnvironmentUUID, r.ReleaseID, r)
		indexList(d.relByVer, [2]string{r.Pacticipant, r.Version}, r)
		d.live(r.EnvironmentUUID, r.Pacticipant).released[r.ReleaseID] = r
		releaseStreamEvent(r, e, p.ReleaseRef)
	case events.ReleaseSupportResumed:
		if r := d.released[p.ReleaseID]; r != nil {
			r.SupportEndedAt, r.UpdatedAt = nil, at
			d.live(r.EnvironmentUUID, r.Pacticipant).released[r.ReleaseID] = r
			releaseStreamEvent(r, e, p.ReleaseRef)
		}
	case events.SupportEnded:
		if r := d.released[p.ReleaseID]; r != nil {
			if r.SupportEndedAt == nil {
				r.SupportEndedAt, r.UpdatedAt = &at, at
				delete(d.live(r.EnvironmentUUID, r.Pacticipant).released, r.ReleaseID)
			}
			releaseStreamEvent(r, e, p.ReleaseRef)
		}
	case events.EnvironmentDeleted:
		d.forget(maps.Values(d.depByEnv[p.UUID]), maps.Values(d.relByEnv[p.UUID]))
	case events.PacticipantDeleted:
		d.forget(d.matching(func(pacticipant, _ string) bool { return pacticipant == p.Name }))
	case events.VersionDeleted:
		key := [2]string{p.Pacticipant, p.Number}
		d.forget(slices.Values(d.depByVer[key]), slices.Values(d.relByVer[key]))
	}
}

func index[K comparable, V any](m map[K]map[string]V, key K, id string, v V) {
	if m[key] == nil {
		m[key] = map[string]V{}
	}
	m[key][id] = v
}

func unindex[K comparable, V any](m map[K]map[string]V, key K, id string) {
	delete(m[key], id)
	if len(m[key]) == 0 {
		delete(m, key)
	}
}

// indexList and unindexList keep the small per-version lists (a map per
// version would cost some 250 bytes each).
func indexList[K comparable, V comparable](m map[K][]V, key K, v V) {
	m[key] = append(m[key], v)
}

func unindexList[K comparable, V comparable](m map[K][]V, key K, v V) {
	m[key] = slices.DeleteFunc(m[key], func(x V) bool { return x == v })
	if len(m[key]) == 0 {
		delete(m, key)
	}
}

func (d *Deployments) live(env, pacticipant string) *liveRecords {
	key := [2]string{env, pacticipant}
	if d.inEnv[key] == nil {
		d.inEnv[key] = &liveRecords{deployed: map[string]*DeployedVersionView{}, released: map[string]*ReleasedVersionView{}}
	}
	return d.inEnv[key]
}

func (d *Deployments) undeploy(id string, at time.Time) {
	if r := d.deployed[id]; r != nil && r.UndeployedAt == nil {
		r.UndeployedAt, r.UpdatedAt = &at, at
		delete(d.live(r.EnvironmentUUID, r.Pacticipant).deployed, id)
	}
}

// matching collects the records of versions that match; it walks the
// version index, whose size is the number of versions with records.
func (d *Deployments) matching(match func(pacticipant, version string) bool) (iter.Seq[*DeployedVersionView], iter.Seq[*ReleasedVersionView]) {
	var deps []*DeployedVersionView
	var rels []*ReleasedVersionView
	for key, rows := range d.depByVer {
		if match(key[0], key[1]) {
			deps = append(deps, rows...)
		}
	}
	for key, rows := range d.relByVer {
		if match(key[0], key[1]) {
			rels = append(rels, rows...)
		}
	}
	return slices.Values(deps), slices.Values(rels)
}

// forget removes records from every index.
func (d *Deployments) forget(deps iter.Seq[*DeployedVersionView], rels iter.Seq[*ReleasedVersionView]) {
	for _, r := range slices.Collect(deps) {
		d.streamForgotten(r)
		delete(d.deployed, r.DeploymentID)
		unindex(d.depByEnv, r.EnvironmentUUID, r.DeploymentID)
		unindexList(d.depByVer, [2]string{r.Pacticipant, r.Version}, r)
		delete(d.live(r.EnvironmentUUID, r.Pacticipant).deployed, r.DeploymentID)
	}
	for _, r := range slices.Collect(rels) {
		delete(d.released, r.ReleaseID)
		unindex(d.relByEnv, r.EnvironmentUUID, r.ReleaseID)
		unindexList(d.relByVer, [2]string{r.Pacticipant, r.Version}, r)
		delete(d.live(r.EnvironmentUUID, r.Pacticipant).released, r.ReleaseID)
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

// DeployedVersions returns the records matching f, newest first. It walks
// the narrowest index the filter allows.
func (d *Deployments) DeployedVersions(f DeploymentFilter) []DeployedVersionView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	rows := maps.Values(d.deployed)
	switch {
	case f.Pacticipant != "" && f.Version != "":
		rows = slices.Values(d.depByVer[[2]string{f.Pacticipant, f.Version}])
	case f.EnvironmentUUID != "" && f.Pacticipant != "" && f.CurrentOnly:
		if live := d.inEnv[[2]string{f.EnvironmentUUID, f.Pacticipant}]; live != nil {
			rows = maps.Values(live.deployed)
		} else {
			rows = maps.Values(map[string]*DeployedVersionView(nil))
		}
	case f.EnvironmentUUID != "":
		rows = maps.Values(d.depByEnv[f.EnvironmentUUID])
	}
	var out []DeployedVersionView
	for r := range rows {
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

// ReleasedVersions returns the records matching f, newest first. It walks
// the narrowest index the filter allows.
func (d *Deployments) ReleasedVersions(f ReleaseFilter) []ReleasedVersionView {
	d.mu.RLock()
	defer d.mu.RUnlock()
	rows := maps.Values(d.released)
	switch {
	case f.Pacticipant != "" && f.Version != "":
		rows = slices.Values(d.relByVer[[2]string{f.Pacticipant, f.Version}])
	case f.EnvironmentUUID != "" && f.Pacticipant != "" && f.SupportedOnly:
		if live := d.inEnv[[2]string{f.EnvironmentUUID, f.Pacticipant}]; live != nil {
			rows = maps.Values(live.released)
		} else {
			rows = maps.Values(map[string]*ReleasedVersionView(nil))
		}
	case f.EnvironmentUUID != "":
		rows = maps.Values(d.relByEnv[f.EnvironmentUUID])
	}
	var out []ReleasedVersionView
	for r := range rows {
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

// LiveVersions lists the versions of an application that are in an
// environment: deployed holds the current deployment of every application
// instance, released every supported release; each without duplicates.
func (d *Deployments) LiveVersions(environmentUUID, pacticipant string) (deployed, released []string) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	live := d.inEnv[[2]string{environmentUUID, pacticipant}]
	if live == nil {
		return nil, nil
	}
	for _, r := range live.deployed {
		if !slices.Contains(deployed, r.Version) {
			deployed = append(deployed, r.Version)
		}
	}
	for _, r := range live.released {
		if !slices.Contains(released, r.Version) {
			released = append(released, r.Version)
		}
	}
	return deployed, released
}
