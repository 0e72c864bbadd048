package httpapi

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"
)

// matrixWriter appends JSON for appendMatrix: its primitives write strings,
// timestamps and hrefs exactly as encoding/json and API.href would.
type matrixWriter struct {
	b    []byte
	base string
	// basePlain is plainJSON(base), decided once per answer; unplain, in
	// the href being written, is set by a segment url.PathEscape changed.
	// Either sends the href through the JSON re-encoding check.
	basePlain, unplain bool
}

func (w *matrixWriter) raw(s string) { w.b = append(w.b, s...) }

// str appends s as a JSON string. Plain ASCII (the usual names, numbers and
// URLs) is copied as it is; anything else goes through encoding/json so
// that escaping matches exactly.
func (w *matrixWriter) str(s string) {
	if !plainJSON(s) {
		w.escaped(s)
		return
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

// escaped appends s as a JSON string, escaping as encoding/json does: the
// short escapes of quotes, backslashes and line breaks (reason texts are
// joined by newlines) here, anything rarer through encoding/json itself.
func (w *matrixWriter) escaped(s string) {
	start := len(w.b)
	w.b = append(w.b, '"')
	if !w.shortEscaped(s) {
		w.b = w.b[:start]
		q, _ := json.Marshal(s) // a string always marshals
		w.b = append(w.b, q...)
		return
	}
	w.b = append(w.b, '"')
}

// shortEscaped appends s with the short escapes, without quotes. It
// returns false, having appended part of s, at the first byte that needs
// encoding/json (other controls, <, >, &, non-ASCII).
func (w *matrixWriter) shortEscaped(s string) bool {
	for i := 0; i < len(s); i++ {
		if jsonPlain[s[i]] { // copy the run of plain bytes at once
			j := i + 1
			for j < len(s) && jsonPlain[s[j]] {
				j++
			}
			w.b = append(w.b, s[i:j]...)
			i = j - 1
			continue
		}
		switch c := s[i]; c {
		case '"', '\\':
			w.b = append(w.b, '\\', c)
		case '\n':
			w.b = append(w.b, '\\', 'n')
		case '\r':
			w.b = append(w.b, '\\', 'r')
		case '\t':
			w.b = append(w.b, '\\', 't')
		default:
			return false
		}
	}
	return true
}

func (w *matrixWriter) boolean(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *matrixWriter) integer(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// timestamp appends timestamp(t) as a JSON string (only digits, T, :, +
// and - occur in it).
func (w *matrixWriter) timestamp(t time.Time) {
	w.b = append(w.b, '"')
	w.b = appendTimestamp(w.b, t)
	w.b = append(w.b, '"')
}

// appendTimestamp appends timestamp(t) without parsing the layout on every
// call as Time.AppendFormat does; years outside 0..9999, which the layout
// writes differently, go through AppendFormat.
func appendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, "2006-01-02T15:04:05+00:00")
	}
	hour, minute, second := t.Clock()
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	b = append(b, byte('0'+month/10), byte('0'+month%10), '-', byte('0'+day/10), byte('0'+day%10), 'T')
	b = append(b, byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':')
	b = append(b, byte('0'+second/10), byte('0'+second%10))
	return append(b, "+00:00"...)
}

// hrefStart opens an href: the quote and the base. It returns where the
// href starts, for hrefEnd.
func (w *matrixWriter) hrefStart() int {
	start := len(w.b)
	w.b = append(w.b, '"')
	w.b = append(w.b, w.base...)
	w.unplain = false
	return start
}

// segment appends "/" and the path-escaped s. A segment that neither
// url.PathEscape nor JSON changes (the usual names and numbers) is copied
// as it is; any other is escaped by url.PathEscape and marks the href for
// hrefEnd's check.
func (w *matrixWriter) segment(s string) {
	w.b = append(w.b, '/')
	for i := 0; i < len(s); i++ {
		if !pathPlain[s[i]] {
			w.b = append(w.b, url.PathEscape(s)...)
			w.unplain = true
			return
		}
	}
	w.b = append(w.b, s...)
}

// hrefEnd closes the href begun at start. An href with a byte JSON escapes
// (e.g. "&", which url.PathEscape keeps) is re-encoded as a JSON string.
func (w *matrixWriter) hrefEnd(start int) {
	if (w.unplain || !w.basePlain) && !plainJSON(w.b[start+1:]) {
		u := string(w.b[start+1:])
		w.b = w.b[:start]
		w.str(u)
		return
	}
	w.b = append(w.b, '"')
}

// pathPlain holds the bytes that url.PathEscape leaves as they are and
// encoding/json copies as they are.
var pathPlain = func() (t [256]bool) {
	for c := range 0x80 {
		s := string(rune(c))
		t[c] = url.PathEscape(s) == s && plainJSON(s)
	}
	return t
}()

// jsonPlain holds the bytes encoding/json copies into a string as they are.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// plainJSON reports whether encoding/json copies s as it is.
func plainJSON[S string | []byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if !jsonPlain[s[i]] {
			return false
		}
	}
	return true
}
