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
	// Seeds, when set, give the state of streams missing from the state
	// cache from the read models (seeds.go). Set it before the Service is
	// used.
	Seeds StateSeeds

	log     *events.Log
	waiter  Waiter
	lookups Lookups
	now     func() time.Time
	newID   func() string
	states  stateCache
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
//
// The state comes from the Service's cache when the stream was used
// recently (see stateCache for why that is safe), else, for the streams
// executeSeeded is given a seed for, from the read models (see StateSeeds),
// else from reading and folding the stream. After an append the cached state is folded forward
// with the appended events, decoded as a read would return them; after any
// failure it is dropped.
func execute[S any](ctx context.Context, s *Service, stream string,
	evolve func(S, events.Envelope) S, decide func(S, time.Time) ([]events.Payload, error)) (pos uint64, err error) {
	return executeSeeded(ctx, s, stream, nil, evolve, decide)
}

// executeSeeded is execute with a seed (nil: none): when the stream is not
// cached, its first attempt starts from the seed's state, if the seed has
// one, instead of reading the stream. A seeded state is treated as a cached
// one, and goes into the cache.
func executeSeeded[S any](ctx context.Context, s *Service, stream string, sd seed[S],
	evolve func(S, events.Envelope) S, decide func(S, time.Time) ([]events.Payload, error)) (pos uint64, err error) {
	defer func() { s.finished(stream, err) }()
	pos, err = decideAndAppend(ctx, s, stream, sd, evolve, decide)
	if err != nil {
		return 0, err
	}
	return pos, s.sync(ctx, pos) // outside the stripe lock: the next writer need not wait for the read models
}

// decideAndAppend is execute under the stream's stripe lock, without the
// wait for the read models.
func decideAndAppend[S any](ctx context.Context, s *Service, stream string, sd seed[S],
	evolve func(S, events.Envelope) S, decide func(S, time.Time) ([]events.Payload, error)) (uint64, error) {
	lock := stripeFor(stream)
	lock.Lock()
	defer lock.Unlock()
	for attempt := 1; ; attempt++ {
		cur, cached, err := loadState(ctx, s, stream, sd, evolve)
		if err != nil {
			return 0, err
		}
		state, _ := cur.state.(S)
		now := s.now()
		payloads, err := decide(state, now)
		if cached && (err != nil || len(payloads) == 0) && !s.stillCurrent(ctx, stream, cur.version) {
			s.states.drop(stream) // decide again on what the store holds
			sd = nil
			attempt--
			continue
		}
		if err != nil {
			return 0, err
		}
		if len(payloads) == 0 {
			return cur.position, nil
		}
		meta := events.MetadataFrom(ctx)
		envs := make([]events.Envelope, len(payloads))
		for i, p := range payloads {
			envs[i] = events.Envelope{ID: uuid.New(), Type: p.EventType(), OccurredAt: now, Meta: meta, Data: p}
		}
		pos, err := s.log.Append(ctx, stream, events.Exact(cur.version), envs...)
		if err != nil {
			s.states.drop(stream)
			sd = nil // after a conflict, what the store holds
		}
		if errors.Is(err, events.ErrConflict) && attempt < MaxAttempts {
			s.retried(stream)
			time.Sleep(time.Duration(rand.IntN(attempt*5)+1) * time.Millisecond)
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("commands: append to %s: %w", stream, err)
		}
		remember(s, stream, cur, state, evolve, envs, pos)
		return pos, nil
	}
}

// loadState returns the stream's state from the cache, else from the seed
// (when sd is not nil and has one), else reads and folds the stream; it
// caches what it did not take from the cache. cached is false only for a
// state read from the store: a cached or seeded state may be stale.
func loadState[S any](ctx context.Context, s *Service, stream string, sd seed[S], evolve func(S, events.Envelope) S) (cachedState, bool, error) {
	if cur, ok := s.states.get(stream); ok {
		if _, typed := cur.state.(S); typed {
			return cur, true, nil
		}
	}
	if sd != nil {
		if state, version, position, ok := sd(); ok {
			cur := cachedState{state: state, version: version, position: position}
			if cacheable[S]() {
				s.states.put(stream, cur)
			}
			return cur, true, nil
		}
	}
	history, err := s.log.ReadStream(ctx, stream)
	if err != nil {
		return cachedState{}, false, fmt.Errorf("commands: read %s: %w", stream, err)
	}
	var state S
	var seen uint64
	for _, e := range history {
		state = evolve(state, e)
		seen = e.Position
	}
	cur := cachedState{state: state, version: uint64(len(history)), position: seen}
	if cacheable[S]() {
		s.states.put(stream, cur)
	}
	return cur, false, nil
}

// stillCurrent reports whether the stream is still at version, when the
// store can tell cheaply; false means "read it again".
func (s *Service) stillCurrent(ctx context.Context, stream string, version uint64) bool {
	vc, ok := s.log.Store().(versionChecker)
	if !ok {
		return false
	}
	now, err := vc.StreamVersion(ctx, stream)
	return err == nil && now == version
}

// remember folds the appended envelopes into the cached state. They are
// encoded and decoded as a read of the stream would return them, so the
// cached state equals what folding the stream gives; if that fails the
// entry is dropped and the next command reads the stream.
func remember[S any](s *Service, stream string, cur cachedState, state S, evolve func(S, events.Envelope) S, envs []events.Envelope, pos uint64) {
	if !cacheable[S]() {
		return
	}
	reg := s.log.Registry()
	for i, env := range envs {
		data, err := reg.Encode(env.Data)
		var typ string
		var p events.Payload
		if err == nil {
			typ, p, err = reg.Decode(env.Type, data)
		}
		if err != nil {
			s.states.drop(stream)
			return
		}
		env.Type, env.Data, env.Stream = typ, p, stream
		env.StreamVersion, env.Position = cur.version+uint64(i)+1, pos-uint64(len(envs)-1-i)
		env.OccurredAt = env.OccurredAt.UTC()
		state = evolve(state, env)
	}
	s.states.put(stream, cachedState{state: state, version: cur.version + uint64(len(envs)), position: pos})
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
