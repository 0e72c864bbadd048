package httpapi

import (
	"encoding/base64"
	"testing"

	"github.com/pactledger/pactledger/queries"
)

func TestVerifiableMetadataRoundTrip(t *testing.T) {
	yes, no := true, false
	sel := func(s queries.ConsumerVersionSelector, version string) queries.VerificationSelector {
		return queries.VerificationSelector{ConsumerVersionSelector: s, ConsumerVersion: version}
	}
	p := queries.VerifiablePact{Pending: true, Selectors: []queries.VerificationSelector{
		sel(queries.ConsumerVersionSelector{Deployed: true}, "1.0 beta"),
		sel(queries.ConsumerVersionSelector{Branch: "feat/x", Latest: &yes}, "2"),
		sel(queries.ConsumerVersionSelector{Tag: "prod", Latest: &no}, "3"),
		sel(queries.ConsumerVersionSelector{Environment: "test"}, "4"),
	}}
	seg := verifiableMetadata(p, true)
	raw, _ := base64.RawURLEncoding.DecodeString(seg)
	if want := "s%5B%5D%5Bcvn%5D=1.0+beta&s%5B%5D%5Bcvn%5D=2&s%5B%5D%5Bb%5D=feat%2Fx&s%5B%5D%5Bl%5D=true&s%5B%5D%5Bcvn%5D=3&" +
		"s%5B%5D%5Bt%5D=prod&s%5B%5D%5Bl%5D=false&s%5B%5D%5Bcvn%5D=4&s%5B%5D%5Be%5D=test&p=true"; string(raw) != want {
		t.Fatalf("encoded %s\nwant    %s", raw, want)
	}
	wip, pending, sels := decodePactMetadata(seg)
	if want := `[{"consumerVersionNumber":"1.0 beta"},{"branch":"feat/x","consumerVersionNumber":"2","latest":true},` +
		`{"consumerVersionNumber":"3","latest":false,"tag":"prod"},{"consumerVersionNumber":"4","environment":"test"}]`; wip || !pending || string(sels) != want {
		t.Fatalf("decoded %v %v %s\nwant %s", wip, pending, sels, want)
	}
	if wip, pending, sels := decodePactMetadata(verifiableMetadata(queries.VerifiablePact{WIP: true, Pending: true}, true)); !wip || pending || sels != nil {
		t.Fatalf("WIP: %v %v %s", wip, pending, sels)
	}
	// The Pact Broker's own segment (spec/fixtures/approvals/get_provider_pacts_for_verification.approved.json).
	_, _, sels = decodePactMetadata("cyU1QiU1RCU1QnQlNUQ9cHJvZCZzJTVCJTVEJTVCbCU1RD10cnVlJnMlNUIlNUQlNUJjdiU1RD0xMA")
	if string(sels) != `[{"consumerVersionId":"10","latest":true,"tag":"prod"}]` {
		t.Fatalf("the Pact Broker's metadata: %s", sels)
	}
	if wip, _, _ := decodePactMetadata(pactMetadata("wip=true")); !wip {
		t.Fatal("the notices' spelled-out wip")
	}
}
