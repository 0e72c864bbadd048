// Package openapicompare is the contract-comparison engine for
// Bi-Directional Contract Testing: it checks that every HTTP interaction of
// a consumer pact is something the provider's OpenAPI document (Swagger 2.0,
// OpenAPI 3.0 or 3.1; JSON or YAML) allows, and reports each difference as a
// domain.Mismatch with the result codes of pactflow/openapi-pact-comparator
// (OPC, MIT licence), whose rules it follows in OPC's default
// (non-"quirks") mode. See reference/bdct.md §2 for the rules and README
// "Comparing pacts with OpenAPI" for the summary and deliberate differences.
//
// Pipeline per interaction (compare.go): route (method + path) → path
// parameters → security → request headers → query → request body →
// response headers → response status and body. Interactions whose response
// status is >= 400 are "negative scenarios": security, request header,
// query and body checks are skipped. Message interactions are skipped.
//
// Documents are parsed with kin-openapi (Swagger 2.0 is converted with
// openapi2conv); schemas are transformed on the raw JSON tree the way OPC
// does (allOf merged, nullable rewritten, response objects closed and
// `required` dropped) and validated with santhosh-tekuri/jsonschema/v6.
// Parsed specs and their compiled schemas are cached per contract SHA.
package openapicompare
