package openapicompare

import (
	"strconv"
	"strings"
)

// response returns the spec response for the interaction's status: exact
// code, then the "2XX" pattern, then "default" (the second result tells
// which: "exact", "pattern", "default" or "").
func (c *check) response() (map[string]any, string) {
	responses := obj(c.op.raw["responses"])
	if r := obj(responses[strconv.Itoa(c.in.status)]); r != nil {
		return c.spec.deref(r), "exact"
	}
	p := patternedStatus(c.in.status)
	if r := obj(responses[p]); r != nil {
		return c.spec.deref(r), "pattern"
	}
	if r := obj(responses[strings.ToLower(p)]); r != nil {
		return c.spec.deref(r), "pattern"
	}
	if r := obj(responses["default"]); r != nil {
		return c.spec.deref(r), "default"
	}
	return nil, ""
}

// checkResponseHeaders checks the response Content-Type and headers. It
// reports whether the Content-Type was incompatible (the body is then not
// checked).
func (c *check) checkResponseHeaders() bool {
	response, _ := c.response()
	if response == nil {
		return false
	}
	opLoc := c.opLocation()
	status := strconv.Itoa(c.in.status)
	available := c.responseMediaTypes(response)
	hdrs := c.in.resHeaders.clone()
	ctRaw, _ := hdrs.get("content-type")
	ct := mediaTypeOnly(ctRaw)
	incompatible := false
	if ct != "" && len(available) == 0 {
		c.warn("response.content-type.unknown", "Response Content-Type header is defined but the spec does not specify any mime-types to produce",
			".response.headers.content-type", ctRaw, opLoc)
	}
	if ct != "" && len(available) > 0 && findMatchingType(ct, available) == "" {
		incompatible = true
		c.fail("response.content-type.incompatible", "Response Content-Type header is incompatible with the mime-types the spec defines to produce",
			".response.headers.content-type", ctRaw, opLoc+".responses."+status+".content")
	}
	delete(hdrs, "content-type")

	declared := obj(response["headers"])
	for _, name := range keys(declared) {
		h := c.spec.deref(obj(declared[name]))
		schema := obj(h["schema"])
		if schema == nil {
			schema = h
		}
		lname := strings.ToLower(name)
		if raw, ok := hdrs[lname]; ok && schema != nil {
			id := opLoc + ".responses." + status + ".headers." + name
			v := c.spec.schemas.compile(id, func() map[string]any { return minimumSchema(schema, c.spec.root) })
			value := coerce(v.doc, v.doc, raw, 0)
			for _, e := range v.validate(value) {
				c.fail("response.header.incompatible", "Value is incompatible with the parameter defined in the spec file: "+e.message,
					".response.headers."+name+dotted(e.instance), instanceValue(value, e.instance), id+".schema."+e.keyword)
			}
		}
		delete(hdrs, lname)
	}
	for _, name := range standardResponseHeaders {
		if _, ok := hdrs[name]; ok {
			c.warn("response.header.undefined", "Standard http response header is not defined in the spec file: "+name,
				".response.headers."+name, hdrs[name], opLoc)
			delete(hdrs, name)
		}
	}
	for _, name := range hdrs.names() {
		c.fail("response.header.unknown", "Response header is not defined in the spec file: "+name,
			".response.headers."+name, hdrs[name], opLoc+".responses."+status+".headers")
	}
	return incompatible
}

// checkResponseBody checks the status and validates the body against the
// response schema, transformed so that the pact body must be a subset of
// what the provider can produce (objects closed, required dropped).
func (c *check) checkResponseBody() {
	opLoc := c.opLocation()
	status := strconv.Itoa(c.in.status)
	response, how := c.response()
	if response == nil {
		c.fail("response.status.unknown", "Response status code not defined in spec file: "+status,
			".response.status", c.in.status, opLoc+".responses")
		return
	}
	if how == "default" {
		c.warn("response.status.default", "Response status code matched default response in spec file: "+status,
			".response.status", c.in.status, opLoc+".responses")
	}
	available := c.responseMediaTypes(response)
	accept, _ := c.in.reqHeaders.get("accept")
	if accept == "" {
		accept = "application/json"
	}
	contentType := findMatchingType(accept, available)
	if contentType == "" && len(available) > 0 {
		contentType = available[0]
	}
	if contentType == "" {
		contentType = "application/json"
	}
	schema, mediaKey := c.bodySchema(obj(response["content"]), contentType)
	body := c.in.resBody
	switch bodyStatus(contentType, c.in.hasResBody, validatableMediaTypes) {
	case "warn":
		c.warn("response.body.unvalidatable", "Body with content type '"+contentType+"' is not supported by the spec comparator",
			".response.body", body, opLoc+".responses."+status+".content")
		return
	case "skip":
		return
	}
	if !truthy(body) {
		return
	}
	if schema == nil {
		c.fail("response.body.unknown", "No matching schema found for response body",
			".response.body", body, opLoc+".responses."+status+".content")
		return
	}
	id := opLoc + ".responses." + status + ".content." + mediaKey
	v := c.spec.schemas.compile(id, func() map[string]any {
		s := minimumSchema(schema, c.spec.root)
		closeResponseSchema(s, c.spec.config.noTransformNullableResponses)
		return s
	})
	c.schemaUnusable(v, "response.body.unvalidatable", ".response.body", id)
	for _, e := range v.validate(body) {
		c.fail("response.body.incompatible", "Response body is incompatible with the response body schema in the spec file: "+e.message,
			".response.body"+dotted(e.instance), instanceValue(body, e.instance), id+".schema."+e.keyword)
	}
}
