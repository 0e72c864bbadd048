package httpapi_test

import "testing"

// TestMatrixAsOfSeesEscapedParameters checks that the matrix handlers'
// shortcut past asOf (no "at", "position" or escape in the query) never
// hides a time-travel parameter: an invalid at= or position=, spelled
// plainly or percent-escaped, is refused as asOf refuses it (the same
// body, not the query's own validation error for the unknown Foo).
func TestMatrixAsOfSeesEscapedParameters(t *testing.T) {
	b := newBroker(t)
	for _, path := range []string{"/can-i-deploy?pacticipant=Foo&version=1&environment=production&", "/matrix?q[][pacticipant]=Foo&"} {
		plain := b.get(path + "at=yesterday")
		if plain.status != 400 {
			t.Fatalf("%sat=yesterday: status %d, want 400 (%s)", path, plain.status, plain.raw)
		}
		for _, q := range []string{"%61t=yesterday", "%61%74=yesterday"} {
			if r := b.get(path + q); r.status != plain.status || r.raw != plain.raw {
				t.Errorf("%s%s: %d %s, want the plain spelling's %d %s", path, q, r.status, r.raw, plain.status, plain.raw)
			}
		}
	}
}
