package projections

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"unsafe"

	"github.com/google/uuid"
)

// TestRecIDsRoundTrip: canonical uuids are kept as bytes and every other
// id as a symbol, and each formats back to the string it was made from,
// ordered as the strings are.
func TestRecIDsRoundTrip(t *testing.T) {
	syms := newSymtab()
	u := uuid.NewString()
	ids := []string{u, "0b5f0b8e-4b43-4a5e-9b1a-6d0b7a1f2c3d", "0B5F0B8E-4B43-4A5E-9B1A-6D0B7A1F2C3D", "{" + u + "}",
		"0b5f0b8e4b434a5e9b1a6d0b7a1f2c3d", "0b5f0b8e-4b43-4a5e-9b1a-6d0b7a1f2c3g", "", "d1", "0b5f0b8e-4b43-4a5e-9b1a+6d0b7a1f2c3d"}
	made := map[recID]string{}
	for _, s := range ids {
		id, _ := recIDOf(&syms, s, true)
		if (id.sym == 0) != (s == u || s == "0b5f0b8e-4b43-4a5e-9b1a-6d0b7a1f2c3d") {
			t.Fatalf("%q kept as %+v", s, id)
		}
		if got := idString(&syms, id); got != s {
			t.Fatalf("%q formats back as %q", s, got)
		}
		if again, ok := recIDOf(&syms, s, false); !ok || again != id {
			t.Fatalf("%q found as %+v %v, want %+v", s, again, ok, id)
		}
		if other, dup := made[id]; dup {
			t.Fatalf("%q and %q share an id", s, other)
		}
		made[id] = s
	}
	for a, sa := range made {
		for b, sb := range made {
			if want := compareStrings(sa, sb); compareIDs(&syms, a, b) != want {
				t.Fatalf("%q vs %q compares as %d, want %d", sa, sb, compareIDs(&syms, a, b), want)
			}
		}
	}
	if _, ok := recIDOf(&syms, "never seen", false); ok {
		t.Fatal("an unknown id is found")
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestIDIndexAgreesWithAMap: random inserts and removals (ids that share
// their home slots included) find exactly what a map holds.
func TestIDIndexAgreesWithAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	var rows []recID
	key := func(i int32) recID { return rows[i] }
	var x idIndex
	want := map[recID]int32{}
	for step := range 20000 {
		if len(want) > 0 && rng.IntN(5) < 2 {
			for id, i := range want { // a random-ish one
				x.remove(i, id, key)
				delete(want, id)
				break
			}
		} else {
			id := recID{sym: uint32(rng.IntN(3000)) + 1}
			if rng.IntN(2) == 0 {
				id = recID{u: [16]byte{byte(rng.IntN(4)), 0, 0, byte(step)}}
			}
			if _, dup := want[id]; dup {
				continue
			}
			rows = append(rows, id)
			x.insert(int32(len(rows)-1), key)
			want[id] = int32(len(rows) - 1)
		}
		if step%500 == 0 || step > 19900 {
			for _, id := range rows {
				i, ok := x.find(id, key)
				if w, in := want[id]; ok != in || ok && i != w {
					t.Fatalf("step %d: %+v found %d %v, want %d %v", step, id, i, ok, w, in)
				}
			}
			if x.n != len(want) {
				t.Fatalf("step %d: %d entries, want %d", step, x.n, len(want))
			}
		}
	}
}

// TestDeploymentRowsHoldNoPointer: the rows, ids and index slots are plain
// data, which the garbage collector does not mark, and a deployment row
// stays at 56 bytes.
func TestDeploymentRowsHoldNoPointer(t *testing.T) {
	for _, v := range []any{depRow{}, relRow{}, recID{}, int32(0)} {
		if typ := reflect.TypeOf(v); hasPointers(typ) {
			t.Fatalf("%v holds a pointer", typ)
		}
	}
	if n := unsafe.Sizeof(depRow{}); n != 56 {
		t.Fatalf("a deployment row takes %d bytes, want 56", n)
	}
}

func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.String, reflect.Slice, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}
