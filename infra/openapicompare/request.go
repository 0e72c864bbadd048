package openapicompare

import (
	"sort"
	"strconv"
	"strings"
)

// requestMediaTypes are the media types the operation consumes.
func (c *check) requestMediaTypes() []string {
	if c.op.consumes != nil {
		return c.op.consumes
	}
	return keys(obj(c.spec.deref(obj(c.op.raw["requestBody"]))["content"]))
}

// responseMediaTypes are the media types of one response (Swagger 2: the
// operation's produces).
func (c *check) responseMediaTypes(response map[string]any) []string {
	if c.op.produces != nil {
		return c.op.produces
	}
	return keys(obj(c.spec.deref(response)["content"]))
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkRequestHeaders checks Accept, Content-Type, declared header
// parameters and unknown headers. It reports whether the Content-Type was
// incompatible (the request body is then not checked).
func (c *check) checkRequestHeaders() bool {
	responses := obj(c.op.raw["responses"])
	consumed := c.requestMediaTypes()
	var allProduced []string
	if c.op.produces != nil {
		allProduced = c.op.produces
	} else {
		for _, code := range keys(responses) {
			allProduced = append(allProduced, keys(obj(c.spec.deref(obj(responses[code]))["content"]))...)
		}
	}
	produced := c.responseMediaTypes(obj(responses[strconv.Itoa(c.in.status)]))
	hdrs := c.in.reqHeaders.clone()
	opLoc := c.opLocation()

	// Deliberate difference: OPC cuts the Accept value at the first ";",
	// so "text/html;q=0.9, */*;q=0.1" is read as "text/html". The whole
	// list is negotiated here (findMatchingType understands q values).
	acceptRaw, _ := hdrs.get("accept")
	accept := strings.TrimSpace(acceptRaw)
	if accept != "" && len(allProduced) == 0 {
		c.warn("request.accept.unknown", "Request Accept header is defined but the spec does not specify any mime-types to produce",
			".request.headers.accept", acceptRaw, opLoc)
	}
	if accept != "" && len(produced) > 0 && findMatchingType(accept, allProduced) == "" {
		c.fail("request.accept.incompatible", "Request Accept header is incompatible with the mime-types the spec defines to produce",
			".request.headers.accept", acceptRaw, opLoc)
	}

	ctRaw, _ := hdrs.get("content-type")
	ct := mediaTypeOnly(ctRaw)
	incompatible := false
	if ct != "" && len(consumed) == 0 {
		c.warn("request.content-type.unknown", "Request content-type header is defined but the spec does not specify any mime-types to consume",
			".request.headers.content-type", ctRaw, opLoc)
	}
	if ct != "" && len(consumed) > 0 && findMatchingType(ct, consumed) == "" {
		incompatible = true
		c.fail("request.content-type.incompatible", "Request Content-Type header is incompatible with the mime-types the spec accepts to consume",
			".request.headers.content-type", ctRaw, opLoc+".requestBody.content")
	}
	if ct == "" && len(consumed) > 0 && c.in.hasReqBody && truthy(c.in.reqBody) {
		c.warn("request.content-type.missing", "Request content type header is not defined but spec specifies mime-types to consume",
			".request.headers.content-type", nil, opLoc)
	}

	securityHeaders := map[string]bool{}
	if !c.in.negative() {
		for _, req := range c.op.security {
			for name := range obj(req) {
				scheme := obj(c.spec.schemes[name])
				if str(scheme["type"]) == "apiKey" && str(scheme["in"]) == "header" {
					securityHeaders[strings.ToLower(str(scheme["name"]))] = true
				}
			}
		}
	}

	declared := map[string]bool{}
	for _, p := range c.op.params {
		if p.in != "header" {
			continue
		}
		name := strings.ToLower(p.name)
		declared[name] = true
		raw, present := hdrs.get(name)
		schema := paramSchema(p)
		required, _ := p.raw["required"].(bool)
		if present && !c.in.negative() {
			var value any = raw
			if !isStringSchema(obj(p.raw["schema"])) {
				value = parseParamValue(raw)
			}
			if !c.skipComplexParameter(schema, value) {
				c.validateParam("request.header.incompatible", ".request.headers."+p.name, p, schema, value)
			}
		}
		if !present && required && !c.in.negative() {
			c.fail("request.header.incompatible",
				"Value is incompatible with the parameter defined in the spec file: must have required property '"+p.name+"'",
				".request.headers."+p.name, nil, opLoc+".parameters["+strconv.Itoa(p.index)+"]")
		}
		delete(hdrs, name)
	}
	for name := range hdrs {
		if standardRequestHeaders[name] && !declared[name] {
			delete(hdrs, name)
		}
	}
	if !c.in.negative() {
		for _, name := range hdrs.names() {
			if securityHeaders[name] {
				continue
			}
			c.warn("request.header.unknown", "Request header is not defined in the spec file: "+name,
				".request.headers."+name, hdrs[name], opLoc)
		}
	}
	return incompatible
}

// isStringSchema: the value is kept as a string when the schema is a
// string, or offers one in anyOf/oneOf.
func isStringSchema(s map[string]any) bool {
	if s["type"] == "string" {
		return true
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		list, _ := s[k].([]any)
		for _, b := range list {
			if obj(b)["type"] == "string" {
				return true
			}
		}
	}
	return false
}

var swagger2Separators = map[string]string{"ssv": " ", "tsv": "\t", "pipes": "|"}

// checkQuery validates declared query parameters and warns about unknown
// ones (apiKey-in-query names excepted).
func (c *check) checkQuery() {
	parsed := parseQuery(c.in.query, !c.spec.config.legacyParser)
	unparsed := parseQuery(c.in.query, false)
	for _, p := range c.op.params {
		if p.in != "query" {
			continue
		}
		schema := paramSchema(p)
		if obj(p.raw["schema"])["type"] == "string" {
			if v, ok := unparsed[p.name]; ok {
				parsed[p.name] = v
			} else {
				delete(parsed, p.name)
			}
		}
		value, present := parsed[p.name]
		delete(parsed, p.name)
		required, _ := p.raw["required"].(bool)
		if c.in.negative() || (!present && !required) {
			continue
		}
		loc := ".request.query." + p.name
		if !present {
			c.missingParam("request.query.incompatible", loc, p, schema)
			continue
		}
		if s, ok := value.(string); ok && schema["type"] == "array" {
			sep := ","
			if x, ok := swagger2Separators[p.collectionFormat]; ok {
				sep = x
			}
			value = stringsToAny(strings.Split(s, sep))
		}
		if c.spec.config.castObjectsInPact && value == "[object Object]" {
			value = map[string]any{}
		}
		if !c.spec.swagger2 && c.skipComplexParameter(schema, value) {
			continue
		}
		c.validateParam("request.query.incompatible", loc, p, schema, value)
	}
	if c.in.negative() {
		return
	}
	securityQueries := map[string]bool{}
	for _, req := range c.op.security {
		for name := range obj(req) {
			scheme := obj(c.spec.schemes[name])
			if str(scheme["type"]) == "apiKey" && str(scheme["in"]) == "query" {
				securityQueries[str(scheme["name"])] = true
			}
		}
	}
	for _, name := range keys(parsed) {
		if securityQueries[name] {
			continue
		}
		c.warn("request.query.unknown", "Query parameter is not defined in the spec file: "+name,
			".request.query."+name, parsed[name], c.opLocation())
	}
}

// checkRequestBody validates the request body against the schema of its
// media type (required enforced, no type coercion).
func (c *check) checkRequestBody() {
	requestBody := c.spec.deref(obj(c.op.raw["requestBody"]))
	content := obj(requestBody["content"])
	available := c.requestMediaTypes()
	ctRaw, _ := c.in.reqHeaders.get("content-type")
	contentType := "application/json"
	if ctRaw != "" {
		contentType = findMatchingType(ctRaw, available)
		if contentType == "" {
			contentType = ctRaw
		}
	}
	schema, mediaKey := c.bodySchema(content, contentType)
	required, _ := requestBody["required"].(bool)
	if !required && !c.in.hasReqBody {
		return
	}
	opLoc := c.opLocation()
	validatable := validatableMediaTypes
	if c.spec.config.disableMultipartFormData {
		validatable = validatable[:2]
	}
	switch bodyStatus(contentType, c.in.hasReqBody, validatable) {
	case "skip":
		return
	case "warn":
		if !c.in.negative() {
			c.warn("request.body.unvalidatable", "Body with content type '"+contentType+"' is not supported by the spec comparator",
				".request.body", c.in.reqBody, opLoc+".requestBody.content")
		}
		return
	}
	if c.in.negative() {
		return
	}
	consumesJSON := findMatchingType("application/json", available) != ""
	if c.spec.config.noValidateBodyUnlessJSON && !consumesJSON && (schema != nil || len(available) > 0) {
		return
	}
	if schema != nil {
		value, isForm := parseBody(c.in.reqBody, ctRaw, !c.spec.config.legacyParser)
		id := opLoc + ".requestBody.content." + mediaKey
		v := c.spec.schemas.compile(id, func() map[string]any { return minimumSchema(schema, c.spec.root) })
		if isForm {
			// Deliberate difference: form fields are strings on the wire, so
			// they are coerced like parameters (OPC would reject any
			// non-string form field).
			value = coerce(v.doc, v.doc, value, 0)
		}
		c.schemaUnusable(v, "request.body.unvalidatable", ".request.body", id)
		for _, e := range v.validate(value) {
			c.fail("request.body.incompatible", "Request body is incompatible with the request body schema in the spec file: "+e.message,
				".request.body"+dotted(e.instance), instanceValue(value, e.instance), id+".schema."+e.keyword)
		}
		return
	}
	if c.in.hasReqBody && truthy(c.in.reqBody) {
		c.warn("request.body.unknown", "No matching schema found for request body", ".request.body", c.in.reqBody, opLoc+".requestBody.content")
	}
}

// bodySchema picks the schema for a media type from a content map; for
// Swagger 2 (one schema for every media type) the first one.
func (c *check) bodySchema(content map[string]any, contentType string) (map[string]any, string) {
	key := findMatchingType(contentType, keys(content))
	if key != "" {
		if s := obj(obj(content[key])["schema"]); s != nil {
			return s, key
		}
	}
	if c.spec.swagger2 {
		for _, k := range keys(content) {
			if s := obj(obj(content[k])["schema"]); s != nil {
				return s, contentType
			}
		}
	}
	return nil, contentType
}

// bodyStatus: bodies of the validatable media types (JSON, form and
// multipart) are validated; others give a warning when there is a body.
func bodyStatus(contentType string, hasBody bool, validatable []string) string {
	if findMatchingType(contentType, validatable) != "" {
		return "validate"
	}
	if hasBody {
		return "warn"
	}
	return "skip"
}

// schemaUnusable reports a schema the validator could not compile (for
// instance an ECMAScript-only regular expression) as a warning: the part is
// not validated.
func (c *check) schemaUnusable(v *compiled, code, pactLoc, specLoc string) {
	if v.err == nil {
		return
	}
	c.warn(code, "The schema in the spec file could not be compiled, so this part was not validated: "+v.err.Error(),
		pactLoc, nil, specLoc)
}
