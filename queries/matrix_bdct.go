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

func comparisonInProgress(c, p ResolvedSelector) Reason {
	return failure(ComparisonInProgress, "The comparison between the pact of "+c.Description()+" and the OpenAPI contract of "+
		p.Description()+" is in progress; the result is unknown until it completes (retry with --retry-while-unknown)")
}

func comparisonFailures(v Verification, c, p ResolvedSelector) []Reason {
	var out []Reason
	if !v.ComparisonSuccess {
		out = append(out, failure(ComparisonFailed, "The pact of "+c.Description()+" is not compatible with the OpenAPI contract of "+
			p.Description()+" (the comparison found errors)"))
	}
	if !v.SelfVerified {
		out = append(out, failure(SelfVerificationFailed, "The provider contract of "+p.Description()+
			" has no successful self-verification results"))
	}
	if len(out) == 0 {
		out = append(out, verificationFailed(c, p))
	}
	return out
}
