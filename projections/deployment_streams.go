package projections

import (
	"slices"
	"strings"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// deploymentStream is the read model's account of one deployment stream
// (one application in one environment), kept so that a command can start
// from it instead of reading the stream from the store, which is slow for a
// sparse stream in a large log (see DeploymentStreamState).
//
// Invariant: an entry exists only while it equals folding its stream with
// domain.EvolveDeployments up to version. It is created by the stream's
// first event (StreamVersion 1) and advanced by each next one; any event
// it cannot follow exactly (a gap in the versions, another stream id, an
// end of a record it does not hold, a repeated deployment id) and any
// record the read model forgets (a deleted environment, application or
// version) delete it for good: a stream without an entry is never tracked
// again, since its next event's version is not 1. Commands then read such a
// stream from the store, as they did before.
type deploymentStream struct {
	stream   string // the envelopes' stream id
	version  uint64 // events folded (the stream's version)
	position uint64 // of the last of them
	records  []*DeployedVersionView
	// current is EvolveDeployments' Current: the last record of each
	// instance (by domain.InstanceKey) until that record ends.
	current map[string]*DeployedVersionView
}

func deploymentStreamKey(r events.DeploymentRef) [2]string {
	return [2]string{r.EnvironmentUUID, r.Pacticipant}
}

// streamEvent advances the entry of the stream that ref lives in by e and
// returns it, or nil when the stream is not tracked (any more).
func (d *Deployments) streamEvent(e events.Envelope, ref events.DeploymentRef) *deploymentStream {
	key := deploymentStreamKey(ref)
	st := d.streams[key]
	switch {
	case st == nil && e.StreamVersion == 1 && e.Stream != "":
		st = &deploymentStream{stream: e.Stream, current: map[string]*DeployedVersionView{}}
		d.streams[key] = st
	case st == nil:
		return nil
	case e.Stream != st.stream || e.StreamVersion != st.version+1:
		delete(d.streams, key)
		return nil
	}
	st.version, st.position = e.StreamVersion, e.Position
	return st
}

// streamRecorded adds a new record r to its stream's entry st; known tells
// whether the read model already held a record with r's id (it replaced it,
// which folding the stream would not do alike).
func (d *Deployments) streamRecorded(st *deploymentStream, r *DeployedVersionView, known bool) {
	if st == nil {
		return
	}
	if known {
		delete(d.streams, deploymentStreamKey(r.DeploymentRef))
		return
	}
	st.records = append(st.records, r)
	st.current[domain.InstanceKey(r.ApplicationInstance)] = r
}

// streamEnded ends the record ended in its stream's entry st, as
// EvolveDeployments does; call it before the read model marks the record.
func (d *Deployments) streamEnded(st *deploymentStream, ended events.DeploymentRef) {
	if st == nil {
		return
	}
	r := d.deployed[ended.DeploymentID]
	if r == nil || !sameDeploymentRef(r.DeploymentRef, ended) {
		delete(d.streams, deploymentStreamKey(ended)) // the fold would keep a record the read model has not
		return
	}
	key := domain.InstanceKey(ended.ApplicationInstance)
	if cur := st.current[key]; cur != nil && cur.DeploymentID == ended.DeploymentID {
		delete(st.current, key)
	}
}

// streamReplaced ends, in the entry of r's stream, the record that r
// replaces (as the AutoUndeployed that older logs hold next would); call it
// after streamRecorded and before the read model marks the record.
func (d *Deployments) streamReplaced(r *DeployedVersionView, replaced events.DeploymentRef) {
	key := deploymentStreamKey(r.DeploymentRef)
	if other := deploymentStreamKey(replaced); other != key { // not a log this code writes
		delete(d.streams, key)
		delete(d.streams, other)
		return
	}
	d.streamEnded(d.streams[key], replaced)
}

// streamForgotten drops the entry of the stream a forgotten record lived in.
func (d *Deployments) streamForgotten(r *DeployedVersionView) {
	delete(d.streams, deploymentStreamKey(r.DeploymentRef))
}

func sameDeploymentRef(a, b events.DeploymentRef) bool {
	return a.DeploymentID == b.DeploymentID && a.Pacticipant == b.Pacticipant && a.Version == b.Version &&
		a.EnvironmentUUID == b.EnvironmentUUID && sameInstance(a.ApplicationInstance, b.ApplicationInstance)
}

// DeploymentStreamState returns the state of the deployment stream of
// pacticipant in environmentUUID, named stream, exactly as folding its
// events with domain.EvolveDeployments gives, with the stream's version
// (its number of events) and the position of its last event, all as of the
// last event this read model applied. ok is false when the read model does
// not track the stream (no event yet, or one it could not follow; see
// deploymentStream): read the stream then.
//
// Hazard: the state may be behind the store (events not applied yet, or
// written by another process); a caller must append with the version as
// its exact expected version and treat a no-op decided on it as unverified.
// The returned maps are the caller's own.
func (d *Deployments) DeploymentStreamState(stream, pacticipant, environmentUUID string) (s domain.Deployments, version, position uint64, ok bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	st := d.streams[[2]string{environmentUUID, pacticipant}]
	if st == nil || st.stream != stream {
		return domain.Deployments{}, 0, 0, false
	}
	s = domain.Deployments{Current: make(map[string]events.DeploymentRef, len(st.current)), ByID: make(map[string]domain.Deployment, len(st.records))}
	for k, r := range st.current {
		s.Current[k] = r.DeploymentRef
	}
	for _, r := range st.records {
		s.ByID[r.DeploymentID] = domain.Deployment{Ref: r.DeploymentRef, Undeployed: r.UndeployedAt != nil}
	}
	return s, st.version, st.position, true
}

// appendStreams encodes the stream entries: per entry its key, stream id,
// version, position, its records' ids in order and its current records' ids.
func (d *Deployments) appendStreams(w *snapWriter) {
	keys := make([][2]string, 0, len(d.streams))
	for k := range d.streams {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	w.count(len(keys))
	for _, k := range keys {
		st := d.streams[k]
		w.str(k[0])
		w.str(k[1])
		w.str(st.stream)
		w.uint(st.version)
		w.uint(st.position)
		w.count(len(st.records))
		for _, r := range st.records {
			w.str(r.DeploymentID)
		}
		w.count(len(st.current))
		for _, ik := range sortedKeys(st.current) {
			w.str(ik)
			w.str(st.current[ik].DeploymentID)
		}
	}
}

// restoreStreams decodes what appendStreams wrote into fresh, whose records
// are restored. An entry naming a record fresh lacks is left out (the
// stream is then read from the store).
func restoreStreams(r *snapReader, fresh *Deployments) {
	for n := r.count(); n > 0 && r.err == nil; n-- {
		key := [2]string{r.str(), r.str()}
		st := &deploymentStream{stream: r.str(), version: r.uint(), position: r.uint(), current: map[string]*DeployedVersionView{}}
		whole := true
		for m := r.count(); m > 0 && r.err == nil; m-- {
			rec := fresh.deployed[r.str()]
			whole = whole && rec != nil
			st.records = append(st.records, rec)
		}
		for m := r.count(); m > 0 && r.err == nil; m-- {
			ik, rec := r.str(), fresh.deployed[r.str()]
			whole = whole && rec != nil
			st.current[ik] = rec
		}
		if whole {
			fresh.streams[key] = st
		}
	}
}
