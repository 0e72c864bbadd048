package httpapi_test

import (
	"testing"

	"github.com/pactledger/pactledger/events"
)

// recordLink finds a version's pb:record-* entry for an environment name.
func recordLink(t *testing.T, v response, rel, env string) string {
	t.Helper()
	links, ok := v.path("_links." + rel).([]any)
	if !ok {
		t.Fatalf("%s is not an array: %s", rel, v.raw)
	}
	for _, l := range links {
		m := l.(map[string]any)
		if m["name"] == env {
			return m["href"].(string)
		}
	}
	t.Fatalf("no %s entry named %s", rel, env)
	return ""
}

func currentVersions(t *testing.T, b *broker, env, query string) map[string]string {
	t.Helper()
	r := b.get("/environments/"+env+"/deployed-versions/currently-deployed"+query).must(t, 200)
	out := map[string]string{}
	for _, d := range r.path("_embedded.deployedVersions").([]any) {
		m := d.(map[string]any)
		inst, _ := m["applicationInstance"].(string)
		out[inst] = dig(m, "_embedded.version.number").(string)
	}
	return out
}

func TestDeploymentsRollbackInstancesAndUndeploy(t *testing.T) {
	b := newBroker(t)
	prod := b.envUUID("production")
	for _, v := range []string{"1.0.0", "2.0.0"} {
		b.version("Foo", v)
	}
	v1 := b.get("/pacticipants/Foo/versions/1.0.0").must(t, 200)
	deployV1 := recordLink(t, v1, "pb:record-deployment", "production")
	first := b.do("POST", deployV1[len(b.url):], "application/json", "").must(t, 201)
	if first.path("currentlyDeployed") != true || first.str("_embedded.environment.name") != "production" ||
		first.header.Get("Location") != b.url+"/deployed-versions/"+first.str("uuid") {
		t.Fatalf("record deployment: %s", first.raw)
	}
	again := b.post("/pacticipants/Foo/versions/1.0.0/deployed-versions/environment/"+prod, map[string]any{}).must(t, 201)
	if again.str("uuid") != first.str("uuid") {
		t.Fatal("deploying the current version again must return the existing record")
	}
	second := b.post("/pacticipants/Foo/versions/2.0.0/deployed-versions/environment/"+prod, nil).must(t, 201)
	if got := currentVersions(t, b, prod, ""); got[""] != "2.0.0" || len(got) != 1 {
		t.Fatalf("after 2.0.0: %v", got)
	}
	firstNow := b.get("/deployed-versions/"+first.str("uuid")).must(t, 200)
	if firstNow.path("currentlyDeployed") != false || firstNow.str("undeployedAt") == "" {
		t.Fatalf("1.0.0 must be auto-undeployed: %s", firstNow.raw)
	}
	rollback := b.post("/pacticipants/Foo/versions/1.0.0/deployed-versions/environment/"+prod, nil).must(t, 201)
	if rollback.str("uuid") == first.str("uuid") {
		t.Fatal("a rollback is a new record")
	}
	history := b.get("/pacticipants/Foo/versions/1.0.0/deployed-versions/environment/"+prod).must(t, 200)
	if n := len(history.path("_embedded.deployedVersions").([]any)); n != 2 {
		t.Fatalf("1.0.0 has %d records, want 2", n)
	}

	blue := b.post("/pacticipants/Foo/versions/2.0.0/deployed-versions/environment/"+prod,
		map[string]any{"applicationInstance": "blue"}).must(t, 201)
	b.post("/pacticipants/Foo/versions/1.0.0/deployed-versions/environment/"+prod,
		map[string]any{"target": "green"}).must(t, 201)
	if got := currentVersions(t, b, prod, ""); got[""] != "1.0.0" || got["blue"] != "2.0.0" || got["green"] != "1.0.0" {
		t.Fatalf("instances: %v", got)
	}
	if got := currentVersions(t, b, prod, "?applicationInstance="); len(got) != 1 || got[""] != "1.0.0" {
		t.Fatalf("blank instance means the null instance: %v", got)
	}
	if got := currentVersions(t, b, prod, "?pacticipant=Foo&applicationInstance=blue"); len(got) != 1 || got["blue"] != "2.0.0" {
		t.Fatalf("instance filter: %v", got)
	}
	if got := currentVersions(t, b, prod, "?pacticipant=Bar"); len(got) != 0 {
		t.Fatalf("pacticipant filter: %v", got)
	}

	b.do("PATCH", "/deployed-versions/"+blue.str("uuid"), "application/json", `{"currentlyDeployed":false}`).must(t, 415)
	b.patch("/deployed-versions/"+blue.str("uuid"), map[string]any{"currentlyDeployed": true}).must(t, 422)
	undeployed := b.patch("/deployed-versions/"+blue.str("uuid"), map[string]any{"currentlyDeployed": false}).must(t, 200)
	if undeployed.path("currentlyDeployed") != false || undeployed.str("undeployedAt") == "" {
		t.Fatalf("undeploy: %s", undeployed.raw)
	}
	head := b.head()
	repeat := b.patch("/deployed-versions/"+blue.str("uuid"), map[string]any{"currentlyDeployed": false}).must(t, 200)
	if repeat.str("undeployedAt") != undeployed.str("undeployedAt") || b.head() != head {
		t.Fatal("undeploying twice must change nothing")
	}
	b.patch("/deployed-versions/"+blue.str("uuid"), map[string]any{}).must(t, 200)
	b.patch("/deployed-versions/nope", map[string]any{"currentlyDeployed": false}).must(t, 404)
	if got := currentVersions(t, b, prod, ""); len(got) != 2 || got["blue"] != "" {
		t.Fatalf("after undeploying blue: %v", got)
	}
	replacing := 0
	for _, e := range b.eventsOfType("DeploymentRecorded") {
		if e.Data.(events.DeploymentRecorded).Replaces != nil {
			replacing++
		}
	}
	if n := len(b.eventsOfType("AutoUndeployed")); n != 0 || replacing != 2 {
		t.Fatalf("%d AutoUndeployed events and %d deployments that replace one, want 0 and 2", n, replacing)
	}
	if n := len(b.eventsOfType("Undeployed")); n != 1 {
		t.Fatalf("%d Undeployed events, want 1", n)
	}
	second = b.get("/deployed-versions/"+second.str("uuid")).must(t, 200)
	if second.path("currentlyDeployed") != false {
		t.Fatal("the rollback must undeploy 2.0.0")
	}
}

func TestReleases(t *testing.T) {
	b := newBroker(t)
	prod := b.envUUID("production")
	b.version("Foo", "1")
	b.version("Foo", "2")
	v1 := b.get("/pacticipants/Foo/versions/1").must(t, 200)
	rel := b.do("POST", recordLink(t, v1, "pb:record-release", "production")[len(b.url):], "application/json", "{}").must(t, 201)
	id := rel.str("uuid")
	b.post("/pacticipants/Foo/versions/1/released-versions/environment/"+prod, nil).must(t, 200)
	b.post("/pacticipants/Foo/versions/2/released-versions/environment/"+prod, nil).must(t, 201)
	supported := b.get("/environments/"+prod+"/released-versions/currently-supported").must(t, 200)
	if n := len(supported.path("_embedded.releasedVersions").([]any)); n != 2 {
		t.Fatalf("%d supported, want both versions", n)
	}
	b.patch("/released-versions/"+id, map[string]any{"currentlySupported": true}).must(t, 422)
	ended := b.patch("/released-versions/"+id, map[string]any{"currentlySupported": false}).must(t, 200)
	if ended.path("currentlySupported") != false || ended.str("supportEndedAt") == "" {
		t.Fatalf("end support: %s", ended.raw)
	}
	only := b.get("/environments/"+prod+"/released-versions/currently-supported?pacticipant=Foo").must(t, 200)
	if n := len(only.path("_embedded.releasedVersions").([]any)); n != 1 || only.str("_embedded.releasedVersions.0._embedded.version.number") != "2" {
		t.Fatalf("after support ended: %s", only.raw)
	}
	resumed := b.post("/pacticipants/Foo/versions/1/released-versions/environment/"+prod, nil).must(t, 200)
	if resumed.str("uuid") != id || resumed.path("currentlySupported") != true || resumed.path("supportEndedAt") != nil {
		t.Fatalf("a repeat resumes support: %s", resumed.raw)
	}
	if len(b.eventsOfType("SupportEnded")) != 1 || len(b.eventsOfType("ReleaseSupportResumed")) != 1 {
		t.Fatal("events")
	}
}
