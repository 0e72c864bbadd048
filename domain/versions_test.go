package domain

import (
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

var fooV1 = VersionKey{Pacticipant: "Foo", Number: "1.0.0"}

func TestDecideTagVersion(t *testing.T) {
	created := events.VersionCreated{Pacticipant: "Foo", Number: "1.0.0"}
	cases := []struct {
		name  string
		given []events.Payload
		now   time.Time
		tag   string
		then  []events.Payload
		added bool
	}{
		{"a new version's first tag is also its branch", nil, t0, "main", []events.Payload{
			created,
			events.VersionAddedToBranch{Pacticipant: "Foo", Number: "1.0.0", Branch: "main", AutoCreated: true},
			events.VersionTagged{Pacticipant: "Foo", Number: "1.0.0", Tag: "main"},
		}, true},
		{"an old version's first tag is only a tag", []events.Payload{created}, t0.Add(11 * time.Second), "prod",
			[]events.Payload{events.VersionTagged{Pacticipant: "Foo", Number: "1.0.0", Tag: "prod"}}, true},
		{"a version on a branch keeps it", []events.Payload{created,
			events.VersionAddedToBranch{Pacticipant: "Foo", Number: "1.0.0", Branch: "feat"}}, t0, "prod",
			[]events.Payload{events.VersionTagged{Pacticipant: "Foo", Number: "1.0.0", Tag: "prod"}}, true},
		{"an existing tag changes nothing", []events.Payload{created,
			events.VersionTagged{Pacticipant: "Foo", Number: "1.0.0", Tag: "prod"}}, t0, "prod", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, added, err := DecideTagVersion(fold(EvolveVersion, tc.given...), fooV1, tc.tag, tc.now)
			wantErr(t, err, nil)
			sameEvents(t, got, tc.then)
			if added != tc.added {
				t.Fatalf("added = %v", added)
			}
		})
	}
	_, _, err := DecideTagVersion(Version{}, fooV1, "a\nb", t0)
	wantErr(t, err, ErrInvalid)
	_, err = DecideUntagVersion(fold(EvolveVersion, created), fooV1, "nope")
	wantErr(t, err, ErrNotFound)
}

func TestDecideUpsertVersion(t *testing.T) {
	created := events.VersionCreated{Pacticipant: "Foo", Number: "1.0.0", BuildURL: "http://ci/1"}
	tagged := events.VersionTagged{Pacticipant: "Foo", Number: "1.0.0", Tag: "old"}
	got, isNew, err := DecideUpsertVersion(Version{}, fooV1, VersionUpsert{BuildURL: ptr("http://ci/1"), Replace: true})
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{created})
	if !isNew {
		t.Fatal("want created")
	}
	// PUT replaces the build URL and, when given, the tags.
	got, isNew, err = DecideUpsertVersion(fold(EvolveVersion, created, tagged), fooV1,
		VersionUpsert{Tags: &[]string{"new"}, Replace: true})
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{
		events.VersionUpdated{Pacticipant: "Foo", Number: "1.0.0"},
		events.VersionTagRemoved{Pacticipant: "Foo", Number: "1.0.0", Tag: "old"},
		events.VersionTagged{Pacticipant: "Foo", Number: "1.0.0", Tag: "new"},
	})
	if isNew {
		t.Fatal("want existing")
	}
	// PATCH leaves what it does not name.
	got, _, err = DecideUpsertVersion(fold(EvolveVersion, created, tagged), fooV1, VersionUpsert{})
	wantErr(t, err, nil)
	sameEvents(t, got, nil)
}

func TestDecideBranches(t *testing.T) {
	created := events.VersionCreated{Pacticipant: "Foo", Number: "1.0.0"}
	got, added, err := DecideAddVersionToBranch(Version{}, fooV1, "feat/x")
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{created, events.VersionAddedToBranch{Pacticipant: "Foo", Number: "1.0.0", Branch: "feat/x"}})
	if !added {
		t.Fatal("want added")
	}
	on := fold(EvolveVersion, created, events.VersionAddedToBranch{Pacticipant: "Foo", Number: "1.0.0", Branch: "feat/x"})
	got, added, _ = DecideAddVersionToBranch(on, fooV1, "feat/x")
	sameEvents(t, got, nil)
	if added {
		t.Fatal("want not added")
	}
	got, err = DecideRemoveVersionFromBranch(on, fooV1, "feat/x")
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{events.VersionRemovedFromBranch{Pacticipant: "Foo", Number: "1.0.0", Branch: "feat/x"}})
	_, err = DecideRemoveVersionFromBranch(on, fooV1, "main")
	wantErr(t, err, ErrNotFound)
}

func TestDecidePacticipant(t *testing.T) {
	created := events.PacticipantCreated{Name: "Foo"}
	got, err := DecidePatchPacticipant(Pacticipant{}, "Foo", PacticipantPatch{DisplayName: ptr("Foo App")})
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{events.PacticipantCreated{Name: "Foo", DisplayName: "Foo App"}})

	got, err = DecidePatchPacticipant(fold(EvolvePacticipant, events.PacticipantCreated{Name: "Foo", RepositoryURL: "r"}), "Foo",
		PacticipantPatch{MainBranch: ptr("main")})
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{events.PacticipantUpdated{Name: "Foo", RepositoryURL: "r", MainBranch: "main"}})

	got, err = DecideReplacePacticipant(fold(EvolvePacticipant, events.PacticipantCreated{Name: "Foo", RepositoryURL: "r"}), "Foo",
		PacticipantPatch{DisplayName: ptr("F")})
	wantErr(t, err, nil)
	sameEvents(t, got, []events.Payload{events.PacticipantUpdated{Name: "Foo", DisplayName: "F"}})
	_, err = DecideReplacePacticipant(Pacticipant{}, "Foo", PacticipantPatch{})
	wantErr(t, err, ErrNotFound)
	_, err = DecideCreatePacticipant(fold(EvolvePacticipant, created), "Foo", PacticipantPatch{})
	wantErr(t, err, ErrConflict)

	// Main branch detection: only candidates, only once.
	got, _ = DecideDetectMainBranch(fold(EvolvePacticipant, created), "feature")
	sameEvents(t, got, nil)
	got, _ = DecideDetectMainBranch(fold(EvolvePacticipant, created), "main")
	sameEvents(t, got, []events.Payload{events.MainBranchDetected{Pacticipant: "Foo", Branch: "main"}})
	got, _ = DecideDetectMainBranch(fold(EvolvePacticipant, created, events.MainBranchDetected{Pacticipant: "Foo", Branch: "develop"}), "main")
	sameEvents(t, got, nil)

	_, err = DecideCreatePacticipant(Pacticipant{}, "Foo", PacticipantPatch{MainBranch: ptr("a b")})
	wantErr(t, err, ErrInvalid)
}
