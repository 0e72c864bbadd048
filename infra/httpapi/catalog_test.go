package httpapi_test

import (
	"testing"
)

func TestPacticipants(t *testing.T) {
	b := newBroker(t)
	created := b.post("/pacticipants", map[string]any{"name": "Foo App", "repositoryUrl": "https://git/foo"}).must(t, 201)
	if created.header.Get("Location") != b.url+"/pacticpants/Foo%20App" || created.str("displayName") != "Foo App" {
		t.Fatalf("create: %v %s", created.header, created.raw)
	}
	b.post("/pacticipants", map[string]any{"name": "Foo App"}).must(t, 409)
	b.post("/pacticipants", "").must(t, 400)
	got := b.get("/pacticipants/Foo%20App").must(t, 200)
	if got.str("_links.self.href") != b.url+"/pacticipants/Foo%20App" || got.str("repositoryUrl") != "https://git/foo" {
		t.Fatalf("get: %s", got.raw)
	}
	patched := b.patch("/pacticipants/Foo%20App", map[string]any{"mainBranch": "main"}).must(t, 200)
	if patched.str("repositoryUrl") != "https://git/foo" || patched.str("mainBranch") != "main" {
		t.Fatalf("PATCH merges: %s", patched.raw)
	}
	replaced := b.put("/pacticipants/Foo%20App", map[string]any{"displayName": "Foo"}).must(t, 200)
	if replaced.path("repositoryUrl") != nil || replaced.str("displayName") != "Foo" {
		t.Fatalf("PUT replaces: %s", replaced.raw)
	}
	b.put("/pacticipants/Nope", map[string]any{}).must(t, 404)
	b.patch("/pacticipants/Bar", map[string]any{"displayName": "Bar!"}).must(t, 201)
	list := b.get("/pacticipants").must(t, 200)
	if list.str("pacticipants.0.name") != "Bar" || list.str("_embedded.pacticipants.1.name") != "Foo App" {
		t.Fatalf("list: %s", list.raw)
	}
	b.version("Bar", "1")
	b.do("DELETE", "/pacticipants/Bar", "", nil).must(t, 204)
	b.get("/pacticipants/Bar").must(t, 404)
	b.get("/pacticipants/Bar/versions/1").must(t, 404)
	b.version("Bar", "1") // a re-created application starts empty
	if got := b.get("/pacticipants/Bar/versions/1").must(t, 200); len(got.path("_embedded.tags").([]any)) != 0 {
		t.Fatal("re-created version")
	}
}

func TestVersionsTagsAndBranches(t *testing.T) {
	b := newBroker(t)
	put := b.put("/pacticipants/Foo/versions/1.0.0", map[string]any{"buildUrl": "http://ci/1", "tags": []any{map[string]any{"name": "dev"}}}).must(t, 201)
	if put.str("buildUrl") != "http://ci/1" || put.str("_embedded.tags.0.name") != "dev" {
		t.Fatalf("PUT version: %s", put.raw)
	}
	b.put("/pacticipants/Foo/versions/1.0.0", map[string]any{}).must(t, 200)
	if got := b.get("/pacticipants/Foo/versions/1.0.0"); got.path("buildUrl") != nil || got.str("_embedded.tags.0.name") != "dev" {
		t.Fatalf("PUT replaces buildUrl, keeps tags when absent: %s", got.raw)
	}
	b.do("PATCH", "/pacticipants/Foo/versions/1.0.0", "application/json", `{}`).must(t, 415)
	b.do("PUT", "/pacticipants/Foo/versions/1.0.0", "application/merge-patch+json", `{}`).must(t, 415)
	b.patch("/pacticipants/Foo/versions/1.0.0", map[string]any{"buildUrl": "http://ci/2"}).must(t, 200)

	// The first tag of a young version is also its branch; "main" becomes the main branch.
	b.put("/pacticipants/Foo/versions/2.0.0/tags/main", map[string]any{}).must(t, 201)
	b.put("/pacticipants/Foo/versions/2.0.0/tags/main", nil).must(t, 200)
	if got := b.get("/pacticipants/Foo").str("mainBranch"); got != "main" {
		t.Fatalf("main branch detected from a tag: %q", got)
	}
	if got := b.get("/pacticipants/Foo/branches/main/latest-version").must(t, 200).str("number"); got != "2.0.0" {
		t.Fatalf("branch head %q", got)
	}
	if got := b.get("/pacticipants/Foo/latest-version").must(t, 200).str("number"); got != "2.0.0" {
		t.Fatalf("latest version %q", got)
	}
	if got := b.get("/pacticipants/Foo/latest-version/dev").must(t, 200).str("number"); got != "1.0.0" {
		t.Fatalf("latest dev version %q", got)
	}
	b.get("/pacticipants/Foo/latest-version/nope").must(t, 404)

	// Branch versions, with a slash in the branch name.
	bv := b.put("/pacticipants/Foo/branches/feat%2Fx/versions/3.0.0", nil).must(t, 201)
	if bv.str("_links.pb:branch.name") != "feat/x" {
		t.Fatalf("branch version: %s", bv.raw)
	}
	b.put("/pacticipants/Foo/branches/feat%2Fx/versions/3.0.0", nil).must(t, 200)
	b.put("/pacticipants/Foo/branches/feat%2Fx/versions/1.0.0", nil).must(t, 201)
	if got := b.get("/pacticipants/Foo/branches/feat%2Fx/latest-version").str("number"); got != "1.0.0" {
		t.Fatalf("head is the version added last, not the newest: %q", got)
	}
	b.do("DELETE", "/pacticipants/Foo/branches/feat%2Fx/versions/1.0.0", "", nil).must(t, 204)
	if got := b.get("/pacticipants/Foo/branches/feat%2Fx/latest-version").str("number"); got != "3.0.0" {
		t.Fatalf("head after removal: %q", got)
	}
	if n := len(b.get("/pacticipants/Foo/branches").must(t, 200).path("_embedded.branches").([]any)); n != 2 {
		t.Fatalf("%d branches", n)
	}
	b.do("DELETE", "/pacticipants/Foo/branches/feat%2Fx", "", nil).must(t, 204)
	b.get("/pacticipants/Foo/branches/feat%2Fx").must(t, 404)

	// Tags: get, delete, 404.
	b.get("/pacticipants/Foo/versions/1.0.0/tags/dev").must(t, 200)
	b.do("DELETE", "/pacticipants/Foo/versions/1.0.0/tags/dev", "", nil).must(t, 204)
	b.do("DELETE", "/pacticipants/Foo/versions/1.0.0/tags/dev", "", nil).must(t, 404)

	// Versions: list newest first, delete.
	list := b.get("/pacticipants/Foo/versions").must(t, 200)
	if list.str("_embedded.versions.0.number") != "3.0.0" || len(list.path("_embedded.versions").([]any)) != 3 {
		t.Fatalf("versions: %s", list.raw)
	}
	b.do("DELETE", "/pacticipants/Foo/versions/3.0.0", "", nil).must(t, 204)
	b.get("/pacticipants/Foo/versions/3.0.0").must(t, 404)
	if got := b.get("/pacticipants/Foo/latest-version").str("number"); got != "2.0.0" {
		t.Fatalf("latest after delete %q", got)
	}
}

func TestTagNamedLikeAnEnvironmentRecordsADeployment(t *testing.T) {
	b := newBroker(t)
	b.version("Foo", "1")
	b.put("/pacticipants/Foo/versions/1/tags/production", nil).must(t, 201)
	got := currentVersions(t, b, b.envUUID("production"), "?pacticipant=Foo")
	if got[""] != "1" {
		t.Fatalf("tag production must deploy: %v", got)
	}
	b.put("/pacticipants/Foo/versions/1/tags/production", nil).must(t, 200)
	if n := len(b.eventsOfType("DeploymentRecorded")); n != 1 {
		t.Fatalf("re-tagging must not deploy again: %d", n)
	}
}

func TestVersionCarriesRecordLinksAsArrays(t *testing.T) {
	b := newBroker(t)
	b.version("Foo", "1")
	v := b.get("/pacticipants/Foo/versions/1").must(t, 200)
	for _, rel := range []string{"pb:record-deployment", "pb:record-release"} {
		links, ok := v.path("_links." + rel).([]any)
		if !ok || len(links) != 2 {
			t.Fatalf("%s: %v", rel, v.path("_links."+rel))
		}
	}
	href := recordLink(t, v, "pb:record-deployment", "test")
	if href != b.url+"/pacticipants/Foo/versions/1/deployed-versions/environment/"+b.envUUID("test") {
		t.Fatalf("href %s", href)
	}
}
