package queries

import (
	"strings"

	"github.com/pactledger/pactledger/domain"
)

// Selector picks versions of one application, as q[][...] and ignore[][...]
// do. Empty strings and false mean "not given": the broker drops empty
// values while parsing, and latest and mainBranch count only when "true".
// The fields combine conjunctively (a version number with a tag means that
// version, if it carries the tag).
type Selector struct {
	Pacticipant string // required
	Version     string // exact version number
	Latest      bool   // only the highest-order version left by the other fields
	Tag         string
	Branch      string // with Latest: the branch head
	MainBranch  bool   // the application's main branch; with Latest: its head
	Environment string // currently deployed (any instance) or supported there
}

// nameOnly reports whether the selector names a whole application.
func (s Selector) nameOnly() bool {
	return s.Version == "" && !s.Latest && s.Tag == "" && s.Branch == "" && !s.MainBranch && s.Environment == ""
}

// LatestBy collapses matrix rows (reference §7.4 step 9).
const (
	LatestByConsumerVersionProviderVersion = "cvpv" // one row per consumer version and provider version
	LatestByConsumerVersionProvider        = "cvp"  // the newest provider version per consumer version
	LatestByConsumerProvider               = "cp"   // the newest provider version per integration
)

// Outcome is a row's verification outcome, as success[] filters it.
type Outcome int8

const (
	Unverified Outcome = iota // no verification result (success[]= with an empty value)
	Succeeded                 // success[]=true
	Failed                    // success[]=false, or any other value
)

// MatrixQuery is a parsed /matrix request (reference §7.1): the selectors,
// the ignore selectors and the options. The zero value of each option means
// "not given".
type MatrixQuery struct {
	Selectors []Selector
	Ignore    []Selector
	// LatestBy is "", cvpv, cvp or cp. Empty selects every pact revision and
	// every verification. Any other value keeps the latest revisions and
	// verifications but groups nothing (the broker answers 500 there).
	LatestBy string
	// Latest, Tag, Branch, Environment and MainBranch infer selectors for
	// every integrated application that was not specified. The /matrix
	// parser never sets Branch: the broker ignores a top-level branch.
	Latest      bool
	Tag         string
	Branch      string
	Environment string
	// MainBranch is nil when absent. A present false counts as a destination
	// in "Cannot specify more than one of tag, environment and mainBranch."
	MainBranch *bool
	// Limit caps the rows before latestby is applied (a broker quirk); nil
	// means no limit. /matrix defaults to 100; values below 1 are refused.
	Limit *int
	// Success keeps only rows with one of these outcomes; nil keeps all.
	Success []Outcome
}

func (q MatrixQuery) mainBranch() bool { return q.MainBranch != nil && *q.MainBranch }

// infers reports whether integrated applications get inferred selectors.
func (q MatrixQuery) infers() bool {
	return q.Latest || q.Tag != "" || q.Branch != "" || q.Environment != "" || q.mainBranch()
}

// Param is one can-i-deploy query parameter as Rack parsed it.
type Param struct {
	Present bool   // the key was in the query
	Value   string // its value; "" also when given without "="
	// NotString is set when it parsed to an array or a hash.
	NotString bool
}

// Str returns a present string parameter.
func Str(v string) Param { return Param{Present: true, Value: v} }

// CanIDeployQuery is a parsed GET /can-i-deploy request (reference §7.2).
type CanIDeployQuery struct {
	Pacticipant, Version, To, Environment Param
	// Ignore holds ignore[]=<name> entries as name-only selectors and
	// ignore[][pacticipant]=..&ignore[][version]=.. entries as given.
	Ignore []Selector
}

// QueryError refuses a matrix or can-i-deploy query with the broker's exact
// messages. It matches domain.ErrInvalid (400). Render Body() under
// "errors": /matrix gives an array of strings, can-i-deploy a field map
// whose base errors sit under "".
type QueryError struct {
	List   []string            // /matrix
	Fields map[string][]string // can-i-deploy
}

// Body is the value of the response's "errors" property.
func (e *QueryError) Body() any {
	if e.Fields != nil {
		return e.Fields
	}
	return e.List
}

func (e *QueryError) Error() string {
	if e.Fields == nil {
		return "invalid matrix query: " + strings.Join(e.List, "; ")
	}
	return "invalid can-i-deploy query: " + (&domain.ValidationError{Fields: e.Fields}).Error()
}

func (e *QueryError) Unwrap() error { return domain.ErrInvalid }
