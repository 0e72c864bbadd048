package events

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// ErrEmptyName is returned for an empty name where a name is required.
var ErrEmptyName = errors.New("events: empty name")

// EncodeName escapes a name into a token that is safe in every engine: a NATS
// subject token, a JetStream KV key and a KurrentDB stream name. Bytes in
// [A-Za-z0-9_-] are kept; every other byte becomes =XX (upper-case hex). The
// mapping is injective, so two names never share a token, and it keeps '.'
// out of the result, so tokens can be joined with '.'.
func EncodeName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

// DecodeName reverses EncodeName.
func DecodeName(token string) (string, error) {
	if strings.IndexByte(token, '=') < 0 {
		return token, nil // nothing escaped: the common case, without a copy
	}
	var b strings.Builder
	b.Grow(len(token))
	for i := 0; i < len(token); i++ {
		c := token[i]
		if c != '=' {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(token) {
			return "", fmt.Errorf("events: decode name %q: truncated escape", token)
		}
		if hi, lo := unhex(token[i+1]), unhex(token[i+2]); hi >= 0 && lo >= 0 {
			b.WriteByte(byte(hi<<4 | lo)) // what the scan below reads from two hex digits, quicker
			i += 2
			continue
		}
		var v byte
		if _, err := fmt.Sscanf(token[i+1:i+3], "%02X", &v); err != nil {
			return "", fmt.Errorf("events: decode name %q: %w", token, err)
		}
		b.WriteByte(v)
		i += 2
	}
	return b.String(), nil
}

// AppendDecodedName appends DecodeName(token) to dst when each escape in
// token is "=" and two hex digits (all that EncodeName writes); ok is false
// otherwise, and the caller then asks DecodeName for the result or the
// error. It decodes from bytes into a buffer the caller reuses.
func AppendDecodedName(dst, token []byte) (out []byte, ok bool) {
	for len(token) > 0 {
		i := bytes.IndexByte(token, '=')
		if i < 0 {
			return append(dst, token...), true
		}
		dst = append(dst, token[:i]...)
		if i+2 >= len(token) || unhex(token[i+1]) < 0 || unhex(token[i+2]) < 0 {
			return dst, false
		}
		dst = append(dst, byte(unhex(token[i+1])<<4|unhex(token[i+2])))
		token = token[i+3:]
	}
	return dst, true
}

// unhex is the value of a hex digit (either case), or -1.
func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// StreamID builds a stream id "category-part1.part2…" from names, each
// encoded with EncodeName. Distinct name lists give distinct ids. Every part
// must be non-empty.
func StreamID(category string, parts ...string) (string, error) {
	var b strings.Builder
	b.WriteString(category)
	for i, p := range parts {
		if p == "" {
			return "", fmt.Errorf("%w: part %d of a %s stream id", ErrEmptyName, i, category)
		}
		if i == 0 {
			b.WriteByte('-')
		} else {
			b.WriteByte('.')
		}
		b.WriteString(EncodeName(p))
	}
	return b.String(), nil
}
