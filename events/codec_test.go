package events

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// decodeWithJSON is what Registry.Decode gave before it had a fast path:
// json.Unmarshal into a new value of the registered type.
func decodeWithJSON(t reflect.Type, data []byte) (Payload, error) {
	v := reflect.New(t)
	if err := json.Unmarshal(data, v.Interface()); err != nil {
		return nil, err
	}
	return v.Elem().Interface().(Payload), nil
}

// sameAsJSON fails unless reg decodes data of typ exactly as json.Unmarshal
// does: the same value, or an error in both.
func sameAsJSON(t *testing.T, reg *Registry, typ string, data []byte) {
	t.Helper()
	want, werr := decodeWithJSON(reg.types[typ], data)
	_, got, gerr := reg.Decode(typ, data)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("%s %s: error %v, encoding/json's %v", typ, data, gerr, werr)
	}
	if werr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%s %s:\n got %#v\nwant %#v", typ, data, got, want)
	}
	// The same through a string cache, cold and then warm.
	strs := newStringCache()
	for range 2 {
		_, got, gerr := reg.decode(typ, data, strs)
		if (werr != nil) != (gerr != nil) || werr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s %s with a string cache: got %#v, %v; want %#v, %v", typ, data, got, gerr, want, werr)
		}
	}
}

// fill sets every field of v, varying with seed: strings plain, escaped
// and non-ASCII, negative and positive numbers, nil and set pointers.
func fill(v reflect.Value, seed int) {
	strs := []string{"orders-000", `quo"te\back`, "ünïcødé", "tab\tnew\nline", "", "<html>&amp;", "x"}
	switch v.Kind() {
	case reflect.String:
		v.SetString(strs[seed%len(strs)])
	case reflect.Bool:
		v.SetBool(seed%2 == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed*37%120 - 60))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(seed * 37 % 250))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(seed) / 4)
	case reflect.Pointer:
		if seed%3 != 0 {
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), seed+1)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 27, 10, seed%60, 5, seed*1000, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed+i)
			}
		}
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			v.SetBytes([]byte(fmt.Sprintf(`{"a":[1,2,"x%d"],"b":null}`, seed)))
			return
		}
		if seed%4 != 0 {
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			fill(v.Index(0), seed+1)
			fill(v.Index(1), seed+2)
		}
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String && seed%4 != 0 {
			v.Set(reflect.MakeMap(v.Type()))
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, seed+1)
			v.SetMapIndex(reflect.ValueOf(strs[seed%len(strs)]).Convert(v.Type().Key()), e)
		}
	}
}

// TestFastDecodeMatchesJSON decodes every registered payload type, filled
// in many ways and encoded as Registry.Encode writes it, and compares with
// encoding/json: the fast path must never change what a stored event
// decodes to.
func TestFastDecodeMatchesJSON(t *testing.T) {
	reg := NewDefaultRegistry()
	fast := 0
	for _, typ := range reg.Types() {
		if reg.fast[typ] != nil {
			fast++
		}
		for seed := range 40 {
			v := reflect.New(reg.types[typ]).Elem()
			fill(v, seed)
			data, err := reg.Encode(v.Interface().(Payload))
			if err != nil {
				t.Fatal(err)
			}
			sameAsJSON(t, reg, typ, data)
		}
	}
	if fast < len(reg.Types())/2 {
		t.Fatalf("only %d of %d payload types have a fast decoder", fast, len(reg.Types()))
	}
}

// trickyPayloads are JSON documents the fast path must hand to
// encoding/json or decode as it does: case-folded and unknown keys,
// escapes, nulls, duplicates, odd numbers, whitespace, malformed input.
var trickyPayloads = []string{
	`{}`, ` { } `, `{"pacticipant":"a","number":"1"}`, `{"Pacticipant":"a"}`, `{"PACTICIPANT":"a","pacticipant":"b"}`,
	`{"pacticipant":"a","pacticipant":"b"}`, `{"unknown":1,"number":"2"}`, `{"pacticipant":"\u00e9\n"}`,
	`{"pacticipant":null}`, `{"pacticipant":1}`, `{"number":"1",}`, `{"number":"1"`, `{"number":"1"} x`,
	`{"number" : "1" , "branch":"main"}`, "{\n\t\"number\":\"1\"\r\n}", `{"autoCreated":true}`, `{"autoCreated":"true"}`,
	`{"autoCreated":tru}`, `{"autoCreated":null}`, `{"revision":7}`, `{"revision":-7}`, `{"revision":07}`,
	`{"revision":1e3}`, `{"revision":1.0}`, `{"revision":99999999999999999999}`, `{"revision":-0}`, `{"revision":"7"}`,
	`{"number":17,"success":true,"verifiedBy":{"implementation":"Pact-Rust","version":"1.2.5"}}`,
	`{"verifiedBy":{"implementation":"Pact-Rust","Version":"1"}}`, `{"verifiedBy":null}`, `{"verifiedBy":{}}`,
	`{"verifiedBy":{"implementation":"a"},"verifiedBy":{"version":"b"}}`, `{"verifiedBy":{"implementation":1}}`,
	`{"verificationDate":"2026-11-27T10:00:00.123456789Z"}`, `{"verificationDate":"2026-11-27T10:00:00+02:00"}`,
	`{"verificationDate":"yesterday"}`, `{"verificationDate":null}`, `{"verificationDate":12}`,
	`{"testResults":{"a":[1,{"b":"}"}]},"sha":"x"}`, `{"testResults":[1,2}`, `{"testResults":"\"]}"}`,
	`{"deploymentId":"d","pacticipant":"p","version":"v","environmentUuid":"e","applicationInstance":"i"}`,
	`{"deploymentId":"d","applicationInstance":null,"replacedBy":"r","autoCreated":true}`,
	`{"content":{"interactions":[]},"interactionsCount":3}`, `{"content":"x","chunk":"AAEC"}`, `{"chunk":"!!"}`,
	`[]`, `null`, ``, `"x"`, `{"sha":"a"}{}`, `{"sha":"a\"}`, `{"sha":"` + strings.Repeat("z", 300) + `"}`,
}

func TestFastDecodeMatchesJSONOnOddInput(t *testing.T) {
	reg := NewDefaultRegistry()
	for _, typ := range reg.Types() {
		for _, doc := range trickyPayloads {
			sameAsJSON(t, reg, typ, []byte(doc))
		}
	}
}

// FuzzFastDecode compares the fast path with encoding/json on arbitrary
// documents for a few of the commonest payload types.
func FuzzFastDecode(f *testing.F) {
	for _, doc := range trickyPayloads {
		f.Add(doc)
	}
	reg := NewDefaultRegistry()
	typs := []string{"VerificationPublished", "PactPublished", "VersionAddedToBranch", "AutoUndeployed", "PactContentStored"}
	for _, typ := range typs {
		if reg.types[typ] == nil {
			f.Fatalf("%s is not registered", typ)
		}
	}
	f.Fuzz(func(t *testing.T, doc string) {
		for _, typ := range typs {
			sameAsJSON(t, reg, typ, []byte(doc))
		}
	})
}

// TestFastDecodeTakesTheCommonShapes makes sure the commonest events of a
// broker's log do take the fast path (the tests above would pass if every
// document fell back to encoding/json).
func TestFastDecodeTakesTheCommonShapes(t *testing.T) {
	reg := NewDefaultRegistry()
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	ref := DeploymentRef{DeploymentID: "6f28d182", Pacticipant: "orders-000", Version: "1a2b3c4", EnvironmentUUID: "e2109ef4"}
	for _, p := range []Payload{
		VersionCreated{Pacticipant: "orders-000", Number: "1a2b3c4", BuildURL: "https://ci.example.com/1"},
		VersionAddedToBranch{Pacticipant: "orders-000", Number: "1a2b3c4", Branch: "main", AutoCreated: true},
		PactPublished{Consumer: "orders-000", Provider: "billing-001", ConsumerVersion: "1a2b3c4", SHA: "4f1c", Revision: 1},
		VerificationPublished{Number: 17, Consumer: "orders-000", Provider: "billing-001", SHA: "4f1c", ProviderVersion: "9f8e7d6",
			Success: true, VerifiedBy: &VerifiedBy{Implementation: "Pact-Rust", Version: "1.2.5"}, VerificationDate: &at},
		DeploymentRecorded{DeploymentRef: ref},
		AutoUndeployed{DeploymentRef: ref, ReplacedBy: "0c2d9a51"},
	} {
		data, err := reg.Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		fd := reg.fast[p.EventType()]
		if fd == nil {
			t.Fatalf("%s has no fast decoder", p.EventType())
		}
		v := reflect.New(reg.types[p.EventType()])
		if !fd.decode(data, v.UnsafePointer(), nil) {
			t.Fatalf("%s %s fell back to encoding/json", p.EventType(), data)
		}
		if got := v.Elem().Interface(); !reflect.DeepEqual(got, p) {
			t.Fatalf("%s: got %#v, want %#v", p.EventType(), got, p)
		}
	}
}

type onePointer struct {
	P *string `json:"p"`
}

func (onePointer) EventType() string { return "OnePointer" }

type oneMap struct{ M map[string]int }

// markedPointer is pointer-shaped too: a zero-size field does not count.
type markedPointer struct {
	_ struct{}
	P *string `json:"p"`
}

func (markedPointer) EventType() string { return "MarkedPointer" }

func (oneMap) EventType() string { return "OneMap" }

type empty struct{}

func (empty) EventType() string { return "Empty" }

// TestDecodeBoxesEveryShape: payloads an interface holds behind a pointer
// (most) and in its data word (one pointer-shaped field) both decode to
// what json.Unmarshal gives, and two decodes never share a value.
func TestDecodeBoxesEveryShape(t *testing.T) {
	reg := NewRegistry(onePointer{}, oneMap{}, markedPointer{}, empty{}, VersionCreated{})
	for typ, doc := range map[string]string{
		"OnePointer": `{"p":"x"}`, "MarkedPointer": `{"p":"y"}`, "OneMap": `{"M":{"a":1}}`, "Empty": `{}`, "VersionCreated": `{"pacticipant":"a","number":"1"}`,
	} {
		sameAsJSON(t, reg, typ, []byte(doc))
	}
	if storedIndirectly(reflect.TypeFor[onePointer]()) || storedIndirectly(reflect.TypeFor[oneMap]()) ||
		storedIndirectly(reflect.TypeFor[markedPointer]()) ||
		!storedIndirectly(reflect.TypeFor[empty]()) || !storedIndirectly(reflect.TypeFor[VersionCreated]()) {
		t.Fatal("storedIndirectly misjudges a type")
	}
	_, a, _ := reg.Decode("VersionCreated", []byte(`{"pacticipant":"a","number":"1"}`))
	_, b, _ := reg.Decode("VersionCreated", []byte(`{"pacticipant":"b","number":"2"}`))
	if a.(VersionCreated).Pacticipant != "a" || b.(VersionCreated).Pacticipant != "b" {
		t.Fatalf("decodes share a value: %+v %+v", a, b)
	}
}

// TestSetIntStoresEveryWidth: setInt writes what strconv parses, at each
// width, signed (negative too) and unsigned.
func TestSetIntStoresEveryWidth(t *testing.T) {
	var i8 int8
	var i16 int16
	var i32 int32
	var i64 int64
	var u8 uint8
	var u16 uint16
	var u32 uint32
	var u64 uint64
	for _, c := range []struct {
		kind fastKind
		bits int
		lit  string
		p    unsafe.Pointer
	}{
		{fastInt, 8, "-128", unsafe.Pointer(&i8)}, {fastInt, 16, "-300", unsafe.Pointer(&i16)},
		{fastInt, 32, "-70000", unsafe.Pointer(&i32)}, {fastInt, 64, "-9000000000", unsafe.Pointer(&i64)},
		{fastUint, 8, "255", unsafe.Pointer(&u8)}, {fastUint, 16, "65535", unsafe.Pointer(&u16)},
		{fastUint, 32, "4000000000", unsafe.Pointer(&u32)}, {fastUint, 64, "18000000000000000000", unsafe.Pointer(&u64)},
	} {
		if !(fastField{kind: c.kind, bits: c.bits}).setInt([]byte(c.lit), c.p) {
			t.Fatalf("setInt(%s) refused", c.lit)
		}
	}
	if i8 != -128 || i16 != -300 || i32 != -70000 || i64 != -9000000000 ||
		u8 != 255 || u16 != 65535 || u32 != 4000000000 || u64 != 18000000000000000000 {
		t.Fatalf("stored %d %d %d %d %d %d %d %d", i8, i16, i32, i64, u8, u16, u32, u64)
	}
	if (fastField{kind: fastInt, bits: 8}).setInt([]byte("128"), unsafe.Pointer(&i8)) {
		t.Fatal("an int8 took 128")
	}
}
