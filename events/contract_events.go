package events

import (
	"encoding/json"
	"time"
)

// PactContentStored keeps a pact document once per content SHA. Stream:
// "content-<sha>". The SHA covers only what affects verification results
// (interactions, messages, specification version), so pacts that differ in
// names or metadata share it; the document stored is the first one published
// with that SHA, as in the Pact Broker.
//
// A document too large for one event is split: the stream then holds Parts
// events, appended at once, numbered Part 1..Parts, each carrying the next
// Chunk of the compact document's bytes and no Content; readers join the
// chunks in order. Parts is 0 for a document stored in one event.
type PactContentStored struct {
	SHA               string          `json:"sha"`
	Content           json.RawMessage `json:"content,omitempty"`
	InteractionsCount int             `json:"interactionsCount"`
	MessagesCount     int             `json:"messagesCount"`
	Part              int             `json:"part,omitempty"`
	Parts             int             `json:"parts,omitempty"`
	Chunk             []byte          `json:"chunk,omitempty"`
}

// PactPublished records the pact a consumer version holds for a provider.
// Stream: "pact-<consumer>.<provider>.<consumer version>". Revision counts
// publications with changed content for that consumer version (1 first);
// only the latest revision counts.
type PactPublished struct {
	Consumer        string `json:"consumer"`
	Provider        string `json:"provider"`
	ConsumerVersion string `json:"consumerVersion"`
	SHA             string `json:"sha"`
	Revision        int    `json:"revision"`
	// Merged is set when the content came from merging interactions into the
	// previous revision (onConflict: merge, or PATCH).
	Merged bool `json:"merged,omitempty"`
}

// PactDeleted removes the pact a consumer version holds for a provider
// (DELETE of the pact, or the cascade of deleting its consumer version or an
// application). Stream: the pact's. A later PactPublished starts it afresh.
type PactDeleted struct {
	Consumer        string `json:"consumer"`
	Provider        string `json:"provider"`
	ConsumerVersion string `json:"consumerVersion"`
}

// VerifiedBy names the tool that ran a verification.
type VerifiedBy struct {
	Implementation      string `json:"implementation,omitempty"`
	Version             string `json:"version,omitempty"`
	ClientLanguage      string `json:"clientLanguage,omitempty"`
	ClientVersion       string `json:"clientVersion,omitempty"`
	ClientTestFramework string `json:"clientTestFramework,omitempty"`
}

// VerificationPublished records one provider verification of one pact
// version (consumer, provider, content SHA). Stream:
// "verifications-<consumer>.<provider>.<sha>". Number counts the results of
// that pact version from 1. A result applies to every consumer version whose
// latest pact for the provider has this content.
type VerificationPublished struct {
	Number           int             `json:"number"`
	Consumer         string          `json:"consumer"`
	Provider         string          `json:"provider"`
	SHA              string          `json:"sha"`
	ProviderVersion  string          `json:"providerVersion"`
	Success          bool            `json:"success"`
	BuildURL         string          `json:"buildUrl,omitempty"`
	TestResults      json.RawMessage `json:"testResults,omitempty"`
	VerifiedBy       *VerifiedBy     `json:"verifiedBy,omitempty"`
	VerificationDate *time.Time      `json:"verificationDate,omitempty"`
	WIP              bool            `json:"wip,omitempty"`
	Pending          bool            `json:"pending,omitempty"`
	// Selectors are the consumer version selectors from the pact URL's
	// metadata, as the verifier fetched it.
	Selectors json.RawMessage `json:"selectors,omitempty"`
}

func (PactContentStored) EventType() string     { return "PactContentStored" }
func (PactPublished) EventType() string         { return "PactPublished" }
func (PactDeleted) EventType() string           { return "PactDeleted" }
func (VerificationPublished) EventType() string { return "VerificationPublished" }
