package projections

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// ErrSnapshotCorrupt means a read-model snapshot could not be decoded: it is
// truncated, or was written by an incompatible encoding. Callers discard the
// snapshot and rebuild from the log.
var ErrSnapshotCorrupt = errors.New("projections: corrupt read-model snapshot")

// snapWriter appends the snapshot encoding: unsigned varints, zig-zag
// varints, length-prefixed strings and bytes. Callers write map entries in
// sorted key order, so equal read models encode to equal bytes (the digests
// of ReadModelDigest rely on it).
type snapWriter struct{ b []byte }

func (w *snapWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *snapWriter) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *snapWriter) count(n int)   { w.uint(uint64(n)) }

func (w *snapWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *snapWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

// bytes keeps nil apart from empty: 0 is nil, n+1 is n bytes.
func (w *snapWriter) bytes(p []byte) {
	if p == nil {
		w.uint(0)
		return
	}
	w.uint(uint64(len(p)) + 1)
	w.b = append(w.b, p...)
}

func (w *snapWriter) strPtr(s *string) {
	w.bool(s != nil)
	if s != nil {
		w.str(*s)
	}
}

// time keeps the instant (seconds and nanoseconds); every time in the read
// models is UTC, which is how reads restore it.
func (w *snapWriter) time(t time.Time) {
	w.int(t.Unix())
	w.uint(uint64(t.Nanosecond()))
}

func (w *snapWriter) timePtr(t *time.Time) {
	w.bool(t != nil)
	if t != nil {
		w.time(*t)
	}
}

// snapReader reads what snapWriter wrote. The first failure sticks: later
// reads return zero values and err says what went wrong, so decoders check
// it once at the end (and before trusting a count).
type snapReader struct {
	b   []byte
	err error
}

func (r *snapReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrSnapshotCorrupt, what)
	}
	r.b = nil
}

func (r *snapReader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad unsigned integer")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *snapReader) int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("bad integer")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a number of entries that follow; each takes at least one
// byte, so a count larger than what is left is corrupt (and never makes a
// caller allocate a huge slice).
func (r *snapReader) count() int {
	v := r.uint()
	if v > uint64(len(r.b)) {
		r.fail("count beyond the end")
		return 0
	}
	return int(v)
}

func (r *snapReader) bool() bool {
	if len(r.b) == 0 {
		r.fail("truncated")
		return false
	}
	v := r.b[0]
	r.b = r.b[1:]
	if v > 1 {
		r.fail("bad boolean")
	}
	return v == 1
}

func (r *snapReader) take(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail("length beyond the end")
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

func (r *snapReader) str() string { return string(r.take(r.uint())) }

func (r *snapReader) bytes() []byte {
	n := r.uint()
	if n == 0 {
		return nil
	}
	p := r.take(n - 1)
	if p == nil {
		return nil
	}
	return append(make([]byte, 0, len(p)), p...)
}

func (r *snapReader) strPtr(in interner) *string {
	if !r.bool() {
		return nil
	}
	s := r.str()
	return in.ptr(&s)
}

func (r *snapReader) time() time.Time {
	sec := r.int()
	nsec := r.uint()
	if nsec >= 1e9 {
		r.fail("bad nanoseconds")
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (r *snapReader) timePtr() *time.Time {
	if !r.bool() {
		return nil
	}
	t := r.time()
	return &t
}

// done reports the first failure, or trailing bytes.
func (r *snapReader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	return r.err
}
