package commands

import (
	"context"
	"errors"
	"strings"

	"github.com/pactledger/pactledger/domain"
)

// PublishContracts is one POST /contracts/publish: a version of an
// application with its branch, tags and build URL, and the pacts it holds.
type PublishContracts struct {
	Pacticipant, Version string
	Branch, BuildURL     *string // nil: leave alone
	Tags                 []string
	// Contracts are the pacts; each Key's Consumer and ConsumerVersion must
	// be Pacticipant and Version.
	Contracts []PublishPact
}

// ContractsPublished says what a publication did.
type ContractsPublished struct {
	VersionCreated bool
	Pacts          []PactResult // in the order of the request
}

// ContractsConflictError lists the pacts of a publication that may not be
// published (each a *domain.PactConflictError or *domain.MergeConflictError).
// It matches domain.ErrConflict.
type ContractsConflictError struct{ Conflicts []error }

func (e *ContractsConflictError) Error() string {
	msgs := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		msgs[i] = c.Error()
	}
	return strings.Join(msgs, "; ")
}
func (e *ContractsConflictError) Unwrap() error { return domain.ErrConflict }

// PublishContracts publishes contracts as the Pact Broker does (§5.1):
// conflicts are checked first, before anything is written; then the version
// is created or updated (build URL), put on the branch and tagged (tags that
// name an environment record no deployment here); then each pact is
// published, creating its provider. A conflict that appears after the check
// (a concurrent publication) fails that pact after the version was written.
func (s *Service) PublishContracts(ctx context.Context, in PublishContracts) (ContractsPublished, error) {
	k := domain.VersionKey{Pacticipant: in.Pacticipant, Number: in.Version}
	if err := checkPublication(in); err != nil {
		return ContractsPublished{}, err
	}
	streams := make([]string, len(in.Contracts))
	plans := make([]pactPlan, len(in.Contracts))
	var conflicts []error
	for i, c := range in.Contracts {
		var err error
		if streams[i], err = streamFor(domain.PactStream(c.Key)); err != nil {
			return ContractsPublished{}, err
		}
		plans[i], err = s.planPact(ctx, streams[i], c)
		switch {
		case errors.Is(err, domain.ErrConflict):
			conflicts = append(conflicts, err)
		case err != nil:
			return ContractsPublished{}, err
		}
	}
	if len(conflicts) > 0 {
		return ContractsPublished{}, &ContractsConflictError{Conflicts: conflicts}
	}
	var out ContractsPublished
	var err error
	if out.VersionCreated, err = s.UpsertVersion(ctx, k, domain.VersionUpsert{BuildURL: in.BuildURL}); err != nil {
		return out, err
	}
	if in.Branch != nil {
		if _, err := s.AddVersionToBranch(ctx, k, *in.Branch); err != nil {
			return out, err
		}
	}
	for _, tag := range in.Tags {
		if _, err := s.tagVersion(ctx, k, tag, false); err != nil {
			return out, err
		}
	}
	for i, c := range in.Contracts {
		if err := s.EnsurePacticipant(ctx, c.Key.Provider); err != nil {
			return out, err
		}
		res, err := s.publishPact(ctx, streams[i], c, &plans[i])
		if err != nil {
			return out, err
		}
		out.Pacts = append(out.Pacts, res)
	}
	return out, nil
}

// checkVersionNames adds to v what is wrong with the names of a
// publication's application version: the application (under nameField),
// the version number, the branch and the tags.
func checkVersionNames(v *domain.ValidationError, nameField, name, version string, branch *string, tags []string) {
	v.AddFrom(nameField, domain.CheckPathName(nameField, name))
	v.AddFrom("pacticipantVersionNumber", domain.CheckPathName("pacticipantVersionNumber", version))
	if branch != nil {
		v.AddFrom("branch", domain.CheckPathName("branch", *branch))
	}
	for _, t := range tags {
		v.AddFrom("tags", domain.CheckPathName("tags", t))
	}
}

// checkPublication validates every name before anything is written.
func checkPublication(in PublishContracts) error {
	v := &domain.ValidationError{Kind: domain.ErrInvalid}
	checkVersionNames(v, "pacticipantName", in.Pacticipant, in.Version, in.Branch, in.Tags)
	for _, c := range in.Contracts {
		v.AddFrom("contracts", c.Key.Check())
		if c.Key.Consumer != in.Pacticipant || c.Key.ConsumerVersion != in.Version {
			v.Add("contracts", "consumerName must match pacticipantName")
		}
	}
	return v.OrNil()
}
