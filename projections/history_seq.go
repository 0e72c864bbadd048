package projections

import (
	"encoding/binary"
	"errors"
	"sort"
	"unsafe"
)

// seqBlock is how many values a seq block holds: a random access decodes at
// most seqBlock-1 varints, and each block costs 16 bytes of skip index.
const seqBlock = 64

// seq is a non-decreasing sequence of uint64 values, kept compactly: the
// values in blocks of seqBlock, each block's first value whole in firsts
// (the skip index, with the block's byte offset into data in offs), the
// block's other values in data as unsigned varint steps from the value
// before. Dense steps (ordinals of one application, times a few
// microseconds apart) take one to three bytes instead of four or eight.
//
// Values only grow: push panics on a smaller value (a bug of the caller).
// A seq is not safe for concurrent use; History guards its own.
type seq struct {
	firsts []uint64 // per block: its first value
	offs   []uint64 // per block: where its steps start in data
	data   []byte
	n      int
	last   uint64 // the last value, valid when n > 0
}

// push appends v, which must be at least the last value.
func (s *seq) push(v uint64) {
	if s.n > 0 && v < s.last {
		panic("projections: seq values must not decrease")
	}
	if s.n%seqBlock == 0 {
		s.firsts = append(grow(s.firsts, 1), v)
		s.offs = append(grow(s.offs, 1), uint64(len(s.data)))
	} else {
		s.data = binary.AppendUvarint(grow(s.data, binary.MaxVarintLen64), v-s.last)
	}
	s.n++
	s.last = v
}

// len is how many values s holds.
func (s *seq) len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// at returns the i-th value (0 <= i < len).
func (s *seq) at(i int) uint64 {
	c := seqCursor{s: s}
	c.seek(i)
	return c.v
}

// search returns the index of the first value at least v, len if none.
func (s *seq) search(v uint64) int {
	c := seqCursor{s: s}
	c.seek(0)
	c.seekGE(v)
	return c.i
}

// values returns every value (tests and snapshots).
func (s *seq) values() []uint64 {
	out := make([]uint64, 0, s.len())
	c := seqCursor{s: s}
	for c.seek(0); c.valid(); c.next() {
		out = append(out, c.v)
	}
	return out
}

// grow makes room for extra more elements, growing by an eighth where
// append grows by a quarter to double (and rounding a large allocation up
// to whole pages, which it takes anyway): the index's slices only grow, so
// their spare capacity is memory held for good, and the more frequent
// copies are of pointer-free memory.
func grow[T any](s []T, extra int) []T {
	if len(s)+extra <= cap(s) {
		return s
	}
	var zero T
	size := int(unsafe.Sizeof(zero))
	n := len(s) + len(s)/8 + extra + 4
	const page = 8 << 10
	if n*size > 4*page {
		n = (n*size + page - 1) / page * page / size
	}
	return append(make([]T, 0, n), s...)
}

// seqCursor walks a seq forwards: at index i, with value v while i < len.
// A nil seq reads as empty.
type seqCursor struct {
	s   *seq
	i   int
	off uint64 // where the step of value i+1 starts in data
	v   uint64
}

func (c *seqCursor) valid() bool { return c.i < c.s.len() }

// seek moves to index i, from the start of i's block.
func (c *seqCursor) seek(i int) {
	if i >= c.s.len() {
		c.i = c.s.len()
		return
	}
	c.startBlock(i / seqBlock)
	for c.i < i {
		c.next()
	}
}

func (c *seqCursor) startBlock(b int) {
	c.i, c.v, c.off = b*seqBlock, c.s.firsts[b], c.s.offs[b]
}

// next moves to the following index.
func (c *seqCursor) next() {
	c.i++
	switch {
	case c.i >= c.s.n:
		c.i = c.s.n
	case c.i%seqBlock == 0:
		c.startBlock(c.i / seqBlock)
	default:
		step, w := binary.Uvarint(c.s.data[c.off:])
		c.v += step
		c.off += uint64(w)
	}
}

// advance moves forwards to index i (never back): stepping within the
// block, jumping through the skip index to a later one.
func (c *seqCursor) advance(i int) {
	if i/seqBlock != c.i/seqBlock {
		c.seek(i)
		return
	}
	for c.i < i && c.valid() {
		c.next()
	}
}

// seekGE moves forwards to the first value at least v (or to len): a
// binary search of the skip index when v lies beyond the current block,
// then at most a block's steps.
func (c *seqCursor) seekGE(v uint64) {
	if !c.valid() || c.v >= v {
		return
	}
	s, b := c.s, c.i/seqBlock
	if b+1 < len(s.firsts) && s.firsts[b+1] < v {
		// The first block after b that starts at v or later; the
		// answer is in the block before it, or is its first value.
		next := b + 1 + sort.Search(len(s.firsts)-b-1, func(k int) bool { return s.firsts[b+1+k] >= v })
		c.startBlock(next - 1)
	}
	for c.valid() && c.v < v {
		c.next()
	}
}

// errSeqCorrupt is what decodeSeq reports; the snapshot wraps it.
var errSeqCorrupt = errors.New("sequence steps")

// decodeSeq rebuilds a seq from its count, its blocks' first values and its
// steps (as a snapshot holds them), checking that every block holds its
// number of steps, that no value decreases (nor repeats, if strict) and
// recomputing the skip index's offsets.
func decodeSeq(n int, firsts []uint64, data []byte, strict bool) (*seq, error) {
	if len(firsts) != (n+seqBlock-1)/seqBlock {
		return nil, errSeqCorrupt
	}
	s := &seq{firsts: firsts, offs: make([]uint64, len(firsts)), data: data, n: n}
	var off uint64
	for b, first := range firsts {
		if b > 0 && (first < s.last || strict && first == s.last) {
			return nil, errSeqCorrupt
		}
		s.offs[b], s.last = off, first
		for range min(seqBlock, n-b*seqBlock) - 1 {
			step, w := binary.Uvarint(data[min(off, uint64(len(data))):])
			if w <= 0 || strict && step == 0 || s.last+step < s.last {
				return nil, errSeqCorrupt
			}
			s.last += step
			off += uint64(w)
		}
	}
	if off != uint64(len(data)) {
		return nil, errSeqCorrupt
	}
	return s, nil
}

// union reads several seqs as the sorted union of their values (an
// environment name that named several environments).
type union []seqCursor

func newUnion(seqs []*seq) union {
	u := make(union, len(seqs))
	for i, s := range seqs {
		u[i] = seqCursor{s: s}
		u[i].seek(0)
	}
	return u
}

func (u union) len() (n int) {
	for _, c := range u {
		n += c.s.len()
	}
	return n
}

// seekGE moves every cursor forwards to v and returns the smallest value at
// least v, false if there is none.
func (u union) seekGE(v uint64) (uint64, bool) {
	if len(u) == 1 {
		c := &u[0]
		c.seekGE(v)
		return c.v, c.valid()
	}
	var least uint64
	found := false
	for i := range u {
		c := &u[i]
		c.seekGE(v)
		if c.valid() && (!found || c.v < least) {
			least, found = c.v, true
		}
	}
	return least, found
}
