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
// replaces what was there. It keeps at most stringCacheSlots strings of at
// most stringCacheMaxLen bytes alive, whatever the log holds.
//
// Not safe for concurrent use: one goroutine owns each (see Decoder).
type stringCache struct {
	seed  maphash.Seed
	slots []string
}

const (
	stringCacheSlots  = 1 << 14 // 256 KiB of slots; larger strings are not cached
	stringCacheMaxLen = 96
)

func newStringCache() *stringCache {
	return &stringCache{seed: maphash.MakeSeed(), slots: make([]string, stringCacheSlots)}
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
	slot := &c.slots[maphash.Bytes(c.seed, b)&(stringCacheSlots-1)]
	if *slot == string(b) { // no allocation: a comparison only
		return *slot
	}
	s := string(b)
	*slot = s
	return s
}
