package cli

import "testing"

func TestAsOfParam(t *testing.T) {
	cases := []struct {
		in, want string
		bad      bool
	}{
		{"", "", false},
		{"42", "position=42", false},
		{"2026-11-27T14:00:00Z", "at=2026-11-27T14%3A00%3A00Z", false},
		{"2026-11-27T14:00:00.5+01:00", "at=2026-11-27T14%3A00%3A00.5%2B01%3A00", false},
		{"yesterday", "", true},
		{"-1", "", true},
	}
	for _, tc := range cases {
		got, err := asOfParam(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("asOfParam(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.bad)
		}
	}
	c := &client{asOf: "position=3"}
	if got := c.timeTravel("http://b/matrix?q=1"); got != "http://b/matrix?q=1&position=3" {
		t.Errorf("timeTravel with a query: %q", got)
	}
	if got := c.timeTravel("http://b/"); got != "http://b/?position=3" {
		t.Errorf("timeTravel without a query: %q", got)
	}
}
