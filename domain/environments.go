package domain

import (
	"fmt"
	"strings"

	"github.com/pactledger/pactledger/events"
)

// EnvironmentsStream guards environment names: every environment event goes
// to this one stream, so two concurrent creates of one name cannot both win.
const EnvironmentsStream = "environments"

// Environment is one environment's attributes.
type Environment struct {
	UUID        string
	Name        string
	DisplayName string
	Production  bool
	Contacts    []events.Contact
}

// Environments is the state of the environments stream: the live
// environments by uuid.
type Environments struct {
	ByUUID map[string]Environment
}

// EvolveEnvironments folds one event into s.
func EvolveEnvironments(s Environments, e events.Envelope) Environments {
	if s.ByUUID == nil {
		s.ByUUID = map[string]Environment{}
	}
	switch p := e.Data.(type) {
	case events.EnvironmentCreated:
		s.ByUUID[p.UUID] = Environment(p)
	case events.EnvironmentUpdated:
		s.ByUUID[p.UUID] = Environment(p)
	case events.EnvironmentDeleted:
		delete(s.ByUUID, p.UUID)
	}
	return s
}

// EnvironmentInput is a create or full-replace request. DisplayName may be
// blank; Production is required (nil is refused).
type EnvironmentInput struct {
	Name        string
	DisplayName string
	Production  *bool
	Contacts    []events.Contact
}

// ValidateEnvironment checks an input against the Pact Broker's rules.
func ValidateEnvironment(in EnvironmentInput) *ValidationError {
	v := &ValidationError{Kind: ErrInvalid}
	checkName(v, "name", in.Name, false)
	if strings.ContainsAny(in.DisplayName, "\r\n") {
		v.Add("displayName", "cannot contain multiple lines")
	}
	if in.Production == nil {
		v.Add("production", "is missing")
	}
	for i, c := range in.Contacts {
		switch {
		case strings.TrimSpace(c.Name) == "":
			v.Add("contacts", fmt.Sprintf("name is missing (at index %d)", i))
		case strings.ContainsAny(c.Name, "\r\n"):
			v.Add("contacts", fmt.Sprintf("name cannot contain multiple lines (at index %d)", i))
		}
	}
	return v
}

func (s Environments) nameTaken(name, exceptUUID string) bool {
	for _, env := range s.ByUUID {
		if env.Name == name && env.UUID != exceptUUID {
			return true
		}
	}
	return false
}

func environmentFrom(uuid string, in EnvironmentInput) events.EnvironmentCreated {
	display := strings.TrimSpace(in.DisplayName)
	if display == "" {
		display = DisplayName(in.Name)
	}
	return events.EnvironmentCreated{
		UUID: uuid, Name: in.Name, DisplayName: display, Production: *in.Production, Contacts: in.Contacts,
	}
}

// DecideCreateEnvironment creates an environment with the given new uuid.
func DecideCreateEnvironment(s Environments, uuid string, in EnvironmentInput) ([]events.Payload, error) {
	v := ValidateEnvironment(in)
	if v.OrNil() == nil && s.nameTaken(in.Name, uuid) {
		v.Add("name", fmt.Sprintf("name '%s' is already used by an existing environment.", in.Name))
	}
	if err := v.OrNil(); err != nil {
		return nil, err
	}
	return []events.Payload{environmentFrom(uuid, in)}, nil
}

// DecideUpdateEnvironment replaces every attribute of an existing environment.
func DecideUpdateEnvironment(s Environments, uuid string, in EnvironmentInput) ([]events.Payload, error) {
	old, ok := s.ByUUID[uuid]
	if !ok {
		return nil, NotFound("environment %s", uuid)
	}
	v := ValidateEnvironment(in)
	if v.OrNil() == nil && s.nameTaken(in.Name, uuid) {
		v.Add("name", fmt.Sprintf("name '%s' is already used by an existing environment.", in.Name))
	}
	if err := v.OrNil(); err != nil {
		return nil, err
	}
	next := environmentFrom(uuid, in)
	if fmt.Sprint(Environment(next)) == fmt.Sprint(old) {
		return nil, nil
	}
	return []events.Payload{events.EnvironmentUpdated(next)}, nil
}

// DecideDeleteEnvironment deletes an existing environment.
func DecideDeleteEnvironment(s Environments, uuid string) ([]events.Payload, error) {
	env, ok := s.ByUUID[uuid]
	if !ok {
		return nil, NotFound("environment %s", uuid)
	}
	return []events.Payload{events.EnvironmentDeleted{UUID: uuid, Name: env.Name}}, nil
}
