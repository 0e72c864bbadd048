package commands

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// rivalOnPact lets a rival publish p just before the first append to a pact
// stream, so the command's plan goes stale.
func rivalOnPact(p events.PactPublished) func(*occStore, string) {
	var rival func(*occStore, string)
	rival = func(s *occStore, stream string) {
		if !strings.HasPrefix(stream, "pact-") {
			s.rival = rival // not yet: wait for the pact stream
			return
		}
		log := events.NewLog(s, events.NewDefaultRegistry())
		if _, err := log.Append(context.Background(), stream, events.Any,
			events.Envelope{ID: uuid.New(), OccurredAt: time.Now(), Data: p}); err != nil {
			panic(err)
		}
	}
	return rival
}

func TestAPactRacedByOtherContentIsRefusedOrRevised(t *testing.T) {
	doc, err := domain.ParsePact([]byte(`{"interactions":[{"description":"a","response":{"status":200}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	k := domain.PactKey{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1"}
	rivalPact := events.PactPublished{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1", SHA: "other", Revision: 1}
	for _, allow := range []bool{false, true} {
		store := &occStore{streams: map[string][]events.Record{}}
		store.rival = rivalOnPact(rivalPact)
		svc := New(events.NewLog(store, events.NewDefaultRegistry()), nil, yes{}, nil, nil)
		svc.AllowContractModification = allow
		res, err := svc.PublishPact(context.Background(), PublishPact{Key: k, Doc: doc})
		if !allow {
			var conflict *domain.PactConflictError
			if !errors.As(err, &conflict) || conflict.ExistingSHA != "other" {
				t.Fatalf("after losing the race the publication must see the rival's content: %v", err)
			}
			continue
		}
		stream, _ := domain.PactStream(k)
		recs := store.streams[stream]
		if err != nil || res.PreviousSHA != "other" || res.Created || !res.Changed || len(recs) != 2 ||
			!strings.Contains(string(recs[1].Data), `"revision":2`) {
			t.Fatalf("allowed: %+v, %v, %d records", res, err, len(recs))
		}
		content, _ := domain.ContentStream(res.SHA)
		if len(store.streams[content]) != 1 {
			t.Fatal("the content is stored once, before the publication")
		}
	}
}
