package projections

import (
	"fmt"
	"slices"
)

// historySnapshotVersion changes whenever the encoding does.
const historySnapshotVersion = 1

// AppendSnapshot implements Snapshotter, compactly, as the index itself is
// compact: the type names in the order they were first seen; the events'
// type ids as one byte each; their indexed times as the first time and
// then each one's step from the one before (a running maximum never steps
// back, so every step is a small unsigned varint); their positions, only
// when they are not dense, as steps too; then for every application and
// environment (sorted) its ordinals, as steps; and the environments' names
// and the uuids each name has named, in naming order. The type ids by name
// are derived on restore.
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
	w.count(len(h.times))
	var prev int64
	for i, t := range h.times {
		if i == 0 {
			w.int(t)
		} else {
			w.uint(uint64(t - prev))
		}
		prev = t
	}
	w.bool(h.positions != nil)
	if h.positions != nil {
		appendSteps(w, h.positions)
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

// appendSteps writes an increasing list as its count and the steps between
// its values (the first from zero).
func appendSteps[T uint32 | uint64](w *snapWriter, list []T) {
	w.count(len(list))
	var prev T
	for _, v := range list {
		w.uint(uint64(v - prev))
		prev = v
	}
}

func appendOrdinalLists(w *snapWriter, lists map[string][]uint32) {
	w.count(len(lists))
	for _, key := range sortedKeys(lists) {
		w.str(key)
		appendSteps(w, lists[key])
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
	total := r.count()
	if total != len(fresh.types) {
		r.fail("times and types differ in number")
	}
	if r.err == nil && total > 0 {
		fresh.times = make([]int64, 0, total)
		t := r.int()
		fresh.times = append(fresh.times, t)
		for range total - 1 {
			step := r.uint()
			if step > 1<<62 {
				r.fail("time step")
			}
			t += int64(step)
			fresh.times = append(fresh.times, t)
		}
	}
	if r.bool() {
		fresh.positions = readSteps[uint64](r)
		if len(fresh.positions) != total {
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
	h.times, h.types, h.positions = fresh.times, fresh.types, fresh.positions
	h.typeNames, h.typeIDs = fresh.typeNames, fresh.typeIDs
	h.byPacticipant, h.byEnvironment = fresh.byPacticipant, fresh.byEnvironment
	h.envNames, h.envUUIDs = fresh.envNames, fresh.envUUIDs
	return nil
}

// readSteps reads what appendSteps wrote; the list must increase strictly
// after its first value.
func readSteps[T uint32 | uint64](r *snapReader) []T {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n)
	var v T
	for i := range n {
		step := r.uint()
		next := v + T(step)
		if uint64(T(step)) != step || next < v || i > 0 && step == 0 {
			r.fail("list not increasing")
			return nil
		}
		v = next
		out = append(out, v)
	}
	return out
}

func readOrdinalLists(r *snapReader, events int) map[string][]uint32 {
	out := map[string][]uint32{}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		key := r.str()
		list := readSteps[uint32](r)
		if len(list) > 0 && int(list[len(list)-1]) >= events {
			r.fail("ordinal beyond the last event")
		}
		out[key] = list
	}
	return out
}

var _ Snapshotter = (*History)(nil)
