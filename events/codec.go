package events

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unsafe"
)

// fastDecoder decodes the JSON of one payload struct type without
// encoding/json's reflection walk and its separate validation pass, for the
// shape Registry.Encode writes: one flat object whose keys are the fields'
// exact names and whose values are mostly plain strings, integers and
// booleans. It is an optimisation only, and must give exactly what
// json.Unmarshal gives:
//
//   - string, bool and integer fields (without their own unmarshalling
//     methods) are set directly when the value is a plain literal: a string
//     of printable ASCII without escapes, true/false, an integer in JSON's
//     grammar that fits the field;
//   - a json.RawMessage field gets a copy of its value once json.Valid
//     accepts it, as RawMessage.UnmarshalJSON would;
//   - every other value (objects, arrays, null, escaped or non-ASCII
//     strings, pointers, times) is decoded by json.Unmarshal into that
//     field alone, which is what encoding/json does for it inside the
//     object;
//   - anything else (a key that is not exactly a field name, malformed JSON,
//     a value json.Unmarshal rejects) makes decode report false, and the
//     caller decodes the whole payload with json.Unmarshal instead, so case
//     folding, unknown keys and error messages stay encoding/json's.
//
// Types it cannot mirror safely (fields named by conflicting or unusual
// tags, ",string" options, embedded pointers, types with their own
// unmarshalling methods) get no fastDecoder at all.
type fastDecoder struct {
	fields map[string]fastField
	// order lists the fields as add met them, which is the order
	// encoding/json writes them in: decode tries the field after the one
	// it just set before it hashes the key for a lookup in fields.
	order []namedField
}

type namedField struct {
	name string
	fastField
}

type fastKind uint8

const (
	fastOther fastKind = iota // json.Unmarshal into the field
	fastString
	fastBool
	fastInt
	fastUint
	fastTextPtr   // *T where *T has UnmarshalJSON (a *time.Time), given a plain string
	fastStructPtr // *T where T has a fastDecoder, given an object
	fastRaw       // json.RawMessage, given any valid value
)

type fastField struct {
	off  uintptr
	kind fastKind
	bits int // of an integer field
	typ  reflect.Type
	elem *fastDecoder // of a fastStructPtr field
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
)

func hasUnmarshaler(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return t.Implements(jsonUnmarshalerType) || t.Implements(textUnmarshalerType) ||
		p.Implements(jsonUnmarshalerType) || p.Implements(textUnmarshalerType)
}

// newFastDecoder returns the decoder for struct type t, or nil when t is
// not one it can mirror exactly.
func newFastDecoder(t reflect.Type) *fastDecoder {
	if t.Kind() != reflect.Struct || hasUnmarshaler(t) {
		return nil
	}
	d := &fastDecoder{fields: map[string]fastField{}}
	if !d.add(t, 0) {
		return nil
	}
	return d
}

// add collects t's fields as encoding/json names them, at offset base; it
// reports false for anything outside the safe subset (including two fields
// of one name at any depth, which encoding/json resolves by depth rules).
func (d *fastDecoder) add(t reflect.Type, base uintptr) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		for _, o := range strings.Split(opts, ",") {
			if o != "" && o != "omitempty" && o != "omitzero" {
				return false
			}
		}
		if f.Anonymous {
			if hasTag || f.Type.Kind() != reflect.Struct || hasUnmarshaler(f.Type) {
				return false
			}
			if !d.add(f.Type, base+f.Offset) {
				return false
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if !plainName(name) {
			return false
		}
		if _, dup := d.fields[name]; dup {
			return false
		}
		ff := fastField{off: base + f.Offset, typ: f.Type}
		if !hasUnmarshaler(f.Type) {
			switch f.Type.Kind() {
			case reflect.String:
				ff.kind = fastString
			case reflect.Bool:
				ff.kind = fastBool
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				ff.kind, ff.bits = fastInt, f.Type.Bits()
			case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				ff.kind, ff.bits = fastUint, f.Type.Bits()
			case reflect.Pointer:
				if e := f.Type.Elem(); e.Kind() == reflect.Struct && !hasUnmarshaler(e) {
					if ff.elem = newFastDecoder(e); ff.elem != nil {
						ff.kind = fastStructPtr
					}
				}
			}
		} else if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct && f.Type.Implements(jsonUnmarshalerType) {
			ff.kind = fastTextPtr
		} else if f.Type == rawMessageType {
			ff.kind = fastRaw
		}
		d.fields[name] = ff
		d.order = append(d.order, namedField{name, ff})
	}
	return true
}

// plainName: letters, digits, '_' and '-' only; any such key is read by the
// fast path as it is written.
func plainName(s string) bool {
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}

// decode fills the struct at dst (a zero value of the decoder's type) from
// data, or reports false, leaving dst partly filled: the caller then
// decodes data into a fresh value with json.Unmarshal. Plain string values
// come from strs (nil: each allocated afresh).
func (d *fastDecoder) decode(data []byte, dst unsafe.Pointer, strs *stringCache) bool {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return skipSpace(data, i+1) == len(data)
	}
	for at := 0; ; {
		key, next, ok := plainBytes(data, i)
		if !ok {
			return false
		}
		var f fastField
		if f, at, ok = d.field(key, at); !ok {
			return false
		}
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return false
		}
		i = skipSpace(data, i+1)
		if i, ok = f.set(data, i, unsafe.Add(dst, f.off), strs); !ok {
			return false
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return skipSpace(data, i+1) == len(data)
		default:
			return false
		}
	}
}

// field returns the field named key, trying the fields from order[at] on
// first (where the encoder's order puts the next key), and the index in
// order to try from for the following key.
func (d *fastDecoder) field(key []byte, at int) (fastField, int, bool) {
	for j := at; j < len(d.order); j++ {
		if d.order[j].name == string(key) {
			return d.order[j].fastField, j + 1, true
		}
	}
	f, ok := d.fields[string(key)] // no copy of key: a lookup only
	return f, at, ok
}

// set decodes the value at data[i:] into the field at p and returns the
// index after the value.
func (f fastField) set(data []byte, i int, p unsafe.Pointer, strs *stringCache) (int, bool) {
	switch f.kind {
	case fastString:
		if b, next, ok := plainBytes(data, i); ok {
			*(*string)(p) = strs.str(b)
			return next, true
		}
	case fastBool:
		if hasLiteral(data, i, "true") {
			*(*bool)(p) = true
			return i + 4, true
		}
		if hasLiteral(data, i, "false") {
			*(*bool)(p) = false
			return i + 5, true
		}
	case fastTextPtr:
		// encoding/json allocates the pointee when the pointer is nil and
		// hands UnmarshalJSON the literal; a plain string is valid JSON.
		if _, next, ok := plainBytes(data, i); ok {
			v := reflect.NewAt(f.typ, p).Elem()
			if v.IsNil() {
				v.Set(reflect.New(f.typ.Elem()))
			}
			if err := v.Interface().(json.Unmarshaler).UnmarshalJSON(data[i:next]); err != nil {
				return 0, false
			}
			return next, true
		}
	case fastStructPtr:
		if i < len(data) && data[i] == '{' && *(*unsafe.Pointer)(p) == nil {
			end, ok := skipValue(data, i)
			elem := reflect.New(f.typ.Elem()).UnsafePointer()
			if ok && f.elem.decode(data[i:end], elem, strs) {
				*(*unsafe.Pointer)(p) = elem
				return end, true
			}
		}
	case fastRaw:
		// What json.Unmarshal of the value alone does: check that it is
		// valid JSON, then hand RawMessage.UnmarshalJSON the literal, which
		// copies it (null included) into the field.
		end, ok := skipValue(data, i)
		if !ok || !json.Valid(data[i:end]) {
			return 0, false
		}
		m := (*json.RawMessage)(p)
		*m = append((*m)[:0], data[i:end]...)
		return end, true
	case fastInt, fastUint:
		if end, ok := jsonInteger(data, i); ok {
			if f.setInt(data[i:end], p) {
				return end, true
			}
		}
	}
	end, ok := skipValue(data, i)
	if !ok {
		return 0, false
	}
	if err := json.Unmarshal(data[i:end], reflect.NewAt(f.typ, p).Interface()); err != nil {
		return 0, false
	}
	return end, true
}

func (f fastField) setInt(lit []byte, p unsafe.Pointer) bool {
	var v uint64 // the value's bits: two's complement for a signed field
	if f.kind == fastUint {
		u, err := strconv.ParseUint(string(lit), 10, f.bits)
		if err != nil {
			return false
		}
		v = u
	} else {
		i, err := strconv.ParseInt(string(lit), 10, f.bits)
		if err != nil {
			return false
		}
		v = uint64(i)
	}
	switch f.bits { // truncating keeps a signed value's bits at its width
	case 8:
		*(*uint8)(p) = uint8(v)
	case 16:
		*(*uint16)(p) = uint16(v)
	case 32:
		*(*uint32)(p) = uint32(v)
	default:
		*(*uint64)(p) = v
	}
	return true
}
