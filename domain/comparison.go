package domain

import (
	"context"
	"encoding/json"
)

// Mismatch severities. Only errors fail a comparison; warnings are reported.
const (
	MismatchError   = "error"
	MismatchWarning = "warning"
)

// Mismatch is one difference between a consumer pact interaction and the
// provider's OpenAPI contract, in the openapi-pact-comparator's terms
// (reference/bdct.md §2.2): a result code such as
// "request.path-or-method.unknown", its severity, a message a developer can
// act on, where in the pact it was found and with what value, and which part
// of the spec it was checked against.
type Mismatch struct {
	Code    string `json:"code"`
	Type    string `json:"type"`
	Message string `json:"message"`
	// Interaction is the pact interaction's description; State its provider
	// state ("[none]" when it has none).
	Interaction string `json:"interaction"`
	State       string `json:"state,omitempty"`
	// PactLocation is a JSON-path-like location such as
	// "[root].interactions[3].response.body.detail"; PactValue the value
	// found there, as JSON (absent when there is none).
	PactLocation string          `json:"pactLocation,omitempty"`
	PactValue    json.RawMessage `json:"pactValue,omitempty"`
	// SpecLocation is where in the OpenAPI document the rule comes from,
	// e.g. "[root].paths./pet/{petId}.get.responses.200"; SpecPathName and
	// SpecPathMethod name the matched operation when there is one.
	SpecLocation   string          `json:"specLocation,omitempty"`
	SpecPathName   string          `json:"specPathName,omitempty"`
	SpecPathMethod string          `json:"specPathMethod,omitempty"`
	SpecValue      json.RawMessage `json:"specValue,omitempty"`
}

// ComparisonOutcome is the result of comparing one pact with one provider
// contract. Success is true when no mismatch has type "error".
type ComparisonOutcome struct {
	Success    bool       `json:"success"`
	Mismatches []Mismatch `json:"mismatches"`
	// Engine names the comparison engine and its version, so results made by
	// different engines can be told apart.
	Engine string `json:"engine"`
}

// ComparisonInput is what a comparison needs: the pact document (JSON, as
// published) and the provider contract (an OpenAPI 3.x or Swagger 2.0
// document, JSON or YAML), each with its content SHA so an engine may cache
// what it parses or compiles per content.
type ComparisonInput struct {
	PactSHA     string
	Pact        []byte
	ContractSHA string
	Contract    []byte
}

// ContractComparator compares a consumer pact with a provider's OpenAPI
// contract. Implementations live in infra; they must be pure functions of
// their input (the same contents always give the same outcome), safe for
// concurrent use, and must report an unusable document (unparsable pact or
// spec) as an unsuccessful outcome with an explanatory mismatch rather than
// as an error. The error return is for cancellation and internal failures.
type ContractComparator interface {
	Compare(ctx context.Context, in ComparisonInput) (ComparisonOutcome, error)
}
