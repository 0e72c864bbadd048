package queries

import (
	"slices"
	"strings"
)

// The Pact Broker's ConsumerVersionSelectorContract, message for message
// (lib/pact_broker/api/contracts/consumer_version_selector_contract.rb and
// locale/en.yml). Key errors are "full" (prefixed with the key); base errors
// are not.
const (
	fvMsgRequired = "must specify a value for environment or tag or branch, or specify mainBranch=true, " +
		"matchingBranch=true, latest=true, deployed=true, released=true or deployedOrReleased=true"
	fvMsgMainBranchOthers     = "cannot specify mainBranch=true with any other criteria apart from consumer"
	fvMsgMainBranchNotLatest  = "cannot specify mainBranch=true with latest=false"
	fvMsgMatchingOthers       = "cannot specify matchingBranch=true with any other criteria apart from consumer"
	fvMsgMatchingNeedsBranch  = "the providerVersionBranch must be specified when the selector matchingBranch=true is used"
	fvMsgTagAndBranch         = "cannot specify both a tag and a branch"
	fvMsgFallbackTagLatest    = "fallbackTag can only be set if latest is true"
	fvMsgFallbackTagNeedsTag  = "a tag must be specified when a fallbackTag is specified"
	fvMsgFallbackBranchNeeds  = "a branch must be specified when a fallbackBranch is specified"
	fvMsgFallbackBranchLatest = "fallbackBranch can only be set if latest is true"
	fvMsgBranchNotLatest      = "cannot specify a branch with latest=false"
	fvMsgDeployedReleased     = "cannot specify both deployed=true and released=true"
	fvMsgDeployedEither       = "cannot specify both deployed=true and deployedOrReleased=true"
	fvMsgReleasedEither       = "cannot specify both released=true and deployedOrReleased=true"
)

var (
	fvBranchKeys      = []string{"latest", "tag", "fallbackTag", "branch", "fallbackBranch", "matchingBranch", "mainBranch"}
	fvEnvironmentKeys = []string{"environment", "deployed", "released", "deployedOrReleased"}
	fvAllKeys         = append(append(slices.Clone(fvBranchKeys), fvEnvironmentKeys...), "consumer")
)

// fvSchema checks a selector key's JSON type; "" means valid.
var fvSchema = []struct {
	key   string
	check func(v any) string
}{
	{"mainBranch", fvOneOf("true", true)}, {"tag", fvString}, {"branch", fvBranch},
	{"matchingBranch", fvOneOf("true", true)}, {"latest", fvOneOf("true, false", true, false)},
	{"fallbackTag", fvString}, {"fallbackBranch", fvString}, {"consumer", fvString},
	{"deployed", fvOneOf("true", true)}, {"released", fvOneOf("true", true)},
	{"deployedOrReleased", fvOneOf("true", true)}, {"environment", fvString},
}

// fvFilled is dry-schema's filled?: not null, not an empty string, array or
// object.
func fvFilled(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case string:
		return t != ""
	case []any:
		return len(t) > 0
	case map[string]any:
		return len(t) > 0
	}
	return true
}

func fvString(v any) string {
	if !fvFilled(v) {
		return "must be filled"
	}
	if _, ok := v.(string); !ok {
		return "must be a string"
	}
	return ""
}

func fvBranch(v any) string {
	if v == true {
		return ""
	}
	if msg := fvString(v); msg != "must be a string" {
		return msg
	}
	return "must be a string or branch must be equal to true"
}

func fvOneOf(list string, allowed ...bool) func(any) string {
	return func(v any) string {
		if !fvFilled(v) {
			return "must be filled"
		}
		if b, ok := v.(bool); ok && slices.Contains(allowed, b) {
			return ""
		}
		return "must be one of: " + list
	}
}

// fvProvided is the Pact Broker's provided?: not null and, for a string,
// not blank.
func fvProvided(v any) bool {
	if s, ok := v.(string); ok {
		return strings.TrimSpace(s) != ""
	}
	return v != nil
}

// fvValidateSelector returns the messages for one selector object, each
// without its " (at index N)" suffix. parentBranch is the request's
// providerVersionBranch (matchingBranch needs it).
func fvValidateSelector(r PactsForVerificationReader, m map[string]any, parentBranch any) []string {
	type message struct{ key, text string }
	var msgs []message
	bad := map[string]bool{}
	for _, f := range fvSchema {
		if v, ok := m[f.key]; ok {
			if text := f.check(v); text != "" {
				msgs, bad[f.key] = append(msgs, message{f.key, f.key + " " + text}), true
			}
		}
	}
	anyBad := func(keys ...string) bool { return slices.ContainsFunc(keys, func(k string) bool { return bad[k] }) }
	present := func(keys []string, except ...string) []string {
		var out []string
		for _, k := range keys {
			if _, ok := m[k]; ok && !slices.Contains(except, k) {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	base := func(cond bool, text string) {
		if cond {
			msgs = append(msgs, message{"", text})
		}
	}
	is := func(k string) bool { return m[k] == true }
	given := func(k string) bool { return m[k] != nil && m[k] != false }
	if s, ok := m["consumer"].(string); ok && !bad["consumer"] && strings.TrimSpace(s) == "" {
		msgs = append(msgs, message{"consumer", "consumer cannot be blank"})
	}
	if !anyBad(fvAllKeys...) {
		base(!fvProvided(m["mainBranch"]) && !fvProvided(m["tag"]) && !fvProvided(m["branch"]) && !fvProvided(m["environment"]) &&
			!is("matchingBranch") && !is("deployed") && !is("released") && !is("deployedOrReleased") && !is("latest"), fvMsgRequired)
		base(given("mainBranch") && len(present(fvAllKeys, "consumer", "mainBranch", "latest")) > 0, fvMsgMainBranchOthers)
	}
	if !anyBad("mainBranch", "latest") {
		base(given("mainBranch") && m["latest"] == false, fvMsgMainBranchNotLatest)
	}
	if !anyBad(fvAllKeys...) {
		base(given("matchingBranch") && len(present(fvAllKeys, "consumer", "matchingBranch")) > 0, fvMsgMatchingOthers)
		base(given("matchingBranch") && !fvProvided(parentBranch), fvMsgMatchingNeedsBranch)
	}
	if !anyBad("tag", "branch") {
		base(given("tag") && given("branch"), fvMsgTagAndBranch)
	}
	if !anyBad(fvAllKeys...) {
		branchy, envy := present(fvBranchKeys), present(fvEnvironmentKeys)
		base(len(branchy) > 0 && len(envy) > 0, "cannot specify the "+fvFields(len(branchy))+" "+strings.Join(branchy, "/")+
			" with the "+fvFields(len(envy))+" "+strings.Join(envy, "/"))
	}
	if !anyBad("fallbackTag", "tag", "latest") {
		base(given("fallbackTag") && !given("latest"), fvMsgFallbackTagLatest)
		base(given("fallbackTag") && !given("tag"), fvMsgFallbackTagNeedsTag)
	}
	if !anyBad("fallbackBranch", "branch", "latest") {
		base(given("fallbackBranch") && !given("branch"), fvMsgFallbackBranchNeeds)
		base(given("fallbackBranch") && m["latest"] == false, fvMsgFallbackBranchLatest)
	}
	if !anyBad("branch", "latest") {
		base(given("branch") && m["latest"] == false, fvMsgBranchNotLatest)
	}
	if env, _ := m["environment"].(string); !bad["environment"] && fvProvided(env) {
		if _, ok := r.Environment(env); !ok {
			msgs = append(msgs, message{"environment", "environment with name '" + env + "' does not exist"})
		}
	}
	if !anyBad("deployed", "released", "deployedOrReleased") {
		base(given("deployed") && given("released"), fvMsgDeployedReleased)
		base(given("deployed") && given("deployedOrReleased"), fvMsgDeployedEither)
		base(given("released") && given("deployedOrReleased"), fvMsgReleasedEither)
	}
	// dry-validation groups messages by key, keys in order of first message.
	var out []string
	var keys []string
	for _, msg := range msgs {
		if !slices.Contains(keys, msg.key) {
			keys = append(keys, msg.key)
		}
	}
	for _, k := range keys {
		for _, msg := range msgs {
			if msg.key == k {
				out = append(out, msg.text)
			}
		}
	}
	return out
}

func fvFields(n int) string {
	if n == 1 {
		return "field"
	}
	return "fields"
}
