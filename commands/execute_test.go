package commands

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// occStore keeps streams in memory and enforces expected versions. Before
// the first append to a stream it lets a rival (another process, as it were)
// write first, so the command meets a conflict.
type occStore struct {
	mu      sync.Mutex
	streams map[string][]events.Record
	head    uint64
	rival   func(s *occStore, stream string)
	appends int
}

func (s *occStore) Append(_ context.Context, stream string, ev events.ExpectedVersion, recs ...events.Record) (uint64, error) {
	if rival := s.rival; rival != nil {
		s.rival = nil
		rival(s, stream)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appends++
	cur := uint64(len(s.streams[stream]))
	if !ev.Allows(cur) {
		return 0, &events.ConflictError{Stream: stream, Expected: ev, Actual: cur}
	}
	for _, r := range recs {
		s.head++
		r.Stream, r.Position, r.StreamVersion = stream, s.head, uint64(len(s.streams[stream])+1)
		s.streams[stream] = append(s.streams[stream], r)
	}
	return s.head, nil
}

func (s *occStore) ReadStream(_ context.Context, stream string) ([]events.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]events.Record(nil), s.streams[stream]...), nil
}

func (s *occStore) SubscribeAll(context.Context, uint64, func(events.Record) error) error {
	return errors.New("not used")
}
func (s *occStore) Head(context.Context) (uint64, error) { return s.head, nil }

type yes struct{}

func (yes) Environment(string) (domain.Environment, bool)             { return domain.Environment{}, true }
func (yes) EnvironmentByName(string) (domain.Environment, bool)       { return domain.Environment{}, false }
func (yes) VersionExists(string, string) bool                         { return true }
func (yes) VersionNumbers(string) []string                            { return nil }
func (yes) BranchVersionNumbers(string, string) []string              { return nil }
func (yes) DeploymentRef(string) (events.DeploymentRef, bool)         { return events.DeploymentRef{}, false }
func (yes) ReleaseRef(string) (events.ReleaseRef, bool)               { return events.ReleaseRef{}, false }
func (yes) PactVersionExists(domain.PactVersionKey) bool              { return true }
func (yes) PactsOfPacticipantVersion(string, string) []domain.PactKey { return nil }
func (yes) PactsWithProvider(string) []domain.PactKey                 { return nil }
func (yes) CurrentDeployment(string, string, *string) (events.DeploymentRef, bool) {
	return events.DeploymentRef{}, false
}

func rivalWrites(p events.Payload) func(*occStore, string) {
	return func(s *occStore, stream string) {
		log := events.NewLog(s, events.NewDefaultRegistry())
		if _, err := log.Append(context.Background(), stream, events.Any,
			events.Envelope{ID: uuid.New(), OccurredAt: time.Now(), Data: p}); err != nil {
			panic(err)
		}
	}
}

func TestACommandDecidesAgainAfterAConflict(t *testing.T) {
	store := &occStore{streams: map[string][]events.Record{}}
	store.rival = rivalWrites(events.EnvironmentCreated{UUID: "rival", Name: "uat", DisplayName: "Uat"})
	svc := New(events.NewLog(store, events.NewDefaultRegistry()), nil, yes{}, nil, nil)
	no := false
	_, err := svc.CreateEnvironment(context.Background(), domain.EnvironmentInput{Name: "uat", Production: &no})
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields["name"][0] != "name 'uat' is already used by an existing environment." {
		t.Fatalf("after losing the race the command must see the rival's environment: %v", err)
	}
	if store.appends != 2 {
		t.Fatalf("%d appends, want the rival's and one conflicting attempt", store.appends)
	}
}

func TestARacedDeploymentUndeploysTheRivalsRecord(t *testing.T) {
	store := &occStore{streams: map[string][]events.Record{}}
	rival := events.DeploymentRef{DeploymentID: "rival", Pacticipant: "Foo", Version: "1", EnvironmentUUID: "env"}
	store.rival = rivalWrites(events.DeploymentRecorded{DeploymentRef: rival})
	ctx := events.WithMetadata(context.Background(), events.Metadata{Actor: "ci", CorrelationID: "req-1"})
	svc := New(events.NewLog(store, events.NewDefaultRegistry()), nil, yes{}, nil, func() string { return "mine" })
	ref, err := svc.RecordDeployment(ctx, domain.VersionKey{Pacticipant: "Foo", Number: "2"}, "env", nil)
	if err != nil || ref.DeploymentID != "mine" {
		t.Fatalf("got %+v, %v", ref, err)
	}
	stream, _ := domain.DeploymentStream("Foo", "env")
	recs := store.streams[stream]
	if len(recs) != 2 || recs[1].Type != "DeploymentRecorded" {
		t.Fatalf("stream: %+v", recs)
	}
	var mine events.DeploymentRecorded
	if err := json.Unmarshal(recs[1].Data, &mine); err != nil || mine.Replaces == nil || mine.Replaces.DeploymentID != "rival" {
		t.Fatalf("the deployment must name the rival's record as the one it replaces: %s (%v)", recs[1].Data, err)
	}
	if recs[1].Meta.Actor != "ci" || recs[1].Meta.CorrelationID != "req-1" {
		t.Fatalf("metadata: %+v", recs[1])
	}
}
