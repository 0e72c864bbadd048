package projections

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// recID is a deployed- or released-version record's id without a heap
// object: a canonical (lower-case, hyphenated) uuid, which is what the
// commands make, as its 16 bytes (sym 0); any other id as the number of its
// string in the model's symbol table, plus one (sym > 0; u is zero).
type recID struct {
	u   [16]byte
	sym uint32
}

// parseUUID reads a canonical uuid; ok is false for anything that would
// not format back to the same string (upper case, braces, no hyphens).
func parseUUID(s string) (u [16]byte, ok bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	for i, j := 0, 0; i < 36; j++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
		}
		hi, ok1 := lowerHex(s[i])
		lo, ok2 := lowerHex(s[i+1])
		if !ok1 || !ok2 {
			return u, false
		}
		u[j] = hi<<4 | lo
		i += 2
	}
	return u, true
}

func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	hex.Encode(b[9:13], u[4:6])
	hex.Encode(b[14:18], u[6:8])
	hex.Encode(b[19:23], u[8:10])
	hex.Encode(b[24:36], u[10:16])
	b[8], b[13], b[18], b[23] = '-', '-', '-', '-'
	return string(b[:])
}

// recIDOf returns the id of s. With add, a new non-uuid id is numbered;
// without, ok is false for one the table lacks (no record has it).
func recIDOf(t *symtab, s string, add bool) (id recID, ok bool) {
	if u, ok := parseUUID(s); ok {
		return recID{u: u}, true
	}
	if add {
		return recID{sym: t.add(s) + 1}, true
	}
	n, ok := t.id(s)
	return recID{sym: n + 1}, ok
}

// idString returns the id as the string it was made from.
func idString(t *symtab, id recID) string {
	if id.sym > 0 {
		return t.str(id.sym - 1)
	}
	return formatUUID(id.u)
}

// compareIDs orders ids as their strings do (a canonical uuid's bytes sort
// as its hex digits).
func compareIDs(t *symtab, a, b recID) int {
	if a.sym == 0 && b.sym == 0 {
		return bytes.Compare(a.u[:], b.u[:])
	}
	return strings.Compare(idString(t, a), idString(t, b))
}

func (id recID) hash() uint64 {
	h := binary.LittleEndian.Uint64(id.u[:8]) ^ binary.LittleEndian.Uint64(id.u[8:]) ^ uint64(id.sym)<<32
	h ^= h >> 33 // the finaliser of MurmurHash3: uuids other than random ones vary in few bits
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// idIndex finds rows by id: an open-addressing table of row indexes (plus
// one; 0 is an empty slot) with linear probing, four bytes a slot and no
// pointer, where a map from id to index would take some 40 bytes an entry.
// The ids live in the rows; key returns the id of row i.
type idIndex struct {
	slots []int32 // len is a power of two, or 0
	n     int
}

func (x *idIndex) find(id recID, key func(int32) recID) (int32, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(x.slots) - 1)
	for s := id.hash() & mask; ; s = (s + 1) & mask {
		v := x.slots[s]
		if v == 0 {
			return 0, false
		}
		if key(v-1) == id {
			return v - 1, true
		}
	}
}

// insert adds row i, whose id the table must not hold yet.
func (x *idIndex) insert(i int32, key func(int32) recID) {
	if (x.n+1)*4 > len(x.slots)*3 {
		old := x.slots
		x.slots = make([]int32, max(64, 2*len(old)))
		for _, v := range old {
			if v != 0 {
				x.place(v, key(v-1))
			}
		}
	}
	x.place(i+1, key(i))
	x.n++
}

func (x *idIndex) place(v int32, id recID) {
	mask := uint64(len(x.slots) - 1)
	s := id.hash() & mask
	for x.slots[s] != 0 {
		s = (s + 1) & mask
	}
	x.slots[s] = v
}

// remove drops row i (with id id), shifting back the entries after it that
// would otherwise not be found.
func (x *idIndex) remove(i int32, id recID, key func(int32) recID) {
	mask := uint64(len(x.slots) - 1)
	s := id.hash() & mask
	for x.slots[s] != i+1 {
		if x.slots[s] == 0 {
			return
		}
		s = (s + 1) & mask
	}
	x.n--
	for {
		x.slots[s] = 0
		next := s
		for {
			next = (next + 1) & mask
			v := x.slots[next]
			if v == 0 {
				return
			}
			home := key(v-1).hash() & mask
			// v may move to s unless its home lies cyclically in (s, next].
			if (next > s && (home <= s || home > next)) || (next < s && home <= s && home > next) {
				x.slots[s] = v
				s = next
				break
			}
		}
	}
}
