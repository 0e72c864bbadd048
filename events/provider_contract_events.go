package events

import (
	"encoding/json"
	"time"
)

// ProviderContractContentStored keeps a provider contract document (an
// OpenAPI description, JSON or YAML, as published) once per content SHA.
// Stream: "contract-content-<sha>". The SHA is SHA-1 (hex) of the exact
// bytes. Like PactContentStored, a document too large for one event is
// split into Parts events numbered Part 1..Parts, each carrying the next
// Chunk and no Content; Parts is 0 for a document stored in one event.
type ProviderContractContentStored struct {
	SHA         string `json:"sha"`
	ContentType string `json:"contentType,omitempty"`
	Content     []byte `json:"content,omitempty"`
	Part        int    `json:"part,omitempty"`
	Parts       int    `json:"parts,omitempty"`
	Chunk       []byte `json:"chunk,omitempty"`
}

// SelfVerification is a provider's own test evidence for its contract
// (selfVerificationResults): whether its tests passed, the report as
// published (any format) and what produced it.
type SelfVerification struct {
	Success         bool   `json:"success"`
	Content         []byte `json:"content,omitempty"`
	ContentType     string `json:"contentType,omitempty"`
	Format          string `json:"format,omitempty"`
	Verifier        string `json:"verifier,omitempty"`
	VerifierVersion string `json:"verifierVersion,omitempty"`
}

// ProviderContractPublished records the contract a provider version holds.
// Stream: "provider-contract-<provider>.<version>". Revision counts
// publications that changed the content or the self-verification (1
// first); the latest one counts. SelfVerification is nil when none was
// published, which makes every comparison with it unsuccessful.
type ProviderContractPublished struct {
	Provider         string            `json:"provider"`
	ProviderVersion  string            `json:"providerVersion"`
	SHA              string            `json:"sha"`
	ContentType      string            `json:"contentType,omitempty"`
	Specification    string            `json:"specification"`
	Revision         int               `json:"revision"`
	SelfVerification *SelfVerification `json:"selfVerification,omitempty"`
}

// ComparisonMismatch is one difference a comparison found (the fields of
// domain.Mismatch; see there).
type ComparisonMismatch struct {
	Code           string          `json:"code"`
	Type           string          `json:"type"`
	Message        string          `json:"message"`
	Interaction    string          `json:"interaction"`
	State          string          `json:"state,omitempty"`
	PactLocation   string          `json:"pactLocation,omitempty"`
	PactValue      json.RawMessage `json:"pactValue,omitempty"`
	SpecLocation   string          `json:"specLocation,omitempty"`
	SpecPathName   string          `json:"specPathName,omitempty"`
	SpecPathMethod string          `json:"specPathMethod,omitempty"`
	SpecValue      json.RawMessage `json:"specValue,omitempty"`
}

// ComparisonCompleted is the result of comparing one pact content with one
// provider contract content. Stream: "comparison-<pact sha>.<contract sha>",
// appended with NoStream: it is computed once and reused by every version
// pair with those contents, and a replica that loses the race to append it
// simply reads the winner's. Replaying it never recomputes anything.
type ComparisonCompleted struct {
	PactSHA     string               `json:"pactSha"`
	ContractSHA string               `json:"contractSha"`
	Success     bool                 `json:"success"`
	Mismatches  []ComparisonMismatch `json:"mismatches,omitempty"`
	// Truncated counts mismatches left out to keep the event small.
	Truncated  int           `json:"truncated,omitempty"`
	Engine     string        `json:"engine,omitempty"`
	ComparedAt time.Time     `json:"comparedAt"`
	Duration   time.Duration `json:"durationNs,omitempty"`
}

func (ProviderContractContentStored) EventType() string { return "ProviderContractContentStored" }
func (ProviderContractPublished) EventType() string     { return "ProviderContractPublished" }
func (ComparisonCompleted) EventType() string           { return "ComparisonCompleted" }

// ProviderContractPayloads are the payload types of bi-directional contract
// testing, for NewDefaultRegistry.
func ProviderContractPayloads() []Payload {
	return []Payload{ProviderContractContentStored{}, ProviderContractPublished{}, ComparisonCompleted{}}
}
