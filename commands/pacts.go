package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// ContractLookups are the contract read-model facts the pact and
// verification commands need beyond their own streams.
type ContractLookups interface {
	// PactVersionExists reports whether some pact of the pair has the content.
	PactVersionExists(k domain.PactVersionKey) bool
	// PactsOfPacticipantVersion lists the pacts a version holds as consumer,
	// for the cascade of deleting it.
	PactsOfPacticipantVersion(consumer, version string) []domain.PactKey
	// PactsWithProvider lists every pact for a provider, for the cascade of
	// deleting it.
	PactsWithProvider(provider string) []domain.PactKey
}

// PublishPact asks to make a document the pact a consumer version holds for
// a provider.
type PublishPact struct {
	Key domain.PactKey
	Doc domain.PactDocument
	// Merge adds the document's interactions to an existing pact instead of
	// replacing it (onConflict: merge, PATCH).
	Merge bool
}

// PactResult says what a publication did.
type PactResult struct {
	Key         domain.PactKey
	SHA         string // the pact's content now
	PreviousSHA string // the content it had before, "" if it had none
	domain.PactOutcome
}

// errStale means the pact stream moved between planning a publication and
// appending it; the publication is planned again.
var errStale = errors.New("commands: pact stream changed while publishing")

// PublishPact publishes one pact (the legacy PUT and PATCH): it creates the
// consumer, its version and the provider as needed, stores the content once
// under its SHA and appends the publication. The same content again writes
// nothing; changed content is a *domain.PactConflictError unless merged or
// AllowContractModification is set; a merge may fail with a
// *domain.MergeConflictError. A conflict writes nothing.
func (s *Service) PublishPact(ctx context.Context, in PublishPact) (PactResult, error) {
	if err := in.Key.Check(); err != nil {
		return PactResult{}, err
	}
	stream, err := streamFor(domain.PactStream(in.Key))
	if err != nil {
		return PactResult{}, err
	}
	plan, err := s.planPact(ctx, stream, in)
	if err != nil {
		return PactResult{}, err
	}
	if err := s.ensurePactParties(ctx, in.Key); err != nil {
		return PactResult{}, err
	}
	return s.publishPact(ctx, stream, in, &plan)
}

// ensurePactParties creates the consumer version (and consumer) and the
// provider when they do not exist.
func (s *Service) ensurePactParties(ctx context.Context, k domain.PactKey) error {
	if _, err := s.UpsertVersion(ctx, domain.VersionKey{Pacticipant: k.Consumer, Number: k.ConsumerVersion}, domain.VersionUpsert{}); err != nil {
		return err
	}
	return s.EnsurePacticipant(ctx, k.Provider)
}

// pactPlan is what a publication will write, decided from the pact stream
// as it was read.
type pactPlan struct {
	state  domain.Pact
	stored domain.StoredPact
	merged bool
}

// planPact reads the pact stream, merges when asked to and checks that the
// content may change. It writes nothing.
func (s *Service) planPact(ctx context.Context, stream string, in PublishPact) (pactPlan, error) {
	st, err := load(ctx, s, stream, domain.EvolvePact)
	if err != nil {
		return pactPlan{}, err
	}
	p := pactPlan{state: st, stored: in.Doc.Stored()}
	if in.Merge && st.Exists && st.SHA != p.stored.SHA {
		base, err := s.loadPact(ctx, st.SHA)
		if err != nil {
			return pactPlan{}, err
		}
		doc, err := domain.MergePacts(base, in.Doc)
		if err != nil {
			return pactPlan{}, err
		}
		p.stored, p.merged = doc.Stored(), true
	}
	return p, domain.CheckPactModification(st, in.Key, p.stored.SHA, p.merged, s.AllowContractModification)
}

// publishPact stores the content, then appends the publication if the pact
// stream is still as planned, else plans again. first, if given, is the
// plan for the first attempt. Content stored for a publication that then
// loses a race stays unreferenced; it is addressed by hash, so that is
// harmless.
func (s *Service) publishPact(ctx context.Context, stream string, in PublishPact, first *pactPlan) (PactResult, error) {
	for attempt := 1; ; attempt++ {
		var plan pactPlan
		var err error
		if first != nil && attempt == 1 {
			plan = *first
		} else if plan, err = s.planPact(ctx, stream, in); err != nil {
			return PactResult{}, err
		}
		if !plan.state.Exists || plan.state.SHA != plan.stored.SHA {
			if err := s.storeContent(ctx, plan.stored); err != nil {
				return PactResult{}, err
			}
		}
		res := PactResult{Key: in.Key, SHA: plan.stored.SHA, PreviousSHA: plan.state.SHA}
		_, err = execute(ctx, s, stream, domain.EvolvePact, func(cur domain.Pact, _ time.Time) (evs []events.Payload, err error) {
			if cur != plan.state {
				return nil, errStale
			}
			evs, res.PactOutcome, err = domain.DecidePublishPact(cur, domain.PublishPact{
				Key: in.Key, SHA: plan.stored.SHA, Merged: plan.merged, AllowModification: s.AllowContractModification})
			return evs, err
		})
		if errors.Is(err, errStale) && attempt < MaxAttempts {
			continue
		}
		return res, err
	}
}

// storeContent writes a document to its content stream unless it is there.
func (s *Service) storeContent(ctx context.Context, p domain.StoredPact) error {
	stream, err := streamFor(domain.ContentStream(p.SHA))
	if err != nil {
		return err
	}
	_, err = execute(ctx, s, stream, domain.EvolvePactContent, func(st domain.PactContent, _ time.Time) ([]events.Payload, error) {
		return domain.DecideStoreContent(st, p), nil
	})
	return err
}

// loadPact reads stored content back as a document. Content is immutable
// once stored, so reading it is as good as reading state.
func (s *Service) loadPact(ctx context.Context, sha string) (domain.PactDocument, error) {
	stream, err := streamFor(domain.ContentStream(sha))
	if err != nil {
		return domain.PactDocument{}, err
	}
	st, err := load(ctx, s, stream, domain.EvolvePactContent)
	if err != nil {
		return domain.PactDocument{}, err
	}
	if !st.Exists {
		return domain.PactDocument{}, fmt.Errorf("commands: pact content %s is missing from the store", sha)
	}
	doc, err := domain.ParsePact(st.Stored.Content)
	if err != nil {
		return domain.PactDocument{}, fmt.Errorf("commands: stored pact content %s: %w", sha, err)
	}
	return doc, nil
}

// load folds a stream into its state without deciding anything.
func load[S any](ctx context.Context, s *Service, stream string, evolve func(S, events.Envelope) S) (S, error) {
	var state S
	history, err := s.log.ReadStream(ctx, stream)
	if err != nil {
		return state, fmt.Errorf("commands: read %s: %w", stream, err)
	}
	for _, e := range history {
		state = evolve(state, e)
	}
	return state, nil
}

// DeletePact deletes the pact a consumer version holds for a provider.
func (s *Service) DeletePact(ctx context.Context, k domain.PactKey) error {
	stream, err := streamFor(domain.PactStream(k))
	if err != nil {
		return err
	}
	_, err = execute(ctx, s, stream, domain.EvolvePact, func(st domain.Pact, _ time.Time) ([]events.Payload, error) {
		return domain.DecideDeletePact(st, k)
	})
	return err
}

// deletePacts deletes pacts as part of a cascade; one gone already is fine.
func (s *Service) deletePacts(ctx context.Context, keys []domain.PactKey) error {
	for _, k := range keys {
		if err := s.DeletePact(ctx, k); err != nil && !isNotFound(err) {
			return err
		}
	}
	return nil
}
