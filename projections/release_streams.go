package projections

import (
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// releaseStreamEvent follows, on record i, the release stream that e
// belongs to (ref is e's), for ReleaseStreamState. A record is followed from
// its ReleaseRecorded, the stream's first event, while every next event of
// the stream is about it and comes in order; otherwise it stops for good
// (streamVersion 0) and commands read that stream from the store. An event
// of the stream about no record leaves the record behind the stream, which
// is safe: a seed behind the store is refused by the append's expected
// version.
func (s *deplStore) releaseStreamEvent(i int32, e events.Envelope, ref events.ReleaseRef) {
	r := &s.rels[i]
	next := e.StreamVersion == r.streamVersion+1 && (r.streamVersion > 0 || e.StreamVersion == 1)
	if !next || !s.sameRelRef(i, ref) || e.Stream == "" || e.Stream != releaseStreamOf(ref) {
		r.streamVersion, r.streamPosition = 0, 0
		return
	}
	r.streamVersion, r.streamPosition = e.StreamVersion, e.Position
}

func releaseStreamOf(ref events.ReleaseRef) string {
	s, _ := domain.ReleaseStream(ref.Pacticipant, ref.Version, ref.EnvironmentUUID)
	return s
}

// ReleaseStreamState returns the state of the release stream of a version
// of pacticipant in environmentUUID exactly as folding its events with
// domain.EvolveRelease gives, with the stream's version (its number of
// events) and the position of its last event, as of the last event this
// read model applied. ok is false when it does not follow the stream (no
// release yet, or events it could not follow): read the stream then.
//
// Hazard: as DeploymentStreamState, the state may be behind the store.
func (d *Deployments) ReleaseStreamState(pacticipant, version, environmentUUID string) (s domain.Release, streamVersion, position uint64, ok bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	f := d.filterSyms(environmentUUID, pacticipant, version)
	if !f.ok {
		return domain.Release{}, 0, 0, false
	}
	found := int32(-1)
	for _, i := range byVersion(d.relByVer, verKey(f.pacticipant, f.version), func(i int32) int32 { return d.rels[i].nextVer }) {
		if d.groups[d.rels[i].group].env != f.env {
			continue
		}
		if found >= 0 {
			return domain.Release{}, 0, 0, false // two records of one stream: not a log this code writes
		}
		found = i
	}
	if found < 0 || d.rels[found].streamVersion == 0 {
		return domain.Release{}, 0, 0, false
	}
	r := &d.rels[found]
	return domain.Release{Ref: d.relRef(found), Exists: true, Supported: r.flags&rowEnded == 0},
		r.streamVersion, r.streamPosition, true
}
