package queries

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
)

type envNames map[string]string

func (n envNames) EnvironmentName(uuid string) (string, bool) { s, ok := n[uuid]; return s, ok }

func str(s string) *string { return &s }

func TestSummarize(t *testing.T) {
	names := envNames{"u-prod": "production"}
	dep := events.DeploymentRef{DeploymentID: "d", Pacticipant: "foo", Version: "1.2.3", EnvironmentUUID: "u-prod", ApplicationInstance: str("blue")}
	cases := []struct {
		p        events.Payload
		replaced string
		want     string
	}{
		{events.DeploymentRecorded{DeploymentRef: dep}, "1.2.2", "version 1.2.3 of foo deployed to production (instance blue), replacing 1.2.2"},
		{events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{Pacticipant: "foo", Version: "1", EnvironmentUUID: "u-gone"}}, "",
			"version 1 of foo deployed to u-gone"},
		{events.AutoUndeployed{DeploymentRef: dep, ReplacedBy: "e"}, "", "version 1.2.3 of foo replaced in production (instance blue)"},
		{events.Undeployed{DeploymentRef: dep}, "", "version 1.2.3 of foo undeployed from production (instance blue)"},
		{events.ReleaseRecorded{ReleaseRef: events.ReleaseRef{Pacticipant: "app", Version: "7", EnvironmentUUID: "u-prod"}}, "", "version 7 of app released to production"},
		{events.SupportEnded{ReleaseRef: events.ReleaseRef{Pacticipant: "app", Version: "7", EnvironmentUUID: "u-prod"}}, "", "support ended for version 7 of app in production"},
		{events.ReleaseSupportResumed{ReleaseRef: events.ReleaseRef{Pacticipant: "app", Version: "7", EnvironmentUUID: "u-prod"}}, "", "version 7 of app released to production again (support resumed)"},
		{events.EnvironmentCreated{Name: "production", Production: true}, "", "environment production created (production)"},
		{events.VersionTagged{Pacticipant: "foo", Number: "1", Tag: "prod"}, "", "version 1 of foo tagged prod"},
		{events.VersionAddedToBranch{Pacticipant: "foo", Number: "1", Branch: "main"}, "", "version 1 of foo added to branch main"},
		{events.PactPublished{Consumer: "foo", Provider: "bar", ConsumerVersion: "1", SHA: "0123456789abcdef", Revision: 2}, "",
			"pact between foo version 1 and bar published (revision 2, content 0123456789ab)"},
		{events.VerificationPublished{Consumer: "foo", Provider: "bar", SHA: "abc", ProviderVersion: "9", Success: false, Number: 3}, "",
			"verification of the pact between foo and bar (content abc) by bar version 9 failed (result 3)"},
		{events.WebhookCreated{UUID: "w1", Description: "notify"}, "", "webhook w1 (notify) created"},
	}
	for _, tc := range cases {
		if got := Summarize(tc.p, tc.replaced, names); got != tc.want {
			t.Errorf("%s:\n got  %q\n want %q", tc.p.EventType(), got, tc.want)
		}
	}
}

// fakeLog is an index and a reader over a slice of events: position i+1 is
// envs[i]. It filters only by pacticipant (enough to exercise ReadHistory)
// and counts reads.
type fakeLog struct {
	envs  []events.Envelope
	reads int
}

func (f *fakeLog) EnvironmentName(uuid string) (string, bool) { return "env-" + uuid, true }

func (f *fakeLog) Candidates(q HistoryQuery, after uint64, limit int) []uint64 {
	var out []uint64
	for _, e := range f.envs[after:] {
		if q.Pacticipant == "" || slices.ContainsFunc(versionsOf(e.Data), func(v versionRef) bool { return v.pacticipant == q.Pacticipant }) {
			out = append(out, e.Position)
		}
		if len(out) == limit {
			break
		}
	}
	return out
}

func (f *fakeLog) Next(p uint64) (uint64, bool) { return p + 1, p < uint64(len(f.envs)) }

func (f *fakeLog) ReadPositions(_ context.Context, ps []uint64) ([]events.Envelope, error) {
	out := make([]events.Envelope, len(ps))
	for i, p := range ps {
		out[i] = f.envs[p-1]
		f.reads++
	}
	return out, nil
}

func newFakeLog(ps ...events.Payload) *fakeLog {
	f := &fakeLog{}
	for i, p := range ps {
		stream := "s" + p.EventType()
		if d, ok := p.(events.DeploymentRecorded); ok {
			stream = "deployment-" + d.Pacticipant
		}
		if d, ok := p.(events.AutoUndeployed); ok {
			stream = "deployment-" + d.Pacticipant
		}
		f.envs = append(f.envs, events.Envelope{ID: uuid.New(), Type: p.EventType(), Stream: stream, Position: uint64(i + 1),
			OccurredAt: time.Unix(int64(i), 0), Meta: events.Metadata{Actor: "anonymous", CorrelationID: "c"}, Data: p})
	}
	return f
}

func TestReadHistoryPagesAndReplacedVersion(t *testing.T) {
	deploy := func(id, version string) events.DeploymentRef {
		return events.DeploymentRef{DeploymentID: id, Pacticipant: "foo", Version: version, EnvironmentUUID: "p"}
	}
	f := newFakeLog(
		events.VersionCreated{Pacticipant: "foo", Number: "1"},                                         // 1
		events.DeploymentRecorded{DeploymentRef: deploy("d1", "1")},                                    // 2
		events.VersionCreated{Pacticipant: "bar", Number: "1"},                                         // 3
		events.VersionCreated{Pacticipant: "foo", Number: "2"},                                         // 4
		events.DeploymentRecorded{DeploymentRef: deploy("d2", "2")},                                    // 5
		events.AutoUndeployed{DeploymentRef: deploy("d1", "1"), ReplacedBy: "d2"},                      // 6
		events.Undeployed{DeploymentRef: deploy("d2", "2")},                                            // 7
		events.PactPublished{Consumer: "foo", Provider: "bar", ConsumerVersion: "2", SHA: "x"},         // 8
		events.VerificationPublished{Consumer: "foo", Provider: "bar", ProviderVersion: "1", SHA: "x"}, // 9
	)
	ctx := context.Background()
	page, err := ReadHistory(ctx, f, f, HistoryQuery{Pacticipant: "foo", Limit: 2, After: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := positionsOf(page); !slices.Equal(got, []uint64{4, 5}) || page.Next != 5 {
		t.Fatalf("page %v next %d, want [4 5] next 5", got, page.Next)
	}
	if s := page.Entries[1].Summary; s != "version 2 of foo deployed to env-p, replacing 1" {
		t.Fatalf("summary %q", s)
	}
	if e := page.Entries[0]; e.Actor != "anonymous" || e.CorrelationID != "c" || e.Type != "VersionCreated" || e.Stream != "sVersionCreated" {
		t.Fatalf("entry %+v", e)
	}
	last, err := ReadHistory(ctx, f, f, HistoryQuery{Pacticipant: "foo", After: page.Next})
	if err != nil {
		t.Fatal(err)
	}
	if got := positionsOf(last); !slices.Equal(got, []uint64{6, 7, 8}) || last.Next != 0 {
		t.Fatalf("last page %v next %d", got, last.Next)
	}
	// A version filter reads the candidates and keeps the events of that
	// version only; its pacticipant is the one asked for.
	v2, err := ReadHistory(ctx, f, f, HistoryQuery{Pacticipant: "foo", Version: "2", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := positionsOf(v2); !slices.Equal(got, []uint64{4, 5, 7, 8}) {
		t.Fatalf("foo version 2: %v", got)
	}
	bar1, err := ReadHistory(ctx, f, f, HistoryQuery{Version: "1", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := positionsOf(bar1); !slices.Equal(got, []uint64{1, 2, 3}) || bar1.Next != 3 {
		t.Fatalf("any version 1, page of 3: %v next %d", got, bar1.Next)
	}
	// The first deployment replaced nothing: the next event is not its
	// AutoUndeployed.
	first, _ := ReadHistory(ctx, f, f, HistoryQuery{After: 1, Limit: 1})
	if s := first.Entries[0].Summary; s != "version 1 of foo deployed to env-p" {
		t.Fatalf("first deployment: %q", s)
	}
}

func positionsOf(p HistoryPage) []uint64 {
	var out []uint64
	for _, e := range p.Entries {
		out = append(out, e.Position)
	}
	return out
}

// TestReadHistoryOfAOneEventReplacement: a DeploymentRecorded that names
// the deployment it replaces says which without reading another event, and
// shows under the replaced version too (as the AutoUndeployed of the older
// two-event form did).
func TestReadHistoryOfAOneEventReplacement(t *testing.T) {
	deploy := func(id, version string) events.DeploymentRef {
		return events.DeploymentRef{DeploymentID: id, Pacticipant: "foo", Version: version, EnvironmentUUID: "p"}
	}
	d1 := deploy("d1", "1")
	f := newFakeLog(
		events.DeploymentRecorded{DeploymentRef: d1},                                           // 1
		events.DeploymentRecorded{DeploymentRef: deploy("d2", "2"), Replaces: &d1},             // 2
		events.VersionCreated{Pacticipant: "foo", Number: "3"},                                 // 3
		events.PactPublished{Consumer: "foo", Provider: "bar", ConsumerVersion: "3", SHA: "x"}, // 4
	)
	ctx := context.Background()
	page, err := ReadHistory(ctx, f, f, HistoryQuery{Pacticipant: "foo", After: 1, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s := page.Entries[0].Summary; s != "version 2 of foo deployed to env-p, replacing 1" || f.reads != 1 {
		t.Fatalf("summary %q after %d reads, want the replacement from one read", s, f.reads)
	}
	v1, err := ReadHistory(ctx, f, f, HistoryQuery{Pacticipant: "foo", Version: "1", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := positionsOf(v1); !slices.Equal(got, []uint64{1, 2}) {
		t.Fatalf("foo version 1: %v, want its deployment and its replacement", got)
	}
}
