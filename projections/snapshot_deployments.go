package projections

import "fmt"

// deploymentsSnapshotVersion changes whenever the encoding does.
const deploymentsSnapshotVersion = 2

// AppendSnapshot implements Snapshotter: the deployed-version records by id,
// then the released-version records by id (each with its release stream's
// version and position), then the deployment streams' entries (version 2:
// these stream facts). Every index is derived from the records on restore.
func (d *Deployments) AppendSnapshot(b []byte) []byte {
	d.mu.RLock()
	defer d.mu.RUnlock()
	w := &snapWriter{b: b}
	w.uint(deploymentsSnapshotVersion)
	w.count(len(d.deployed))
	for _, id := range sortedKeys(d.deployed) {
		r := d.deployed[id]
		w.str(r.DeploymentID)
		w.str(r.Pacticipant)
		w.str(r.Version)
		w.str(r.EnvironmentUUID)
		w.strPtr(r.ApplicationInstance)
		w.bool(r.AutoCreated)
		w.time(r.CreatedAt)
		w.time(r.UpdatedAt)
		w.timePtr(r.UndeployedAt)
	}
	w.count(len(d.released))
	for _, id := range sortedKeys(d.released) {
		r := d.released[id]
		w.str(r.ReleaseID)
		w.str(r.Pacticipant)
		w.str(r.Version)
		w.str(r.EnvironmentUUID)
		w.time(r.CreatedAt)
		w.time(r.UpdatedAt)
		w.timePtr(r.SupportEndedAt)
		w.uint(r.streamVersion)
		w.uint(r.streamPosition)
	}
	d.appendStreams(w)
	return w.b
}

// RestoreSnapshot implements Snapshotter.
func (d *Deployments) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != deploymentsSnapshotVersion {
		return fmt.Errorf("%w: deployments encoding %d, want %d", ErrSnapshotCorrupt, v, deploymentsSnapshotVersion)
	}
	fresh := NewDeployments()
	in := fresh.in
	for n := r.count(); n > 0 && r.err == nil; n-- {
		rec := &DeployedVersionView{}
		rec.DeploymentID, rec.Pacticipant, rec.Version, rec.EnvironmentUUID = r.str(), in.str(r.str()), in.str(r.str()), in.str(r.str())
		rec.ApplicationInstance = r.strPtr(in)
		rec.AutoCreated, rec.CreatedAt, rec.UpdatedAt, rec.UndeployedAt = r.bool(), r.time(), r.time(), r.timePtr()
		fresh.deployed[rec.DeploymentID] = rec
		index(fresh.depByEnv, rec.EnvironmentUUID, rec.DeploymentID, rec)
		indexList(fresh.depByVer, [2]string{rec.Pacticipant, rec.Version}, rec)
		if rec.CurrentlyDeployed() {
			fresh.live(rec.EnvironmentUUID, rec.Pacticipant).deployed[rec.DeploymentID] = rec
		}
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		rec := &ReleasedVersionView{}
		rec.ReleaseID, rec.Pacticipant, rec.Version, rec.EnvironmentUUID = r.str(), in.str(r.str()), in.str(r.str()), in.str(r.str())
		rec.CreatedAt, rec.UpdatedAt, rec.SupportEndedAt = r.time(), r.time(), r.timePtr()
		rec.streamVersion, rec.streamPosition = r.uint(), r.uint()
		fresh.released[rec.ReleaseID] = rec
		index(fresh.relByEnv, rec.EnvironmentUUID, rec.ReleaseID, rec)
		indexList(fresh.relByVer, [2]string{rec.Pacticipant, rec.Version}, rec)
		if rec.CurrentlySupported() {
			fresh.live(rec.EnvironmentUUID, rec.Pacticipant).released[rec.ReleaseID] = rec
		}
	}
	restoreStreams(r, fresh)
	if err := r.done(); err != nil {
		return fmt.Errorf("deployments: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.deployed, d.released, d.depByEnv, d.depByVer = fresh.deployed, fresh.released, fresh.depByEnv, fresh.depByVer
	d.relByEnv, d.relByVer, d.inEnv, d.in = fresh.relByEnv, fresh.relByVer, fresh.inEnv, fresh.in
	d.streams = fresh.streams
	return nil
}

var _ Snapshotter = (*Deployments)(nil)
