package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestVerificationResultsArePublishedAndRead(t *testing.T) {
	b := newBroker(t)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", interaction("a hello request", "/hello", 200)), nil)
	pact := b.get("/pacts/provider/Bar/consumer/Foo/version/1").must(t, 200)
	sha := pact.str("_links.pb:pact-version.name")
	id := pact.str("interactions.0._id")
	publishHref := pact.str("_links.pb:publish-verification-results.href")
	result := map[string]any{
		"providerApplicationVersion": "2.0.0", "success": false, "buildUrl": "https://ci/builds/7",
		"testResults": []any{map[string]any{"interactionId": id, "success": false,
			"mismatches": []any{map[string]any{"attribute": "body", "description": "Expected 'hello'"}}}},
		"verifiedBy": map[string]any{"implementation": "Pact-Rust", "version": "1.4.7",
			"clientLanguage": map[string]any{"name": "pact_verifier_cli", "version": "1.3.5", "testFramework": "pact_verifier_cli"}},
	}
	r := b.post(publishHref[len(b.url):], result).must(t, 201)
	first := b.url + "/pacts/provider/Bar/consumer/Foo/pact-version/" + sha + "/verification-results/1"
	if r.header.Get("Location") != first || r.str("_links.self.href") != first || r.str("providerName") != "Bar" ||
		r.str("providerApplicationVersion") != "2.0.0" || r.path("success") != false || r.str("buildUrl") != "https://ci/builds/7" ||
		r.str("testResults.0.interactionId") != id || r.str("verifiedBy.client_implementation") != "pact_verifier_cli" ||
		r.str("verifiedBy.client_test_framework") != "pact_verifier_cli" || r.str("verificationDate") == "" ||
		r.str("_links.self.name") != "Verification result 1 for Pact between Foo (1) and Bar" ||
		!strings.HasPrefix(r.str("_links.pb:pact-version.href"), b.url+"/pacts/provider/Bar/consumer/Foo/pact-version/"+sha+"/metadata/") {
		t.Fatalf("201: %s", r.raw)
	}
	b.get("/pacticipants/Bar/versions/2.0.0").must(t, 200)

	// Through the metadata URL a verifier got from pacts-for-verification.
	meta := "/pacts/provider/Bar/consumer/Foo/pact-version/" + sha + "/metadata/" +
		base64.RawURLEncoding.EncodeToString([]byte("s[][b]=main&s[][l]=true&p=true"))
	second := b.post(meta+"/verification-results", map[string]any{"providerApplicationVersion": "2.0.1", "success": true}).must(t, 201)
	if !strings.HasSuffix(second.header.Get("Location"), "/verification-results/2") {
		t.Fatalf("second result: %s", second.header.Get("Location"))
	}
	recorded := b.eventsOfType("VerificationPublished")
	if len(recorded) != 2 {
		t.Fatalf("%d results recorded", len(recorded))
	}
	if got := recorded[1].Data; !strings.Contains(string(mustJSON(t, got)), `"pending":true`) || !strings.Contains(string(mustJSON(t, got)), `"branch":"main"`) {
		t.Fatalf("metadata flags and selectors: %s", mustJSON(t, got))
	}

	if got := b.get(first[len(b.url):]).must(t, 200); got.str("providerApplicationVersion") != "2.0.0" {
		t.Fatalf("GET result 1: %s", got.raw)
	}
	if got := b.get("/pacts/provider/Bar/consumer/Foo/pact-version/"+sha+"/verification-results/latest").must(t, 200); got.str("providerApplicationVersion") != "2.0.1" {
		t.Fatalf("latest result: %s", got.raw)
	}
	summary := b.get("/verification-results/consumer/Foo/version/1/latest").must(t, 200)
	if summary.path("success") != true || summary.str("_embedded.verificationResults.0.providerApplicationVersion") != "2.0.1" {
		t.Fatalf("summary: %s", summary.raw)
	}
	if pacts := b.get("/integrations").must(t, 200); pacts.str("_embedded.integrations.0.consumer.name") != "Foo" {
		t.Fatal("integration")
	}
	b.get("/pacts/provider/Bar/consumer/Foo/pact-version/"+sha+"/verification-results/9").must(t, 404)
	b.get("/pacts/provider/Bar/consumer/Foo/pact-version/"+sha+"/verification-results/x").must(t, 404)

	// Deleting the provider version drops its results.
	b.do("DELETE", "/pacticipants/Bar/versions/2.0.1", "", nil).must(t, 204)
	if got := b.get("/pacts/provider/Bar/consumer/Foo/pact-version/"+sha+"/verification-results/latest").must(t, 200); got.str("providerApplicationVersion") != "2.0.0" {
		t.Fatalf("after deleting 2.0.1 the latest result is 2.0.0's: %s", got.raw)
	}
}
