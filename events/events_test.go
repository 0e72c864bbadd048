package events

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEncodeNameRoundTripAndSafety(t *testing.T) {
	names := []string{"Foo Service", "a.b", "a=2Eb", "a/b", "*", ">", "=", "ünïcødé 名前", "tab\tnew\nline", "-_", "$SYS"}
	seen := map[string]string{}
	for _, n := range names {
		tok := EncodeName(n)
		if other, dup := seen[tok]; dup {
			t.Fatalf("%q and %q share token %q", n, other, tok)
		}
		seen[tok] = n
		if strings.ContainsFunc(tok, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '=')
		}) {
			t.Fatalf("token %q of %q has unsafe characters", tok, n)
		}
		back, err := DecodeName(tok)
		if err != nil || back != n {
			t.Fatalf("DecodeName(%q) = %q, %v; want %q", tok, back, err, n)
		}
	}
	if _, err := DecodeName("abc=4"); err == nil {
		t.Fatal("a truncated escape must fail")
	}
}

func TestStreamIDIsInjective(t *testing.T) {
	a, _ := StreamID("deployment", "a.b", "c")
	b, _ := StreamID("deployment", "a", "b.c")
	c, _ := StreamID("deployment", "a-b", "c")
	d, _ := StreamID("deployment", "a", "b-c")
	if a == b || c == d {
		t.Fatalf("collision: %q %q %q %q", a, b, c, d)
	}
	if _, err := StreamID("version", "Foo", ""); err == nil {
		t.Fatal("an empty part must be rejected")
	}
}

// FuzzEncodeName checks that any string survives encoding and that tokens are
// always subject- and key-safe.
func FuzzEncodeName(f *testing.F) {
	for _, s := range []string{"", "Foo Service", "a.b", "=", "ünï", "\x00\xff", "*>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		tok := EncodeName(name)
		for i := 0; i < len(tok); i++ {
			c := tok[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '=') {
				t.Fatalf("unsafe byte %q in %q", c, tok)
			}
		}
		back, err := DecodeName(tok)
		if err != nil || back != name {
			t.Fatalf("round trip of %q: %q, %v", name, back, err)
		}
		if b, ok := AppendDecodedName([]byte("x"), []byte(tok)); !ok || string(b) != "x"+name {
			t.Fatalf("AppendDecodedName of %q: %q, %v", tok, b, ok)
		}
		// Any token: where AppendDecodedName answers, it answers as DecodeName.
		if b, ok := AppendDecodedName(nil, []byte(name)); ok {
			if want, err := DecodeName(name); err != nil || string(b) != want {
				t.Fatalf("AppendDecodedName(%q) = %q, DecodeName: %q, %v", name, b, want, err)
			}
		}
		if utf8.ValidString(name) != utf8.ValidString(back) {
			t.Fatal("validity changed")
		}
	})
}

type oldShape struct {
	Who string `json:"who"`
}

func (oldShape) EventType() string { return "Greeted" }

type newShape struct {
	Name string `json:"name"`
}

func (newShape) EventType() string { return "Greeted.v2" }

func TestRegistryUpcastsOnRead(t *testing.T) {
	reg := NewRegistry(newShape{})
	reg.RegisterUpcaster("Greeted", func(data []byte) (string, []byte, error) {
		var o oldShape
		if err := json.Unmarshal(data, &o); err != nil {
			return "", nil, err
		}
		b, err := json.Marshal(newShape{Name: o.Who})
		return "Greeted.v2", b, err
	})
	typ, p, err := reg.Decode("Greeted", []byte(`{"who":"ann"}`))
	if err != nil || typ != "Greeted.v2" || p.(newShape).Name != "ann" {
		t.Fatalf("got %q %#v %v", typ, p, err)
	}
	if _, err := reg.Encode(oldShape{}); err == nil {
		t.Fatal("encoding an unregistered type must fail")
	}
	if _, _, err := reg.Decode("Unknown", []byte(`{}`)); err == nil {
		t.Fatal("decoding an unknown type must fail")
	}
}

func TestDefaultRegistryRoundTripsEveryType(t *testing.T) {
	reg := NewDefaultRegistry()
	for _, typ := range reg.Types() {
		_, p, err := reg.Decode(typ, []byte(`{}`))
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if p.EventType() != typ {
			t.Fatalf("type %s decodes to a payload of type %s", typ, p.EventType())
		}
	}
	if len(reg.Types()) < 20 {
		t.Fatalf("only %d types registered", len(reg.Types()))
	}
}

func TestExpectedVersion(t *testing.T) {
	if !Any.Allows(7) || !NoStream.Allows(0) || NoStream.Allows(1) || !Exact(3).Allows(3) || Exact(3).Allows(2) {
		t.Fatal("Allows is wrong")
	}
	if Exact(0) != NoStream {
		t.Fatal("Exact(0) must equal NoStream")
	}
	ctx := WithMetadata(context.Background(), Metadata{Actor: "ci"})
	if MetadataFrom(ctx).Actor != "ci" || MetadataFrom(context.Background()).Actor != "" {
		t.Fatal("metadata context round trip")
	}
}
