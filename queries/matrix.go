package queries

import (
	"github.com/pactledger/pactledger/domain"
)

// MatrixResult is the answer to a matrix or can-i-deploy query, ready to be
// rendered as reference §7.3.
type MatrixResult struct {
	// Deployable is nil when the answer is unknown (a result is missing);
	// clients treat that as "no" and may retry.
	Deployable *bool
	Reasons    []Reason // summary.reason lines and notices, in order
	Counts     Counts
	// Rows are the considered rows, then the ignored rows (Ignored set),
	// each group in display order.
	Rows []Row
	// Selectors are the resolved specified selectors, then the inferred
	// ones; IgnoreSelectors the resolved ignore selectors.
	Selectors, IgnoreSelectors []ResolvedSelector
	Integrations               []Integration
}

// Matrix answers GET /matrix: it validates q (a *QueryError lists the
// broker's messages) and resolves it (reference §7.4). Cost: a handful of
// indexed reads per selector, integration and version in the target; a
// name-only selector reads that application's whole pact history.
func Matrix(r MatrixReader, q MatrixQuery) (MatrixResult, error) {
	a := new(Answer)
	if err := MatrixInto(r, q, a); err != nil {
		return MatrixResult{}, err
	}
	return a.MatrixResult, nil
}

// MatrixInto is Matrix answering into a: a.MatrixResult is the answer when
// err is nil (it is left empty otherwise). See Answer for how long the
// result stays valid.
func MatrixInto(r MatrixReader, q MatrixQuery, a *Answer) error {
	a.MatrixResult = MatrixResult{}
	if msgs := validateMatrix(r, q); len(msgs) > 0 {
		return &QueryError{List: msgs}
	}
	resolveInto(r, q, a)
	return nil
}

// CanIDeploy answers GET /can-i-deploy: one selector for the version, and
// either the latest version with the "to" tag (latestby cvp) or every
// version in the environment (latestby cvpv). Invalid input gives a
// *QueryError with a field map. The result is its own: CanIDeployInto
// answers into a reusable Answer instead.
func CanIDeploy(r MatrixReader, q CanIDeployQuery) (MatrixResult, error) {
	a := new(Answer)
	if err := CanIDeployInto(r, q, a); err != nil {
		return MatrixResult{}, err
	}
	return a.MatrixResult, nil
}

// CanIDeployTagToTag answers /pacticipants/{p}/latest-version/{tag}/can-i-deploy/to/{to}.
// It is domain.ErrNotFound when the application has no version with tag.
func CanIDeployTagToTag(r MatrixReader, pacticipant, tag, to string) (MatrixResult, error) {
	if _, ok := r.LatestVersionWithTag(pacticipant, tag); !ok {
		return MatrixResult{}, domain.NotFound("latest version of %s with tag %s", pacticipant, tag)
	}
	return resolveMatrix(r, MatrixQuery{
		Selectors: []Selector{{Pacticipant: pacticipant, Latest: true, Tag: tag}},
		LatestBy:  LatestByConsumerVersionProvider, Latest: true, Tag: to,
	}), nil
}

// CanIDeployBranchToEnvironment answers
// /pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{env}
// (the environment by name). It is domain.ErrNotFound when the branch has no
// head or no environment has that name.
func CanIDeployBranchToEnvironment(r MatrixReader, pacticipant, branch, environment string) (MatrixResult, error) {
	if _, ok := r.BranchHead(pacticipant, branch); !ok {
		return MatrixResult{}, domain.NotFound("latest version of %s from branch %s", pacticipant, branch)
	}
	if !r.EnvironmentExists(environment) {
		return MatrixResult{}, domain.NotFound("environment %s", environment)
	}
	return resolveMatrix(r, MatrixQuery{
		Selectors: []Selector{{Pacticipant: pacticipant, Latest: true, Branch: branch}},
		LatestBy:  LatestByConsumerVersionProviderVersion, Environment: environment,
	}), nil
}

// CanIMerge asks whether the head of the application's main branch (or, as
// the broker falls back to, its latest version tagged with the main branch
// name) works with the main branches of everything it integrates with. It
// is domain.ErrNotFound when there is no such application or version. The
// CLI's can-i-merge sends a /matrix query with mainBranch=true instead.
func CanIMerge(r MatrixReader, pacticipant string) (MatrixResult, error) {
	p, ok := r.Pacticipant(pacticipant)
	if !ok {
		return MatrixResult{}, domain.NotFound("pacticipant %s", pacticipant)
	}
	version, ok := "", false
	if p.MainBranch != "" {
		if version, ok = r.BranchHead(p.Name, p.MainBranch); !ok {
			version, ok = r.LatestVersionWithTag(p.Name, p.MainBranch)
		}
	}
	if !ok {
		return MatrixResult{}, domain.NotFound("main branch version of %s", pacticipant)
	}
	yes := true
	return resolveMatrix(r, MatrixQuery{
		Selectors: []Selector{{Pacticipant: p.Name, Version: version}},
		LatestBy:  LatestByConsumerVersionProvider, Latest: true, MainBranch: &yes,
	}), nil
}

// MatrixForIntegration answers /matrix/provider/{p}/consumer/{c}: every
// version of both, with the options of q (its selectors are ignored).
// Invalid options come first (a *QueryError), then domain.ErrNotFound for an
// unknown application.
func MatrixForIntegration(r MatrixReader, consumer, provider string, q MatrixQuery) (MatrixResult, error) {
	if msgs := validateOptions(r, q); len(msgs) > 0 {
		return MatrixResult{}, &QueryError{List: msgs}
	}
	for _, name := range []string{consumer, provider} {
		if _, ok := r.Pacticipant(name); !ok {
			return MatrixResult{}, domain.NotFound("pacticipant %s", name)
		}
	}
	q.Selectors = []Selector{{Pacticipant: consumer}, {Pacticipant: provider}}
	return resolveMatrix(r, q), nil
}
