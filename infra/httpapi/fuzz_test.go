package httpapi_test

import (
	"strings"
	"testing"
)

// FuzzReadBody throws arbitrary bodies and content types at the decoding of
// every kind of writing endpoint: nothing may answer 5xx.
func FuzzReadBody(f *testing.F) {
	for _, seed := range []string{`{"name":"uat","production":true}`, `{`, `[]`, `null`, `{"applicationInstance":1}`,
		`{"currentlyDeployed":false}`, `{"contacts":[{"name":"a","details":[]}]}`, "\x00\xff", `{"name":"a\u0000"}`} {
		f.Add(seed, "application/json")
		f.Add(seed, "application/merge-patch+json")
	}
	b := newBroker(f)
	prod := b.envUUID("production")
	b.version("Foo", "1")
	f.Fuzz(func(t *testing.T, body, ctype string) {
		if strings.ContainsFunc(ctype, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Skip("not a valid header value; the client refuses to send it")
		}
		b.t = t
		for _, target := range [][2]string{
			{"POST", "/environments"},
			{"PUT", "/environments/" + prod},
			{"POST", "/pacticipants"},
			{"PATCH", "/pacticipants/Foo"},
			{"PUT", "/pacticipants/Foo/versions/2"},
			{"POST", "/pacticipants/Foo/versions/1/deployed-versions/environment/" + prod},
			{"PATCH", "/deployed-versions/nope"},
		} {
			if r := b.do(target[0], target[1], ctype, body); r.status >= 500 {
				t.Fatalf("%s %s with %q (%s): %d %s", target[0], target[1], body, ctype, r.status, r.raw)
			}
		}
	})
}
