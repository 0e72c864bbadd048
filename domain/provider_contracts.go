package domain

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"

	"github.com/pactledger/pactledger/events"
)

// SpecificationOAS is the only provider contract specification accepted:
// an OpenAPI description (Swagger 2.0, OpenAPI 3.0 or 3.1).
const SpecificationOAS = "oas"

// MaxSelfVerificationBytes bounds the self-verification report kept with a
// contract: it travels inside the publication event, which has to stay
// under the store's payload limit.
const MaxSelfVerificationBytes = 1 << 20

// ProviderContractKey names the contract one provider version holds.
type ProviderContractKey struct{ Provider, Version string }

// Check validates both names as path names.
func (k ProviderContractKey) Check() error {
	v := &ValidationError{Kind: ErrInvalid}
	checkName(v, "provider", k.Provider, true)
	checkName(v, "providerVersion", k.Version, true)
	return v.OrNil()
}

// ProviderContractStream is the stream of one provider version's contract:
// "provider-contract-<provider>.<version>".
func ProviderContractStream(k ProviderContractKey) (string, error) {
	return events.StreamID("provider-contract", k.Provider, k.Version)
}

// ContractContentStream stores one provider contract content once:
// "contract-content-<sha>".
func ContractContentStream(sha string) (string, error) {
	return events.StreamID("contract-content", sha)
}

// ContractSHA is a provider contract's content hash: SHA-1 (hex) of the
// exact bytes published. Unlike a pact's SHA it does not normalise: an
// OpenAPI document re-serialised differently is compared again, which is
// only wasted work, never a wrong answer.
func ContractSHA(content []byte) string {
	sum := sha1.Sum(content)
	return hex.EncodeToString(sum[:])
}

// ProviderContract is the state of a provider contract stream.
type ProviderContract struct {
	Exists           bool
	SHA              string
	ContentType      string
	Revision         int
	SelfVerification *events.SelfVerification
}

// EvolveProviderContract folds one event into s.
func EvolveProviderContract(s ProviderContract, e events.Envelope) ProviderContract {
	if p, ok := e.Data.(events.ProviderContractPublished); ok {
		return ProviderContract{Exists: true, SHA: p.SHA, ContentType: p.ContentType, Revision: p.Revision,
			SelfVerification: p.SelfVerification}
	}
	return s
}

// PublishProviderContract asks to make content SHA (already stored) the
// contract of a provider version.
type PublishProviderContract struct {
	Key              ProviderContractKey
	SHA, ContentType string
	Specification    string
	SelfVerification *events.SelfVerification // nil: none published
}

// ProviderContractOutcome says what a publication did.
type ProviderContractOutcome struct {
	Created bool // the version had no contract
	Changed bool // the content or the self-verification changed
}

// DecidePublishProviderContract publishes a contract. Unlike a pact, a
// provider contract may be replaced (PactFlow lets a provider version
// republish its OpenAPI description and evidence): a change is a new
// revision. The same content and evidence again writes nothing.
func DecidePublishProviderContract(s ProviderContract, c PublishProviderContract) ([]events.Payload, ProviderContractOutcome, error) {
	if err := c.Key.Check(); err != nil {
		return nil, ProviderContractOutcome{}, err
	}
	if c.Specification != SpecificationOAS {
		return nil, ProviderContractOutcome{}, Invalid("specification", "must be one of: oas")
	}
	if c.SHA == "" {
		return nil, ProviderContractOutcome{}, Invalid("content", "must be filled")
	}
	if c.SelfVerification != nil && len(c.SelfVerification.Content) > MaxSelfVerificationBytes {
		return nil, ProviderContractOutcome{}, Invalid("selfVerificationResults", "content must not be larger than 1 MiB")
	}
	if s.Exists && s.SHA == c.SHA && s.ContentType == c.ContentType && sameSelfVerification(s.SelfVerification, c.SelfVerification) {
		return nil, ProviderContractOutcome{}, nil
	}
	ev := events.ProviderContractPublished{Provider: c.Key.Provider, ProviderVersion: c.Key.Version, SHA: c.SHA,
		ContentType: c.ContentType, Specification: c.Specification, Revision: s.Revision + 1, SelfVerification: c.SelfVerification}
	return []events.Payload{ev}, ProviderContractOutcome{Created: !s.Exists, Changed: s.Exists}, nil
}

func sameSelfVerification(a, b *events.SelfVerification) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Success == b.Success && bytes.Equal(a.Content, b.Content) && a.ContentType == b.ContentType &&
		a.Format == b.Format && a.Verifier == b.Verifier && a.VerifierVersion == b.VerifierVersion
}

// ContractContent is the state of a contract content stream.
type ContractContent struct {
	Exists      bool
	SHA         string
	ContentType string
	Content     []byte
	chunks      [][]byte // parts of a split document seen so far
}

// Chunks returns the parts of a split document seen so far, in order
// (none once the document is complete). They are shared: treat them as
// read-only. A read model that saves its state (a snapshot) keeps them and
// folds them back with ResumeContractContent.
func (s ContractContent) Chunks() [][]byte { return s.chunks }

// ResumeContractContent returns the state of a split document of which the
// given parts have been seen (what Chunks returned); no chunks give the
// state of a stream with no content. It equals the state that folding
// those parts gave.
func ResumeContractContent(chunks [][]byte) ContractContent {
	return ContractContent{chunks: chunks}
}

// EvolveContractContent folds one event into s, joining a split document
// when its last part arrives. The first complete document wins.
func EvolveContractContent(s ContractContent, e events.Envelope) ContractContent {
	p, ok := e.Data.(events.ProviderContractContentStored)
	if !ok || s.Exists {
		return s
	}
	if p.Parts <= 1 && p.Chunk == nil {
		return ContractContent{Exists: true, SHA: p.SHA, ContentType: p.ContentType, Content: p.Content}
	}
	s.chunks = append(s.chunks, p.Chunk)
	if p.Part >= p.Parts {
		return ContractContent{Exists: true, SHA: p.SHA, ContentType: p.ContentType, Content: bytesJoin(s.chunks)}
	}
	return s
}

// contractInlineLimit is the largest contract stored in one event: the
// bytes travel base64-encoded, a third larger.
const contractInlineLimit = contentInlineLimit / 4 * 3

// DecideStoreContractContent returns the events that store a contract in
// its content stream (split like pact content when large), or none when
// the stream holds it already.
func DecideStoreContractContent(s ContractContent, sha, contentType string, content []byte) []events.Payload {
	if s.Exists {
		return nil
	}
	ev := events.ProviderContractContentStored{SHA: sha, ContentType: contentType}
	if len(content) <= contractInlineLimit {
		ev.Content = content
		return []events.Payload{ev}
	}
	parts := (len(content) + contentChunkBytes - 1) / contentChunkBytes
	out := make([]events.Payload, 0, parts)
	for i := range parts {
		part := ev
		part.Part, part.Parts = i+1, parts
		part.Chunk = content[i*contentChunkBytes : min((i+1)*contentChunkBytes, len(content))]
		out = append(out, part)
	}
	return out
}
