// Package commands holds pactledger's use cases, one per file. Each loads one
// stream, folds it with the domain's Evolve, lets the domain decide, and
// appends the new events with the expected version. On a conflict it reads
// again and decides again, a bounded number of times.
//
// After a write, a command waits until the read models have applied it, so a
// query that follows sees it (read-your-writes).
package commands

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// MaxAttempts bounds how often a command decides again after a conflict.
// Writers in this process take turns per stream (see stripes), so conflicts
// come only from other processes sharing the store.
const MaxAttempts = 20

// stripes serialise this process's writers per stream: concurrent commands on
// one stream wait for each other instead of burning their retries on
// conflicts. Unrelated streams that hash alike also wait, which is harmless.
var stripes [256]sync.Mutex

func stripeFor(stream string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(stream))
	return &stripes[h.Sum32()%uint32(len(stripes))]
}

// Waiter is what a command waits on for read-your-writes; the projection
// runner implements it.
type Waiter interface {
	WaitFor(ctx context.Context, position uint64) error
}

// Lookups are the read-model facts that commands need beyond their own
// stream: cross-stream existence checks and id-to-stream resolution.
type Lookups interface {
	Environment(uuid string) (domain.Environment, bool)
	EnvironmentByName(name string) (domain.Environment, bool)
	VersionExists(pacticipant, number string) bool
	VersionNumbers(pacticipant string) []string
	BranchVersionNumbers(pacticipant, branch string) []string
	DeploymentRef(id string) (events.DeploymentRef, bool)
	ReleaseRef(id string) (events.ReleaseRef, bool)
	CurrentDeployment(pacticipant, environmentUUID string, instance *string) (events.DeploymentRef, bool)
	ContractLookups
}

// Service runs commands against one log.
type Service struct {
	// AllowContractModification lets a pact with changed content replace the
	// pact of a consumer version that has one (a new revision) instead of
	// being refused with a conflict: the Pact Broker's
	// allow_dangerous_contract_modification. Set it before the Service is
	// used; it must not change while commands run.
	AllowContractModification bool
	// Observer, when set, hears every command's outcome and every conflict
	// retry (metrics). Set it before the Service is used.
	Observer Observer

	log     *events.Log
	waiter  Waiter
	lookups Lookups
	now     func() time.Time
	newID   func() string
}

// New returns a Service. now and newID may be nil for the wall clock and
// random v4 uuids.
func New(log *events.Log, waiter Waiter, lookups Lookups, now func() time.Time, newID func() string) *Service {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	if newID == nil {
		newID = func() string { return uuid.NewString() }
	}
	return &Service{log: log, waiter: waiter, lookups: lookups, now: now, newID: newID}
}

// execute is the one load-fold-decide-append loop. decide may be called more
// than once (after a conflict) and must derive everything from the state it
// is given. It returns the position the read models must reach for the
// caller to see the outcome: the append's position, or the stream's last
// position when nothing was appended.
func execute[S any](ctx context.Context, s *Service, stream string,
	evolve func(S, events.Envelope) S, decide func(S, time.Time) ([]events.Payload, error)) (pos uint64, err error) {
	defer func() { s.finished(stream, err) }()
	lock := stripeFor(stream)
	lock.Lock()
	defer lock.Unlock()
	for attempt := 1; ; attempt++ {
		history, err := s.log.ReadStream(ctx, stream)
		if err != nil {
			return 0, fmt.Errorf("commands: read %s: %w", stream, err)
		}
		var state S
		var seen uint64
		for _, e := range history {
			state = evolve(state, e)
			seen = e.Position
		}
		now := s.now()
		payloads, err := decide(state, now)
		if err != nil {
			return 0, err
		}
		if len(payloads) == 0 {
			return seen, s.sync(ctx, seen)
		}
		meta := events.MetadataFrom(ctx)
		envs := make([]events.Envelope, len(payloads))
		for i, p := range payloads {
			envs[i] = events.Envelope{ID: uuid.New(), Type: p.EventType(), OccurredAt: now, Meta: meta, Data: p}
		}
		pos, err := s.log.Append(ctx, stream, events.Exact(uint64(len(history))), envs...)
		if errors.Is(err, events.ErrConflict) && attempt < MaxAttempts {
			s.retried(stream)
			time.Sleep(time.Duration(rand.IntN(attempt*5)+1) * time.Millisecond)
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("commands: append to %s: %w", stream, err)
		}
		return pos, s.sync(ctx, pos)
	}
}

// sync waits until the read models have applied position.
func (s *Service) sync(ctx context.Context, position uint64) error {
	if s.waiter == nil || position == 0 {
		return nil
	}
	return s.waiter.WaitFor(ctx, position)
}

func streamFor(id string, err error) (string, error) {
	if err != nil {
		return "", &domain.ValidationError{Kind: domain.ErrInvalid, Fields: map[string][]string{"name": {"must be filled"}}}
	}
	return id, nil
}
