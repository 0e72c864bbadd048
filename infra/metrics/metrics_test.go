package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/memstore"
)

func TestOutcomes(t *testing.T) {
	cases := map[string]error{
		"ok": nil, "invalid": domain.Invalid("name", "x"), "not_found": domain.NotFound("x"),
		"conflict":      fmt.Errorf("append: %w", &events.ConflictError{Stream: "s"}),
		"unprocessable": domain.Unprocessable("x", "y"), "error": errors.New("disk on fire"),
	}
	for want, err := range cases {
		if got := outcome(err); got != want {
			t.Errorf("outcome(%v) = %s, want %s", err, got, want)
		}
	}
}

// lendingStore is a store that lends its subscriptions' payloads.
type lendingStore struct{ events.Store }

func (lendingStore) SubscribeAllBorrowed(context.Context, uint64, func(events.Record) error) error {
	return nil
}

// TestWrapStoreKeepsLending checks that the append-timing wrapper passes a
// store's lending subscription through, and adds none to a store without.
func TestWrapStoreKeepsLending(t *testing.T) {
	m := New()
	if _, ok := m.WrapStore(lendingStore{memstore.New()}).(events.BorrowingSubscriber); !ok {
		t.Error("the wrapper hides the store's SubscribeAllBorrowed")
	}
	if _, ok := m.WrapStore(memstore.New()).(events.BorrowingSubscriber); ok {
		t.Error("the wrapper claims to lend for a store that does not")
	}
}

type fixedProgress struct{ position, head uint64 }

func (p fixedProgress) Position() uint64                     { return p.position }
func (p fixedProgress) Head(context.Context) (uint64, error) { return p.head, nil }

// TestSeries checks the names and values a scrape shows after a few
// observations, an append through the decorator and a lagging projection.
func TestSeries(t *testing.T) {
	m := New()
	m.ObserveRequest("GET", "/environments", 200, 3*time.Millisecond)
	m.ObserveCanIDeploy("no")
	m.CommandFinished("deployment", nil)
	m.ConflictRetried("deployment")
	m.WatchProjections(fixedProgress{position: 7, head: 10})
	store := m.WrapStore(memstore.New())
	if _, err := store.Append(context.Background(), "s-1", events.NoStream,
		events.Record{ID: [16]byte{1}, Type: "T", Data: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Append(context.Background(), "s-1", events.NoStream,
		events.Record{ID: [16]byte{2}, Type: "T", Data: []byte("{}")}); !errors.Is(err, events.ErrConflict) {
		t.Fatalf("second NoStream append: %v, want a conflict", err)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`pactledger_http_requests_total{method="GET",route="/environments",status="200"} 1`,
		`pactledger_http_request_duration_seconds_count{method="GET",route="/environments"} 1`,
		`pactledger_can_i_deploy_total{outcome="no"} 1`,
		`pactledger_commands_total{category="deployment",outcome="ok"} 1`,
		`pactledger_command_conflicts_total{category="deployment"} 1`,
		`pactledger_store_append_duration_seconds_count{result="ok"} 1`,
		`pactledger_store_append_duration_seconds_count{result="conflict"} 1`,
		`pactledger_projection_position 7`, `pactledger_store_head_position 10`, `pactledger_projection_lag_events 3`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}
