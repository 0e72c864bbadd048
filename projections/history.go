package projections

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
)

// History is the audit trail's index: for every event in the log, its type
// and time, and for every application and environment, the events that
// concern it. It holds no payloads, metadata or summaries — those are read
// back from the store for the page being shown (queries.ReadHistory) — and
// keeps what it holds compactly (see seq), so its memory grows by a few
// bytes per event, not by the events' size:
//
//   - 1 byte of type per event;
//   - the time as a varint step from the event before (1 byte for equal
//     times, 3 for a millisecond apart, 5 for half a minute);
//   - per application and per environment the ordinals of the events that
//     concern it, as varint steps (a pact or a verification concerns two
//     applications);
//   - positions only if the store's are not dense (KurrentDB), as steps
//     too; while position n is the n-th event (JetStream, memory) positions
//     are implied;
//   - a skip index of 16 bytes per 64 values of each of those sequences.
//
// Events are numbered internally by ordinal (0 for the first event applied),
// kept as uint32: the index holds at most 4,294,967,295 events.
//
// Hazard: times are indexed as a running maximum, so that a time range and
// PositionAt can search even when a writer's clock stepped back; an event
// written with an earlier time than its predecessor is found under its
// predecessor's time. The entries shown carry each event's own time.
//
// Its methods are safe for concurrent use.
type History struct {
	mu            sync.RWMutex
	times         seq     // running maximum of OccurredAt as timeKey, per ordinal
	lastTime      int64   // the running maximum, unix nanoseconds
	types         []uint8 // index into typeNames, per ordinal
	positions     *seq    // per ordinal; nil while every position equals ordinal+1
	typeNames     []string
	typeIDs       map[string]uint8
	byPacticipant map[string]*seq     // ordinals
	byEnvironment map[string]*seq     // ordinals, by environment uuid
	envNames      map[string]string   // environment uuid -> latest name
	envUUIDs      map[string][]string // environment name -> every uuid it has named
}

// timeKey maps unix nanoseconds to a uint64 in the same order.
func timeKey(ns int64) uint64 { return uint64(ns) ^ 1<<63 }

// NewHistory returns an empty history index.
func NewHistory() *History {
	return &History{typeIDs: map[string]uint8{}, byPacticipant: map[string]*seq{},
		byEnvironment: map[string]*seq{}, envNames: map[string]string{}, envUUIDs: map[string][]string{}}
}

// Name implements Projector.
func (*History) Name() string { return "history" }

// Apply implements Projector. More than 256 distinct event types would share
// the last type slot; pactledger registers fewer than 40.
func (h *History) Apply(e events.Envelope) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.applyLocked(e)
}

// ApplyBatch implements BatchApplier.
func (h *History) ApplyBatch(batch []events.Envelope) { applyRuns(&h.mu, batch, nil, h.applyLocked) }

// applyLocked applies e; the caller holds h.mu.
func (h *History) applyLocked(e events.Envelope) {
	ord := uint32(len(h.types))
	if h.positions == nil && e.Position != uint64(ord)+1 {
		h.positions = &seq{}
		for i := range uint64(ord) {
			h.positions.push(i + 1)
		}
	}
	if h.positions != nil {
		h.positions.push(e.Position)
	}
	t := e.OccurredAt.UnixNano()
	if ord > 0 && h.lastTime > t {
		t = h.lastTime
	}
	h.lastTime = t
	h.times.push(timeKey(t))
	h.types = append(grow(h.types, 1), h.typeID(e.Type))
	keys := keysOf(e.Data)
	for _, p := range keys.pacticipants[:keys.n] {
		h.byPacticipant[p] = appendOnce(h.byPacticipant[p], ord)
	}
	if keys.environment != "" {
		h.byEnvironment[keys.environment] = appendOnce(h.byEnvironment[keys.environment], ord)
	}
	switch p := e.Data.(type) {
	case events.EnvironmentCreated:
		h.nameEnvironment(p.UUID, p.Name)
	case events.EnvironmentUpdated:
		h.nameEnvironment(p.UUID, p.Name)
	}
}

func (h *History) typeID(name string) uint8 {
	if id, ok := h.typeIDs[name]; ok {
		return id
	}
	if len(h.typeNames) == 256 {
		return 255
	}
	id := uint8(len(h.typeNames))
	h.typeNames = append(h.typeNames, name)
	h.typeIDs[name] = id
	return id
}

func (h *History) nameEnvironment(uuid, name string) {
	h.envNames[uuid] = name
	if !slices.Contains(h.envUUIDs[name], uuid) {
		h.envUUIDs[name] = append(h.envUUIDs[name], uuid)
	}
}

// appendOnce appends ord unless it is already last (a pact names one
// application as consumer and provider when it verifies itself).
func appendOnce(list *seq, ord uint32) *seq {
	if list == nil {
		list = &seq{}
	}
	if list.n == 0 || list.last != uint64(ord) {
		list.push(uint64(ord))
	}
	return list
}

// PositionAt returns the position of the last event recorded at or before t,
// 0 when the log had no event yet.
func (h *History) PositionAt(t time.Time) uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := uint32(len(h.types))
	if ns := unixNanos(t); ns < math.MaxInt64 {
		n = h.firstOrdinalFrom(ns + 1)
	}
	if n == 0 {
		return 0
	}
	return h.position(n - 1)
}

// unixNanos is t in Unix nanoseconds, clamped to int64 (UnixNano is
// undefined outside the years 1678 to 2262).
func unixNanos(t time.Time) int64 {
	switch {
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	}
	return t.UnixNano()
}

// Head returns the position of the last event indexed, 0 if none.
func (h *History) Head() uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	switch {
	case len(h.types) == 0:
		return 0
	case h.positions != nil:
		return h.positions.last
	}
	return uint64(len(h.types))
}

// Events returns how many events are indexed.
func (h *History) Events() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.types)
}

// Next returns the position of the event after position p, if indexed.
func (h *History) Next(p uint64) (uint64, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	ord := h.ordinalAfter(p)
	if int(ord) >= len(h.types) {
		return 0, false
	}
	return h.position(ord), true
}

// EnvironmentName returns the latest name of an environment, also of a
// deleted one.
func (h *History) EnvironmentName(uuid string) (string, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	name, ok := h.envNames[uuid]
	return name, ok
}

// KnownType reports whether an event of this type has been indexed.
func (h *History) KnownType(name string) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	_, ok := h.typeIDs[name]
	return ok
}
