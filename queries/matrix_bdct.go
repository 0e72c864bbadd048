package queries

// Reasons of bi-directional rows: a pact compared with a provider version's
// OpenAPI contract (reference/bdct.md §3). A failed row names the side that
// failed (the comparison, the self-verification, or both); a row whose
// comparison has not completed is unknown.
const (
	ComparisonInProgress   ReasonKind = "ComparisonInProgress"
	ComparisonFailed       ReasonKind = "ComparisonFailed"
	SelfVerificationFailed ReasonKind = "SelfVerificationFailed"
)

// unknown reports whether a row has no usable result: no result at all, or
// a comparison still in progress.
func (r matrixRow) unknown() bool { return r.ver == nil || r.ver.Pending }

func comparisonInProgress(t *textArena, c, p ResolvedSelector) Reason {
	t.add("The comparison between the pact of ")
	t.describe(c)
	t.add(" and the OpenAPI contract of ")
	t.describe(p)
	t.add(" is in progress; the result is unknown until it completes (retry with --retry-while-unknown)")
	return failure(ComparisonInProgress, t.take())
}

// appendComparisonFailures appends the reasons of a failed comparison row.
func appendComparisonFailures(out []Reason, t *textArena, v Verification, c, p ResolvedSelector) []Reason {
	from := len(out)
	if !v.ComparisonSuccess {
		t.add("The pact of ")
		t.describe(c)
		t.add(" is not compatible with the OpenAPI contract of ")
		t.describe(p)
		t.add(" (the comparison found errors)")
		out = append(out, failure(ComparisonFailed, t.take()))
	}
	if !v.SelfVerified {
		t.add("The provider contract of ")
		t.describe(p)
		t.add(" has no successful self-verification results")
		out = append(out, failure(SelfVerificationFailed, t.take()))
	}
	if len(out) == from {
		out = append(out, verificationFailed(t, c, p))
	}
	return out
}
