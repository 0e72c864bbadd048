package httpapi

import (
	"encoding/base64"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// decodeProviderContract reads POST /provider-contracts/provider/{p}/publish
// (reference/bdct.md §1.1). Nulls are accepted for branch, buildUrl, tags
// and every optional field of contract and selfVerificationResults, as the
// Ruby CLI sends them.
func decodeProviderContract(b *body, provider string) commands.PublishProviderContract {
	in := commands.PublishProviderContract{Provider: provider, Specification: domain.SpecificationOAS}
	in.Version, in.Branch, in.BuildURL, in.Tags = decodeVersionFields(b)
	contract, ok := b.fields["contract"].(map[string]any)
	if !ok {
		b.errs.Add("contract", "is missing or not an object")
		return in
	}
	add := func(msg string) { b.errs.Add("contract", msg) }
	in.ContentType = contractString(contract, "contentType", add)
	if spec := contractString(contract, "specification", add); spec != "" {
		in.Specification = spec
	}
	in.Content = decodeOpenAPI(contractString(contract, "content", add), add)
	in.SelfVerification = decodeSelfVerification(contract["selfVerificationResults"], "selfVerificationResults", add)
	return in
}

// decodeLegacyProviderContract reads the legacy
// PUT /contracts/provider/{p}/version/{v} body (bdct.md §1.2): content,
// contractType, contentType and verificationResults.
func decodeLegacyProviderContract(b *body, provider, version string) commands.PublishProviderContract {
	in := commands.PublishProviderContract{Provider: provider, Version: version, Specification: domain.SpecificationOAS}
	add := func(msg string) { b.errs.Add("contract", msg) }
	in.ContentType = contractString(b.fields, "contentType", add)
	if t := contractString(b.fields, "contractType", add); t != "" {
		in.Specification = t
	}
	in.Content = decodeOpenAPI(contractString(b.fields, "content", add), add)
	in.SelfVerification = decodeSelfVerification(b.fields["verificationResults"], "verificationResults", add)
	return in
}

// contractString reads an optional, nullable string.
func contractString(obj map[string]any, key string, add func(string)) string {
	switch v := obj[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		add(key + " must be a string")
		return ""
	}
}

// decodeOpenAPI accepts the document base64-encoded (as both CLIs send it)
// or as the YAML or JSON text itself, and checks that it is a YAML or JSON
// mapping that declares an OpenAPI ("openapi") or Swagger ("swagger")
// version. Whether the document is a valid OpenAPI description is the
// comparison's business: an invalid one makes every comparison fail with
// an explanatory mismatch.
func decodeOpenAPI(content string, add func(string)) []byte {
	if strings.TrimSpace(content) == "" {
		add("content is missing")
		return nil
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(content)
	if err != nil {
		raw = []byte(content) // not base64: the document itself
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		add("content is not valid YAML or JSON")
		return nil
	}
	if doc["openapi"] == nil && doc["swagger"] == nil {
		add("content is not an OpenAPI document (it has no 'openapi' or 'swagger' version)")
		return nil
	}
	return raw
}

// decodeSelfVerification reads selfVerificationResults (or the legacy
// verificationResults): nil when absent or null.
func decodeSelfVerification(v any, key string, add func(string)) *events.SelfVerification {
	if v == nil {
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		add(key + " must be an object")
		return nil
	}
	sv := &events.SelfVerification{}
	switch s := obj["success"].(type) {
	case bool:
		sv.Success = s
	case nil:
	default:
		add(key + ".success must be true or false")
	}
	field := func(name string) string {
		return contractString(obj, name, func(msg string) { add(key + "." + msg) })
	}
	if c := field("content"); c != "" {
		raw, err := base64.StdEncoding.Strict().DecodeString(c)
		if err != nil {
			raw = []byte(c)
		}
		sv.Content = raw
	}
	sv.ContentType, sv.Format = field("contentType"), field("format")
	sv.Verifier, sv.VerifierVersion = field("verifier"), field("verifierVersion")
	return sv
}
