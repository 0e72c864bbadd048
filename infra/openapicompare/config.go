package openapicompare

import "strings"

// config holds OPC's switches (reference/bdct.md §2.8). Each defaults to
// off (OPC's default mode), or on in PactFlow compatibility mode (Options
// .PactFlowCompatible, hosted PactFlow's documented defaults, which
// reproduce swagger-mock-validator behaviour); a document overrides any of
// them with info.x-opc-config-<name>: true|false.
type config struct {
	basePath string // x-opc-config-base-path; Swagger 2 basePath otherwise

	castObjectsInPact            bool // query value "[object Object]" is {}
	caseInsensitive              bool // path matching ignores case (off in both modes)
	disableMultipartFormData     bool // multipart bodies are not validated
	ignoreDuplicateSlash         bool
	ignoreTrailingSlash          bool
	legacyParser                 bool // queries and form bodies: no a[b]/a.b nesting, no comma arrays
	noAuthorizationSchema        bool // Authorization presence only, no Basic/Bearer prefix check
	noPercentEncoding            bool // a literal "%" in a pact path is allowed
	noTransformNullableResponses bool // nullable response objects are not closed
	noValidateComplexParameters  bool // array/object parameters are not validated
	noValidateBodyUnlessJSON     bool // request bodies validated only when the operation consumes JSON
}

func defaultConfig(pactflowCompatible bool) config {
	q := pactflowCompatible
	return config{castObjectsInPact: q, disableMultipartFormData: q, ignoreDuplicateSlash: q,
		ignoreTrailingSlash: q, legacyParser: q, noAuthorizationSchema: q, noPercentEncoding: q,
		noTransformNullableResponses: q, noValidateComplexParameters: q, noValidateBodyUnlessJSON: q}
}

// read applies the document's info.x-opc-config-* overrides.
func (c *config) read(info map[string]any) {
	if bp := str(info["x-opc-config-base-path"]); bp != "" {
		c.basePath = strings.TrimSuffix(bp, "/")
	}
	for name, field := range map[string]*bool{
		"cast-objects-in-pact":                             &c.castObjectsInPact,
		"case-insensitive":                                 &c.caseInsensitive,
		"disable-multipart-formdata":                       &c.disableMultipartFormData,
		"ignore-duplicate-slashes":                         &c.ignoreDuplicateSlash,
		"ignore-trailing-slash":                            &c.ignoreTrailingSlash,
		"legacy-parser":                                    &c.legacyParser,
		"no-authorization-schema":                          &c.noAuthorizationSchema,
		"no-percent-encoding":                              &c.noPercentEncoding,
		"no-transform-non-nullable-response-schema":        &c.noTransformNullableResponses,
		"no-validate-complex-parameters":                   &c.noValidateComplexParameters,
		"no-validate-request-body-unless-application-json": &c.noValidateBodyUnlessJSON,
	} {
		if b, ok := info["x-opc-config-"+name].(bool); ok {
			*field = b
		}
	}
}
