package projections

import (
	"fmt"
	"math"
	"slices"
)

// historySnapshotVersion changes whenever the encoding does (2: the
// compact sequences as they are held).
const historySnapshotVersion = 2

// AppendSnapshot implements Snapshotter with the index as it is held: the
// type names in the order they were first seen; the events' type ids as
// one byte each; the indexed times as a sequence (see appendSeq); the
// positions, only when they are not dense, as a sequence; then for every
// application and environment (sorted) its ordinals as a sequence; and the
// environments' names and the uuids each name has named, in naming order.
// The type ids by name and the skip indexes' offsets are derived on
// restore.
func (h *History) AppendSnapshot(b []byte) []byte {
	h.mu.RLock()
	defer h.mu.RUnlock()
	w := &snapWriter{b: b}
	w.uint(historySnapshotVersion)
	w.count(len(h.typeNames))
	for _, name := range h.typeNames {
		w.str(name)
	}
	w.bytes(h.types)
	appendSeq(w, &h.times)
	w.bool(h.positions != nil)
	if h.positions != nil {
		appendSeq(w, h.positions)
	}
	appendOrdinalLists(w, h.byPacticipant)
	appendOrdinalLists(w, h.byEnvironment)
	w.count(len(h.envNames))
	for _, id := range sortedKeys(h.envNames) {
		w.str(id)
		w.str(h.envNames[id])
	}
	w.count(len(h.envUUIDs))
	for _, name := range sortedKeys(h.envUUIDs) {
		w.str(name)
		w.count(len(h.envUUIDs[name]))
		for _, id := range h.envUUIDs[name] {
			w.str(id)
		}
	}
	return w.b
}

// appendSeq writes a sequence as its count, its blocks' first values (the
// first whole, then steps) and its steps' bytes as held.
func appendSeq(w *snapWriter, s *seq) {
	w.count(s.n)
	var prev uint64
	for _, v := range s.firsts {
		w.uint(v - prev)
		prev = v
	}
	w.count(len(s.data))
	w.b = append(w.b, s.data...)
}

func appendOrdinalLists(w *snapWriter, lists map[string]*seq) {
	w.count(len(lists))
	for _, key := range sortedKeys(lists) {
		w.str(key)
		appendSeq(w, lists[key])
	}
}

// RestoreSnapshot implements Snapshotter. It refuses an index whose lists
// are not increasing or name events it does not hold.
func (h *History) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != historySnapshotVersion {
		return fmt.Errorf("%w: history encoding %d, want %d", ErrSnapshotCorrupt, v, historySnapshotVersion)
	}
	fresh := NewHistory()
	for n := r.count(); n > 0 && r.err == nil; n-- {
		name := r.str()
		if _, dup := fresh.typeIDs[name]; dup || len(fresh.typeNames) == 256 {
			r.fail("event type names")
		}
		fresh.typeIDs[name] = uint8(len(fresh.typeNames))
		fresh.typeNames = append(fresh.typeNames, name)
	}
	fresh.types = r.bytes()
	if slices.ContainsFunc(fresh.types, func(id uint8) bool { return int(id) >= len(fresh.typeNames) }) {
		r.fail("unknown event type id")
	}
	fresh.times = *readSeq(r, false)
	total := fresh.times.n
	if total != len(fresh.types) {
		r.fail("times and types differ in number")
	}
	if total > math.MaxUint32 {
		r.fail("more events than ordinals")
	}
	if total > 0 {
		fresh.lastTime = int64(fresh.times.last ^ 1<<63)
	}
	if r.bool() {
		fresh.positions = readSeq(r, true)
		if fresh.positions.n != total {
			r.fail("positions and times differ in number")
		}
	}
	fresh.byPacticipant = readOrdinalLists(r, total)
	fresh.byEnvironment = readOrdinalLists(r, total)
	for n := r.count(); n > 0 && r.err == nil; n-- {
		id := r.str()
		fresh.envNames[id] = r.str()
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		name := r.str()
		var ids []string
		for k := r.count(); k > 0 && r.err == nil; k-- {
			ids = append(ids, r.str())
		}
		fresh.envUUIDs[name] = ids
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.times, h.lastTime, h.types, h.positions = fresh.times, fresh.lastTime, fresh.types, fresh.positions
	h.typeNames, h.typeIDs = fresh.typeNames, fresh.typeIDs
	h.byPacticipant, h.byEnvironment = fresh.byPacticipant, fresh.byEnvironment
	h.envNames, h.envUUIDs = fresh.envNames, fresh.envUUIDs
	return nil
}

// readSeq reads what appendSeq wrote (an empty sequence after a failure);
// the values must not decrease, nor repeat if strict.
func readSeq(r *snapReader, strict bool) *seq {
	n := r.count()
	firsts := make([]uint64, 0, (n+seqBlock-1)/seqBlock)
	var v uint64
	for i := range cap(firsts) {
		step := r.uint()
		if i > 0 && v+step < v {
			r.fail("sequence overflows")
		}
		v += step
		firsts = append(firsts, v)
	}
	steps := r.take(uint64(r.count()))
	if r.err != nil {
		return &seq{}
	}
	s, err := decodeSeq(n, firsts, slices.Clone(steps), strict)
	if err != nil {
		r.fail(err.Error())
		return &seq{}
	}
	return s
}

func readOrdinalLists(r *snapReader, events int) map[string]*seq {
	out := map[string]*seq{}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		key := r.str()
		list := readSeq(r, true)
		if list.n == 0 || list.last >= uint64(events) {
			r.fail("ordinal beyond the last event")
		}
		out[key] = list
	}
	return out
}

var _ Snapshotter = (*History)(nil)
