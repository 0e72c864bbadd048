package projections

import (
	"hash/maphash"
	"math"
	"time"
	"unsafe"

	"github.com/pactledger/pactledger/events"
)

// symtab numbers distinct strings densely from 0 (the empty string) and
// keeps one copy of each. It holds no pointer per string, so the garbage
// collector does not mark one object per name, version number, SHA or URL:
// the bytes live in large append-only chunks, each string's place in a
// slice of plain numbers, and the hash index is an open-addressing table of
// ids. Strings handed out (str) alias a chunk, which never changes once
// written, so they stay valid for ever.
//
// Not safe for concurrent use: the read model calls add under its write
// lock, and id and str under (at least) its read lock. Hazard: strings are
// never released, even when what they name is deleted; they are bounded by
// the distinct strings ever seen.
type symtab struct {
	chunks [][]byte
	refs   []symRef // by id
	// slots hold id+1 in the bits of len(slots)-1 (ids are below len(slots),
	// which is a power of two above the count) and a tag of the string's
	// hash in the bits above, so that a probe reads a string (its ref and
	// its bytes, two cache misses in a large table) only when the tag
	// matches; 0 is an empty slot.
	slots []uint32
	seed  maphash.Seed
}

type symRef struct{ chunk, off, n uint32 }

const symChunk = 64 << 10

func newSymtab() symtab {
	t := symtab{seed: maphash.MakeSeed(), slots: make([]uint32, 1024), refs: []symRef{{}}}
	return t
}

// str returns the string numbered id.
func (t *symtab) str(id uint32) string {
	r := t.refs[id]
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&t.chunks[r.chunk][r.off], int(r.n))
}

// id returns the number of s, if it has one.
func (t *symtab) id(s string) (uint32, bool) {
	if s == "" {
		return 0, true
	}
	mask := uint32(len(t.slots) - 1)
	h := maphash.String(t.seed, s)
	tag := symTag(h, mask)
	for i := uint32(h) & mask; ; i = (i + 1) & mask {
		v := t.slots[i]
		if v == 0 {
			return 0, false
		}
		if v&^mask == tag && t.str(v&mask-1) == s {
			return v&mask - 1, true
		}
	}
}

// symTag is the part of a slot that holds hash bits, for a table of
// mask+1 slots: the high half of the hash, above the id's bits.
func symTag(h uint64, mask uint32) uint32 { return uint32(h>>32) &^ mask }

// add returns the number of s, numbering it if it is new.
func (t *symtab) add(s string) uint32 {
	if id, ok := t.id(s); ok {
		return id
	}
	if len(t.refs) >= math.MaxUint32-1 {
		panic("projections: too many distinct strings")
	}
	if (len(t.refs)+1)*4 > len(t.slots)*3 {
		t.grow()
	}
	id := uint32(len(t.refs))
	t.refs = append(t.refs, t.store(s))
	t.place(id, s)
	return id
}

func (t *symtab) place(id uint32, s string) {
	mask := uint32(len(t.slots) - 1)
	h := maphash.String(t.seed, s)
	i := uint32(h) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = id + 1 | symTag(h, mask)
}

func (t *symtab) grow() {
	t.slots = make([]uint32, len(t.slots)*2)
	for id := 1; id < len(t.refs); id++ {
		t.place(uint32(id), t.str(uint32(id)))
	}
}

// store copies s into a chunk; a string longer than a chunk gets its own.
func (t *symtab) store(s string) symRef {
	n := len(t.chunks)
	if n == 0 || len(t.chunks[n-1])+len(s) > cap(t.chunks[n-1]) {
		t.chunks = append(t.chunks, make([]byte, 0, max(symChunk, len(s))))
		n++
	}
	c := &t.chunks[n-1]
	off := len(*c)
	*c = append(*c, s...)
	return symRef{chunk: uint32(n - 1), off: uint32(off), n: uint32(len(s))}
}

// len is the number of strings numbered, the empty one included.
func (t *symtab) len() int { return len(t.refs) }

// stamp is a time as nanoseconds since the Unix epoch: a plain number,
// where time.Time holds a pointer (its location). zeroStamp is the zero
// time. Hazard: times outside the years 1678–2262 do not fit; the log's
// times (when events were appended) always do.
type stamp int64

const zeroStamp stamp = math.MinInt64

func stampOf(t time.Time) stamp {
	if t.IsZero() {
		return zeroStamp
	}
	return stamp(t.UnixNano())
}

// time returns the stamp as a UTC time, as a snapshot restores it.
func (s stamp) time() time.Time {
	if s == zeroStamp {
		return time.Time{}
	}
	return time.Unix(0, int64(s)).UTC()
}

// verifierTable numbers the distinct verifier details (0: none).
type verifierTable struct {
	list []events.VerifiedBy
	ids  map[events.VerifiedBy]uint32
}

func newVerifierTable() verifierTable {
	return verifierTable{list: []events.VerifiedBy{{}}, ids: map[events.VerifiedBy]uint32{}}
}

func (t *verifierTable) add(b *events.VerifiedBy) uint32 {
	if b == nil {
		return 0
	}
	if id, ok := t.ids[*b]; ok {
		return id
	}
	id := uint32(len(t.list))
	t.list = append(t.list, *b)
	t.ids[*b] = id
	return id
}

// get returns a copy of the details numbered id, or nil.
func (t *verifierTable) get(id uint32) *events.VerifiedBy {
	if id == 0 {
		return nil
	}
	b := t.list[id]
	return &b
}
