package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// interaction is a minimal HTTP interaction.
func interaction(desc, path string, status int) map[string]any {
	return map[string]any{"description": desc, "request": map[string]any{"method": "GET", "path": path},
		"response": map[string]any{"status": status, "body": map[string]any{"msg": "hello"}}}
}

// pactDoc is a pact file between consumer and provider.
func pactDoc(consumer, provider string, interactions ...map[string]any) map[string]any {
	return map[string]any{"consumer": map[string]any{"name": consumer}, "provider": map[string]any{"name": provider},
		"interactions": interactions, "metadata": map[string]any{"pactSpecification": map[string]any{"version": "2.0.0"}}}
}

// publication is a /contracts/publish body for one pact; extra adds or
// overrides top-level fields.
func publication(consumer, version string, pact map[string]any, extra map[string]any) map[string]any {
	raw, _ := json.Marshal(pact)
	provider := pact["provider"].(map[string]any)["name"]
	body := map[string]any{"pacticipantName": consumer, "pacticipantVersionNumber": version,
		"contracts": []any{map[string]any{"consumerName": consumer, "providerName": provider, "specification": "pact",
			"contentType": "application/json", "content": base64.StdEncoding.EncodeToString(raw)}}}
	for k, v := range extra {
		body[k] = v
	}
	return body
}

// publish posts a publication and requires status.
func (b *broker) publish(status int, consumer, version string, pact map[string]any, extra map[string]any) response {
	b.t.Helper()
	return b.post("/contracts/publish", publication(consumer, version, pact, extra)).must(b.t, status)
}

func noticeTexts(r response) []string {
	var out []string
	for _, n := range r.path("notices").([]any) {
		out = append(out, n.(map[string]any)["type"].(string)+": "+n.(map[string]any)["text"].(string))
	}
	return out
}

func TestPublishContractsResponse(t *testing.T) {
	b := newBroker(t)
	pact := pactDoc("Foo", "Bar", interaction("a hello request", "/hello", 200))
	r := b.publish(200, "Foo", "1.0.0", pact, map[string]any{"branch": "main", "tags": []string{"t1", "production"}, "buildUrl": "https://ci/1"})
	pactURL := b.url + "/pacts/provider/Bar/consumer/Foo/version/1.0.0"
	notices := noticeTexts(r)
	want := []string{
		"debug: Created Foo version 1.0.0 with branch main and tags t1, production",
		"success: Pact successfully published for Foo version 1.0.0 and provider Bar.",
		"debug:   View the published pact at " + pactURL,
		"debug:   Events detected: contract_published, contract_content_changed (first time any pact published for this consumer/provider pair)",
		"prompt:   Next steps:",
	}
	for i, w := range want {
		if i >= len(notices) || notices[i] != w {
			t.Fatalf("notice %d:\n got %q\nwant %q\nall: %q", i, notices[i:], w, notices)
		}
	}
	if logs := r.path("logs").([]any); len(logs) != len(notices) || dig(logs[0], "level") != "debug" || dig(logs[0], "deprecationWarning") != "Replaced by notices" {
		t.Fatalf("logs: %v", logs)
	}
	checks := map[string]string{
		"_embedded.pacticipant.name":                "Foo",
		"_embedded.pacticipant._links.self.href":    b.url + "/pacticipants/Foo",
		"_embedded.version.number":                  "1.0.0",
		"_embedded.version._links.self.title":       "Version",
		"_links.pb:pacticipant.name":                "Foo",
		"_links.pb:pacticipant-version.href":        b.url + "/pacticipants/Foo/versions/1.0.0",
		"_links.pb:pacticipant-version-tags.0.name": "t1",
		"_links.pb:pacticipant-version-tags.1.href": b.url + "/pacticipants/Foo/versions/1.0.0/tags/production",
		"_links.pb:contracts.0.href":                pactURL,
		"_links.pb:contracts.0.name":                "Pact between Foo (1.0.0) and Bar",
		"_links.pb:contracts.0.title":               "Pact",
	}
	for p, w := range checks {
		if got := r.str(p); got != w {
			t.Errorf("%s = %q, want %q", p, got, w)
		}
	}
	v := b.get("/pacticipants/Foo/versions/1.0.0").must(t, 200)
	if v.str("buildUrl") != "https://ci/1" || v.str("_embedded.branches.0.name") != "main" || v.str("_links.pb:pact-versions.0.href") != pactURL {
		t.Fatalf("version: %s", v.raw)
	}
	b.get("/pacticipants/Bar").must(t, 200)
	prod := b.envUUID("production")
	if got := currentVersions(t, b, prod, ""); len(got) != 0 {
		t.Fatalf("a tag named like an environment records no deployment when publishing contracts: %v", got)
	}
	if b.get("/pacticipants/Foo").str("mainBranch") != "main" {
		t.Fatal("the main branch is detected")
	}

	again := b.publish(200, "Foo", "1.0.0", pact, nil)
	if n := noticeTexts(again); n[0] != "debug: Updated Foo version 1.0.0" || !strings.HasPrefix(n[1], "prompt:   Next steps:\n    Configure the version branch") ||
		n[2] != "success: Pact successfully republished for Foo version 1.0.0 and provider Bar with no content changes." {
		t.Fatalf("republish notices: %q", n)
	}
}

func TestPublishedContentIsSharedByHash(t *testing.T) {
	b := newBroker(t)
	first := pactDoc("Foo", "Bar", interaction("a", "/a", 200), interaction("b", "/b", 200))
	b.publish(200, "Foo", "1", first, nil)
	// Same interactions in another order, other metadata: same pact version.
	second := pactDoc("Foo", "Bar", interaction("b", "/b", 200), interaction("a", "/a", 200))
	second["metadata"] = map[string]any{"pactSpecification": map[string]any{"version": "2.0.0"}, "pactRust": map[string]any{"models": "1.2.3"}}
	b.publish(200, "Foo", "2", second, nil)
	sha1 := b.get("/pacts/provider/Bar/consumer/Foo/version/1").must(t, 200).str("_links.pb:pact-version.name")
	sha2 := b.get("/pacts/provider/Bar/consumer/Foo/version/2").must(t, 200).str("_links.pb:pact-version.name")
	if sha1 == "" || sha1 != sha2 {
		t.Fatalf("identical content must share the pact version: %q %q", sha1, sha2)
	}
	if n := len(b.eventsOfType("PactContentStored")); n != 1 {
		t.Fatalf("content stored %d times, want once", n)
	}
	// Other names, same interactions: another pair, the same content.
	b.publish(200, "Baz", "1", pactDoc("Baz", "Bar", interaction("a", "/a", 200), interaction("b", "/b", 200)), nil)
	baz := b.get("/pacts/provider/Bar/consumer/Baz/version/1").must(t, 200)
	if baz.str("_links.pb:pact-version.name") != sha1 || baz.str("consumer.name") != "Baz" {
		t.Fatalf("names are not part of the content hash, and the pair's names are served: %s", baz.raw[:200])
	}

	// A result for version 1's pact applies to version 2 too (pre-verified).
	b.post("/pacts/provider/Bar/consumer/Foo/pact-version/"+sha1+"/verification-results",
		map[string]any{"success": true, "providerApplicationVersion": "9"}).must(t, 201)
	summary := b.get("/verification-results/consumer/Foo/version/2/latest").must(t, 200)
	if summary.path("success") != true || summary.str("providerSummary.successful.0") != "Bar" {
		t.Fatalf("pre-verified: %s", summary.raw)
	}
	if b.get("/verification-results/consumer/Baz/version/1/latest").must(t, 200).path("success") != false {
		t.Fatal("a pact version belongs to one pair: Baz's pact is unverified")
	}
}

func TestChangedContentConflicts(t *testing.T) {
	b := newBroker(t)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", interaction("a", "/a", 200)), nil)
	changed := pactDoc("Foo", "Bar", interaction("a", "/a", 404))
	before := b.head()
	r := b.publish(409, "Foo", "1", changed, map[string]any{"branch": "feat", "tags": []string{"x"}})
	if !strings.HasPrefix(r.str("notices.0.text"), "Cannot change the content of the pact for Foo version 1 and provider Bar") ||
		r.str("notices.0.type") != "error" || r.str("notices.1.type") != "info" || !strings.Contains(r.str("notices.1.text"), `interaction "a" (changed)`) ||
		r.str("errors.contracts.0") != r.str("notices.0.text") {
		t.Fatalf("409 body: %s", r.raw)
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || b.head() != before {
		t.Fatal("a conflict is JSON and writes nothing (not even the branch or tag)")
	}
	put := b.put("/pacts/provider/Bar/consumer/Foo/version/1", changed).must(t, 409)
	if !strings.HasPrefix(put.str("error"), "Cannot change the content") || b.head() != before {
		t.Fatalf("legacy PUT conflict: %s", put.raw)
	}

	b.svc.AllowContractModification = true
	ok := b.publish(200, "Foo", "1", changed, nil)
	if n := noticeTexts(ok); !strings.HasPrefix(n[2], "warning: Pact with changed content published over existing content for Foo version 1") {
		t.Fatalf("modification notices: %q", n)
	}
	if got := b.get("/pacts/provider/Bar/consumer/Foo/version/1").must(t, 200); dig(got.json, "interactions.0.response.status") != float64(404) {
		t.Fatal("the new revision is the pact")
	}
}

func TestMergeAddsInteractions(t *testing.T) {
	b := newBroker(t)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", interaction("a", "/a", 200)), nil)
	merge := publication("Foo", "1", pactDoc("Foo", "Bar", interaction("b", "/b", 200)), nil)
	merge["contracts"].([]any)[0].(map[string]any)["onConflict"] = "merge"
	r := b.post("/contracts/publish", merge).must(t, 200)
	if n := noticeTexts(r); n[2] != "success: Pact content merged with existing content for Foo version 1 and provider Bar." {
		t.Fatalf("merge notices: %q", n)
	}
	got := b.get("/pacts/provider/Bar/consumer/Foo/version/1").must(t, 200)
	if n := len(got.path("interactions").([]any)); n != 2 {
		t.Fatalf("%d interactions after the merge, want 2", n)
	}
	conflicting := publication("Foo", "1", pactDoc("Foo", "Bar", interaction("a", "/a", 500)), nil)
	conflicting["contracts"].([]any)[0].(map[string]any)["onConflict"] = "merge"
	before := b.head()
	c := b.post("/contracts/publish", conflicting).must(t, 409)
	if !strings.Contains(c.str("errors.contracts.0"), `"a"`) || b.head() != before {
		t.Fatalf("merge conflict: %s", c.raw)
	}
	patched := b.patchJSON("/pacts/provider/Bar/consumer/Foo/version/1", pactDoc("Foo", "Bar", interaction("c", "/c", 200))).must(t, 200)
	if n := len(patched.path("interactions").([]any)); n != 3 {
		t.Fatalf("PATCH merges: %d interactions", n)
	}
	b.patchJSON("/pacts/provider/Bar/consumer/Foo/version/1", pactDoc("Foo", "Bar", interaction("c", "/c", 201))).must(t, 409)
	b.patchJSON("/pacts/provider/Bar/consumer/Foo/version/2", pactDoc("Foo", "Bar", interaction("c", "/c", 201))).must(t, 201)
}

// patchJSON is a PATCH with application/json, as pact PATCHes are sent.
func (b *broker) patchJSON(path string, body any) response {
	return b.do("PATCH", path, "application/json", body)
}
