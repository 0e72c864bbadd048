package openapicompare

import (
	"reflect"
	"testing"
)

func TestFindMatchingType(t *testing.T) {
	cases := []struct {
		request   string
		available []string
		want      string
	}{
		{"application/json", []string{"application/xml", "application/json"}, "application/json"},
		{"Application/JSON", []string{"application/json"}, "application/json"},
		{"application/json; charset=utf-8", []string{"application/json"}, "application/json"},
		{"application/json", []string{"application/json;charset=utf-8"}, "application/json;charset=utf-8"},
		{"application/vnd.api+json", []string{"application/json"}, "application/json"},
		{"application/json", []string{"application/hal+json"}, "application/hal+json"},
		{"text/plain", []string{"text/*"}, "text/*"},
		{"text/plain", []string{"*/*"}, "*/*"},
		{"text/*", []string{"application/json", "text/csv"}, "text/csv"},
		{"*/*", []string{"application/json"}, "application/json"},
		{"text/html;q=0.5, application/json", []string{"text/html", "application/json"}, "application/json"},
		{"text/html;q=0.9, application/xml;q=0.1", []string{"application/xml", "text/html"}, "text/html"},
		{"application/xml", []string{"application/json"}, ""},
		{"application/json", nil, ""},
	}
	for _, c := range cases {
		if got := findMatchingType(c.request, c.available); got != c.want {
			t.Errorf("findMatchingType(%q, %q) = %q, want %q", c.request, c.available, got, c.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	cases := []struct {
		query  string
		nested bool
		want   map[string]any
	}{
		{"a=1&b=x%20y&c=a+b", true, map[string]any{"a": "1", "b": "x y", "c": "a b"}},
		{"a=1&a=2", false, map[string]any{"a": []any{"1", "2"}}},
		{"a=1,2", true, map[string]any{"a": []any{"1", "2"}}},
		{"a=1,2", false, map[string]any{"a": "1,2"}},
		{"p[id]=1&p[addr][city]=M", true, map[string]any{"p": map[string]any{"id": "1", "addr": map[string]any{"city": "M"}}}},
		{"p.id=1", true, map[string]any{"p": map[string]any{"id": "1"}}},
		{"ids[0]=a&ids[1]=b", true, map[string]any{"ids": []any{"a", "b"}}},
		{"flag&x=", true, map[string]any{"flag": "", "x": ""}},
	}
	for _, c := range cases {
		if got := parseQuery(c.query, c.nested); !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseQuery(%q, %v) = %#v, want %#v", c.query, c.nested, got, c.want)
		}
	}
}
