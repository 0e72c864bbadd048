package jetstream

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
)

// rawHeaders holds the values of the headers a record is made of, found in
// a raw header block without building a map. Each is the first value of its
// exact key with leading spaces and tabs removed, as nats.Header.Get returns
// it from a decoded block; nil when absent.
type rawHeaders struct {
	status      []byte // the status code of a status message ("404", "408"), else nil
	description []byte // the text after the status code

	msgID, typ, version, occurredAt []byte
	correlation, causation, actor   []byte
}

// errBadHeaders reports a header block that nats.DecodeHeadersMsg would
// reject as well.
var errBadHeaders = errors.New("malformed header block")

// parseRawHeaders reads "NATS/1.0[ status[ description]]\r\n", then
// "Key: value\r\n" lines up to an empty line, as nats.DecodeHeadersMsg
// does (lines end in "\n", an optional "\r" before it is dropped).
func parseRawHeaders(block []byte) (rawHeaders, error) {
	var h rawHeaders
	line, rest, ok := headerLine(block)
	const pre = "NATS/1.0"
	if !ok || len(line) < len(pre) || string(line[:len(pre)]) != pre {
		return h, errBadHeaders
	}
	if len(line) > len(pre) {
		st := bytes.TrimSpace(line[len(pre):])
		if len(st) < 3 {
			return h, errBadHeaders
		}
		h.status, h.description = st[:3], bytes.TrimSpace(st[3:])
	}
	for {
		line, rest, ok = headerLine(rest)
		if !ok {
			return h, errBadHeaders
		}
		if len(line) == 0 {
			return h, nil
		}
		i := bytes.IndexByte(line, ':')
		if i < 0 {
			return h, errBadHeaders
		}
		key, v := line[:i], line[i+1:]
		for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
			v = v[1:]
		}
		if v == nil {
			v = []byte{} // present but empty: not nil
		}
		var dst *[]byte
		switch string(key) {
		case hdrMsgID:
			dst = &h.msgID
		case hdrType:
			dst = &h.typ
		case hdrVersion:
			dst = &h.version
		case hdrOccurredAt:
			dst = &h.occurredAt
		case hdrCorrelation:
			dst = &h.correlation
		case hdrCausation:
			dst = &h.causation
		case hdrActor:
			dst = &h.actor
		default:
			continue
		}
		if *dst == nil { // the first value wins, as with Header.Get
			*dst = v
		}
	}
}

// headerLine splits off the next line of a header block.
func headerLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return nil, nil, false
	}
	line = b[:i]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, b[i+1:], true
}

// rawDecoder turns raw messages into records exactly as toRecord turns a
// decoded message into one, with fewer allocations: event types
// and actors, which repeat, are interned (per decoder, so per
// subscription), timestamps in the form this package writes them are
// parsed without time.Parse, and values are unescaped only if they contain
// a '%'.
type rawDecoder struct {
	s       *Store
	intern  map[string]string
	scratch []byte // a stream name being unescaped
}

// maxInterned bounds a decoder's interned strings; past it values are
// copied each time.
const maxInterned = 4096

// maxInternedLen keeps long values (an actor or type of unusual length) out
// of the intern table, which lives as long as the subscription.
const maxInternedLen = 96

func newRawDecoder(s *Store) *rawDecoder {
	return &rawDecoder{s: s, intern: make(map[string]string)}
}

// record decodes the stored message at seq from its subject, parsed
// headers and payload.
func (d *rawDecoder) record(seq uint64, subj []byte, h *rawHeaders, data []byte) (events.Record, error) {
	stream, err := d.streamName(subj)
	if err != nil {
		return events.Record{}, err
	}
	r := events.Record{Stream: stream, Position: seq, Data: data}
	bad := func(what string, err error) (events.Record, error) {
		return events.Record{}, fmt.Errorf("jetstream: message %d on %q: bad %s: %w", seq, subj, what, err)
	}
	if r.ID, err = uuid.ParseBytes(h.msgID); err != nil {
		return bad(hdrMsgID, err)
	}
	var ok bool
	if r.StreamVersion, ok = parseUint(h.version); !ok {
		return bad(hdrVersion, fmt.Errorf("not a version: %q", h.version))
	}
	if r.OccurredAt, err = parseTime(h.occurredAt); err != nil {
		return bad(hdrOccurredAt, err)
	}
	r.OccurredAt = r.OccurredAt.UTC()
	if r.Type, err = d.unescape(h.typ, true); err != nil {
		return bad(hdrType, err)
	}
	if r.Meta.CorrelationID, r.Meta.CausationID, ok = d.ids(h.correlation, h.causation); !ok {
		if r.Meta.CorrelationID, err = d.unescape(h.correlation, false); err != nil {
			return bad(hdrCorrelation, err)
		}
		if r.Meta.CausationID, err = d.unescape(h.causation, false); err != nil {
			return bad(hdrCausation, err)
		}
	}
	if r.Meta.Actor, err = d.unescape(h.actor, true); err != nil {
		return bad(hdrActor, err)
	}
	return r, nil
}

// streamName is Store.streamOf on raw bytes, with one allocation: the
// name. Escapes other than "=XX" with two hex digits are left to
// events.DecodeName, for its result or its error.
func (d *rawDecoder) streamName(subject []byte) (string, error) {
	p := d.s.cfg.SubjectPrefix
	if len(subject) <= len(p)+1 || string(subject[:len(p)]) != p || subject[len(p)] != '.' {
		return d.s.streamOf(string(subject))
	}
	tok := subject[len(p)+1:]
	if bytes.IndexByte(tok, '=') < 0 {
		return string(tok), nil
	}
	b, ok := events.AppendDecodedName(d.scratch[:0], tok)
	if !ok {
		return events.DecodeName(string(tok))
	}
	d.scratch = b
	return string(b), nil
}

// ids returns the correlation and causation ids with one allocation for
// both (one string when they are equal, as a command's first event has
// them), when neither is empty or escaped; ok is false otherwise.
func (d *rawDecoder) ids(corr, cause []byte) (c, ca string, ok bool) {
	if len(corr) == 0 || len(cause) == 0 || bytes.IndexByte(corr, '%') >= 0 || bytes.IndexByte(cause, '%') >= 0 {
		return "", "", false
	}
	if bytes.Equal(corr, cause) {
		s := string(corr)
		return s, s, true
	}
	d.scratch = append(append(d.scratch[:0], corr...), cause...)
	both := string(d.scratch)
	return both[:len(corr)], both[len(corr):], true
}

// unescape is unescape (wire.go) on raw bytes.
func (d *rawDecoder) unescape(v []byte, intern bool) (string, error) {
	switch {
	case len(v) == 0:
		return "", nil
	case bytes.IndexByte(v, '%') >= 0:
		return url.PathUnescape(string(v))
	case !intern:
		return string(v), nil
	}
	if s, ok := d.intern[string(v)]; ok {
		return s, nil
	}
	s := string(v)
	if len(d.intern) < maxInterned && len(v) <= maxInternedLen {
		d.intern[s] = s
	}
	return s, nil
}

// parseUint parses a decimal uint64 as strconv.ParseUint(s, 10, 64) does
// (digits only, no sign, no overflow).
func parseUint(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (1<<64-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// parseTime is time.Parse(time.RFC3339Nano, string(b)), with a fast path for
// what Format(time.RFC3339Nano) writes for a UTC time: the fixed-width
// "2006-01-02T15:04:05" with an optional fraction of 1 to 9 digits and "Z".
func parseTime(b []byte) (time.Time, error) {
	if t, ok := parseUTC(b); ok {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, string(b))
}

func parseUTC(b []byte) (time.Time, bool) {
	n := len(b)
	if n < 20 || n > 30 || n == 21 || b[n-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(s []byte) int {
		v := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(b[0:4]), num(b[5:7]), num(b[8:10])
	hour, minute, sec := num(b[11:13]), num(b[14:16]), num(b[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	if day > 28 && day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	nsec := 0
	if n > 20 {
		if b[19] != '.' {
			return time.Time{}, false
		}
		frac := b[20 : n-1]
		if nsec = num(frac); nsec < 0 {
			return time.Time{}, false
		}
		for range 9 - len(frac) {
			nsec *= 10
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}
