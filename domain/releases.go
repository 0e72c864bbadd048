package domain

import "github.com/pactledger/pactledger/events"

// ReleaseStream is the stream of one version's release to one environment.
func ReleaseStream(pacticipant, version, environmentUUID string) (string, error) {
	return events.StreamID("release", pacticipant, version, environmentUUID)
}

// Release is the state of one release stream.
type Release struct {
	Ref       events.ReleaseRef
	Exists    bool
	Supported bool
}

// EvolveRelease folds one event into s.
func EvolveRelease(s Release, e events.Envelope) Release {
	switch p := e.Data.(type) {
	case events.ReleaseRecorded:
		return Release{Ref: p.ReleaseRef, Exists: true, Supported: true}
	case events.ReleaseSupportResumed:
		s.Supported = true
	case events.SupportEnded:
		s.Supported = false
	}
	return s
}

// DecideRecordRelease records a release the first time (created is true),
// resumes support when it had ended, and otherwise changes nothing. It
// returns the record's reference either way.
func DecideRecordRelease(s Release, ref events.ReleaseRef) (evs []events.Payload, out events.ReleaseRef, created bool) {
	switch {
	case !s.Exists:
		return []events.Payload{events.ReleaseRecorded{ReleaseRef: ref}}, ref, true
	case !s.Supported:
		return []events.Payload{events.ReleaseSupportResumed{ReleaseRef: s.Ref}}, s.Ref, false
	default:
		return nil, s.Ref, false
	}
}

// DecideEndSupport ends support of a release; ending it twice changes nothing.
func DecideEndSupport(s Release, id string) ([]events.Payload, error) {
	if !s.Exists {
		return nil, NotFound("released version %s", id)
	}
	if !s.Supported {
		return nil, nil
	}
	return []events.Payload{events.SupportEnded{ReleaseRef: s.Ref}}, nil
}
