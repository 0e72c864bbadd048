package httpapi

import (
	"fmt"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/queries"
)

// The deprecated GET /pacts/provider/{p}/for-verification takes a Rack
// nested query in snake_case, as the first Ruby clients sent it:
//
//	provider_version_tags[]=main&provider_version_branch=main
//	&consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true
//	&consumer_version_selectors[][fallback_tag]=main&consumer_version_selectors[][consumer]=Foo
//	&include_pending_status=true&include_wip_pacts_since=2020-01-01
//
// It is parsed as Rack parses it (rack.go) and checked with the Pact
// Broker's PactsForVerificationQueryStringSchema: every selector needs a
// tag; latest and include_pending_status are "true" or "false". Errors are
// keyed by the snake_case names.
func parseDeprecatedForVerification(provider, rawQuery string) (queries.PactsForVerificationRequest, error) {
	params, err := parseNestedQuery(rawQuery)
	if err != nil {
		return queries.PactsForVerificationRequest{}, err
	}
	req := queries.PactsForVerificationRequest{Provider: provider, IncludePendingStatus: true}
	errs := &domain.ValidationError{Kind: domain.ErrInvalid}
	if v, ok := params.get("provider_version_tags"); ok && v.kind != rackNil {
		if v.kind != rackArray {
			errs.Add("provider_version_tags", "must be an array")
		}
		for _, t := range v.list {
			if s, ok := t.stringValue(); ok {
				req.ProviderVersionTags = append(req.ProviderVersionTags, s)
			}
		}
	}
	if v, ok := params.get("provider_version_branch"); ok {
		req.ProviderVersionBranch, _ = v.stringValue()
	}
	if v, ok := params.get("consumer_version_selectors"); ok {
		if v.kind != rackArray {
			errs.Add("consumer_version_selectors", "must be an array")
		}
		for i, elem := range v.list {
			s, msgs := deprecatedSelector(elem)
			for _, m := range msgs {
				errs.Add("consumer_version_selectors", fmt.Sprintf("%s (at index %d)", m, i))
			}
			req.Selectors = append(req.Selectors, s)
		}
	}
	if v, ok := params.get("include_pending_status"); ok {
		switch s, _ := v.stringValue(); {
		case s == "":
			errs.Add("include_pending_status", "must be filled")
		case s != "true" && s != "false":
			errs.Add("include_pending_status", "must be one of: true, false")
		default:
			req.IncludePendingStatus = s == "true"
		}
	}
	if v, ok := params.get("include_wip_pacts_since"); ok {
		if s, _ := v.stringValue(); s == "" {
			errs.Add("include_wip_pacts_since", "must be filled")
		} else if t, ok := queries.ParseWIPDate(s); ok {
			req.IncludeWIPPactsSince = &t
		} else {
			errs.Add("include_wip_pacts_since", "must be a date")
		}
	}
	if err := errs.OrNil(); err != nil {
		return queries.PactsForVerificationRequest{}, err
	}
	return req, nil
}

// deprecatedSelector reads one consumer_version_selectors[] element: a
// required tag, optional latest ("true"/"false"), fallback_tag, consumer.
func deprecatedSelector(elem *rackValue) (queries.ConsumerVersionSelector, []string) {
	if elem.kind != rackHash {
		return queries.ConsumerVersionSelector{}, []string{"must be a hash"}
	}
	var msgs []string
	field := func(key string, required bool) string {
		v, ok := elem.get(key)
		s, isString := v.stringValue()
		switch {
		case !ok && required:
			msgs = append(msgs, key+" is missing")
		case !ok:
		case v.kind == rackNil || isString && s == "":
			msgs = append(msgs, key+" must be filled")
		case !isString:
			msgs = append(msgs, key+" must be a string")
		}
		return s
	}
	s := queries.ConsumerVersionSelector{Tag: field("tag", true)}
	if l, ok := elem.get("latest"); ok {
		switch str, _ := l.stringValue(); {
		case str == "":
			msgs = append(msgs, "latest must be filled")
		case str != "true" && str != "false":
			msgs = append(msgs, "latest must be one of: true, false")
		default:
			latest := str == "true"
			s.Latest = &latest
		}
	}
	s.FallbackTag, s.Consumer = field("fallback_tag", false), field("consumer", false)
	return s, msgs
}
