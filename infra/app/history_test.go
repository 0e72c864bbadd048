package app

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/memstore"
	"github.com/pactledger/pactledger/queries"
)

// scanOnly hides memstore's ReadPositions, as a store without point reads
// (KurrentDB) has none: the reader must fall back to scanning the log.
type scanOnly struct{ events.Store }

func appendVersions(t *testing.T, log *events.Log, pacticipant string, n int) {
	t.Helper()
	for i := range n {
		p := events.VersionCreated{Pacticipant: pacticipant, Number: string(rune('a' + i))}
		stream, _ := events.StreamID("version", pacticipant, p.Number)
		if _, err := log.Append(context.Background(), stream, events.NoStream,
			events.Envelope{ID: uuid.New(), OccurredAt: time.Now(), Data: p}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLogReaderPointReadsAndScanAgree(t *testing.T) {
	mem := memstore.New()
	log := events.NewLog(mem, events.NewDefaultRegistry())
	appendVersions(t, log, "foo", 10)
	appendVersions(t, log, "bar", 90)
	want := []uint64{2, 3, 7, 10} // dense enough for a scan
	sparse := []uint64{2, 50, 99} // point reads where the store has them
	for name, store := range map[string]events.Store{"memstore": mem, "a store without point reads": scanOnly{mem}} {
		envs, err := logReader{events.NewLog(store, log.Registry())}.ReadPositions(context.Background(), sparse)
		if err != nil || len(envs) != 3 || envs[0].Position != 2 || envs[1].Position != 50 || envs[2].Position != 99 {
			t.Fatalf("%s: sparse read %v, %v", name, envs, err)
		}
		envs, err = logReader{events.NewLog(store, log.Registry())}.ReadPositions(context.Background(), want)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []uint64
		for _, e := range envs {
			got = append(got, e.Position)
			if v := e.Data.(events.VersionCreated); v.Number != string(rune('a'+e.Position-1)) {
				t.Fatalf("%s: position %d holds version %s", name, e.Position, v.Number)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: read %v, want %v", name, got, want)
		}
		if _, err := (logReader{events.NewLog(store, log.Registry())}).ReadPositions(context.Background(), []uint64{3, 101}); err == nil {
			t.Fatalf("%s: reading a position beyond the log succeeded", name)
		}
	}
}

// The app's audit trail and time travel read the same log: a page of the
// history, and read models rebuilt at a position, see exactly the events up
// to it.
func TestHistoryAndTimeTravelOverTheApp(t *testing.T) {
	mem := memstore.New()
	a := Start(scanOnly{mem}, Options{})
	defer a.Close()
	stream, _ := events.StreamID("pacticipant", "foo")
	if _, err := a.Log.Append(context.Background(), stream, events.NoStream,
		events.Envelope{ID: uuid.New(), OccurredAt: time.Now(), Data: events.PacticipantCreated{Name: "foo"}}); err != nil {
		t.Fatal(err)
	}
	appendVersions(t, a.Log, "foo", 5) // positions 2 to 6
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Runner.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := historyService{a.History, a.Log}.ReadHistory(ctx, queries.HistoryQuery{Pacticipant: "foo", After: 2, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 2 || page.Entries[0].Summary != "version b of foo created" || page.Next != 4 {
		t.Fatalf("page %+v", page)
	}
	tt := NewTimeTravel(a.Log, a.History, a.Runner)
	for p, want := range map[uint64]int{0: 0, 1: 0, 4: 3, 6: 5} {
		m, err := tt.ModelsAt(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(m.Catalog.Versions("foo")); got != want {
			t.Fatalf("at position %d: %d versions", p, got)
		}
	}
	again, _ := tt.ModelsAt(ctx, 3)
	if first, _ := tt.ModelsAt(ctx, 3); first.Catalog != again.Catalog {
		t.Fatal("a cached view was rebuilt")
	}
	for p := uint64(0); p <= 6; p++ { // more than the cache holds
		if _, err := tt.ModelsAt(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if len(tt.views) != historicalViews {
		t.Fatalf("%d views cached, the bound is %d", len(tt.views), historicalViews)
	}
}
