package projections

import (
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
)

// History is the audit trail's index: for every event in the log, its type
// and time, and for every application and environment, the events that
// concern it. It holds no payloads, metadata or summaries — those are read
// back from the store for the page being shown (queries.ReadHistory) — so
// its memory grows by a few bytes per event, not by the events' size:
//
//   - 8 bytes of time and 1 byte of type per event;
//   - 4 bytes per event and application it concerns (a pact or a
//     verification concerns two), 4 more per event and environment;
//   - 8 bytes of position per event only if the store's positions are not
//     dense (KurrentDB); while position n is the n-th event (JetStream,
//     memory) positions are implied.
//
// Events are numbered internally by ordinal (0 for the first event applied),
// kept as uint32: the index holds at most 4,294,967,295 events.
//
// Hazard: times are indexed as a running maximum, so that a time range and
// PositionAt can binary-search even when a writer's clock stepped back; an
// event written with an earlier time than its predecessor is found under its
// predecessor's time. The entries shown carry each event's own time.
//
// Its methods are safe for concurrent use.
type History struct {
	mu            sync.RWMutex
	times         []int64  // running maximum of OccurredAt, unix nanoseconds, per ordinal
	types         []uint8  // index into typeNames, per ordinal
	positions     []uint64 // per ordinal; nil while every position equals ordinal+1
	typeNames     []string
	typeIDs       map[string]uint8
	byPacticipant map[string][]uint32
	byEnvironment map[string][]uint32 // by environment uuid
	envNames      map[string]string   // environment uuid -> latest name
	envUUIDs      map[string][]string // environment name -> every uuid it has named
}

// NewHistory returns an empty history index.
func NewHistory() *History {
	return &History{typeIDs: map[string]uint8{}, byPacticipant: map[string][]uint32{},
		byEnvironment: map[string][]uint32{}, envNames: map[string]string{}, envUUIDs: map[string][]string{}}
}

// Name implements Projector.
func (*History) Name() string { return "history" }

// Apply implements Projector. More than 256 distinct event types would share
// the last type slot; pactledger registers fewer than 40.
func (h *History) Apply(e events.Envelope) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ord := uint32(len(h.times))
	if h.positions == nil && e.Position != uint64(ord)+1 {
		h.positions = make([]uint64, ord, cap(h.times))
		for i := range h.positions {
			h.positions[i] = uint64(i) + 1
		}
	}
	if h.positions != nil {
		h.positions = append(h.positions, e.Position)
	}
	t := e.OccurredAt.UnixNano()
	if n := len(h.times); n > 0 && h.times[n-1] > t {
		t = h.times[n-1]
	}
	h.times = append(h.times, t)
	h.types = append(h.types, h.typeID(e.Type))
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
func appendOnce(list []uint32, ord uint32) []uint32 {
	if n := len(list); n > 0 && list[n-1] == ord {
		return list
	}
	return append(list, ord)
}

// HistoryFilter selects events by what the index knows. Zero fields select
// everything. Unknown names select nothing.
type HistoryFilter struct {
	Pacticipant string
	// Environment is an environment's name (every environment that ever
	// had it) or uuid.
	Environment string
	// Types are event type strings; any of them matches.
	Types []string
	// From and To bound the events' times, both inclusive.
	From, To time.Time
}

// Positions returns the positions of up to limit events after position
// `after` that match f, in log order.
func (h *History) Positions(f HistoryFilter, after uint64, limit int) []uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	lo, hi := h.ordinalAfter(after), uint32(len(h.times))
	if !f.From.IsZero() {
		lo = max(lo, h.firstOrdinalFrom(unixNanos(f.From)))
	}
	if !f.To.IsZero() && unixNanos(f.To) < math.MaxInt64 {
		hi = min(hi, h.firstOrdinalFrom(unixNanos(f.To)+1))
	}
	var lists [][]uint32
	if f.Pacticipant != "" {
		lists = append(lists, h.byPacticipant[f.Pacticipant])
	}
	if f.Environment != "" {
		lists = append(lists, h.environmentOrdinals(f.Environment))
	}
	var typeWanted *[256]bool
	if len(f.Types) > 0 {
		typeWanted = new([256]bool)
		for _, t := range f.Types {
			if id, ok := h.typeIDs[t]; ok {
				typeWanted[id] = true
			}
		}
	}
	var out []uint64
	take := func(ord uint32) bool {
		if typeWanted != nil && !typeWanted[h.types[ord]] {
			return true
		}
		for _, l := range lists[min(1, len(lists)):] {
			if _, found := slices.BinarySearch(l, ord); !found {
				return true
			}
		}
		out = append(out, h.position(ord))
		return len(out) < limit
	}
	if len(lists) == 0 {
		for ord := lo; ord < hi && take(ord); ord++ {
		}
		return out
	}
	slices.SortFunc(lists, func(a, b []uint32) int { return len(a) - len(b) })
	primary := lists[0]
	start, _ := slices.BinarySearch(primary, lo)
	for _, ord := range primary[start:] {
		if ord >= hi || !take(ord) {
			break
		}
	}
	return out
}

// environmentOrdinals merges the lists of every environment f names.
func (h *History) environmentOrdinals(nameOrUUID string) []uint32 {
	if l, ok := h.byEnvironment[nameOrUUID]; ok {
		return l
	}
	uuids := h.envUUIDs[nameOrUUID]
	if len(uuids) == 1 {
		return h.byEnvironment[uuids[0]]
	}
	var merged []uint32
	for _, u := range uuids {
		merged = append(merged, h.byEnvironment[u]...)
	}
	slices.Sort(merged)
	return merged
}

func (h *History) position(ord uint32) uint64 {
	if h.positions == nil {
		return uint64(ord) + 1
	}
	return h.positions[ord]
}

// ordinalAfter is the first ordinal whose position is greater than after.
func (h *History) ordinalAfter(after uint64) uint32 {
	if h.positions == nil {
		return uint32(min(after, uint64(len(h.times))))
	}
	i, _ := slices.BinarySearch(h.positions, after+1)
	return uint32(i)
}

// firstOrdinalFrom is the first ordinal whose indexed time is at least t.
func (h *History) firstOrdinalFrom(t int64) uint32 {
	return uint32(sort.Search(len(h.times), func(i int) bool { return h.times[i] >= t }))
}

// PositionAt returns the position of the last event recorded at or before t,
// 0 when the log had no event yet.
func (h *History) PositionAt(t time.Time) uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := uint32(len(h.times))
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
	if len(h.times) == 0 {
		return 0
	}
	return h.position(uint32(len(h.times) - 1))
}

// Events returns how many events are indexed.
func (h *History) Events() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.times)
}

// Next returns the position of the event after position p, if indexed.
func (h *History) Next(p uint64) (uint64, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	ord := h.ordinalAfter(p)
	if int(ord) >= len(h.times) {
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
