package commands

import (
	"context"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// PublishProviderContract is one provider contract publication
// (POST /provider-contracts/provider/{p}/publish, or the legacy PUT): a
// provider version with its branch, tags and build URL, its OpenAPI
// document and the evidence of its own tests.
type PublishProviderContract struct {
	Provider, Version string
	Branch, BuildURL  *string // nil: leave alone
	Tags              []string
	Content           []byte // the document, as published
	ContentType       string
	Specification     string
	SelfVerification  *events.SelfVerification // nil: none published
}

// ProviderContractPublished says what a publication did.
type ProviderContractPublished struct {
	VersionCreated bool
	SHA            string // the contract content's SHA
	domain.ProviderContractOutcome
}

// PublishProviderContract validates every name and the specification
// before anything is written, then creates or updates the version (build
// URL, branch, tags; the provider is created as needed), stores the content
// once under its SHA and appends the publication to the provider version's
// contract stream. Republishing the same content and evidence writes only
// what changed about the version.
func (s *Service) PublishProviderContract(ctx context.Context, in PublishProviderContract) (ProviderContractPublished, error) {
	k := domain.ProviderContractKey{Provider: in.Provider, Version: in.Version}
	if err := checkProviderContract(in); err != nil {
		return ProviderContractPublished{}, err
	}
	out := ProviderContractPublished{SHA: domain.ContractSHA(in.Content)}
	vk := domain.VersionKey{Pacticipant: in.Provider, Number: in.Version}
	var err error
	if out.VersionCreated, err = s.UpsertVersion(ctx, vk, domain.VersionUpsert{BuildURL: in.BuildURL}); err != nil {
		return out, err
	}
	if in.Branch != nil {
		if _, err := s.AddVersionToBranch(ctx, vk, *in.Branch); err != nil {
			return out, err
		}
	}
	for _, tag := range in.Tags {
		if _, err := s.tagVersion(ctx, vk, tag, false); err != nil {
			return out, err
		}
	}
	if err := s.storeContractContent(ctx, out.SHA, in.ContentType, in.Content); err != nil {
		return out, err
	}
	stream, err := streamFor(domain.ProviderContractStream(k))
	if err != nil {
		return out, err
	}
	_, err = execute(ctx, s, stream, domain.EvolveProviderContract, func(st domain.ProviderContract, _ time.Time) (evs []events.Payload, err error) {
		evs, out.ProviderContractOutcome, err = domain.DecidePublishProviderContract(st, domain.PublishProviderContract{
			Key: k, SHA: out.SHA, ContentType: in.ContentType, Specification: in.Specification, SelfVerification: in.SelfVerification})
		return evs, err
	})
	return out, err
}

// checkProviderContract validates a publication before anything is written.
func checkProviderContract(in PublishProviderContract) error {
	v := &domain.ValidationError{Kind: domain.ErrInvalid}
	checkVersionNames(v, "provider", in.Provider, in.Version, in.Branch, in.Tags)
	if in.Specification != domain.SpecificationOAS {
		v.Add("contract", "specification must be one of: oas")
	}
	if len(in.Content) == 0 {
		v.Add("contract", "content must be filled")
	}
	if in.SelfVerification != nil && len(in.SelfVerification.Content) > domain.MaxSelfVerificationBytes {
		v.Add("contract", "selfVerificationResults content must not be larger than 1 MiB")
	}
	return v.OrNil()
}

// storeContractContent writes a contract to its content stream unless it
// is there. Content stored for a publication that then fails stays
// unreferenced; it is addressed by hash, so that is harmless.
func (s *Service) storeContractContent(ctx context.Context, sha, contentType string, content []byte) error {
	stream, err := streamFor(domain.ContractContentStream(sha))
	if err != nil {
		return err
	}
	_, err = execute(ctx, s, stream, domain.EvolveContractContent, func(st domain.ContractContent, _ time.Time) ([]events.Payload, error) {
		return domain.DecideStoreContractContent(st, sha, contentType, content), nil
	})
	return err
}

// RecordComparison stores the outcome of comparing a pact content with a
// contract content. It is idempotent across replicas: the stream is
// appended as new (its expected version is "no stream" when empty), and
// when another replica stored a result first the retry reads it and writes
// nothing. It waits, like every command, until the read models have the
// result.
func (s *Service) RecordComparison(ctx context.Context, k domain.ComparisonKey, out domain.ComparisonOutcome, took time.Duration) error {
	stream, err := streamFor(domain.ComparisonStream(k))
	if err != nil {
		return err
	}
	_, err = execute(ctx, s, stream, domain.EvolveComparison, func(st domain.Comparison, now time.Time) ([]events.Payload, error) {
		return domain.DecideRecordComparison(st, k, out, took, now), nil
	})
	return err
}

// ComparisonRecorded reports whether the log holds a result for k. The
// comparison pool asks it before computing, so a result stored by another
// replica, or one that the read models have not replayed yet after a
// restart, is never computed again.
func (s *Service) ComparisonRecorded(ctx context.Context, k domain.ComparisonKey) (bool, error) {
	stream, err := streamFor(domain.ComparisonStream(k))
	if err != nil {
		return false, err
	}
	st, err := load(ctx, s, stream, domain.EvolveComparison)
	return st.Completed, err
}
