package domain

import (
	"reflect"
	"testing"

	"github.com/pactledger/pactledger/events"
)

func ref(id, version string, instance *string) events.DeploymentRef {
	return events.DeploymentRef{DeploymentID: id, Pacticipant: "Foo", Version: version, EnvironmentUUID: "env-1", ApplicationInstance: instance}
}

func deploy(id, version string, instance *string) RecordDeployment {
	return RecordDeployment{NewID: id, Pacticipant: "Foo", Version: version, EnvironmentUUID: "env-1", ApplicationInstance: instance}
}

func replacing(r, replaced events.DeploymentRef) events.DeploymentRecorded {
	return events.DeploymentRecorded{DeploymentRef: r, Replaces: &replaced}
}

// TestBothReplacementFormsFoldAlike: a DeploymentRecorded that Replaces a
// deployment folds to the state of the older DeploymentRecorded +
// AutoUndeployed pair.
func TestBothReplacementFormsFoldAlike(t *testing.T) {
	blue := ptr("blue")
	old := fold(EvolveDeployments,
		events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", blue)},
		events.DeploymentRecorded{DeploymentRef: ref("d0", "0.9.0", nil)},
		events.DeploymentRecorded{DeploymentRef: ref("d2", "2.0.0", blue)},
		events.AutoUndeployed{DeploymentRef: ref("d1", "1.0.0", blue), ReplacedBy: "d2"})
	one := fold(EvolveDeployments,
		events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", blue)},
		events.DeploymentRecorded{DeploymentRef: ref("d0", "0.9.0", nil)},
		replacing(ref("d2", "2.0.0", blue), ref("d1", "1.0.0", blue)))
	if !reflect.DeepEqual(old, one) {
		t.Fatalf("one-event form folds to %+v, the two-event form to %+v", one, old)
	}
	if !one.ByID["d1"].Undeployed || one.Current[InstanceKey(blue)].DeploymentID != "d2" || one.Current[InstanceKey(nil)].DeploymentID != "d0" {
		t.Fatalf("state %+v", one)
	}
}

func TestDecideRecordDeployment(t *testing.T) {
	blue, green := ptr("blue"), ptr("green")
	cases := []struct {
		name    string
		given   []events.Payload
		when    RecordDeployment
		then    []events.Payload
		wantRef string
	}{
		{"first deployment", nil, deploy("d1", "1.0.0", nil),
			[]events.Payload{events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)}}, "d1"},
		{"a new version replaces the current one on the same instance",
			[]events.Payload{events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)}},
			deploy("d2", "2.0.0", nil),
			[]events.Payload{replacing(ref("d2", "2.0.0", nil), ref("d1", "1.0.0", nil))}, "d2"},
		{"the current version again changes nothing and returns the existing record",
			[]events.Payload{events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)}},
			deploy("d2", "1.0.0", nil), nil, "d1"},
		{"a rollback is a new record",
			[]events.Payload{
				events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)},
				replacing(ref("d2", "2.0.0", nil), ref("d1", "1.0.0", nil)),
			},
			deploy("d3", "1.0.0", nil),
			[]events.Payload{replacing(ref("d3", "1.0.0", nil), ref("d2", "2.0.0", nil))}, "d3"},
		{"a log of the older two-event form decides the same",
			[]events.Payload{
				events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)},
				events.DeploymentRecorded{DeploymentRef: ref("d2", "2.0.0", nil)},
				events.AutoUndeployed{DeploymentRef: ref("d1", "1.0.0", nil), ReplacedBy: "d2"},
			},
			deploy("d3", "1.0.0", nil),
			[]events.Payload{replacing(ref("d3", "1.0.0", nil), ref("d2", "2.0.0", nil))}, "d3"},
		{"a replacement on one instance leaves the others",
			[]events.Payload{
				events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", blue)},
				events.DeploymentRecorded{DeploymentRef: ref("d2", "1.0.0", green)},
			},
			deploy("d3", "2.0.0", blue),
			[]events.Payload{replacing(ref("d3", "2.0.0", blue), ref("d1", "1.0.0", blue))}, "d3"},
		{"instances are separate keys, the null instance too",
			[]events.Payload{
				events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)},
				events.DeploymentRecorded{DeploymentRef: ref("d2", "1.0.0", blue)},
			},
			deploy("d3", "2.0.0", green),
			[]events.Payload{events.DeploymentRecorded{DeploymentRef: ref("d3", "2.0.0", green)}}, "d3"},
		{"an empty instance name is not the null instance",
			[]events.Payload{events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)}},
			deploy("d2", "1.0.0", ptr("")),
			[]events.Payload{events.DeploymentRecorded{DeploymentRef: ref("d2", "1.0.0", ptr(""))}}, "d2"},
		{"after an undeployment the same version is recorded anew",
			[]events.Payload{
				events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)},
				events.Undeployed{DeploymentRef: ref("d1", "1.0.0", nil)},
			},
			deploy("d2", "1.0.0", nil),
			[]events.Payload{events.DeploymentRecorded{DeploymentRef: ref("d2", "1.0.0", nil)}}, "d2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, r := DecideRecordDeployment(fold(EvolveDeployments, tc.given...), tc.when)
			sameEvents(t, got, tc.then)
			if r.DeploymentID != tc.wantRef {
				t.Fatalf("record %s, want %s", r.DeploymentID, tc.wantRef)
			}
		})
	}
}

func TestDecideUndeploy(t *testing.T) {
	deployed := events.DeploymentRecorded{DeploymentRef: ref("d1", "1.0.0", nil)}
	cases := []struct {
		name  string
		given []events.Payload
		when  string
		then  []events.Payload
		err   error
	}{
		{"ends a current deployment", []events.Payload{deployed}, "d1",
			[]events.Payload{events.Undeployed{DeploymentRef: ref("d1", "1.0.0", nil)}}, nil},
		{"is idempotent", []events.Payload{deployed, events.Undeployed{DeploymentRef: ref("d1", "1.0.0", nil)}}, "d1", nil, nil},
		{"does nothing to an auto-undeployed record", []events.Payload{deployed,
			events.DeploymentRecorded{DeploymentRef: ref("d2", "2.0.0", nil)},
			events.AutoUndeployed{DeploymentRef: ref("d1", "1.0.0", nil), ReplacedBy: "d2"}}, "d1", nil, nil},
		{"does nothing to a replaced record", []events.Payload{deployed,
			replacing(ref("d2", "2.0.0", nil), ref("d1", "1.0.0", nil))}, "d1", nil, nil},
		{"ends the record that replaced another", []events.Payload{deployed,
			replacing(ref("d2", "2.0.0", nil), ref("d1", "1.0.0", nil))}, "d2",
			[]events.Payload{events.Undeployed{DeploymentRef: ref("d2", "2.0.0", nil)}}, nil},
		{"an unknown record is not found", []events.Payload{deployed}, "nope", nil, ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecideUndeploy(fold(EvolveDeployments, tc.given...), tc.when)
			wantErr(t, err, tc.err)
			sameEvents(t, got, tc.then)
		})
	}
}

func TestDecideRelease(t *testing.T) {
	r1 := events.ReleaseRef{ReleaseID: "r1", Pacticipant: "Foo", Version: "1", EnvironmentUUID: "env-1"}
	r2 := events.ReleaseRef{ReleaseID: "r2", Pacticipant: "Foo", Version: "1", EnvironmentUUID: "env-1"}
	cases := []struct {
		name    string
		given   []events.Payload
		then    []events.Payload
		id      string
		created bool
	}{
		{"first release creates", nil, []events.Payload{events.ReleaseRecorded{ReleaseRef: r2}}, "r2", true},
		{"a repeat while supported changes nothing", []events.Payload{events.ReleaseRecorded{ReleaseRef: r1}}, nil, "r1", false},
		{"a repeat after support ended resumes it",
			[]events.Payload{events.ReleaseRecorded{ReleaseRef: r1}, events.SupportEnded{ReleaseRef: r1}},
			[]events.Payload{events.ReleaseSupportResumed{ReleaseRef: r1}}, "r1", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, out, created := DecideRecordRelease(fold(EvolveRelease, tc.given...), r2)
			sameEvents(t, got, tc.then)
			if out.ReleaseID != tc.id || created != tc.created {
				t.Fatalf("got %s created=%v, want %s created=%v", out.ReleaseID, created, tc.id, tc.created)
			}
		})
	}
	ended, err := DecideEndSupport(fold(EvolveRelease, events.ReleaseRecorded{ReleaseRef: r1}), "r1")
	wantErr(t, err, nil)
	sameEvents(t, ended, []events.Payload{events.SupportEnded{ReleaseRef: r1}})
	again, err := DecideEndSupport(fold(EvolveRelease, events.ReleaseRecorded{ReleaseRef: r1}, events.SupportEnded{ReleaseRef: r1}), "r1")
	wantErr(t, err, nil)
	sameEvents(t, again, nil)
	_, err = DecideEndSupport(Release{}, "r9")
	wantErr(t, err, ErrNotFound)
}
