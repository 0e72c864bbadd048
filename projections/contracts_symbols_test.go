package projections

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSymtabNumbersEachStringOnce adds many strings (growing the hash
// table and filling several chunks, one string longer than a chunk) twice
// and checks that each gets one dense number and reads back intact.
func TestSymtabNumbersEachStringOnce(t *testing.T) {
	tab := newSymtab()
	if id, ok := tab.id(""); !ok || id != 0 || tab.str(0) != "" {
		t.Fatalf("the empty string is not 0: %d %v", id, ok)
	}
	long := strings.Repeat("x", symChunk+10)
	var strs []string
	for i := range 20000 {
		strs = append(strs, "version-"+strconv.Itoa(i)+strings.Repeat("-", i%7))
	}
	strs = append(strs, long, "after the long one")
	for pass := range 2 {
		for i, s := range strs {
			if id := tab.add(string([]byte(s))); id != uint32(i+1) {
				t.Fatalf("pass %d: %q numbered %d, want %d", pass, s, id, i+1)
			}
		}
	}
	if tab.len() != len(strs)+1 {
		t.Fatalf("%d numbered, want %d", tab.len(), len(strs)+1)
	}
	for i, s := range strs {
		if got := tab.str(uint32(i + 1)); got != s {
			t.Fatalf("%d reads %.20q, want %.20q", i+1, got, s)
		}
		if id, ok := tab.id(s); !ok || id != uint32(i+1) {
			t.Fatalf("id(%.20q) = %d %v", s, id, ok)
		}
	}
	if _, ok := tab.id("never added"); ok {
		t.Fatal("a string never added has a number")
	}
}

// TestStoredContentRoundTrips packs compressible, tiny and incompressible
// content and checks each reads back byte for byte, the first smaller than
// it came, and that a read returns the caller's own copy.
func TestStoredContentRoundTrips(t *testing.T) {
	var p packer
	rnd := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(rnd.Uint32())
	}
	pact := []byte(`{"consumer":{"name":"Foo"},"interactions":[` + strings.Repeat(`{"description":"a request","request":{"method":"GET","path":"/things"},"response":{"status":200}},`, 40) + `{}]}`)
	for _, content := range [][]byte{pact, []byte(`{"interactions":[]}`), noise, nil} {
		sc := p.pack(content)
		if len(content) == len(pact) && (sc.raw || len(sc.data) > len(content)/5) {
			t.Fatalf("a repetitive pact of %d bytes packs to %d (raw %v)", len(content), len(sc.data), sc.raw)
		}
		got := sc.content()
		if !bytes.Equal(got, content) {
			t.Fatalf("content of %d bytes reads back as %d bytes", len(content), len(got))
		}
		if len(got) > 0 {
			got[0] ^= 0xff
			if again := sc.content(); !bytes.Equal(again, content) {
				t.Fatal("a read shares the stored bytes")
			}
		}
	}
}

// TestStampsKeepTimes checks the zero time and nanoseconds survive, and
// that times come back in UTC, as a snapshot restores them.
func TestStampsKeepTimes(t *testing.T) {
	paris := time.FixedZone("Paris", 3600)
	for _, tm := range []time.Time{{}, time.Date(2026, 11, 27, 10, 0, 0, 123456789, time.UTC), time.Date(1999, 1, 2, 3, 4, 5, 6, paris)} {
		got := stampOf(tm).time()
		if !got.Equal(tm) || got.Location() != time.UTC || got.IsZero() != tm.IsZero() {
			t.Fatalf("%v comes back as %v", tm, got)
		}
	}
	if (time.Time{}) != zeroStamp.time() {
		t.Fatal("the zero stamp is not the zero time")
	}
}
