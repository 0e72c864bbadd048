package openapicompare

import (
	"sort"
	"strings"
)

// checkSecurity applies OPC's security rules (reference/bdct.md §2.6):
// requirement sets are alternatives, an empty set makes security optional;
// apiKey in header/query must be present; http basic/bearer need an
// Authorization header with the scheme's prefix (presence only with
// x-opc-config-no-authorization-schema); cookie apiKey, oauth2,
// openIdConnect and mutualTLS are accepted unchecked.
func (c *check) checkSecurity() {
	if c.in.negative() {
		return
	}
	query := parseQuery(c.in.query, false)
	secured := false
	type pending struct{ message, loc string }
	var failures []pending
	for _, req := range c.op.security {
		set := obj(req)
		if len(set) == 0 {
			secured = true
			break
		}
		names := make([]string, 0, len(set))
		for n := range set {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			scheme := obj(c.spec.schemes[name])
			switch strings.ToLower(str(scheme["type"])) {
			case "apikey":
				switch strings.ToLower(str(scheme["in"])) {
				case "header":
					if _, ok := c.in.reqHeaders.get(str(scheme["name"])); ok {
						secured = true
					} else {
						failures = append(failures, pending{"Request Authorization header is missing but is required by the spec file", ".request.headers"})
					}
				case "query":
					if _, ok := query[str(scheme["name"])]; ok {
						secured = true
					} else {
						failures = append(failures, pending{"Request Authorization query is missing but is required by the spec file", ".request.query"})
					}
				case "cookie":
					secured = true
				}
			case "basic", "http":
				auth, present := c.in.reqHeaders.get("authorization")
				valid := present
				if !c.spec.config.noAuthorizationSchema {
					prefix := "basic "
					if strings.EqualFold(str(scheme["type"]), "http") {
						prefix = strings.ToLower(str(scheme["scheme"])) + " "
					}
					valid = strings.HasPrefix(strings.ToLower(auth), prefix)
				}
				if valid {
					secured = true
				} else {
					failures = append(failures, pending{"Request Authorization header is missing but is required by the spec file", ".request.headers"})
				}
			case "mutualtls", "oauth2", "openidconnect":
				secured = true
			}
		}
	}
	if secured {
		return
	}
	for _, f := range failures {
		var value any = c.in.rawReqHdrs
		if f.loc == ".request.query" {
			value = c.in.rawQuery
		}
		c.fail("request.authorization.missing", f.message, f.loc, value, c.opLocation())
	}
}
