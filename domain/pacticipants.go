package domain

import (
	"slices"
	"strings"

	"github.com/pactledger/pactledger/events"
)

// PacticipantStream is the stream of one application.
func PacticipantStream(name string) (string, error) { return events.StreamID("pacticipant", name) }

// Pacticipant is the state of one application's stream.
type Pacticipant struct {
	Exists  bool
	Details events.PacticipantDetails
}

// EvolvePacticipant folds one event into s.
func EvolvePacticipant(s Pacticipant, e events.Envelope) Pacticipant {
	switch p := e.Data.(type) {
	case events.PacticipantCreated:
		return Pacticipant{Exists: true, Details: events.PacticipantDetails(p)}
	case events.PacticipantUpdated:
		s.Details = events.PacticipantDetails(p)
	case events.MainBranchDetected:
		s.Details.MainBranch = p.Branch
	case events.PacticipantDeleted:
		return Pacticipant{}
	}
	return s
}

// PacticipantPatch holds the attributes a request sets; nil leaves one alone.
type PacticipantPatch struct {
	DisplayName, RepositoryURL, RepositoryName, RepositoryNamespace, MainBranch *string
}

func (p PacticipantPatch) applyTo(d events.PacticipantDetails) events.PacticipantDetails {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&d.DisplayName, p.DisplayName)
	set(&d.RepositoryURL, p.RepositoryURL)
	set(&d.RepositoryName, p.RepositoryName)
	set(&d.RepositoryNamespace, p.RepositoryNamespace)
	set(&d.MainBranch, p.MainBranch)
	return d
}

func validatePacticipant(d events.PacticipantDetails) error {
	v := &ValidationError{Kind: ErrInvalid}
	checkName(v, "name", d.Name, true)
	if d.MainBranch != "" {
		checkName(v, "mainBranch", d.MainBranch, false)
	}
	if strings.ContainsAny(d.DisplayName, "\r\n") {
		v.Add("displayName", "cannot contain multiple lines")
	}
	return v.OrNil()
}

// DecideCreatePacticipant creates an application (POST). An existing name is
// a conflict.
func DecideCreatePacticipant(s Pacticipant, name string, patch PacticipantPatch) ([]events.Payload, error) {
	d := patch.applyTo(events.PacticipantDetails{Name: name})
	if err := validatePacticipant(d); err != nil {
		return nil, err
	}
	if s.Exists {
		return nil, &ValidationError{Kind: ErrConflict, Fields: map[string][]string{
			"name": {"A pacticipant with name '" + name + "' already exists"}}}
	}
	return []events.Payload{events.PacticipantCreated(d)}, nil
}

// DecideReplacePacticipant replaces every attribute of an existing
// application (PUT): attributes left out become empty.
func DecideReplacePacticipant(s Pacticipant, name string, patch PacticipantPatch) ([]events.Payload, error) {
	if !s.Exists {
		return nil, NotFound("pacticipant %s", name)
	}
	d := patch.applyTo(events.PacticipantDetails{Name: name})
	if err := validatePacticipant(d); err != nil {
		return nil, err
	}
	if d == s.Details {
		return nil, nil
	}
	return []events.Payload{events.PacticipantUpdated(d)}, nil
}

// DecidePatchPacticipant sets the given attributes, creating the application
// when it does not exist (PATCH).
func DecidePatchPacticipant(s Pacticipant, name string, patch PacticipantPatch) ([]events.Payload, error) {
	if !s.Exists {
		return DecideCreatePacticipant(s, name, patch)
	}
	d := patch.applyTo(s.Details)
	if err := validatePacticipant(d); err != nil {
		return nil, err
	}
	if d == s.Details {
		return nil, nil
	}
	return []events.Payload{events.PacticipantUpdated(d)}, nil
}

// DecideEnsurePacticipant creates an application that a version, tag or
// branch names for the first time; an existing one is left alone.
func DecideEnsurePacticipant(s Pacticipant, name string) ([]events.Payload, error) {
	if s.Exists {
		return nil, nil
	}
	return DecideCreatePacticipant(s, name, PacticipantPatch{})
}

// DecideDetectMainBranch sets the main branch from a branch or tag name when
// the application has none and the name is a main-branch candidate. It never
// overwrites a main branch.
func DecideDetectMainBranch(s Pacticipant, name string) ([]events.Payload, error) {
	if !s.Exists || s.Details.MainBranch != "" || !slices.Contains(MainBranchCandidates, name) {
		return nil, nil
	}
	return []events.Payload{events.MainBranchDetected{Pacticipant: s.Details.Name, Branch: name}}, nil
}

// DecideDeletePacticipant deletes an existing application.
func DecideDeletePacticipant(s Pacticipant, name string) ([]events.Payload, error) {
	if !s.Exists {
		return nil, NotFound("pacticipant %s", name)
	}
	return []events.Payload{events.PacticipantDeleted{Name: name}}, nil
}
