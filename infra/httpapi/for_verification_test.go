package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/events"
)

// forVerificationBroker: Foo 1 (main, deployed to production) and Baz 1
// (main) and Baz 2 (feat) have pacts with Bar.
func forVerificationBroker(t *testing.T) *broker {
	b := newBroker(t)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", interaction("a hello request", "/hello", 200)), map[string]any{"branch": "main"})
	b.publish(200, "Baz", "1", pactDoc("Baz", "Bar", interaction("a greet request", "/greet", 200)), map[string]any{"branch": "main"})
	b.publish(200, "Baz", "2", pactDoc("Baz", "Bar", interaction("a greet request", "/greet", 201)), map[string]any{"branch": "feat"})
	b.post("/pacticipants/Foo/versions/1/deployed-versions/environment/"+b.envUUID("production"), nil).must(t, 201)
	return b
}

// pactsByConsumer indexes a for-verification answer by "consumer version"
// (from the self link's name).
func pactsByConsumer(t *testing.T, r response) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	list, _ := r.path("_embedded.pacts").([]any)
	for _, p := range list {
		m := p.(map[string]any)
		name, _ := dig(m, "_links.self.name").(string)
		consumer, rest, _ := strings.Cut(strings.TrimPrefix(name, "Pact between "), " (")
		version, _, _ := strings.Cut(rest, ")")
		out[consumer+" "+version] = m
	}
	return out
}

// metadataOf decodes a pact URL's metadata segment.
func metadataOf(t *testing.T, href string) string {
	t.Helper()
	_, seg, ok := strings.Cut(href, "/metadata/")
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if !ok || err != nil {
		t.Fatalf("no metadata in %s", href)
	}
	return string(raw)
}

func TestPactsForVerificationPublishThroughTheSelfLink(t *testing.T) {
	b := forVerificationBroker(t)
	body := map[string]any{"consumerVersionSelectors": []any{map[string]any{"mainBranch": true}, map[string]any{"deployedOrReleased": true}},
		"providerVersionBranch": "main", "includePendingStatus": true, "includeWipPactsSince": "2020-01-01"}
	r := b.post("/pacts/provider/Bar/for-verification", body).must(t, 200)
	if r.header.Get("Content-Type") != "application/hal+json;charset=utf-8" || r.str("_links.self.href") != b.url+"/pacts/provider/Bar/for-verification" ||
		r.str("_links.self.title") != "Pacts to be verified" {
		t.Fatalf("answer: %s", r.raw)
	}
	pacts := pactsByConsumer(t, r)
	foo, baz := pacts["Foo 1"], pacts["Baz 2"]
	if len(pacts) != 3 || pacts["Baz 1"]["shortDescription"] != "latest from main branch" || foo["shortDescription"] != "deployed to production, latest from main branch" ||
		dig(foo, "verificationProperties.pending") != true || dig(foo, "verificationProperties.wip") != nil ||
		!strings.HasPrefix(dig(foo, "verificationProperties.notices.0.text").(string), "The pact at "+b.url+"/pacts/provider/Bar/consumer/Foo/pact-version/") ||
		len(dig(foo, "verificationProperties.notices").([]any)) != 6 {
		t.Fatalf("Foo: %v", foo)
	}
	fooSelf := dig(foo, "_links.self.href").(string)
	if got := metadataOf(t, fooSelf); got != "s%5B%5D%5Bcvn%5D=1&s%5B%5D%5Bcvn%5D=1&s%5B%5D%5Bl%5D=true&p=true" {
		t.Fatalf("Foo's metadata: %s", got)
	}
	if baz["shortDescription"] != "latest from branch feat" || dig(baz, "verificationProperties.wip") != true ||
		metadataOf(t, dig(baz, "_links.self.href").(string)) != "w=true" || dig(baz, "_links.self.name") != "Pact between Baz (2) and Bar" {
		t.Fatalf("Baz's feat head is a WIP pact: %v", baz)
	}

	// The verifier fetches the self link and publishes through its pb:publish-verification-results.
	pact := b.get(fooSelf[len(b.url):]).must(t, 200)
	publish := pact.str("_links.pb:publish-verification-results.href")
	if !strings.HasPrefix(publish, fooSelf) {
		t.Fatalf("the metadata is kept: %s", publish)
	}
	b.put("/pacticipants/Bar/branches/main/versions/2.0.0", map[string]any{})
	b.post(publish[len(b.url):], map[string]any{"providerApplicationVersion": "2.0.0", "success": true}).must(t, 201)
	wipPact := b.get(dig(baz, "_links.self.href").(string)[len(b.url):]).must(t, 200)
	b.post(wipPact.str("_links.pb:publish-verification-results.href")[len(b.url):],
		map[string]any{"providerApplicationVersion": "2.0.0", "success": true}).must(t, 201)
	recorded := b.eventsOfType("VerificationPublished")
	if len(recorded) != 2 {
		t.Fatalf("%d results", len(recorded))
	}
	first, second := recorded[0].Data.(events.VerificationPublished), recorded[1].Data.(events.VerificationPublished)
	var sels []map[string]any
	_ = json.Unmarshal(first.Selectors, &sels)
	if !first.Pending || first.WIP || len(sels) != 2 || sels[0]["consumerVersionNumber"] != "1" || sels[1]["latest"] != true {
		t.Fatalf("the selected pact's result: %+v %s", first, first.Selectors)
	}
	if !second.WIP || second.Pending || second.Selectors != nil {
		t.Fatalf("the WIP pact's result: %+v", second)
	}

	// Now main has verified Foo: not pending. A WIP verification does not end WIP.
	pacts = pactsByConsumer(t, b.post("/pacts/provider/Bar/for-verification", body).must(t, 200))
	if dig(pacts["Foo 1"], "verificationProperties.pending") != false || dig(pacts["Baz 2"], "verificationProperties.wip") != true {
		t.Fatalf("after the results: %v", pacts)
	}
	if text := dig(pacts["Foo 1"], "verificationProperties.notices.1.text"); text != "This pact has previously been successfully verified "+
		"by a version of Bar from branch 'main'. If this verification fails, it will fail the build. Read more at https://docs.pact.io/go/pending" {
		t.Fatalf("pending reason: %v", text)
	}
}

func TestPactsForVerificationDefaultsAndOptions(t *testing.T) {
	b := forVerificationBroker(t)
	r := b.post("/pacts/provider/Bar/for-verification", nil).must(t, 200) // no body: the defaults
	pacts := pactsByConsumer(t, r)
	if len(pacts) != 2 || pacts["Foo 1"]["shortDescription"] != "deployed to production, latest from main branch" ||
		pacts["Baz 1"]["shortDescription"] != "latest from main branch" || dig(pacts["Foo 1"], "verificationProperties.pending") != true {
		t.Fatalf("defaults: %s", r.raw)
	}
	r = b.post("/pacts/provider/Bar/for-verification", map[string]any{"includePendingStatus": false,
		"consumerVersionSelectors": []any{map[string]any{"branch": "feat"}}}).must(t, 200)
	only := r.path("_embedded.pacts.0").(map[string]any)
	if dig(only, "verificationProperties.pending") != nil || len(dig(only, "verificationProperties.notices").([]any)) != 1 ||
		metadataOf(t, dig(only, "_links.self.href").(string)) != "s%5B%5D%5Bcvn%5D=2&s%5B%5D%5Bb%5D=feat&s%5B%5D%5Bl%5D=true" {
		t.Fatalf("without pending: %s", r.raw)
	}
	empty := b.post("/pacts/provider/Foo/for-verification", map[string]any{}).must(t, 200)
	if list, ok := empty.path("_embedded.pacts").([]any); !ok || len(list) != 0 {
		t.Fatalf("a provider without consumers has an empty list: %s", empty.raw)
	}
}

func TestPactsForVerificationErrors(t *testing.T) {
	b := forVerificationBroker(t)
	r := b.post("/pacts/provider/Bar/for-verification", map[string]any{"consumerVersionSelectors": []any{
		map[string]any{"environment": "nope"}, map[string]any{"tag": "x", "branch": "y"}}}).must(t, 400)
	if strings.Join(errorList(r, "consumerVersionSelectors"), "|") !=
		"environment with name 'nope' does not exist (at index 0)|cannot specify both a tag and a branch (at index 1)" {
		t.Fatalf("400: %s", r.raw)
	}
	b.post("/pacts/provider/Nope/for-verification", map[string]any{}).must(t, 404)
	b.post("/pacts/provider/Nope/for-verification", map[string]any{"includePendingStatus": "x"}).must(t, 400) // 400 before 404
	b.do("POST", "/pacts/provider/Bar/for-verification", "text/plain", "x").must(t, 415)
	b.do("POST", "/pacts/provider/Nope/for-verification", "text/plain", "x").must(t, 404)
	b.do("POST", "/pacts/provider/Bar/for-verification", "application/json", "{").must(t, 400)
	b.do("POST", "/pacts/provider/Bar/for-verification", "application/hal+json", `{"consumerVersionSelectors":[{"latest":true}]}`).must(t, 200)
}

func errorList(r response, key string) []string {
	var out []string
	list, _ := r.path("errors." + key).([]any)
	for _, m := range list {
		out = append(out, m.(string))
	}
	return out
}

func TestPactsForVerificationDeprecatedGET(t *testing.T) {
	b := forVerificationBroker(t)
	b.put("/pacticipants/Baz/versions/1/tags/prod", map[string]any{})
	r := b.get("/pacts/provider/Bar/for-verification").must(t, 200)
	if r.str("_links.self.href") != b.url+"/pacts/provider/Bar/for-verification" || len(r.path("_embedded.pacts").([]any)) != 2 ||
		!strings.HasPrefix(r.str("_embedded.pacts.0.verificationProperties.notices.0.text"), "WARNING - this version of the Pact library") {
		t.Fatalf("GET: %s", r.raw)
	}
	r = b.get("/pacts/provider/Bar/for-verification?consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true"+
		"&provider_version_tags[]=main&include_pending_status=false").must(t, 200)
	if r.str("_embedded.pacts.0.shortDescription") != "latest with tag prod" || r.path("_embedded.pacts.0.verificationProperties.pending") != nil ||
		len(r.path("_embedded.pacts").([]any)) != 1 {
		t.Fatalf("GET with a query: %s", r.raw)
	}
	r = b.get("/pacts/provider/Bar/for-verification?consumer_version_selectors[][latest]=yes&include_wip_pacts_since=x").must(t, 400)
	if strings.Join(errorList(r, "consumer_version_selectors"), "|") != "tag is missing (at index 0)|latest must be one of: true, false (at index 0)" ||
		strings.Join(errorList(r, "include_wip_pacts_since"), "|") != "must be a date" {
		t.Fatalf("GET validation: %s", r.raw)
	}
	b.get("/pacts/provider/Nope/for-verification").must(t, 404)
}

// The Pact Broker's approved answer (spec/fixtures/approvals/
// get_provider_pacts_for_verification.approved.json), but for the host, the
// SHA and the metadata (which holds a database id there).
func TestPactsForVerificationMatchesTheApprovedBody(t *testing.T) {
	b := newBroker(t)
	b.publish(200, "Consumer", "0.0.1", pactDoc("Consumer", "Provider", interaction("a", "/a", 200)), nil)
	b.publish(200, "Consumer 2", "4.5.6", pactDoc("Consumer 2", "Provider", interaction("b", "/b", 200)),
		map[string]any{"tags": []string{"prod"}})
	r := b.post("/pacts/provider/Provider/for-verification", map[string]any{
		"consumerVersionSelectors": []any{map[string]any{"tag": "prod", "latest": true}},
		"includePendingStatus":     false, "providerVersionTags": []string{"main"}}).must(t, 200)
	self := r.str("_embedded.pacts.0._links.self.href")
	pactVersion, _, _ := strings.Cut(self, "/metadata/")
	want := `{"_embedded":{"pacts":[{"shortDescription":"latest with tag prod","verificationProperties":{"notices":[` +
		`{"when":"before_verification","text":"The pact at ` + pactVersion + ` is being verified because the pact content ` +
		`belongs to the consumer version matching the following criterion:\n    * latest version tagged 'prod' (4.5.6)"}]},` +
		`"_links":{"self":{"href":"` + self + `","name":"Pact between Consumer 2 (4.5.6) and Provider"}}}]},` +
		`"_links":{"self":{"href":"` + b.url + `/pacts/provider/Provider/for-verification","title":"Pacts to be verified"}}}`
	if got := strings.TrimSpace(r.raw); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if !strings.HasPrefix(pactVersion, b.url+"/pacts/provider/Provider/consumer/Consumer%202/pact-version/") ||
		metadataOf(t, self) != "s%5B%5D%5Bcvn%5D=4.5.6&s%5B%5D%5Bt%5D=prod&s%5B%5D%5Bl%5D=true" {
		t.Fatalf("self: %s (%s)", self, metadataOf(t, self))
	}
}
