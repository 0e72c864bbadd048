package events

import "hash/maphash"

// stringCache hands out one string for recently decoded equal byte
// sequences, so that decoding a run of events does not allocate the same
// pacticipant name, version number, SHA or environment id again for every
// event that mentions it: a replay decodes each of them many times, and
// every allocation costs its malloc and a share of the garbage collector's
// work. Equal bytes give an equal string, so what a payload holds is
// exactly what it would hold without the cache; only the storage is shared
// (strings are immutable, so sharing is invisible).
//
// It is direct-mapped: each byte sequence hashes to one slot, and a miss
// replaces what was there. It starts small and doubles (emptied) each time
// it has missed twice as often as it has slots, up to stringCacheSlots, so
// a subscription that only follows a quiet tail (an event stream client,
// say) keeps a few KiB, and a replay soon has the full size. It keeps at
// most stringCacheSlots strings of at most stringCacheMaxLen bytes alive,
// whatever the log holds.
//
// Not safe for concurrent use: one goroutine owns each (see Decoder).
type stringCache struct {
	seed   maphash.Seed
	slots  []string // len is a power of two
	misses int      // since slots was made
}

const (
	stringCacheFirst  = 1 << 8  // 4 KiB of slots
	stringCacheSlots  = 1 << 14 // at most 256 KiB of slots
	stringCacheMaxLen = 96      // longer strings are not cached
)

func newStringCache() *stringCache {
	return &stringCache{seed: maphash.MakeSeed(), slots: make([]string, stringCacheFirst)}
}

// str returns b as a string, shared with the last equal one this cache
// returned if it is still in its slot. A nil cache allocates every time.
func (c *stringCache) str(b []byte) string {
	if c == nil || len(b) > stringCacheMaxLen {
		return string(b)
	}
	if len(b) == 0 {
		return ""
	}
	slot := &c.slots[maphash.Bytes(c.seed, b)&uint64(len(c.slots)-1)]
	if *slot == string(b) { // no allocation: a comparison only
		return *slot
	}
	s := string(b)
	*slot = s
	if c.misses++; c.misses > 2*len(c.slots) && len(c.slots) < stringCacheSlots {
		c.slots, c.misses = make([]string, 2*len(c.slots)), 0
	}
	return s
}
