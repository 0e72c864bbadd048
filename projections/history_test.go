package projections

import (
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

var h0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// historyOf applies payloads at positions 1.. (or the given positions), one
// minute apart.
func historyOf(positions []uint64, ps ...events.Payload) *History {
	h := NewHistory()
	for i, p := range ps {
		pos := uint64(i + 1)
		if positions != nil {
			pos = positions[i]
		}
		h.Apply(events.Envelope{Type: p.EventType(), Position: pos, OccurredAt: h0.Add(time.Duration(i) * time.Minute), Data: p})
	}
	return h
}

func instance(s string) *string { return &s }

func historyFixture(positions []uint64) *History {
	return historyOf(positions,
		events.EnvironmentCreated{UUID: "u-prod", Name: "production"}, // 1, 10:00
		events.EnvironmentCreated{UUID: "u-test", Name: "test"},       // 2, 10:01
		events.VersionCreated{Pacticipant: "foo", Number: "1.0"},      // 3, 10:02
		events.VersionCreated{Pacticipant: "bar", Number: "2.0"},      // 4, 10:03
		events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{ // 5, 10:04
			DeploymentID: "d1", Pacticipant: "foo", Version: "1.0", EnvironmentUUID: "u-prod", ApplicationInstance: instance("blue")}},
		events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{ // 6, 10:05
			DeploymentID: "d2", Pacticipant: "bar", Version: "2.0", EnvironmentUUID: "u-test"}},
		events.PactPublished{Consumer: "foo", Provider: "bar", ConsumerVersion: "1.0", SHA: "s"}, // 7, 10:06
		events.EnvironmentDeleted{UUID: "u-prod", Name: "production"},                            // 8, 10:07
		events.EnvironmentCreated{UUID: "u-prod2", Name: "production"},                           // 9, 10:08
		events.ReleaseRecorded{ReleaseRef: events.ReleaseRef{ // 10, 10:09
			ReleaseID: "r1", Pacticipant: "foo", Version: "1.0", EnvironmentUUID: "u-prod2"}},
	)
}

func TestHistoryPositionsFilters(t *testing.T) {
	cases := []struct {
		name  string
		f     HistoryFilter
		after uint64
		limit int
		want  []uint64
	}{
		{"everything", HistoryFilter{}, 0, 100, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"page after a position", HistoryFilter{}, 7, 2, []uint64{8, 9}},
		{"pacticipant, both sides of a pact", HistoryFilter{Pacticipant: "bar"}, 0, 100, []uint64{4, 6, 7}},
		{"pacticipant after", HistoryFilter{Pacticipant: "foo"}, 5, 100, []uint64{7, 10}},
		{"environment by uuid", HistoryFilter{Environment: "u-prod"}, 0, 100, []uint64{1, 5, 8}},
		{"environment by name covers every uuid it named", HistoryFilter{Environment: "production"}, 0, 100, []uint64{1, 5, 8, 9, 10}},
		{"pacticipant and environment", HistoryFilter{Pacticipant: "foo", Environment: "production"}, 0, 100, []uint64{5, 10}},
		{"types", HistoryFilter{Types: []string{"DeploymentRecorded", "ReleaseRecorded"}}, 0, 100, []uint64{5, 6, 10}},
		{"type and pacticipant", HistoryFilter{Pacticipant: "foo", Types: []string{"DeploymentRecorded"}}, 0, 100, []uint64{5}},
		{"time range, inclusive", HistoryFilter{From: h0.Add(2 * time.Minute), To: h0.Add(4 * time.Minute)}, 0, 100, []uint64{3, 4, 5}},
		{"time range beyond UnixNano's range", HistoryFilter{From: h0.AddDate(-1000, 0, 0), To: h0.AddDate(1000, 0, 0)}, 0, 100, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"time range and pacticipant", HistoryFilter{Pacticipant: "foo", From: h0.Add(5 * time.Minute)}, 0, 100, []uint64{7, 10}},
		{"unknown pacticipant", HistoryFilter{Pacticipant: "nobody"}, 0, 100, nil},
		{"unknown environment", HistoryFilter{Environment: "staging"}, 0, 100, nil},
		{"unknown type", HistoryFilter{Types: []string{"Nothing"}}, 0, 100, nil},
		{"limit", HistoryFilter{Pacticipant: "foo"}, 0, 2, []uint64{3, 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := historyFixture(nil)
			if got := h.Positions(tc.f, tc.after, tc.limit); !slices.Equal(got, tc.want) {
				t.Fatalf("positions %v, want %v", got, tc.want)
			}
			// The same log with sparse positions (as KurrentDB has them):
			// every answer maps through the positions.
			sparse := []uint64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}
			hs := historyFixture(sparse)
			var want []uint64
			for _, p := range tc.want {
				want = append(want, sparse[p-1])
			}
			after := uint64(0)
			if tc.after > 0 {
				after = sparse[tc.after-1] + 5 // between two events
			}
			if got := hs.Positions(tc.f, after, tc.limit); !slices.Equal(got, want) {
				t.Fatalf("sparse positions %v, want %v", got, want)
			}
		})
	}
}

func TestHistoryPositionAt(t *testing.T) {
	h := historyFixture(nil)
	cases := []struct {
		at   time.Time
		want uint64
	}{
		{h0.Add(-time.Second), 0},
		{h0, 1},
		{h0.Add(4*time.Minute + 30*time.Second), 5},
		{h0.Add(9 * time.Minute), 10},
		{h0.Add(time.Hour), 10},
		{time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC), 10}, // beyond UnixNano's range
		{time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), 0},
	}
	for _, tc := range cases {
		if got := h.PositionAt(tc.at); got != tc.want {
			t.Errorf("PositionAt(%s) = %d, want %d", tc.at.Format(time.TimeOnly), got, tc.want)
		}
	}
	if h.Head() != 10 || h.Events() != 10 {
		t.Fatalf("head %d, events %d", h.Head(), h.Events())
	}
	if n, ok := h.Next(5); !ok || n != 6 {
		t.Fatalf("Next(5) = %d %v", n, ok)
	}
	if _, ok := h.Next(10); ok {
		t.Fatal("Next(head) found an event")
	}
	if name, ok := h.EnvironmentName("u-prod"); !ok || name != "production" {
		t.Fatalf("deleted environment's name %q %v", name, ok)
	}
}

// A writer whose clock stepped back does not break the time search: the
// index keeps a running maximum.
func TestHistoryClockStepBack(t *testing.T) {
	h := NewHistory()
	for i, m := range []int{0, 5, 3, 6} {
		p := events.VersionCreated{Pacticipant: "foo", Number: "1"}
		h.Apply(events.Envelope{Type: p.EventType(), Position: uint64(i + 1), OccurredAt: h0.Add(time.Duration(m) * time.Minute), Data: p})
	}
	if got := h.PositionAt(h0.Add(5 * time.Minute)); got != 3 {
		t.Fatalf("PositionAt(10:05) = %d, want 3 (the stepped-back event counts as 10:05)", got)
	}
	if got := h.Positions(HistoryFilter{From: h0.Add(4 * time.Minute)}, 0, 10); !slices.Equal(got, []uint64{2, 3, 4}) {
		t.Fatalf("from 10:04: %v", got)
	}
}
