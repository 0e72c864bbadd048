package httpapi_test

import (
	"strings"
	"testing"
)

func TestEnvironmentLifecycle(t *testing.T) {
	b := newBroker(t)
	list := b.get("/environments").must(t, 200)
	if n := len(list.path("_embedded.environments").([]any)); n != 2 {
		t.Fatalf("seeded %d environments, want test and production", n)
	}
	if list.str("_embedded.environments.0.name") != "production" || list.path("_embedded.environments.0.production") != true {
		t.Fatalf("environments are ordered by display name: %s", list.raw)
	}

	created := b.post("/environments", map[string]any{"name": "uat", "production": false,
		"contacts": []any{map[string]any{"name": "Team A", "details": map[string]any{"emailAddress": "a@example.com"}}}}).must(t, 201)
	id := created.str("uuid")
	if created.str("displayName") != "Uat" || created.header.Get("Location") != b.url+"/environments/"+id {
		t.Fatalf("create: %s %v", created.raw, created.header)
	}
	if !strings.HasSuffix(created.str("_links.pb:currently-deployed-deployed-versions.href"), "/environments/"+id+"/deployed-versions/currently-deployed") {
		t.Fatalf("links: %s", created.raw)
	}
	if created.str("contacts.0.details.emailAddress") != "a@example.com" || created.path("updatedAt") != nil {
		t.Fatalf("contacts/updatedAt: %s", created.raw)
	}

	dup := b.post("/environments", map[string]any{"name": "uat", "production": true}).must(t, 400)
	if dup.str("errors.name.0") != "name 'uat' is already used by an existing environment." {
		t.Fatalf("duplicate: %s", dup.raw)
	}
	if b.get("/environments?name=uat").str("_embedded.environments.0.uuid") != id {
		t.Fatal("?name= filter")
	}
	if n := len(b.get("/environments?name=nope").must(t, 200).path("_embedded.environments").([]any)); n != 0 {
		t.Fatal("?name= with no match must be an empty list")
	}

	updated := b.put("/environments/"+id, map[string]any{"name": "uat", "displayName": "User Acceptance", "production": true}).must(t, 200)
	if updated.str("displayName") != "User Acceptance" || updated.path("production") != true || updated.path("contacts") != nil {
		t.Fatalf("PUT is a full replace: %s", updated.raw)
	}
	b.put("/environments/"+id, map[string]any{"name": "test", "production": true}).must(t, 400)
	b.put("/environments/00000000-0000-0000-0000-000000000000", map[string]any{"name": "x", "production": true}).must(t, 404)

	b.do("DELETE", "/environments/"+id, "", nil).must(t, 204)
	b.get("/environments/"+id).must(t, 404)
	b.do("DELETE", "/environments/"+id, "", nil).must(t, 404)
}

func TestDeletingAnEnvironmentEndsItsDeploymentsAndReleases(t *testing.T) {
	b := newBroker(t)
	id := b.post("/environments", map[string]any{"name": "perf", "production": false}).must(t, 201).str("uuid")
	b.version("Foo", "1")
	dep := b.post("/pacticipants/Foo/versions/1/deployed-versions/environment/"+id, nil).must(t, 201).str("uuid")
	rel := b.post("/pacticipants/Foo/versions/1/released-versions/environment/"+id, nil).must(t, 201).str("uuid")
	b.do("DELETE", "/environments/"+id, "", nil).must(t, 204)
	b.get("/deployed-versions/"+dep).must(t, 404)
	b.get("/released-versions/"+rel).must(t, 404)
	if n := len(b.get("/pacticipants/Foo/versions/1").path("_links.pb:deployed-environments").([]any)); n != 0 {
		t.Fatalf("version still lists %d deployments", n)
	}
	if len(b.eventsOfType("DeploymentRecorded")) != 1 || len(b.eventsOfType("EnvironmentDeleted")) != 1 {
		t.Fatal("the log keeps the history")
	}
}

func TestIndexHasTheRelationsTheCLINeeds(t *testing.T) {
	b := newBroker(t)
	idx := b.get("/").must(t, 200)
	if ct := idx.header.Get("Content-Type"); ct != "application/hal+json;charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	for _, rel := range []string{"pb:environments", "pb:latest-tagged-version", "pb:latest-version", "pb:pacticipant",
		"pb:pacticipant-branch", "pb:pacticipant-version", "pb:pacticipants", "pb:publish-contracts", "pb:webhook", "pb:webhooks"} {
		if idx.str("_links."+rel+".href") == "" {
			t.Errorf("index lacks %s", rel)
		}
	}
	if idx.str("_links.pb:pacticipant.href") != b.url+"/pacticipants/{pacticipant}" || idx.path("_links.pb:pacticipant.templated") != true {
		t.Fatalf("templated link: %v", idx.path("_links.pb:pacticipant"))
	}
	b.get("/diagnostic/status/heartbeat").must(t, 200)
	if b.get("/diagnostic/status/heartbeat").path("ok") != true {
		t.Fatal("heartbeat body")
	}
}
