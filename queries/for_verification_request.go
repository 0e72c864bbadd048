package queries

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pactledger/pactledger/domain"
)

// PactsForVerificationRequest is a validated pacts-for-verification request
// (reference §6.1).
type PactsForVerificationRequest struct {
	Provider string
	// Selectors as given, deployedOrReleased already split into a deployed
	// and a released selector; none means the default selectors.
	Selectors []ConsumerVersionSelector
	// ProviderVersionBranch ("" for none) and ProviderVersionTags name the
	// provider build: they decide pending and WIP. A branch wins over tags.
	// An empty branch sent with tags counts as none, so the tags decide (the
	// Pact Broker would compute pending for a branch named "").
	ProviderVersionBranch string
	ProviderVersionTags   []string
	// IncludePendingStatus adds verificationProperties.pending and the
	// pending notices. Absent from the body it is true, as in the Pact
	// Broker (its documentation says false, its code says true).
	IncludePendingStatus bool
	// IncludeWIPPactsSince, with a provider branch or tags, adds the WIP
	// pacts published after it.
	IncludeWIPPactsSince *time.Time
}

// ConsumerVersionSelector is one consumer version selector. The Pact
// Broker's decoding rules are applied: mainBranch, branch and
// matchingBranch imply latest.
type ConsumerVersionSelector struct {
	MainBranch     bool
	Branch         string // a branch name; with AllBranches, "" until resolved
	AllBranches    bool   // branch: true — the head of every branch
	MatchingBranch bool   // Branch is the request's providerVersionBranch
	FallbackBranch string
	Tag            string
	FallbackTag    string
	Latest         *bool // nil when not given (rendered as absent in metadata)
	Consumer       string
	Deployed       bool   // currently deployed
	Released       bool   // currently supported
	Environment    string // as given; "" for any environment
}

func (s ConsumerVersionSelector) latest() bool { return s.Latest != nil && *s.Latest }

func (s ConsumerVersionSelector) overallLatest() bool {
	return s.latest() && s.Tag == "" && s.Branch == "" && !s.AllBranches && !s.MainBranch &&
		!s.Deployed && !s.Released && s.Environment == ""
}

func (s ConsumerVersionSelector) latestForTag() bool    { return s.latest() && s.Tag != "" }
func (s ConsumerVersionSelector) latestForBranch() bool { return s.latest() && s.Branch != "" }
func (s ConsumerVersionSelector) allForTag() bool       { return s.Tag != "" && !s.latest() }
func (s ConsumerVersionSelector) environmental() bool {
	return s.Deployed || s.Released || s.Environment != ""
}

func fvTrue() *bool { t := true; return &t }

// Messages of the top-level body rules.
const (
	fvMsgBranchEmpty = "when pending or WIP pacts are enabled and there are no tags provided, the provider version " +
		"branch must not be an empty string, as it is used in the calculations for WIP/pending. A value must be " +
		"provided (recommended), or it must not be set at all."
	fvSelectorsKey = "consumerVersionSelectors"
)

// DecodePactsForVerification validates a POST body (a decoded JSON object;
// numbers may be json.Number) with the Pact Broker's schema and messages,
// and returns the request. Errors are a *domain.ValidationError (400):
// {"consumerVersionSelectors": ["<msg> (at index N)"], "<key>": ["<msg>"]}.
// A rule that involves a key with a type error is skipped, as dry-validation
// skips it. r answers whether a selector's environment exists.
func DecodePactsForVerification(r PactsForVerificationReader, provider string, body map[string]any) (PactsForVerificationRequest, error) {
	req := PactsForVerificationRequest{Provider: provider, IncludePendingStatus: true}
	errs := &domain.ValidationError{Kind: domain.ErrInvalid}
	bad := map[string]bool{}
	fail := func(key, msg string) { errs.Add(key, msg); bad[key] = true }

	branch, branchGiven := body["providerVersionBranch"].(string)
	if v, ok := body["providerVersionBranch"]; ok && v != nil && !branchGiven {
		fail("providerVersionBranch", "must be a string")
	}
	req.ProviderVersionBranch = branch
	switch v := body["providerVersionTags"].(type) {
	case nil:
	case []any:
		for _, t := range v {
			if s := fvScalar(t); s != "" {
				req.ProviderVersionTags = append(req.ProviderVersionTags, s)
			}
		}
	default:
		fail("providerVersionTags", "must be an array")
	}
	pendingRaw, pendingGiven := body["includePendingStatus"]
	if pendingGiven {
		if b, ok := pendingRaw.(bool); ok {
			req.IncludePendingStatus = b
		} else if pendingRaw == nil || pendingRaw == "" {
			fail("includePendingStatus", "must be filled")
		} else {
			fail("includePendingStatus", "must be one of: true, false")
		}
	}
	if raw, ok := body["includeWipPactsSince"]; ok {
		s, _ := raw.(string)
		switch t, parsed := ParseWIPDate(s); {
		case raw == nil || raw == "":
			fail("includeWipPactsSince", "must be filled")
		case !parsed:
			fail("includeWipPactsSince", "must be a date")
		default:
			req.IncludeWIPPactsSince = &t
		}
	}
	if !bad["providerVersionBranch"] && !bad["providerVersionTags"] && !bad["includePendingStatus"] && !bad["includeWipPactsSince"] {
		blank := branchGiven && strings.TrimSpace(branch) == ""
		switch {
		case branch != "" && blank:
			fail("providerVersionBranch", "cannot be blank")
		case len(req.ProviderVersionTags) == 0 && (req.IncludeWIPPactsSince != nil || pendingRaw == true) && blank:
			fail("providerVersionBranch", fvMsgBranchEmpty)
		}
	}
	if raw, ok := body[fvSelectorsKey]; ok {
		req.Selectors = fvDecodeSelectors(r, raw, body["providerVersionBranch"], errs)
	}
	if err := errs.OrNil(); err != nil {
		return PactsForVerificationRequest{}, err
	}
	return req, nil
}

// fvDecodeSelectors validates consumerVersionSelectors: an array of
// objects, each checked by fvValidateSelector; messages go to errs under
// consumerVersionSelectors with the selector's index.
func fvDecodeSelectors(r PactsForVerificationReader, raw, providerBranch any, errs *domain.ValidationError) []ConsumerVersionSelector {
	list, isList := raw.([]any)
	if !isList {
		errs.Add(fvSelectorsKey, "must be an array")
		return nil
	}
	objects := make([]map[string]any, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			errs.Add(fvSelectorsKey, fmt.Sprintf("must be a hash (at index %d)", i))
		}
		objects[i] = m
	}
	if len(errs.Fields[fvSelectorsKey]) > 0 {
		return nil // dry-validation runs no rule on a key with a type error
	}
	var out []ConsumerVersionSelector
	for i, m := range objects {
		for _, msg := range fvValidateSelector(r, m, providerBranch) {
			errs.Add(fvSelectorsKey, fmt.Sprintf("%s (at index %d)", msg, i))
		}
		out = append(out, fvDecodeSelector(m)...)
	}
	return out
}

// fvDecodeSelector reads a valid selector object; deployedOrReleased
// becomes a deployed and a released selector, in that order.
func fvDecodeSelector(m map[string]any) []ConsumerVersionSelector {
	str := func(k string) string { s, _ := m[k].(string); return s }
	is := func(k string) bool { b, _ := m[k].(bool); return b }
	s := ConsumerVersionSelector{
		MainBranch: is("mainBranch"), Branch: str("branch"), AllBranches: m["branch"] == true,
		MatchingBranch: is("matchingBranch"), FallbackBranch: str("fallbackBranch"), Tag: str("tag"),
		FallbackTag: str("fallbackTag"), Consumer: str("consumer"), Deployed: is("deployed"),
		Released: is("released"), Environment: str("environment"),
	}
	if b, ok := m["latest"].(bool); ok {
		s.Latest = &b
	}
	if s.MainBranch || s.Branch != "" || s.AllBranches || s.MatchingBranch {
		s.Latest = fvTrue()
	}
	if is("deployedOrReleased") && !s.Deployed && !s.Released {
		deployed, released := s, s
		deployed.Deployed, released.Released = true, true
		return []ConsumerVersionSelector{deployed, released}
	}
	return []ConsumerVersionSelector{s}
}

// fvScalar renders a JSON scalar as a string ("" for null and containers).
func fvScalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number, bool, float64:
		return fmt.Sprint(t)
	}
	return ""
}

// fvDateLayouts are the date and date-time forms accepted for
// includeWipPactsSince (the Pact Broker parses leniently; these are the
// forms clients send). A date without a time is midnight UTC.
var fvDateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05",
	"2006-01-02 15:04:05", "2006-01-02"}

// ParseWIPDate parses includeWipPactsSince (include_wip_pacts_since).
func ParseWIPDate(s string) (time.Time, bool) {
	for _, layout := range fvDateLayouts {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
