package httpapi

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/queries"
)

// inspect renders a parsed query as Ruby's Hash#inspect would (rack 3.2),
// so expectations read like the broker's parse_nested_query output.
func inspect(v *rackValue) string {
	switch v.kind {
	case rackNil:
		return "nil"
	case rackString:
		return fmt.Sprintf("%q", v.str)
	case rackArray:
		parts := make([]string, len(v.list))
		for i, e := range v.list {
			parts[i] = inspect(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	parts := make([]string, len(v.keys))
	for i, k := range v.keys {
		parts[i] = fmt.Sprintf("%q=>%s", k, inspect(v.vals[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func TestRackParseNestedQuery(t *testing.T) {
	cases := []struct{ query, want string }{
		{"", `{}`},
		{"a", `{"a"=>nil}`},
		{"a=", `{"a"=>""}`},
		{"a=1&a=2", `{"a"=>"2"}`},
		{"=x&&a=1& b=2", `{"a"=>"1", "b"=>"2"}`},
		{"a+b=c+d%20e%2Ff", `{"a b"=>"c d e/f"}`},
		{"a[]=1&a[]=2", `{"a"=>["1", "2"]}`},
		{"a[b][c]=1&a[b][d]=2", `{"a"=>{"b"=>{"c"=>"1", "d"=>"2"}}}`},
		{"a[=1", `{"a["=>"1"}`},
		{"[a]=1", `{"[a]"=>"1"}`},
		{"a[]]=1", `{"a"=>[{"]"=>"1"}]}`},
		{"a[][]=1&a[][]=2", `{"a"=>[["1"], ["2"]]}`},
		{"a[]=x&a[][k]=1", `{"a"=>["x", {"k"=>"1"}]}`},
		{"a[][k]=1&a[][]=2", `{"a"=>[{"k"=>"1"}]}`}, // Rack drops the value
		{"a&a[b]=1", `{"a"=>{"b"=>"1"}}`},           // a nil value gives way (||=)
		// Selectors: keys interleaved per selector, as clients send them.
		{"q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][version]=2",
			`{"q"=>[{"pacticipant"=>"Foo", "version"=>"1"}, {"pacticipant"=>"Bar", "version"=>"2"}]}`},
		// The caveat: a new element starts only when the last one has the key.
		{"q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1&q[][version]=2",
			`{"q"=>[{"pacticipant"=>"Foo"}, {"pacticipant"=>"Bar", "version"=>"1"}, {"version"=>"2"}]}`},
		// The flat form parses the same.
		{"q[]pacticipant=Foo&q[]version=1&q[]pacticipant=Bar&q[]version=10",
			`{"q"=>[{"pacticipant"=>"Foo", "version"=>"1"}, {"pacticipant"=>"Bar", "version"=>"10"}]}`},
		{"q[][pacticipant]=Foo&q[]version=1", `{"q"=>[{"pacticipant"=>"Foo", "version"=>"1"}]}`},
		{"ignore[]=Foo&ignore[][pacticipant]=Bar&ignore[][version]=2",
			`{"ignore"=>["Foo", {"pacticipant"=>"Bar", "version"=>"2"}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			got, err := parseNestedQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if inspect(got) != tc.want {
				t.Fatalf("got  %s\nwant %s", inspect(got), tc.want)
			}
		})
	}
}

func TestRackRefusesWhatRackRefuses(t *testing.T) {
	deep := "a" + strings.Repeat("[x]", rackDepthLimit) + "=1"
	for query, msg := range map[string]string{
		"a=1&a[]=2":    "expected Array (got String) for param `a'",
		"a[]=1&a[b]=2": "expected Hash (got Array) for param `a'",
		"a=%zz":        "invalid %-encoding",
		"a%2=1":        "invalid %-encoding",
		deep:           "nesting exceeds limit",
		strings.Repeat("a=1&", rackParamsLimit+1): "total number of query parameters",
	} {
		_, err := ParseMatrixQuery(query)
		if !errors.Is(err, domain.ErrInvalid) || !strings.Contains(err.Error(), msg) {
			t.Errorf("%.40q: got %v, want %q", query, err, msg)
		}
	}
	if _, err := parseNestedQuery("a" + strings.Repeat("[x]", rackDepthLimit-1) + "=1"); err != nil {
		t.Errorf("depth %d refused: %v", rackDepthLimit-1, err)
	}
}

func TestRackMatrixQuery(t *testing.T) {
	limit := func(n int) *int { return &n }
	yes, no := true, false
	foo1 := queries.Selector{Pacticipant: "Foo", Version: "1.0.0"}
	cases := []struct {
		query string
		want  queries.MatrixQuery
	}{
		{"q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=production", queries.MatrixQuery{
			Selectors: []queries.Selector{foo1}, LatestBy: "cvpv", Environment: "production", Limit: limit(100)}},
		{"q[][pacticipant]=Foo&q[][version]=1.0.0&ignore[][pacticipant]=Bar&ignore[][version]=2.0.0&ignore[][pacticipant]=Baz&latestby=cvpv&environment=production",
			queries.MatrixQuery{Selectors: []queries.Selector{foo1}, LatestBy: "cvpv", Environment: "production", Limit: limit(100),
				Ignore: []queries.Selector{{Pacticipant: "Bar", Version: "2.0.0"}, {Pacticipant: "Baz"}}}},
		{"q[][pacticipant]=Foo&q[][latest]=true&q[][tag]=prod&latestby=cvp&latest=true", queries.MatrixQuery{
			Selectors: []queries.Selector{{Pacticipant: "Foo", Latest: true, Tag: "prod"}}, LatestBy: "cvp", Latest: true, Limit: limit(100)}},
		{"q[][pacticipant]=Foo%20App&q[][branch]=feat%2Fx&latestby=cvp&latest=true", queries.MatrixQuery{
			Selectors: []queries.Selector{{Pacticipant: "Foo App", Branch: "feat/x"}}, LatestBy: "cvp", Latest: true, Limit: limit(100)}},
		{"q[][pacticipant]=Foo&q[][mainBranch]=true&latestby=cvpv&environment=production", queries.MatrixQuery{
			Selectors: []queries.Selector{{Pacticipant: "Foo", MainBranch: true}}, LatestBy: "cvpv", Environment: "production", Limit: limit(100)}},
		{"q[][pacticipant]=Foo&q[][version]=1.0.0&tag=prod&latestby=cvp&latest=true", queries.MatrixQuery{
			Selectors: []queries.Selector{foo1}, Tag: "prod", LatestBy: "cvp", Latest: true, Limit: limit(100)}},
		{"q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvp&latest=true&mainBranch=true", queries.MatrixQuery{
			Selectors: []queries.Selector{foo1}, LatestBy: "cvp", Latest: true, MainBranch: &yes, Limit: limit(100)}},
		{"q[][pacticipant]=Foo&q[][version]=1.0.0&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=main&latestby=cvpv", queries.MatrixQuery{
			Selectors: []queries.Selector{foo1, {Pacticipant: "Bar", Latest: true, Tag: "main"}}, LatestBy: "cvpv", Limit: limit(100)}},
		// Empty values are dropped; latest and mainBranch count only when "true".
		{"q[][pacticipant]=Foo&q[][version]=&q[][latest]=yes&q[][mainBranch]=1&latest=false&mainBranch=false&tag=&latestby=&limit=", queries.MatrixQuery{
			Selectors: []queries.Selector{{Pacticipant: "Foo"}}, MainBranch: &no, Limit: limit(100)}},
		{"mainBranch&latest&latestby&limit", queries.MatrixQuery{MainBranch: &no}},
		{"limit=5x", queries.MatrixQuery{Limit: limit(5)}},
		{"limit=abc", queries.MatrixQuery{Limit: limit(0)}},
		{"limit= -2", queries.MatrixQuery{Limit: limit(-2)}},
		{"limit[]=1", queries.MatrixQuery{Limit: limit(0)}},
		{"success[]=true&success[]=false&success[]=&success[]", queries.MatrixQuery{Limit: limit(100),
			Success: []queries.Outcome{queries.Succeeded, queries.Failed, queries.Unverified, queries.Failed}}},
		{"success=true", queries.MatrixQuery{Limit: limit(100), Success: []queries.Outcome{queries.Succeeded}}},
		{"success=", queries.MatrixQuery{Limit: limit(100), Success: []queries.Outcome{queries.Unverified}}},
		{"success", queries.MatrixQuery{Limit: limit(100)}},
		{"latestby[]=cvp", queries.MatrixQuery{Limit: limit(100), LatestBy: "?"}},
		// A top-level branch is ignored, as by the broker's ParseQuery.
		{"q[][pacticipant]=Foo&branch=main", queries.MatrixQuery{Selectors: []queries.Selector{{Pacticipant: "Foo"}}, Limit: limit(100)}},
		// String elements act through Ruby's String#[] substring lookup.
		{"q[]=Foo&ignore[]=my-pacticipant", queries.MatrixQuery{Limit: limit(100),
			Selectors: []queries.Selector{{}}, Ignore: []queries.Selector{{Pacticipant: "pacticipant"}}}},
		{"q[pacticipant]=Foo", queries.MatrixQuery{Limit: limit(100)}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			got, err := ParseMatrixQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestRackCanIDeployQuery(t *testing.T) {
	str := queries.Str
	cases := []struct {
		query string
		want  queries.CanIDeployQuery
	}{
		{"pacticipant=Foo&version=1.2.3&to=prod", queries.CanIDeployQuery{Pacticipant: str("Foo"), Version: str("1.2.3"), To: str("prod")}},
		{"pacticipant=Foo&version=1&environment=production&ignore[]=Baz&ignore[][pacticipant]=Bar&ignore[][version]=2&ignore[][version]=3",
			queries.CanIDeployQuery{Pacticipant: str("Foo"), Version: str("1"), Environment: str("production"),
				Ignore: []queries.Selector{{Pacticipant: "Baz"}, {Pacticipant: "Bar", Version: "2"}}}},
		{"pacticipant&version=&to[]=x", queries.CanIDeployQuery{Pacticipant: queries.Param{Present: true},
			Version: str(""), To: queries.Param{Present: true, NotString: true}}},
		{"ignore=Baz", queries.CanIDeployQuery{}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			got, err := ParseCanIDeployQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestRackRubyToI(t *testing.T) {
	for in, want := range map[string]int{"": 0, "100": 100, " 7x": 7, "-3": -3, "+4": 4, "1_000": 1000, "1__0": 1, "x1": 0,
		"99999999999999999999": 1 << 31} {
		if got := rubyToI(in); got != want {
			t.Errorf("rubyToI(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestFlatCanIDeployQueryMatchesRack holds ParseCanIDeployQuery's flat fast
// path equal to Rack's parser on generated queries: repeated keys, keys
// without "=", empty pairs, spaces after "&", escapes (valid and not), and
// keys the fast path must hand over (brackets, escaped keys). It also
// checks that the usual CLI query takes the fast path.
func TestFlatCanIDeployQueryMatchesRack(t *testing.T) {
	if _, ok := parseFlatCanIDeployQuery("pacticipant=Foo&version=1.2.3&environment=production"); !ok {
		t.Fatal("the CLI's query does not take the fast path")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	keys := []string{"pacticipant", "version", "to", "environment", "ignore", "ignore[]", "ignore[][pacticipant]", "x", "",
		" pacticipant", "pacticipant%5B%5D", "ver+sion", "to]", "[to"}
	values := []string{"", "Foo", "1.2.3", "a%20b", "a+b", "%zz", "%", "%e2%82%ac", "a=b", " "}
	seps := []string{"&", "& ", "&&", "&  "}
	fast := 0
	for range 20000 {
		var b strings.Builder
		for i := range rng.IntN(6) {
			if i > 0 {
				b.WriteString(seps[rng.IntN(len(seps))])
			}
			b.WriteString(keys[rng.IntN(len(keys))])
			if rng.IntN(5) > 0 {
				b.WriteString("=" + values[rng.IntN(len(values))])
			}
		}
		raw := b.String()
		want, wantErr := parseRackCanIDeployQuery(raw)
		got, ok := parseFlatCanIDeployQuery(raw)
		if !ok {
			continue
		}
		fast++
		if wantErr != nil {
			t.Fatalf("%q: fast path answered %+v, Rack refuses: %v", raw, got, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nfast %+v\nrack %+v", raw, got, want)
		}
	}
	if fast < 1000 {
		t.Fatalf("only %d queries took the fast path", fast)
	}
}
