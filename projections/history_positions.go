package projections

import (
	"math"
	"slices"
	"time"
)

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
// `after` that match f, in log order. With an application or environment
// it walks the shorter of their ordinal lists from `after` on and looks the
// other up, moving forwards only; with neither it walks the ordinals.
func (h *History) Positions(f HistoryFilter, after uint64, limit int) []uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	lo, hi := h.ordinalAfter(after), uint32(len(h.types))
	if !f.From.IsZero() {
		lo = max(lo, h.firstOrdinalFrom(unixNanos(f.From)))
	}
	if !f.To.IsZero() && unixNanos(f.To) < math.MaxInt64 {
		hi = min(hi, h.firstOrdinalFrom(unixNanos(f.To)+1))
	}
	var lists []union
	if f.Pacticipant != "" {
		lists = append(lists, newUnion([]*seq{h.byPacticipant[f.Pacticipant]}))
	}
	if f.Environment != "" {
		lists = append(lists, newUnion(h.environmentOrdinals(f.Environment)))
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
	pos := h.positionCursor()
	take := func(ord uint32) bool {
		if typeWanted != nil && !typeWanted[h.types[ord]] {
			return true
		}
		for _, l := range lists[min(1, len(lists)):] {
			if v, ok := l.seekGE(uint64(ord)); !ok || v != uint64(ord) {
				return true
			}
		}
		out = append(out, pos.at(ord))
		return len(out) < limit
	}
	if len(lists) == 0 {
		for ord := lo; ord < hi && take(ord); ord++ {
		}
		return out
	}
	slices.SortFunc(lists, func(a, b union) int { return a.len() - b.len() })
	if primary := lists[0]; len(primary) == 1 {
		c := &primary[0]
		for c.seekGE(uint64(lo)); c.valid() && c.v < uint64(hi) && take(uint32(c.v)); c.next() {
		}
		return out
	}
	for next := uint64(lo); ; {
		ord, ok := lists[0].seekGE(next)
		if !ok || ord >= uint64(hi) || !take(uint32(ord)) {
			break
		}
		next = ord + 1
	}
	return out
}

// environmentOrdinals returns the lists of every environment a name or
// uuid names.
func (h *History) environmentOrdinals(nameOrUUID string) []*seq {
	if l, ok := h.byEnvironment[nameOrUUID]; ok {
		return []*seq{l}
	}
	var lists []*seq
	for _, u := range h.envUUIDs[nameOrUUID] {
		lists = append(lists, h.byEnvironment[u])
	}
	return lists
}

// positionCursor maps increasing ordinals to positions.
type positionCursor struct{ c *seqCursor }

func (h *History) positionCursor() positionCursor {
	if h.positions == nil {
		return positionCursor{}
	}
	c := &seqCursor{s: h.positions}
	c.seek(0)
	return positionCursor{c}
}

// at returns the position of ord, which must not be smaller than the one
// asked before.
func (p positionCursor) at(ord uint32) uint64 {
	if p.c == nil {
		return uint64(ord) + 1
	}
	p.c.advance(int(ord))
	return p.c.v
}

func (h *History) position(ord uint32) uint64 {
	if h.positions == nil {
		return uint64(ord) + 1
	}
	return h.positions.at(int(ord))
}

// ordinalAfter is the first ordinal whose position is greater than after.
func (h *History) ordinalAfter(after uint64) uint32 {
	if h.positions == nil {
		return uint32(min(after, uint64(len(h.types))))
	}
	if after == math.MaxUint64 {
		return uint32(len(h.types))
	}
	return uint32(h.positions.search(after + 1))
}

// firstOrdinalFrom is the first ordinal whose indexed time is at least t.
func (h *History) firstOrdinalFrom(t int64) uint32 {
	return uint32(h.times.search(timeKey(t)))
}
