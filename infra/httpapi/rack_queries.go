package httpapi

// The matrix and can-i-deploy query strings, read through Rack's parser
// (rack.go) as the Pact Broker reads them.

import (
	"net/url"
	"strings"

	"github.com/pactledger/pactledger/queries"
)

// ParseMatrixQuery reads a /matrix query string the way the broker's
// Matrix::ParseQuery does (reference §7.1): q[][...] and the flat q[]key=
// form, ignore[][...], success[] or a scalar success, latestby, latest, tag,
// environment, mainBranch and limit (default 100; a bare "limit" means
// none). A top-level branch is ignored, as by the broker. Values of the
// wrong Ruby type, which make the broker answer 500, count as absent
// (selectors) or as an invalid limit. The error, for input Rack refuses,
// wraps domain.ErrInvalid.
func ParseMatrixQuery(rawQuery string) (queries.MatrixQuery, error) {
	params, err := parseNestedQuery(rawQuery)
	if err != nil {
		return queries.MatrixQuery{}, err
	}
	q := queries.MatrixQuery{Selectors: rackSelectors(params, "q"), Ignore: rackSelectors(params, "ignore")}
	given := func(key string) (*rackValue, bool) {
		v, ok := params.get(key)
		if ok && v.kind == rackString && v.str == "" {
			return nil, false
		}
		return v, ok
	}
	if v, ok := params.get("success"); ok { // success= (empty) selects unverified rows
		switch v.kind {
		case rackArray:
			q.Success = make([]queries.Outcome, 0, len(v.list))
			for _, e := range v.list {
				q.Success = append(q.Success, rackOutcome(e))
			}
		case rackString:
			q.Success = []queries.Outcome{rackOutcome(v)}
		}
	}
	if v, ok := given("latestby"); ok && v.kind != rackNil {
		q.LatestBy = v.str
		if v.kind != rackString {
			q.LatestBy = "?" // truthy but unknown: latest rows, no grouping
		}
	}
	defaultLimit := 100
	q.Limit = &defaultLimit
	if v, ok := given("limit"); ok {
		switch n := rubyToI(v.str); v.kind {
		case rackNil:
			q.Limit = nil
		case rackString:
			q.Limit = &n
		default:
			zero := 0
			q.Limit = &zero
		}
	}
	if v, ok := given("latest"); ok {
		q.Latest = v.kind == rackString && v.str == "true"
	}
	if v, ok := given("mainBranch"); ok {
		b := v.kind == rackString && v.str == "true"
		q.MainBranch = &b
	}
	if v, ok := given("tag"); ok {
		q.Tag, _ = v.stringValue()
	}
	if v, ok := given("environment"); ok {
		q.Environment, _ = v.stringValue()
	}
	return q, nil
}

// ParseCanIDeployQuery reads a GET /can-i-deploy query string: pacticipant,
// version, to, environment, and ignore[]=<name> or
// ignore[][pacticipant]=..&ignore[][version]=.. entries.
func ParseCanIDeployQuery(rawQuery string) (queries.CanIDeployQuery, error) {
	if q, ok := parseFlatCanIDeployQuery(rawQuery); ok {
		return q, nil
	}
	return parseRackCanIDeployQuery(rawQuery)
}

// parseFlatCanIDeployQuery is ParseCanIDeployQuery without building Rack's
// nested hash, for the flat form the CLI sends on every pipeline run
// (pacticipant=..&version=..&environment=..): for keys without brackets
// Rack's result is the last value of each key. ok is false, and the query
// must go through Rack's parser, when a key has "[" (ignore[]…) or needs
// unescaping ("%", "+"), when a value's escape is invalid (Rack's error),
// or when the query is long enough to meet Rack's limits.
// TestFlatCanIDeployQueryMatchesRack holds the two equal.
func parseFlatCanIDeployQuery(raw string) (q queries.CanIDeployQuery, ok bool) {
	if len(raw) >= rackParamsLimit { // shorter: at most rackParamsLimit pairs
		return q, false
	}
	for rest := raw; ; {
		pair, after, more := strings.Cut(rest, "&")
		if pair != "" {
			key, value, hasValue := strings.Cut(pair, "=")
			if strings.ContainsAny(key, "[%+") {
				return q, false
			}
			v := queries.Param{Present: true}
			if hasValue {
				s, err := url.QueryUnescape(value)
				if err != nil {
					return q, false
				}
				v.Value = s
			}
			switch key {
			case "pacticipant":
				q.Pacticipant = v
			case "version":
				q.Version = v
			case "to":
				q.To = v
			case "environment":
				q.Environment = v
			}
		}
		if !more {
			return q, true
		}
		rest = strings.TrimLeft(after, " ")
	}
}

// parseRackCanIDeployQuery is ParseCanIDeployQuery through Rack's parser.
func parseRackCanIDeployQuery(rawQuery string) (queries.CanIDeployQuery, error) {
	params, err := parseNestedQuery(rawQuery)
	if err != nil {
		return queries.CanIDeployQuery{}, err
	}
	param := func(key string) queries.Param {
		v, ok := params.get(key)
		if !ok {
			return queries.Param{}
		}
		s, _ := v.stringValue()
		return queries.Param{Present: true, Value: s, NotString: v.kind == rackArray || v.kind == rackHash}
	}
	q := queries.CanIDeployQuery{Pacticipant: param("pacticipant"), Version: param("version"),
		To: param("to"), Environment: param("environment")}
	if v, ok := params.get("ignore"); ok && v.kind == rackArray {
		for _, e := range v.list {
			if name, ok := e.stringValue(); ok {
				q.Ignore = append(q.Ignore, queries.Selector{Pacticipant: name})
			} else if e.kind == rackHash {
				if p, ok := e.get("pacticipant"); ok {
					name, _ := p.stringValue()
					version, _ := e.vals["version"].stringValue()
					q.Ignore = append(q.Ignore, queries.Selector{Pacticipant: name, Version: version})
				}
			}
		}
	}
	return q, nil
}

// rackSelectors reads an array of selector hashes (ParseQuery.parse_selector).
// A string element behaves as Ruby's String#[] makes it: "x"["tag"] is
// "tag" when x contains it.
func rackSelectors(params *rackValue, key string) []queries.Selector {
	v, ok := params.get(key)
	if !ok || v.kind != rackArray {
		return nil
	}
	out := make([]queries.Selector, 0, len(v.list))
	for _, e := range v.list {
		field := func(k string) string {
			if e.kind == rackString {
				if strings.Contains(e.str, k) {
					return k
				}
				return ""
			}
			if e.kind != rackHash {
				return ""
			}
			s, _ := e.vals[k].stringValue()
			return s
		}
		out = append(out, queries.Selector{Pacticipant: field("pacticipant"), Version: field("version"),
			Latest: field("latest") == "true", Tag: field("tag"), Branch: field("branch"),
			MainBranch: field("mainBranch") == "true", Environment: field("environment")})
	}
	return out
}

// rackOutcome maps a success value: "" is unverified, "true" succeeded,
// anything else (nil included) failed.
func rackOutcome(v *rackValue) queries.Outcome {
	switch s, ok := v.stringValue(); {
	case ok && s == "":
		return queries.Unverified
	case ok && s == "true":
		return queries.Succeeded
	}
	return queries.Failed
}

// rubyToI is String#to_i: leading whitespace, an optional sign, digits;
// anything else ends the number (0 when there are no digits).
func rubyToI(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n > (1<<31)/10 {
			n = 1 << 31 // beyond any real limit
			break
		}
		n = n*10 + int(s[i]-'0')
		if i+1 < len(s) && s[i+1] == '_' && i+2 < len(s) && s[i+2] >= '0' && s[i+2] <= '9' {
			i++ // Ruby allows single underscores between digits
		}
	}
	if neg {
		return -n
	}
	return n
}
