package events

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"unsafe"
)

// Upcaster turns the stored bytes of an old event type into a newer type and
// its bytes. It runs on read, before decoding, so that consumers only ever see
// the newest shape.
type Upcaster func(data []byte) (newType string, newData []byte, err error)

// Registry maps stable type strings to payload types and encodes them as JSON.
// Register everything at start-up; after that it is safe for concurrent use.
type Registry struct {
	mu        sync.RWMutex
	types     map[string]reflect.Type
	fast      map[string]*fastDecoder // by type string; nil where there is none (codec.go)
	boxes     map[string]any          // by type string: a boxed zero value whose type word boxPayload reuses; nil if unsafe
	upcasters map[string]Upcaster
	entries   map[string]decodeEntry // by type string: types, fast and boxes in one lookup for decode
}

// decodeEntry is what decode needs of one registered type.
type decodeEntry struct {
	typ  reflect.Type
	fast *fastDecoder
	box  any
}

// NewRegistry returns a Registry holding the given payload prototypes.
func NewRegistry(prototypes ...Payload) *Registry {
	r := &Registry{types: map[string]reflect.Type{}, fast: map[string]*fastDecoder{}, boxes: map[string]any{}, upcasters: map[string]Upcaster{}, entries: map[string]decodeEntry{}}
	for _, p := range prototypes {
		r.Register(p)
	}
	return r
}

// Register adds a payload type under p.EventType(). p must be a struct value
// (not a pointer). Registering two Go types under one type string panics: the
// strings are hand-chosen and must be unique.
func (r *Registry) Register(p Payload) {
	t := reflect.TypeOf(p)
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("events: register %s: payloads must be struct values", t))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.types[p.EventType()]; ok && old != t {
		panic(fmt.Sprintf("events: type string %q used by %s and %s", p.EventType(), old, t))
	}
	r.types[p.EventType()] = t
	r.fast[p.EventType()] = newFastDecoder(t)
	r.boxes[p.EventType()] = nil
	if storedIndirectly(t) {
		r.boxes[p.EventType()] = reflect.Zero(t).Interface()
	}
	r.entries[p.EventType()] = decodeEntry{typ: t, fast: r.fast[p.EventType()], box: r.boxes[p.EventType()]}
}

// RegisterUpcaster makes records of oldType pass through up before decoding.
// Upcasters may chain: the type up returns may have an upcaster of its own.
func (r *Registry) RegisterUpcaster(oldType string, up Upcaster) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.upcasters[oldType] = up
}

// Types lists the registered type strings, sorted.
func (r *Registry) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.types))
	for k := range r.types {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Encode returns the JSON of p. The type must be registered.
func (r *Registry) Encode(p Payload) ([]byte, error) {
	r.mu.RLock()
	_, ok := r.types[p.EventType()]
	r.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("events: encode: type %q is not registered", p.EventType())
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("events: encode %s: %w", p.EventType(), err)
	}
	return b, nil
}

// Decode upcasts and decodes stored bytes. It returns the final type string
// and the payload as a struct value.
func (r *Registry) Decode(typ string, data []byte) (string, Payload, error) {
	return r.decode(typ, data, nil)
}

// decode is Decode taking plain string values from strs (nil: allocating
// each afresh).
func (r *Registry) decode(typ string, data []byte, strs *stringCache) (string, Payload, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for seen := 0; len(r.upcasters) > 0; seen++ {
		up, ok := r.upcasters[typ]
		if !ok {
			break
		}
		if seen > 32 {
			return "", nil, fmt.Errorf("events: decode %s: upcaster loop", typ)
		}
		newType, newData, err := up(data)
		if err != nil {
			return "", nil, fmt.Errorf("events: upcast %s: %w", typ, err)
		}
		typ, data = newType, newData
	}
	ent, ok := r.entries[typ]
	if !ok {
		return "", nil, fmt.Errorf("events: decode: type %q is not registered", typ)
	}
	t := ent.typ
	v := reflect.New(t)
	if fd := ent.fast; fd == nil || !fd.decode(data, v.UnsafePointer(), strs) {
		v = reflect.New(t) // the fast path may have filled part of v
		if err := json.Unmarshal(data, v.Interface()); err != nil {
			return "", nil, fmt.Errorf("events: decode %s: %w", typ, err)
		}
	}
	var boxed any
	if box := ent.box; box != nil {
		boxed = boxPayload(box, v.UnsafePointer())
	} else {
		boxed = v.Elem().Interface()
	}
	p, ok := boxed.(Payload)
	if !ok {
		return "", nil, fmt.Errorf("events: decode %s: %s is not a Payload", typ, t)
	}
	return typ, p, nil
}

// boxPayload returns the value at p, of box's dynamic type, as an interface
// that points at p itself: what v.Elem().Interface() gives without its
// allocation and copy. An interface holds a value that is not pointer-shaped
// as a type word and a pointer to a copy nobody else writes to; p is such a
// copy, since Decode allocated it, filled it and drops its own pointer.
func boxPayload(box any, p unsafe.Pointer) any {
	e := *(*eface)(unsafe.Pointer(&box))
	e.data = p
	return *(*any)(unsafe.Pointer(&e))
}

// eface is the layout of an empty interface.
type eface struct{ typ, data unsafe.Pointer }

// storedIndirectly reports whether an interface holds a value of type t
// behind a pointer (most types) rather than in its data word itself
// (pointer-shaped types, by whatever rule the compiler applies): only then
// does boxPayload apply. It asks the runtime instead of restating that
// rule: a zero value held directly is a nil data word, one held indirectly
// points at a zero value.
func storedIndirectly(t reflect.Type) bool {
	z := reflect.Zero(t).Interface()
	return (*eface)(unsafe.Pointer(&z)).data != nil
}
