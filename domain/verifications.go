package domain

import (
	"encoding/json"
	"net/url"
	"time"

	"github.com/pactledger/pactledger/events"
)

// PactVersionKey names a pact version: a consumer/provider pair's content.
// Verification results belong to pact versions, not to consumer versions.
type PactVersionKey struct{ Consumer, Provider, SHA string }

// VerificationStream is the stream of one pact version's verification
// results: "verifications-<consumer>.<provider>.<sha>".
func VerificationStream(k PactVersionKey) (string, error) {
	return events.StreamID("verifications", k.Consumer, k.Provider, k.SHA)
}

// Verifications is the state of a verification stream.
type Verifications struct {
	Last int // the number of the latest result, 0 before the first
}

// EvolveVerifications folds one event into s.
func EvolveVerifications(s Verifications, e events.Envelope) Verifications {
	if p, ok := e.Data.(events.VerificationPublished); ok && p.Number > s.Last {
		s.Last = p.Number
	}
	return s
}

// PublishVerification is one provider verification result of a pact version.
type PublishVerification struct {
	Pact             PactVersionKey
	ProviderVersion  string
	Success          bool
	BuildURL         string
	TestResults      json.RawMessage
	VerifiedBy       *events.VerifiedBy
	VerificationDate *time.Time
	// WIP, Pending and Selectors come from the metadata segment of the pact
	// URL the verifier fetched (pacts for verification).
	WIP, Pending bool
	Selectors    json.RawMessage
}

// Validate checks the rules of the Pact Broker's verification contract that
// are not about JSON types: a non-blank, single-line provider version and a
// valid absolute URL as buildUrl when there is one.
func (c PublishVerification) Validate() error {
	v := &ValidationError{Kind: ErrInvalid}
	checkName(v, "providerApplicationVersion", c.ProviderVersion, true)
	if c.BuildURL != "" && !validURL(c.BuildURL) {
		v.Add("buildUrl", "is not a valid URL eg. http://example.org")
	}
	return v.OrNil()
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// DecidePublishVerification records a result with the next number of the
// pact version (1 for the first). The caller checks that the pact version
// exists and creates the provider version.
func DecidePublishVerification(s Verifications, c PublishVerification) ([]events.Payload, int, error) {
	if err := c.Validate(); err != nil {
		return nil, 0, err
	}
	n := s.Last + 1
	return []events.Payload{events.VerificationPublished{
		Number: n, Consumer: c.Pact.Consumer, Provider: c.Pact.Provider, SHA: c.Pact.SHA,
		ProviderVersion: c.ProviderVersion, Success: c.Success, BuildURL: c.BuildURL,
		TestResults: c.TestResults, VerifiedBy: c.VerifiedBy, VerificationDate: c.VerificationDate,
		WIP: c.WIP, Pending: c.Pending, Selectors: c.Selectors,
	}}, n, nil
}
