package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestPublishedPactIsReadableEverywhere(t *testing.T) {
	b := newBroker(t)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", interaction("a hello request", "/hello", 200)), map[string]any{"branch": "main", "tags": []string{"prod"}})
	b.publish(200, "Foo", "2", pactDoc("Foo", "Bar", interaction("a hello request", "/hello", 201)), map[string]any{"branch": "feat/x"})
	b.publish(200, "Foo", "3", pactDoc("Foo", "Bar", interaction("a hello request", "/hello", 202)), map[string]any{"tags": []string{"dev"}})
	pair := "/pacts/provider/Bar/consumer/Foo"

	p := b.get(pair+"/version/1").must(t, 200)
	sha := p.str("_links.pb:pact-version.name")
	id := p.str("interactions.0._id")
	if p.str("consumer.name") != "Foo" || p.str("provider.name") != "Bar" || len(id) != 40 || p.str("createdAt") == "" || len(sha) != 40 {
		t.Fatalf("pact: %s", p.raw)
	}
	links := map[string]string{
		"self":                            b.url + pair + "/version/1",
		"pb:consumer-version":             b.url + "/pacticipants/Foo/versions/1",
		"pb:provider":                     b.url + "/pacticipants/Bar",
		"pb:pact-version":                 b.url + pair + "/pact-version/" + sha,
		"pb:publish-verification-results": b.url + pair + "/pact-version/" + sha + "/verification-results",
		"pb:latest-pact-version":          b.url + pair + "/latest",
	}
	for rel, href := range links {
		if got := p.str("_links." + rel + ".href"); got != href {
			t.Errorf("%s = %q, want %q", rel, got, href)
		}
	}
	if p.str("_links.self.name") != "Pact between Foo (1) and Bar" || p.str("_links.pb:consumer-version.name") != "1" {
		t.Fatalf("link names: %v", p.path("_links.self"))
	}

	permalink := b.get(pair+"/pact-version/"+sha).must(t, 200)
	if permalink.str("interactions.0._id") != id || permalink.str("_links.self.href") != b.url+pair+"/version/1" {
		t.Fatalf("pact version: %s", permalink.raw)
	}
	withMeta := b.get(pair+"/pact-version/"+sha+"/metadata/c1tdW2xdPXRydWU").must(t, 200)
	if got := withMeta.str("_links.pb:publish-verification-results.href"); got != b.url+pair+"/pact-version/"+sha+"/metadata/c1tdW2xdPXRydWU/verification-results" {
		t.Fatalf("the metadata segment is kept: %s", got)
	}

	latest := map[string]string{
		"/latest": "3", "/latest/prod": "1", "/latest/dev": "3", "/branch/main/latest": "1",
		"/branch/feat%2Fx/latest": "2", "/latest-untagged": "2",
	}
	for path, version := range latest {
		if got := b.get(pair+path).must(t, 200).str("_links.pb:consumer-version.name"); got != version {
			t.Errorf("%s: version %q, want %s", path, got, version)
		}
	}
	for _, path := range []string{"/latest/nope", "/branch/nope/latest", "/version/9", "/pact-version/0000"} {
		b.get(pair+path).must(t, 404)
	}

	provider := b.get("/pacts/provider/Bar/latest").must(t, 200)
	if provider.str("_links.pacts.0.href") != b.url+pair+"/version/3" || provider.str("_links.pb:pacts.0.name") != "Foo" ||
		provider.str("_links.self.title") != "Latest pact versions for the provider Bar" {
		t.Fatalf("latest provider pacts: %s", provider.raw)
	}
	if got := b.get("/pacts/provider/Bar/latest/prod").must(t, 200).str("_links.pacts.0.href"); got != b.url+pair+"/version/1" {
		t.Fatalf("latest provider pacts for a tag: %s", got)
	}
	if all := b.get("/pacts/provider/Bar").must(t, 200); len(all.path("_links.pb:pacts").([]any)) != 3 {
		t.Fatalf("all provider pacts: %s", all.raw)
	}
	b.get("/pacts/provider/Nope/latest").must(t, 404)
	versions := b.get(pair+"/versions").must(t, 200)
	if versions.str("_embedded.pacts.0._embedded.consumerVersion.number") != "3" || len(versions.path("_links.pact-versions").([]any)) != 3 {
		t.Fatalf("pact versions: %s", versions.raw)
	}

	all := b.get("/pacts/latest").must(t, 200)
	if all.str("pacts.0._embedded.consumer.name") != "Foo" || all.str("pacts.0._embedded.consumer._embedded.version.number") != "3" ||
		all.str("pacts.0._embedded.provider.name") != "Bar" || all.str("pacts.0.createdAt") == "" {
		t.Fatalf("latest pacts: %s", all.raw)
	}
	ig := b.get("/integrations").must(t, 200)
	if ig.str("_embedded.integrations.0.consumer.name") != "Foo" || ig.str("_embedded.integrations.0.provider.name") != "Bar" {
		t.Fatalf("integrations: %s", ig.raw)
	}
}

func TestLegacyPactPutPatchDelete(t *testing.T) {
	b := newBroker(t)
	path := "/pacts/provider/Bar%20Service/consumer/Foo/version/1.0.0%2Bbuild"
	pact := pactDoc("Foo", "Bar Service", interaction("a", "/a", 200))
	r := b.put(path, pact).must(t, 201)
	if r.header.Get("Location") != b.url+strings.Replace(path, "%2B", "+", 1) || r.str("provider.name") != "Bar Service" || r.str("_links.pb:consumer-version.name") != "1.0.0+build" ||
		!strings.HasSuffix(r.str("_links.pb:publish-verification-results.href"), "/verification-results") {
		t.Fatalf("PUT: %s", r.raw)
	}
	b.put(path, pact).must(t, 200)
	b.get("/pacticipants/Bar%20Service").must(t, 200)
	b.get("/pacticipants/Foo/versions/1.0.0%2Bbuild").must(t, 200)
	b.do("DELETE", path, "", nil).must(t, 204)
	b.get(path).must(t, 404)
	if len(b.get("/integrations").path("_embedded.integrations").([]any)) != 0 {
		t.Fatal("the integration goes with its last pact")
	}
	// After a deletion other content is a new pact, not a conflict.
	b.put(path, pactDoc("Foo", "Bar Service", interaction("a", "/a", 500))).must(t, 201)
	// Deleting the consumer version deletes its pacts, so republishing works.
	b.do("DELETE", "/pacticipants/Foo/versions/1.0.0%2Bbuild", "", nil).must(t, 204)
	b.get(path).must(t, 404)
	b.put(path, pactDoc("Foo", "Bar Service", interaction("a", "/a", 404))).must(t, 201)
	b.do("DELETE", "/pacticipants/Bar%20Service", "", nil).must(t, 204)
	b.get(path).must(t, 404)
}

// bigPact is a pact of about size bytes in interactions of ~64 KiB.
func bigPact(size int) map[string]any {
	var items []map[string]any
	for i := 0; i*(64<<10) < size; i++ {
		it := interaction(fmt.Sprintf("request %d", i), fmt.Sprintf("/r/%d", i), 200)
		it["response"].(map[string]any)["body"] = map[string]any{"data": strings.Repeat("x", 64<<10)}
		items = append(items, it)
	}
	return pactDoc("Foo", "Bar", items...)
}

func TestLargePactsPublishAndReadBack(t *testing.T) {
	b := newBroker(t)
	five := bigPact(5 << 20)
	b.publish(200, "Foo", "1", five, nil)
	got := b.get("/pacts/provider/Bar/consumer/Foo/version/1").must(t, 200)
	if n := len(got.path("interactions").([]any)); n != len(five["interactions"].([]map[string]any)) || len(got.raw) < 5<<20 {
		t.Fatalf("5 MiB pact read back with %d interactions, %d bytes", n, len(got.raw))
	}
	eight := bigPact(8 << 20)
	raw, _ := json.Marshal(eight)
	if len(raw) < 8<<20 || len(raw) > 9<<20 {
		t.Fatalf("test pact has %d bytes", len(raw))
	}
	b.put("/pacts/provider/Bar/consumer/Foo/version/2", raw).must(t, 201)
	back := b.get("/pacts/provider/Bar/consumer/Foo/version/2").must(t, 200)
	if n := len(back.path("interactions").([]any)); n != len(eight["interactions"].([]map[string]any)) {
		t.Fatalf("8 MiB pact read back with %d interactions", n)
	}
	if parts := b.eventsOfType("PactContentStored"); len(parts) != 4 {
		t.Fatalf("%d content events, want 1 for 5 MiB and 3 parts for 8 MiB", len(parts))
	}
}
