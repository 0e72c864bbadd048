package events

import (
	"fmt"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/google/uuid"
)

// TestDecoderEqualsDecodeAndOwnsItsStrings: a Decoder gives exactly what
// Log.Decode gives over a run of records whose strings repeat, collide in
// its slots and exceed its length limit; and what it returned stays intact
// when the records' bytes are overwritten afterwards (a store may reuse
// its read buffer), since cached strings are copies, never views of a
// record.
func TestDecoderEqualsDecodeAndOwnsItsStrings(t *testing.T) {
	reg := NewDefaultRegistry()
	log := NewLog(nil, reg)
	dec := log.NewDecoder()
	long := fmt.Sprintf("https://ci.example.com/%0120d", 7)
	var recs []Record
	for i := range 3 * stringCacheSlots {
		var p Payload
		switch i % 3 {
		case 0:
			p = VersionCreated{Pacticipant: fmt.Sprintf("app-%d", i%50), Number: fmt.Sprintf("%x", i), BuildURL: long}
		case 1:
			p = VersionAddedToBranch{Pacticipant: fmt.Sprintf("app-%d", i%50), Number: fmt.Sprintf("%x", i-1), Branch: "main"}
		default:
			p = VerificationPublished{Number: i, Consumer: "app-1", Provider: fmt.Sprintf("app-%d", i%50), SHA: fmt.Sprintf("%040x", i%997),
				ProviderVersion: fmt.Sprintf("%x", i/7), Success: i%5 != 0, VerifiedBy: &VerifiedBy{Implementation: "Pact-Rust", Version: "1.2.5"}}
		}
		data, err := reg.Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, Record{ID: uuid.New(), Type: p.EventType(), Stream: "s", StreamVersion: 1, Position: uint64(i + 1),
			OccurredAt: time.Unix(int64(i), 0), Data: data})
	}
	got := make([]Envelope, len(recs))
	for i, r := range recs {
		want, err := log.Decode(r)
		if err != nil {
			t.Fatal(err)
		}
		if got[i], err = dec.Decode(r); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Fatalf("record %d: decoder gives %#v, Decode %#v", i, got[i], want)
		}
	}
	wants := make([]Envelope, len(recs))
	for i, r := range recs {
		wants[i], _ = log.Decode(r)
		for j := range r.Data {
			r.Data[j] = 'X'
		}
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], wants[i]) {
			t.Fatalf("record %d changed with its bytes: %#v", i, got[i])
		}
	}
}

// TestStringCacheGrowsWithUse: a cache starts small, grows to its full size
// only after many misses, and keeps handing out equal strings throughout.
func TestStringCacheGrowsWithUse(t *testing.T) {
	c := newStringCache()
	if len(c.slots) != stringCacheFirst {
		t.Fatalf("a new cache has %d slots", len(c.slots))
	}
	for i := range 8 * stringCacheSlots {
		b := []byte(fmt.Sprintf("v-%d", i%(3*stringCacheSlots)))
		if s := c.str(b); s != string(b) {
			t.Fatalf("str(%q) = %q", b, s)
		}
	}
	if len(c.slots) != stringCacheSlots {
		t.Fatalf("after many misses the cache has %d slots, want %d", len(c.slots), stringCacheSlots)
	}
	a := c.str([]byte("main"))
	if b := c.str([]byte("main")); unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatal("a repeated string was allocated again")
	}
}
