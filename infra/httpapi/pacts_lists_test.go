package httpapi_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// listsBroker publishes pacts for the provider Prov on branches and tags:
//
//	Foo (main branch main):       1 main [prod], 2 feat/x [dev], 3 main [prod dev]
//	bar-app (main branch develop): 1 develop, 2 feat/x [prod], 3 develop (a pact with Other only)
//	Zed (no main branch):         1 feat/x [prod], 2 on a branch named "latest"
func listsBroker(t *testing.T) *broker {
	b := newBroker(t)
	pub := func(consumer, version, provider, branch string, tags ...string) {
		extra := map[string]any{"branch": branch}
		if len(tags) > 0 {
			extra["tags"] = tags
		}
		b.publish(200, consumer, version, pactDoc(consumer, provider, interaction("request "+version, "/"+consumer+"/"+version, 200)), extra)
	}
	pub("Foo", "1", "Prov", "main", "prod")
	pub("Foo", "2", "Prov", "feat/x", "dev")
	pub("Foo", "3", "Prov", "main", "prod", "dev")
	pub("bar-app", "1", "Prov", "develop")
	pub("bar-app", "2", "Prov", "feat/x", "prod")
	pub("bar-app", "3", "Other", "develop")
	pub("Zed", "1", "Prov", "feat/x", "prod")
	pub("Zed", "2", "Prov", "latest")
	for name, main := range map[string]any{"Foo": "main", "bar-app": "develop", "Zed": nil} {
		if got := b.get("/pacticipants/"+name).must(t, 200).path("mainBranch"); got != main {
			t.Fatalf("%s: main branch %v, want %v", name, got, main)
		}
	}
	return b
}

// providerPactRefs lists the "consumer/version" of each pb:pacts link,
// checking that the deprecated pacts relation repeats them.
func providerPactRefs(t *testing.T, b *broker, r response) []string {
	t.Helper()
	refs := []string{}
	links, _ := r.path("_links.pb:pacts").([]any)
	deprecated, _ := r.path("_links.pacts").([]any)
	if links == nil || len(deprecated) != len(links) {
		t.Fatalf("pb:pacts and pacts differ: %s", r.raw)
	}
	for i, l := range links {
		href := l.(map[string]any)["href"].(string)
		ref := strings.Replace(strings.TrimPrefix(href, b.url+"/pacts/provider/Prov/consumer/"), "/version/", "/", 1)
		if name := l.(map[string]any)["name"].(string); !strings.HasPrefix(ref, name+"/") {
			t.Fatalf("link name %q for %s", name, href)
		}
		if deprecated[i].(map[string]any)["href"] != href {
			t.Fatalf("pacts[%d] = %v, want %s", i, deprecated[i], href)
		}
		refs = append(refs, ref)
	}
	return refs
}

var versionAndDate = regexp.MustCompile(`^Version (\S+) - \d\d/\d\d/\d{4}$`)

// pairPactVersions lists the consumer versions of a pact versions list,
// checking that the links relation (rel) names the same pacts.
func pairPactVersions(t *testing.T, r response, rel, linkTitle string) []string {
	t.Helper()
	versions := []string{}
	items, _ := r.path("_embedded.pacts").([]any)
	links, _ := r.path("_links." + rel).([]any)
	if items == nil || len(links) != len(items) {
		t.Fatalf("_embedded.pacts and %s differ: %s", rel, r.raw)
	}
	for i := range items {
		item := response{json: items[i].(map[string]any)}
		v := item.str("_embedded.consumerVersion.number")
		link := links[i].(map[string]any)
		if m := versionAndDate.FindStringSubmatch(link["name"].(string)); m == nil || m[1] != v || link["title"] != linkTitle ||
			link["href"] != item.str("_links.self.href") || item.str("createdAt") == "" {
			t.Fatalf("item %d: %v; link %v", i, items[i], link)
		}
		versions = append(versions, v)
	}
	return versions
}

func TestProviderPactListsByTagAndBranch(t *testing.T) {
	b := listsBroker(t)
	cases := []struct {
		path, title string
		want        []string
	}{
		{"/pacts/provider/Prov", "All pact versions for the provider Prov",
			[]string{"bar-app/1", "bar-app/2", "Foo/1", "Foo/2", "Foo/3", "Zed/1", "Zed/2"}},
		{"/pacts/provider/Prov/latest", "Latest pact versions for the provider Prov", []string{"bar-app/2", "Foo/3", "Zed/2"}},
		{"/pacts/provider/Prov/tag/prod", "All pact versions for the provider Prov with consumer version tag 'prod'",
			[]string{"bar-app/2", "Foo/1", "Foo/3", "Zed/1"}},
		{"/pacts/provider/Prov/latest/prod", "Latest pact versions for the provider Prov with consumer version tag 'prod'",
			[]string{"bar-app/2", "Foo/3", "Zed/1"}},
		{"/pacts/provider/Prov/tag/dev", "All pact versions for the provider Prov with consumer version tag 'dev'", []string{"Foo/2", "Foo/3"}},
		{"/pacts/provider/Prov/tag/nope", "All pact versions for the provider Prov with consumer version tag 'nope'", []string{}},
		{"/pacts/provider/Prov/branch", "All pact versions for the provider Prov for main branch", []string{"bar-app/1", "Foo/1", "Foo/3"}},
		// bar-app's develop head (3) has no pact with Prov: nothing for it.
		{"/pacts/provider/Prov/branch/latest", "Latest pact versions for the provider Prov for main branch", []string{"Foo/3"}},
		{"/pacts/provider/Prov/branch/feat%2Fx", "All pact versions for the provider Prov with consumer version branch 'feat/x'",
			[]string{"bar-app/2", "Foo/2", "Zed/1"}},
		{"/pacts/provider/Prov/branch/feat%2Fx/latest", "Latest pact versions for the provider Prov with consumer version branch 'feat/x'",
			[]string{"bar-app/2", "Foo/2", "Zed/1"}},
		{"/pacts/provider/Prov/branch/main/latest", "Latest pact versions for the provider Prov with consumer version branch 'main'", []string{"Foo/3"}},
		{"/pacts/provider/Prov/branch/develop/latest", "Latest pact versions for the provider Prov with consumer version branch 'develop'", []string{}},
		{"/pacts/provider/Prov/branch/develop", "All pact versions for the provider Prov with consumer version branch 'develop'", []string{"bar-app/1"}},
		// A branch named "latest" is reached where no fixed route claims the path.
		{"/pacts/provider/Prov/branch/latest/latest", "Latest pact versions for the provider Prov with consumer version branch 'latest'", []string{"Zed/2"}},
		{"/pacts/provider/Prov/branch/nope", "All pact versions for the provider Prov with consumer version branch 'nope'", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			r := b.get(tc.path).must(t, 200)
			if ct := r.header.Get("Content-Type"); ct != "application/hal+json;charset=utf-8" {
				t.Fatalf("content type %q", ct)
			}
			if got := providerPactRefs(t, b, r); !slices.Equal(got, tc.want) {
				t.Fatalf("pacts %v, want %v", got, tc.want)
			}
			if r.str("_links.self.href") != b.url+tc.path || r.str("_links.self.title") != tc.title {
				t.Fatalf("self %v, want %s %q", r.path("_links.self"), tc.path, tc.title)
			}
			if r.str("_links.pb:provider.href") != b.url+"/pacticipants/Prov" || r.str("_links.pb:provider.name") != "Prov" {
				t.Fatalf("pb:provider %v", r.path("_links.pb:provider"))
			}
		})
	}
	first := b.get("/pacts/provider/Prov/tag/prod").must(t, 200)
	if first.str("_links.pb:pacts.0.title") != "Pact between bar-app (2) and Prov" ||
		first.str("_links.pacts.0.title") != "DEPRECATED - please use the pb:pacts relation. Pact between bar-app (2) and Prov" {
		t.Fatalf("link titles: %s", first.raw)
	}
}

func TestPairPactListsByTagAndBranch(t *testing.T) {
	b := listsBroker(t)
	const foo, bar = "/pacts/provider/Prov/consumer/Foo", "/pacts/provider/Prov/consumer/bar-app"
	cases := []struct {
		path string
		want []string
	}{
		{foo + "/branch/main", []string{"1", "3"}},
		{foo + "/branch/feat%2Fx", []string{"2"}},
		{foo + "/branch/versions", []string{"1", "3"}},
		{foo + "/branch/latest/versions", []string{"3"}},
		{foo + "/branch/main/latest/versions", []string{"3"}},
		{foo + "/branch/feat%2Fx/latest/versions", []string{"2"}},
		{foo + "/branch/nope", []string{}},
		{foo + "/branch/nope/latest/versions", []string{}},
		{bar + "/branch/versions", []string{"1"}},
		{bar + "/branch/latest/versions", []string{}}, // the head (3) has no pact with Prov
		{bar + "/branch/develop/latest/versions", []string{}},
		{"/pacts/provider/Prov/consumer/Zed/branch/versions", []string{}},  // no main branch
		{"/pacts/provider/Prov/consumer/Zed/branch/latest", []string{"2"}}, // the branch named "latest"
		{"/pacts/provider/Prov/consumer/Zed/branch/latest/latest/versions", []string{"2"}},
		{"/pacts/provider/Other/consumer/bar-app/branch/latest/versions", []string{"3"}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			r := b.get(tc.path).must(t, 200)
			if got := pairPactVersions(t, r, "pact-versions", "Pact"); !slices.Equal(got, tc.want) {
				t.Fatalf("versions %v, want %v", got, tc.want)
			}
			consumer := strings.Split(tc.path, "/")[5]
			provider := strings.Split(tc.path, "/")[3]
			if r.str("_links.self.href") != b.url+tc.path || r.str("_links.self.title") != "All versions of the pact between "+consumer+" and "+provider ||
				r.str("_links.consumer.name") != consumer || r.str("_links.consumer.href") != b.url+"/pacticipants/"+consumer ||
				r.str("_links.provider.name") != provider || r.str("_links.provider.title") != "Provider" {
				t.Fatalf("links: %v", r.path("_links"))
			}
		})
	}
	// The Pact Broker's tagged pact versions: newest first, pb: relations.
	tagged := map[string][]string{"prod": {"3", "1"}, "dev": {"3", "2"}, "nope": {}}
	for tag, want := range tagged {
		r := b.get(foo+"/tag/"+tag).must(t, 200)
		if got := pairPactVersions(t, r, "pb:pact-versions", "Pact version"); !slices.Equal(got, want) {
			t.Fatalf("tag %s: versions %v, want %v", tag, got, want)
		}
		if r.str("_links.self.title") != "All versions of the pact between Foo and Prov with tag "+tag ||
			r.str("_links.pb:consumer.name") != "Foo" || r.str("_links.pb:provider.href") != b.url+"/pacticipants/Prov" {
			t.Fatalf("tag %s links: %v", tag, r.path("_links"))
		}
	}
	item := b.get(foo+"/tag/prod").must(t, 200)
	if item.str("_embedded.pacts.0._links.self.href") != b.url+foo+"/version/3" ||
		item.str("_embedded.pacts.0._links.self.title") != "Pact between Foo (3) and Prov" ||
		item.str("_embedded.pacts.0._embedded.consumerVersion._links.self.href") != b.url+"/pacticipants/Foo/versions/3" {
		t.Fatalf("embedded pact: %v", item.path("_embedded.pacts.0"))
	}
	// The older routes keep their meaning next to the new ones.
	if got := b.get(foo+"/branch/main/latest").must(t, 200).str("_links.pb:consumer-version.name"); got != "3" {
		t.Fatalf("latest pact for main: version %q", got)
	}
	if got := pairPactVersions(t, b.get(foo+"/versions").must(t, 200), "pact-versions", "Pact"); !slices.Equal(got, []string{"3", "2", "1"}) {
		t.Fatalf("all versions: %v", got)
	}
	// A removed tag leaves the lists.
	b.do("DELETE", "/pacticipants/Foo/versions/3/tags/prod", "", nil).must(t, 204)
	if got := pairPactVersions(t, b.get(foo+"/tag/prod").must(t, 200), "pb:pact-versions", "Pact version"); !slices.Equal(got, []string{"1"}) {
		t.Fatalf("after untagging: %v", got)
	}
	if got := providerPactRefs(t, b, b.get("/pacts/provider/Prov/latest/prod").must(t, 200)); !slices.Equal(got, []string{"bar-app/2", "Foo/1", "Zed/1"}) {
		t.Fatalf("latest prod after untagging: %v", got)
	}
}

func TestPactListsIndexRelations(t *testing.T) {
	b := newBroker(t)
	idx := b.get("/").must(t, 200)
	rels := map[string][2]string{
		"pb:tagged-pact-versions":                   {"/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}", "All versions of a pact for a given consumer, provider and consumer version tag"},
		"pb:branch-pact-versions":                   {"/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}", "All versions of pacts for a provider, for a named consumers branch"},
		"pb:latest-branch-pact-versions":            {"/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions", "Latest version of pact for a provider, for a named consumers branch"},
		"pb:main-branch-pact-versions":              {"/pacts/provider/{provider}/consumer/{consumer}/branch/versions", "All versions of pacts for a provider, for a named consumers main branch"},
		"pb:latest-main-branch-pact-versions":       {"/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions", "Latest version of pact for a provider, for a named consumers main branch"},
		"pb:provider-pacts-with-main-branch":        {"/pacts/provider/{provider}/branch", "All pacts for a provider, for any consumers main branch"},
		"pb:provider-pacts-with-branch":             {"/pacts/provider/{provider}/branch/{branch}", "All pacts for a provider, for any consumers named branch"},
		"pb:latest-provider-pacts-with-main-branch": {"/pacts/provider/{provider}/branch/latest", "Latest pact for a provider, for any consumers main branch"},
		"pb:latest-provider-pacts-with-branch":      {"/pacts/provider/{provider}/branch/{branch}/latest", "Latest pacts for a provider, for any consumers named branch"},
		"pb:provider-pacts-with-tag":                {"/pacts/provider/{provider}/tag/{tag}", "All pact versions for the provider with the specified consumer version tag"},
	}
	for rel, want := range rels {
		if idx.str("_links."+rel+".href") != b.url+want[0] || idx.str("_links."+rel+".title") != want[1] || idx.path("_links."+rel+".templated") != true {
			t.Errorf("%s = %v, want %v", rel, idx.path("_links."+rel), want)
		}
	}
}

// TestPactListsBadInput: a name that is not one line is 400 (before any
// lookup), an unknown application 404 with the Pact Broker's body.
func TestPactListsBadInput(t *testing.T) {
	b := listsBroker(t)
	cases := []struct {
		path   string
		status int
		key    string
	}{
		{"/pacts/provider/Prov/tag/a%0Ab", 400, "tag"},
		{"/pacts/provider/Prov/tag/%20", 400, "tag"},
		{"/pacts/provider/Prov/branch/a%0Ab", 400, "branch"},
		{"/pacts/provider/Prov/branch/a%0Db/latest", 400, "branch"},
		{"/pacts/provider/a%0Ab/branch", 400, "provider"},
		{"/pacts/provider/a%0Ab/branch/latest", 400, "provider"},
		{"/pacts/provider/Nope/consumer/a%0Ab/tag/prod", 400, "consumer"},
		{"/pacts/provider/Prov/consumer/Foo/tag/a%0Ab", 400, "tag"},
		{"/pacts/provider/Prov/consumer/Foo/branch/a%0Ab", 400, "branch"},
		{"/pacts/provider/Prov/consumer/Foo/branch/a%0Ab/latest/versions", 400, "branch"},
		{"/pacts/provider/Prov/consumer/a%0Ab/branch/versions", 400, "consumer"},
		{"/pacts/provider/a%0Ab/consumer/Foo/branch/latest/versions", 400, "provider"},
		{"/pacts/provider/Nope/tag/prod", 404, ""},
		{"/pacts/provider/Nope/branch", 404, ""},
		{"/pacts/provider/Nope/branch/latest", 404, ""},
		{"/pacts/provider/Nope/branch/main", 404, ""},
		{"/pacts/provider/Nope/branch/main/latest", 404, ""},
		{"/pacts/provider/Prov/consumer/Nope/tag/prod", 404, ""},
		{"/pacts/provider/Nope/consumer/Foo/tag/prod", 404, ""},
		{"/pacts/provider/Prov/consumer/Nope/branch/main", 404, ""},
		{"/pacts/provider/Prov/consumer/Nope/branch/versions", 404, ""},
		{"/pacts/provider/Nope/consumer/Foo/branch/latest/versions", 404, ""},
		{"/pacts/provider/Prov/consumer/Nope/branch/main/latest/versions", 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			before := b.head()
			r := b.get(tc.path).must(t, tc.status)
			if tc.status == 404 {
				if r.str("error") != "The requested document was not found on this server." {
					t.Fatalf("404 body %s", r.raw)
				}
			} else if msg := errorAt(r, "errors."+tc.key); msg == "" {
				t.Fatalf("no message under errors.%s: %s", tc.key, r.raw)
			}
			if b.head() != before {
				t.Fatal("a read wrote events")
			}
		})
	}
}
