package httpapi

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
)

// decodeVersionFields reads the fields that describe the publishing
// application version, shared by pact and provider-contract publications:
// pacticipantVersionNumber (required), branch, buildUrl and tags (nulls
// accepted).
func decodeVersionFields(b *body) (version string, branch, buildURL *string, tags []string) {
	if v := b.str("pacticipantVersionNumber", true); v != nil {
		version = *v
		addNameErrors(b, "pacticipantVersionNumber", *v)
	}
	if br := b.str("branch", false); br != nil {
		branch = br
		addNameErrors(b, "branch", *br)
	}
	if u := b.str("buildUrl", false); u != nil {
		buildURL = u
		if strings.ContainsAny(*u, "\r\n") {
			b.errs.Add("buildUrl", "cannot contain multiple lines")
		}
	}
	return version, branch, buildURL, stringList(b, "tags")
}

// decodePublication reads a publication, recording every problem in b.errs
// with the Pact Broker's keys and words ("... (at index N)" for contracts).
func decodePublication(b *body) commands.PublishContracts {
	in := commands.PublishContracts{}
	if p := b.str("pacticipantName", true); p != nil {
		in.Pacticipant = *p
		addNameErrors(b, "pacticipantName", *p)
	}
	in.Version, in.Branch, in.BuildURL, in.Tags = decodeVersionFields(b)
	list, ok := b.fields["contracts"].([]any)
	switch {
	case !b.has("contracts"):
		b.errs.Add("contracts", "is missing")
	case !ok:
		b.errs.Add("contracts", "must be an array")
	}
	for i, item := range list {
		if ct, ok := decodeContract(b, in.Pacticipant, i, item); ok {
			ct.Key.ConsumerVersion = in.Version
			in.Contracts = append(in.Contracts, ct)
		}
	}
	return in
}

// addNameErrors adds the single-line, non-blank name rules for a field.
func addNameErrors(b *body, field, name string) {
	var ve *domain.ValidationError
	if errors.As(domain.CheckPathName(field, name), &ve) {
		for _, m := range ve.Fields[field] {
			b.errs.Add(field, m)
		}
	}
}

// stringList reads an optional, nullable array of non-blank strings.
func stringList(b *body, key string) []string {
	raw, ok := b.fields[key]
	if !ok || raw == nil {
		return nil
	}
	list, ok := raw.([]any)
	if !ok {
		b.errs.Add(key, "must be an array")
		return nil
	}
	out := make([]string, 0, len(list))
	for i, item := range list {
		s, ok := item.(string)
		switch {
		case !ok:
			b.errs.Add(key, fmt.Sprintf("must be a string (at index %d)", i))
		case domain.CheckPathName(key, s) != nil:
			b.errs.Add(key, fmt.Sprintf("must be filled and a single line (at index %d)", i))
		default:
			out = append(out, s)
		}
	}
	return out
}

// decodeContract reads contracts[i]; ok is false when it has a problem.
func decodeContract(b *body, pacticipant string, i int, item any) (commands.PublishPact, bool) {
	before := len(b.errs.Fields["contracts"])
	add := func(msg string) { b.errs.Add("contracts", fmt.Sprintf("%s (at index %d)", msg, i)) }
	obj, isObj := item.(map[string]any)
	if !isObj {
		add("must be an object")
		return commands.PublishPact{}, false
	}
	str := func(key string) string {
		v, present := obj[key]
		s, isStr := v.(string)
		switch {
		case !present:
			add(key + " is missing")
		case !isStr:
			add(key + " must be a string")
		case strings.TrimSpace(s) == "":
			add(key + " must be filled")
		}
		return s
	}
	consumer, provider := str("consumerName"), str("providerName")
	spec, contentType, content := str("specification"), str("contentType"), str("content")
	if spec != "" && spec != "pact" {
		add("specification must be one of: pact")
	}
	if contentType != "" && contentType != mediaJSON {
		add("contentType must be one of: application/json")
	}
	onConflict := "overwrite"
	if v, present := obj["onConflict"]; present {
		onConflict, _ = v.(string)
		if onConflict != "overwrite" && onConflict != "merge" {
			add("onConflict must be one of: overwrite, merge")
		}
	}
	if consumer != "" && pacticipant != "" && consumer != pacticipant {
		add(fmt.Sprintf("consumerName ('%s') must match pacticipantName ('%s')", consumer, pacticipant))
	}
	doc, ok := decodeContent(content, add)
	if !ok {
		return commands.PublishPact{}, false
	}
	for _, n := range [][2]string{{"consumer", consumer}, {"provider", provider}} {
		role, want := n[0], n[1]
		if got, named := doc.PacticipantName(role); named && want != "" && got != want {
			add(fmt.Sprintf("%s name in contract content ('%s') must match %sName in contract params ('%s')", role, got, role, want))
		}
	}
	if len(b.errs.Fields["contracts"]) > before {
		return commands.PublishPact{}, false
	}
	return commands.PublishPact{Key: domain.PactKey{Consumer: consumer, Provider: provider}, Doc: doc, Merge: onConflict == "merge"}, true
}

// decodeContent turns a contract's base64 content into a pact document.
func decodeContent(content string, add func(string)) (domain.PactDocument, bool) {
	if content == "" {
		return domain.PactDocument{}, false // reported as missing or blank
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(content)
	if err != nil {
		add("is not valid Base64")
		return domain.PactDocument{}, false
	}
	if !utf8.Valid(raw) {
		before := []rune(string(raw[:firstInvalidUTF8(raw)]))
		add(fmt.Sprintf("contract content has a non UTF-8 character at char %d and cannot be parsed as JSON. Fragment preceding invalid character is: '%s'",
			len(before)+1, string(before[max(0, len(before)-20):])))
		return domain.PactDocument{}, false
	}
	doc, err := domain.ParsePact(raw)
	switch {
	case errors.Is(err, domain.ErrPactNotObject):
		add("content must be a JSON object")
	case err != nil:
		add("content could not be parsed as application/json")
	default:
		return doc, true
	}
	return domain.PactDocument{}, false
}

// firstInvalidUTF8 returns the byte offset of the first invalid sequence.
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
