package httpapi

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/queries"
)

func exampleHref(segments ...string) string {
	var b strings.Builder
	b.WriteString("http://example.org")
	for _, s := range segments {
		b.WriteString("/" + url.PathEscape(s))
	}
	return b.String()
}

var (
	jsonT0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	jsonT1 = jsonT0.Add(time.Hour)
)

// assertJSON compares semantically (key order aside) and prints both.
func assertJSON(t *testing.T, body MatrixBody, want string) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var got, exp any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("bad golden: %v", err)
	}
	if !reflect.DeepEqual(got, exp) {
		pretty, _ := json.MarshalIndent(got, "", "  ")
		t.Fatalf("got\n%s\nwant\n%s", pretty, want)
	}
}

// TestMatrixJSONUIBrowse is pact_broker's spec/fixtures/approvals/matrix_full_body_ui_browse.approved.json
// (GET /matrix?q[][pacticipant]=Foo&q[][pacticipant]=Bar&latestby=cvpv) with
// its scrubbed timestamps filled in.
func TestMatrixJSONUIBrowse(t *testing.T) {
	main := []queries.BranchMembership{{Name: "main", Head: false}}
	res := queries.MatrixResult{
		Reasons: []queries.Reason{
			{Kind: queries.VerificationFailed, Type: queries.NoticeError, Text: "The verification for the pact between any version of Foo and any version of Bar failed"},
			{Kind: queries.PactNotEverVerifiedByProvider, Type: queries.NoticeError, Text: "There is no verified pact between any version of Foo and any version of Bar"},
		},
		Counts: queries.Counts{Success: 1, Failed: 1, Unknown: 1},
		Rows: []queries.Row{
			{Consumer: "Foo", Provider: "Bar", ConsumerVersion: queries.VersionDetails{Number: "3", Branches: []queries.BranchMembership{{Name: "main", Head: true}}},
				Pact: queries.RowPact{SHA: "c3", CreatedAt: jsonT0}},
			{Consumer: "Foo", Provider: "Bar", ConsumerVersion: queries.VersionDetails{Number: "2", Branches: main},
				ProviderVersion: &queries.VersionDetails{Number: "20"}, Pact: queries.RowPact{SHA: "89ebba9b5a902c59f1cc440e9e16abed64b33978", CreatedAt: jsonT0},
				Verification: &queries.Verification{ProviderVersion: "20", Number: 1, Success: false, ExecutedAt: jsonT1}},
			{Consumer: "Foo", Provider: "Bar", ConsumerVersion: queries.VersionDetails{Number: "1"},
				ProviderVersion: &queries.VersionDetails{Number: "10"}, Pact: queries.RowPact{SHA: "b868b7a19b66d0810bd42423beacedaccf25b6fb", CreatedAt: jsonT0},
				Verification: &queries.Verification{ProviderVersion: "10", Number: 1, Success: true, ExecutedAt: jsonT1}},
		},
	}
	branch := func(v string, latest bool) string {
		l := "false"
		if latest {
			l = "true"
		}
		return `[{"name":"main","latest":` + l + `,"_links":{"self":{"title":"Branch version","name":"main","href":"http://example.org/pacticipants/Foo/branches/main/versions/` + v + `"}}}]`
	}
	foo := `"_links":{"self":{"href":"http://example.org/pacticipants/Foo"}}`
	bar := `"_links":{"self":{"href":"http://example.org/pacticipants/Bar"}}`
	plain := func(p, v string) string {
		return `{"number":"` + v + `","branch":null,"branches":[],"branchVersions":[],"environments":[],"_links":{"self":{"href":"http://example.org/pacticipants/` + p + `/versions/` + v + `"}},"tags":[]}`
	}
	pact := func(v string) string {
		return `"pact":{"createdAt":"2026-03-01T10:00:00+00:00","_links":{"self":{"href":"http://example.org/pacts/provider/Bar/consumer/Foo/version/` + v + `"}}}`
	}
	want := `{"summary":{"deployable":null,
	"reason":"The verification for the pact between any version of Foo and any version of Bar failed\nThere is no verified pact between any version of Foo and any version of Bar",
	"success":1,"failed":1,"unknown":1},
	"notices":[{"type":"error","text":"The verification for the pact between any version of Foo and any version of Bar failed"},
		{"type":"error","text":"There is no verified pact between any version of Foo and any version of Bar"}],
	"matrix":[
	{"consumer":{"name":"Foo","version":{"number":"3","branch":"main","branches":` + branch("3", true) + `,"branchVersions":` + branch("3", true) + `,"environments":[],"_links":{"self":{"href":"http://example.org/pacticipants/Foo/versions/3"}},"tags":[]},` + foo + `},
	 "provider":{"name":"Bar","version":null,` + bar + `},` + pact("3") + `,"verificationResult":null},
	{"consumer":{"name":"Foo","version":{"number":"2","branch":"main","branches":` + branch("2", false) + `,"branchVersions":` + branch("2", false) + `,"environments":[],"_links":{"self":{"href":"http://example.org/pacticipants/Foo/versions/2"}},"tags":[]},` + foo + `},
	 "provider":{"name":"Bar","version":` + plain("Bar", "20") + `,` + bar + `},` + pact("2") + `,
	 "verificationResult":{"success":false,"verifiedAt":"2026-03-01T11:00:00+00:00","_links":{"self":{"href":"http://example.org/pacts/provider/Bar/consumer/Foo/pact-version/89ebba9b5a902c59f1cc440e9e16abed64b33978/metadata/Y3ZuPTI/verification-results/1"}}}},
	{"consumer":{"name":"Foo","version":` + plain("Foo", "1") + `,` + foo + `},
	 "provider":{"name":"Bar","version":` + plain("Bar", "10") + `,` + bar + `},` + pact("1") + `,
	 "verificationResult":{"success":true,"verifiedAt":"2026-03-01T11:00:00+00:00","_links":{"self":{"href":"http://example.org/pacts/provider/Bar/consumer/Foo/pact-version/b868b7a19b66d0810bd42423beacedaccf25b6fb/metadata/Y3ZuPTE/verification-results/1"}}}}
	]}`
	assertJSON(t, MatrixJSON(res, exampleHref), want)
}

// TestMatrixJSONIgnoredEnvironmentsTags covers what the UI-browse body does
// not: the ignored count and rows, environments, tags, a deployable verdict,
// and names and versions that need escaping.
func TestMatrixJSONIgnoredEnvironmentsTags(t *testing.T) {
	one, prod := 1, queries.EnvironmentInfo{UUID: "e-1", Name: "production", DisplayName: "Production", Production: true,
		CreatedAt: jsonT0, UpdatedAt: jsonT1}
	res := queries.MatrixResult{
		Deployable: new(bool),
		Reasons:    []queries.Reason{{Kind: queries.Successful, Type: queries.NoticeSuccess, Text: "All required verification results are published and successful"}},
		Counts:     queries.Counts{Success: 1, Ignored: &one},
		Rows: []queries.Row{{
			Consumer: "Foo App", Provider: "Bar/Svc", Ignored: true,
			ConsumerVersion: queries.VersionDetails{Number: "1.0.0+a/b", Tags: []queries.RowTag{{Name: "dev", Latest: true}, {Name: "old"}},
				Branches: []queries.BranchMembership{{Name: "feat/x"}, {Name: "main", Head: true}}, Environments: []queries.EnvironmentInfo{prod}},
			ProviderVersion: &queries.VersionDetails{Number: "2"}, Pact: queries.RowPact{SHA: "s", CreatedAt: jsonT0},
			Verification: &queries.Verification{ProviderVersion: "2", Number: 12, Success: true, ExecutedAt: jsonT1},
		}},
	}
	*res.Deployable = true
	body := MatrixJSON(res, exampleHref)
	raw, _ := json.Marshal(body)
	for _, want := range []string{
		`"summary":{"deployable":true,"reason":"All required verification results are published and successful","success":1,"failed":0,"unknown":0,"ignored":1}`,
		`"notices":[{"type":"success","text":"All required verification results are published and successful"}]`,
		`"ignored":true}`,
		`"name":"Foo App","version":{"number":"1.0.0+a/b","branch":"main"`,
		`"href":"http://example.org/pacticipants/Foo%20App/branches/feat%2Fx/versions/1.0.0+a%2Fb"`,
		`"environments":[{"uuid":"e-1","name":"production","displayName":"Production","production":true,"updatedAt":"2026-03-01T11:00:00+00:00","createdAt":"2026-03-01T10:00:00+00:00","_links":{"self":{"href":"http://example.org/environments/e-1","title":"Environment","name":"production"}}}]`,
		`"tags":[{"name":"dev","latest":true,"_links":{"self":{"href":"http://example.org/pacticipants/Foo%20App/versions/1.0.0+a%2Fb/tags/dev"}}},{"name":"old","latest":false`,
		`"href":"http://example.org/pacts/provider/Bar%2FSvc/consumer/Foo%20App/version/1.0.0+a%2Fb"`,
		// cvn=1.0.0%2Ba%2Fb, Base64 URL-safe without padding.
		`/pact-version/s/metadata/Y3ZuPTEuMC4wJTJCYSUyRmI/verification-results/12"`,
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("missing %s\nin %s", want, raw)
		}
	}
}

func TestMatrixJSONEmptyIsArrays(t *testing.T) {
	raw, _ := json.Marshal(MatrixJSON(queries.MatrixResult{}, exampleHref))
	if want := `{"summary":{"deployable":null,"reason":"","success":0,"failed":0,"unknown":0},"notices":[],"matrix":[]}`; string(raw) != want {
		t.Fatalf("got %s\nwant %s", raw, want)
	}
}

func TestMatrixJSONWWWFormEscape(t *testing.T) {
	for in, want := range map[string]string{"1.0.0": "1.0.0", "a b": "a+b", "1+a/b": "1%2Ba%2Fb", "x*~-_.": "x*%7E-_.", "é": "%C3%A9"} {
		if got := wwwFormEscape(in); got != want {
			t.Errorf("wwwFormEscape(%q) = %q, want %q", in, got, want)
		}
	}
}
