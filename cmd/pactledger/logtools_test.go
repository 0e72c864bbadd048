package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/memstore"
)

func fillLog(t *testing.T, n int) *events.Log {
	t.Helper()
	log := events.NewLog(memstore.New(), events.NewDefaultRegistry())
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for i := range n {
		stream, _ := events.StreamID("pacticipant", "app")
		p := events.Payload(events.PacticipantUpdated{Name: "app"})
		if i == 0 {
			p = events.PacticipantCreated{Name: "app"}
		}
		if _, err := log.Append(context.Background(), stream, events.Exact(uint64(i)),
			events.Envelope{ID: uuid.New(), OccurredAt: at.Add(time.Duration(i) * time.Minute), Data: p}); err != nil {
			t.Fatal(err)
		}
	}
	return log
}

func TestReplayReportAndProgress(t *testing.T) {
	log := fillLog(t, 5)
	var calls [][2]uint64
	rep, _, err := replay(context.Background(), log, "", 0, time.Time{}, func(done, total uint64) { calls = append(calls, [2]uint64{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Events != 5 || rep.Position != 5 || rep.Streams != 1 || rep.Pacticipants != 1 ||
		rep.PerType["PacticipantCreated"] != 1 || rep.PerType["PacticipantUpdated"] != 4 {
		t.Fatalf("report %+v", rep)
	}
	if n := len(calls); n < 2 || calls[n-2] != [2]uint64{5, 5} || calls[n-1] != [2]uint64{0, 0} {
		t.Fatalf("progress calls %v: want the last to be (5, 5) then (0, 0)", calls)
	}
	var bar bytes.Buffer
	progressBar(&bar)(2, 4)
	if got := bar.String(); got != "\r["+strings.Repeat("#", 20)+strings.Repeat("-", 20)+"]  50% 2/4 events" {
		t.Fatalf("progress bar %q", got)
	}
	upTo, _, err := replay(context.Background(), log, "", 0, time.Date(2026, 11, 27, 10, 2, 0, 0, time.UTC), nil)
	if err != nil || upTo.Events != 3 || upTo.Position != 3 {
		t.Fatalf("replay to 10:02: %+v %v", upTo, err)
	}
	upTo, _, err = replay(context.Background(), log, "", 2, time.Time{}, nil)
	if err != nil || upTo.Events != 2 {
		t.Fatalf("replay to position 2: %+v %v", upTo, err)
	}
}

// A bad line anywhere refuses the whole file before anything is written.
func TestImportChecksEveryLineFirst(t *testing.T) {
	var good bytes.Buffer
	if _, err := exportLog(context.Background(), fillLog(t, 3).Store(), &good); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(good.String(), "\n")
	cases := map[string]string{
		"unknown type":     strings.Replace(lines[2], `"type":"PacticipantUpdated"`, `"type":"Nope"`, 1),
		"version gap":      strings.Replace(lines[2], `"streamVersion":3`, `"streamVersion":4`, 1),
		"bad id":           strings.Replace(lines[2], `"id":"`, `"id":"x`, 1),
		"not JSON":         "{\n",
		"payload mismatch": strings.Replace(lines[2], `"payload":{"name":"app"}`, `"payload":{"name":7}`, 1),
	}
	for name, third := range cases {
		store := memstore.New()
		in := strings.NewReader(lines[0] + lines[1] + third)
		_, err := importLog(context.Background(), store, in)
		if err == nil || !strings.Contains(err.Error(), "line 3") {
			t.Errorf("%s: error %v, want one about line 3", name, err)
		}
		if head, _ := store.Head(context.Background()); head != 0 {
			t.Errorf("%s: %d events written", name, head)
		}
	}
	store := memstore.New()
	if n, err := importLog(context.Background(), store, strings.NewReader(good.String())); err != nil || n != 3 {
		t.Fatalf("good file: %d, %v", n, err)
	}
}
