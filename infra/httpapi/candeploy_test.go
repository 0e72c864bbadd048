package httpapi_test

import (
	"net/url"
	"testing"
)

// verify publishes a verification result for the pact a consumer version
// holds with a provider.
func (b *broker) verify(consumer, version, provider, providerVersion string, success bool) {
	b.t.Helper()
	pact := b.get("/pacts/provider/"+provider+"/consumer/"+consumer+"/version/"+version).must(b.t, 200)
	href := pact.str("_links.pb:publish-verification-results.href")
	b.post(href[len(b.url):], map[string]any{"providerApplicationVersion": providerVersion, "success": success}).must(b.t, 201)
}

func (b *broker) deploy(pacticipant, version, env string, instance any) {
	b.t.Helper()
	body := map[string]any{}
	if instance != nil {
		body["applicationInstance"] = instance
	}
	b.post("/pacticipants/"+pacticipant+"/versions/"+version+"/deployed-versions/environment/"+b.envUUID(env), body).must(b.t, 201)
}

func deployable(t *testing.T, r response) any {
	t.Helper()
	r.must(t, 200)
	if _, ok := r.json["summary"].(map[string]any)["deployable"]; !ok {
		t.Fatalf("summary.deployable missing: %s", r.raw)
	}
	return r.path("summary.deployable")
}

// TestCanIDeployOverTheRealReadModels runs the whole cycle through the API:
// publish, verify, deploy, ask — with yes, no and unknown answers.
func TestCanIDeployOverTheRealReadModels(t *testing.T) {
	b := newBroker(t)
	b.publish(200, "Foo", "1", pactDoc("Foo", "Bar", interaction("hello", "/hello", 200)), map[string]any{"branch": "main"})
	b.version("Bar", "10")
	b.version("Bar", "11")
	b.deploy("Bar", "10", "production", nil)
	b.deploy("Bar", "11", "production", "canary")
	ask := "/can-i-deploy?pacticipant=Foo&version=1&environment=production"

	unknown := b.get(ask)
	if deployable(t, unknown) != nil || unknown.path("summary.unknown") != float64(1) {
		t.Fatalf("no verifications yet: %s", unknown.raw)
	}
	b.verify("Foo", "1", "Bar", "10", true)
	// As in the Pact Broker, the pact joins the results of the provider
	// versions in the environment: canary 11 has none yet, so it adds no row,
	// and the answer rests on 10's success.
	if got := deployable(t, b.get(ask)); got != true {
		t.Fatalf("10 verified, 11 without results: want true as the Pact Broker answers, got %v", got)
	}
	b.verify("Foo", "1", "Bar", "11", false)
	no := b.get(ask)
	if deployable(t, no) != false || no.path("summary.failed") != float64(1) || no.path("summary.success") != float64(1) {
		t.Fatalf("one instance fails: %s", no.raw)
	}
	b.verify("Foo", "1", "Bar", "11", true)
	yes := b.get(ask)
	if deployable(t, yes) != true || yes.str("notices.0.type") != "success" || len(yes.path("matrix").([]any)) != 2 {
		t.Fatalf("both verified: %s", yes.raw)
	}
	if yes.str("matrix.0.consumer.version.number") != "1" || yes.path("matrix.0.verificationResult.success") != true {
		t.Fatalf("rows: %s", yes.raw)
	}

	// A second consumer version with the same content is pre-verified.
	b.publish(200, "Foo", "2", pactDoc("Foo", "Bar", interaction("hello", "/hello", 200)), nil)
	if got := deployable(t, b.get("/can-i-deploy?pacticipant=Foo&version=2&environment=production")); got != true {
		t.Fatalf("pre-verified content: %v", got)
	}
	// The provider may go first: the consumer is not in test.
	if got := deployable(t, b.get("/can-i-deploy?pacticipant=Bar&version=11&environment=test")); got != true {
		t.Fatalf("provider first deploy: %v", got)
	}
	// The matrix as the official CLI asks for it.
	q := url.Values{}
	m := b.get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv&environment=production&" + q.Encode())
	if deployable(t, m) != true {
		t.Fatalf("matrix: %s", m.raw)
	}
	bad := b.get("/matrix?q[][version]=1")
	if bad.status != 400 || bad.str("errors.0") != "Please specify the pacticipant name" {
		t.Fatalf("matrix validation: %d %s", bad.status, bad.raw)
	}
	noEnv := b.get("/can-i-deploy?pacticipant=Foo&version=1&environment=nope")
	if noEnv.status != 400 || noEnv.str("errors.environment.0") != "with name 'nope' does not exist" {
		t.Fatalf("can-i-deploy validation: %d %s", noEnv.status, noEnv.raw)
	}
	missing := b.get("/can-i-deploy?pacticipant=Foo&version=9&environment=production")
	if deployable(t, missing) != false {
		t.Fatalf("unknown version: %s", missing.raw)
	}
	branch := b.get("/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/production")
	if deployable(t, branch) != true {
		t.Fatalf("branch to environment: %s", branch.raw)
	}
	b.get("/pacticipants/Foo/branches/nope/latest-version/can-i-deploy/to-environment/production").must(t, 404)
	if got := deployable(t, b.get("/matrix/provider/Bar/consumer/Foo")); got == nil {
		t.Logf("integration matrix answered unknown, as rows exist without verification for version 2")
	}
}
