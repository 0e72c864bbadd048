package domain

import (
	"slices"
	"time"

	"github.com/pactledger/pactledger/events"
)

// FirstTagAsBranchWindow is how young a version must be for its first tag to
// also become its branch, as in the Pact Broker (use_first_tag_as_branch).
const FirstTagAsBranchWindow = 10 * time.Second

// VersionStream is the stream of one application version.
func VersionStream(pacticipant, number string) (string, error) {
	return events.StreamID("version", pacticipant, number)
}

// Version is the state of one version's stream.
type Version struct {
	Exists    bool
	BuildURL  string
	CreatedAt time.Time
	Branches  []string
	Tags      []string
}

// EvolveVersion folds one event into s.
func EvolveVersion(s Version, e events.Envelope) Version {
	switch p := e.Data.(type) {
	case events.VersionCreated:
		return Version{Exists: true, BuildURL: p.BuildURL, CreatedAt: e.OccurredAt}
	case events.VersionUpdated:
		s.BuildURL = p.BuildURL
	case events.VersionAddedToBranch:
		s.Branches = append(slices.Clone(s.Branches), p.Branch)
	case events.VersionRemovedFromBranch:
		s.Branches = slices.DeleteFunc(slices.Clone(s.Branches), func(b string) bool { return b == p.Branch })
	case events.VersionTagged:
		s.Tags = append(slices.Clone(s.Tags), p.Tag)
	case events.VersionTagRemoved:
		s.Tags = slices.DeleteFunc(slices.Clone(s.Tags), func(t string) bool { return t == p.Tag })
	case events.VersionDeleted:
		return Version{}
	}
	return s
}

// VersionKey names a version.
type VersionKey struct{ Pacticipant, Number string }

func (k VersionKey) created(buildURL string) events.VersionCreated {
	return events.VersionCreated{Pacticipant: k.Pacticipant, Number: k.Number, BuildURL: buildURL}
}

// VersionUpsert is a PUT or PATCH of a version. Nil fields are left alone by
// PATCH; PUT replaces the build URL always and the tags only when given.
type VersionUpsert struct {
	BuildURL *string
	Tags     *[]string
	Replace  bool // PUT
}

// DecideUpsertVersion creates or updates a version. created reports whether
// the version is new.
func DecideUpsertVersion(s Version, k VersionKey, in VersionUpsert) (evs []events.Payload, created bool, err error) {
	if err := checkVersionKey(k); err != nil {
		return nil, false, err
	}
	buildURL := s.BuildURL
	if in.BuildURL != nil {
		buildURL = *in.BuildURL
	} else if in.Replace {
		buildURL = ""
	}
	if !s.Exists {
		evs = append(evs, k.created(buildURL))
	} else if buildURL != s.BuildURL {
		evs = append(evs, events.VersionUpdated{Pacticipant: k.Pacticipant, Number: k.Number, BuildURL: buildURL})
	}
	if in.Tags != nil {
		for _, t := range s.Tags {
			if !slices.Contains(*in.Tags, t) {
				evs = append(evs, events.VersionTagRemoved{Pacticipant: k.Pacticipant, Number: k.Number, Tag: t})
			}
		}
		for i, t := range *in.Tags {
			if err := CheckPathName("tags", t); err != nil {
				return nil, false, err
			}
			if !slices.Contains(s.Tags, t) && !slices.Contains((*in.Tags)[:i], t) {
				evs = append(evs, events.VersionTagged{Pacticipant: k.Pacticipant, Number: k.Number, Tag: t})
			}
		}
	}
	return evs, !s.Exists, nil
}

func checkVersionKey(k VersionKey) error {
	if err := CheckPathName("pacticipant", k.Pacticipant); err != nil {
		return err
	}
	return CheckPathName("number", k.Number)
}

// DecideAddVersionToBranch puts a version (created if need be) on a branch.
// added reports whether the version was not on the branch before.
func DecideAddVersionToBranch(s Version, k VersionKey, branch string) (evs []events.Payload, added bool, err error) {
	if err := checkVersionKey(k); err != nil {
		return nil, false, err
	}
	if err := CheckPathName("branch", branch); err != nil {
		return nil, false, err
	}
	if !s.Exists {
		evs = append(evs, k.created(""))
	}
	if slices.Contains(s.Branches, branch) {
		return evs, false, nil
	}
	evs = append(evs, events.VersionAddedToBranch{Pacticipant: k.Pacticipant, Number: k.Number, Branch: branch})
	return evs, true, nil
}

// DecideRemoveVersionFromBranch takes a version off a branch.
func DecideRemoveVersionFromBranch(s Version, k VersionKey, branch string) ([]events.Payload, error) {
	if !s.Exists || !slices.Contains(s.Branches, branch) {
		return nil, NotFound("version %s of %s on branch %s", k.Number, k.Pacticipant, branch)
	}
	return []events.Payload{events.VersionRemovedFromBranch{Pacticipant: k.Pacticipant, Number: k.Number, Branch: branch}}, nil
}

// DecideTagVersion tags a version, creating it if need be. A young version's
// first tag also becomes its branch when it has none (use_first_tag_as_branch).
func DecideTagVersion(s Version, k VersionKey, tag string, now time.Time) (evs []events.Payload, added bool, err error) {
	if err := checkVersionKey(k); err != nil {
		return nil, false, err
	}
	if err := CheckPathName("tag", tag); err != nil {
		return nil, false, err
	}
	createdAt := s.CreatedAt
	if !s.Exists {
		evs = append(evs, k.created(""))
		createdAt = now
	}
	if slices.Contains(s.Tags, tag) {
		return evs, false, nil
	}
	if len(s.Tags) == 0 && len(s.Branches) == 0 && now.Sub(createdAt) <= FirstTagAsBranchWindow {
		evs = append(evs, events.VersionAddedToBranch{Pacticipant: k.Pacticipant, Number: k.Number, Branch: tag, AutoCreated: true})
	}
	evs = append(evs, events.VersionTagged{Pacticipant: k.Pacticipant, Number: k.Number, Tag: tag})
	return evs, true, nil
}

// DecideUntagVersion removes a tag.
func DecideUntagVersion(s Version, k VersionKey, tag string) ([]events.Payload, error) {
	if !s.Exists || !slices.Contains(s.Tags, tag) {
		return nil, NotFound("tag %s of %s version %s", tag, k.Pacticipant, k.Number)
	}
	return []events.Payload{events.VersionTagRemoved{Pacticipant: k.Pacticipant, Number: k.Number, Tag: tag}}, nil
}

// DecideDeleteVersion deletes a version.
func DecideDeleteVersion(s Version, k VersionKey) ([]events.Payload, error) {
	if !s.Exists {
		return nil, NotFound("version %s of %s", k.Number, k.Pacticipant)
	}
	return []events.Payload{events.VersionDeleted{Pacticipant: k.Pacticipant, Number: k.Number}}, nil
}
