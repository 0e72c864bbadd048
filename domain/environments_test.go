package domain

import (
	"errors"
	"testing"

	"github.com/pactledger/pactledger/events"
)

func TestDecideCreateEnvironment(t *testing.T) {
	test := events.EnvironmentCreated{UUID: "u1", Name: "test", DisplayName: "Test"}
	cases := []struct {
		name   string
		given  []events.Payload
		when   EnvironmentInput
		then   []events.Payload
		fields map[string]string // field -> one expected message
	}{
		{"display name generated", nil, EnvironmentInput{Name: "prod-eu", Production: ptr(true)},
			[]events.Payload{events.EnvironmentCreated{UUID: "new", Name: "prod-eu", DisplayName: "Prod Eu", Production: true}}, nil},
		{"display name kept", nil, EnvironmentInput{Name: "uat", DisplayName: "UAT", Production: ptr(false),
			Contacts: []events.Contact{{Name: "Team A", Details: map[string]any{"emailAddress": "a@example.com"}}}},
			[]events.Payload{events.EnvironmentCreated{UUID: "new", Name: "uat", DisplayName: "UAT",
				Contacts: []events.Contact{{Name: "Team A", Details: map[string]any{"emailAddress": "a@example.com"}}}}}, nil},
		{"name already used", []events.Payload{test}, EnvironmentInput{Name: "test", Production: ptr(false)}, nil,
			map[string]string{"name": "name 'test' is already used by an existing environment."}},
		{"name reusable after delete", []events.Payload{test, events.EnvironmentDeleted{UUID: "u1", Name: "test"}},
			EnvironmentInput{Name: "test", Production: ptr(false)},
			[]events.Payload{events.EnvironmentCreated{UUID: "new", Name: "test", DisplayName: "Test"}}, nil},
		{"name with a space", nil, EnvironmentInput{Name: "my env", Production: ptr(false)}, nil,
			map[string]string{"name": "cannot contain spaces"}},
		{"name with a newline", nil, EnvironmentInput{Name: "a\nb", Production: ptr(false)}, nil,
			map[string]string{"name": "cannot contain multiple lines"}},
		{"missing name and production", nil, EnvironmentInput{}, nil,
			map[string]string{"name": "must be filled", "production": "is missing"}},
		{"contact without a name", nil, EnvironmentInput{Name: "x", Production: ptr(false), Contacts: []events.Contact{{}}}, nil,
			map[string]string{"contacts": "name is missing (at index 0)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecideCreateEnvironment(fold(EvolveEnvironments, tc.given...), "new", tc.when)
			if tc.fields == nil {
				wantErr(t, err, nil)
				sameEvents(t, got, tc.then)
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("want a validation error, got %v", err)
			}
			for f, msg := range tc.fields {
				if len(ve.Fields[f]) == 0 || ve.Fields[f][0] != msg {
					t.Fatalf("field %s: got %v, want %q", f, ve.Fields[f], msg)
				}
			}
		})
	}
}

func TestDecideUpdateAndDeleteEnvironment(t *testing.T) {
	given := fold(EvolveEnvironments,
		events.EnvironmentCreated{UUID: "u1", Name: "test", DisplayName: "Test"},
		events.EnvironmentCreated{UUID: "u2", Name: "production", DisplayName: "Production", Production: true})
	got, err := DecideUpdateEnvironment(given, "u1", EnvironmentInput{Name: "test", DisplayName: "Testing", Production: ptr(false)})
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{events.EnvironmentUpdated{UUID: "u1", Name: "test", DisplayName: "Testing"}})

	got, err = DecideUpdateEnvironment(given, "u1", EnvironmentInput{Name: "test", Production: ptr(false)})
	wantErr(t, err, nil)
	sameEvents(t, got, nil) // a full replace with the same values changes nothing

	_, err = DecideUpdateEnvironment(given, "u1", EnvironmentInput{Name: "production", Production: ptr(false)})
	wantErr(t, err, ErrInvalid)
	_, err = DecideUpdateEnvironment(given, "u9", EnvironmentInput{Name: "x", Production: ptr(false)})
	wantErr(t, err, ErrNotFound)

	got, err = DecideDeleteEnvironment(given, "u2")
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{events.EnvironmentDeleted{UUID: "u2", Name: "production"}})
	_, err = DecideDeleteEnvironment(given, "u9")
	wantErr(t, err, ErrNotFound)
}

func TestDisplayName(t *testing.T) {
	for in, want := range map[string]string{
		"test": "Test", "prod-eu": "Prod Eu", "myEnv": "My Env", "a_b.c d": "A B C D", "UAT": "UAT", "ünï": "Ünï",
	} {
		if got := DisplayName(in); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", in, got, want)
		}
	}
}
