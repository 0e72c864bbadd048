package queries

import (
	"strings"
	"testing"
)

// fvMessagesPact is Foo 123's pact with Bar, chosen by sels (each resolved
// to version 1234, as in the Pact Broker's message spec).
func fvMessagesPact(sels ...ConsumerVersionSelector) VerifiablePact {
	p := VerifiablePact{PactRef: PactRef{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "123"}, ConsumerMainBranch: "main"}
	for _, s := range sels {
		p.Selectors = append(p.Selectors, VerificationSelector{ConsumerVersionSelector: s, ConsumerVersion: "1234", ConsumerVersionOrder: 1})
	}
	return p
}

func fvDeployedTo(env string, production bool, consumer string) VerificationSelector {
	return VerificationSelector{ConsumerVersionSelector: ConsumerVersionSelector{Deployed: true, Consumer: consumer},
		ConsumerVersion: "1234", InEnvironment: EnvironmentRef{Name: env, Production: production}}
}

func TestVerifiablePactInclusionReason(t *testing.T) {
	latest, yes := fvTrue(), true
	cases := []struct {
		name string
		pact VerifiablePact
		want string
	}{
		{"one selector", fvMessagesPact(ConsumerVersionSelector{Latest: latest}),
			"The pact at http://pact is being verified because the pact content belongs to the consumer version matching the " +
				"following criterion:\n    * latest version of a consumer that has a pact with Bar (1234)"},
		{"branches and tags", fvMessagesPact(ConsumerVersionSelector{Branch: "main", Latest: latest},
			ConsumerVersionSelector{Tag: "prod", Latest: latest}),
			"The pact at http://pact is being verified because the pact content belongs to the consumer versions matching the " +
				"following criteria:\n    * latest version from branch 'main' (1234)\n    * latest version tagged 'prod' (1234)"},
		{"fallback tag", fvMessagesPact(ConsumerVersionSelector{Tag: "feat-x", FallbackTag: "master", Latest: latest}),
			"The pact at http://pact is being verified because the pact content belongs to the consumer version matching the " +
				"following criterion:\n    * latest version tagged 'master' (fallback tag used as no pact was found with tag 'feat-x') (1234)"},
		{"fallback branch", fvMessagesPact(ConsumerVersionSelector{Branch: "feat-x", FallbackBranch: "master", Latest: latest}),
			"The pact at http://pact is being verified because the pact content belongs to the consumer version matching the " +
				"following criterion:\n    * latest version from branch 'master' (fallback branch used as no pact was found from branch 'feat-x') (1234)"},
		{"sorted: latest, tags, then main branch", fvMessagesPact(ConsumerVersionSelector{MainBranch: true, Latest: latest},
			ConsumerVersionSelector{Tag: "prod", Consumer: "Foo"}, ConsumerVersionSelector{Tag: "prod"},
			ConsumerVersionSelector{Latest: &yes, Consumer: "Foo"}),
			"The pact at http://pact is being verified because the pact content belongs to the consumer versions matching the " +
				"following criteria:\n    * latest version of Foo that has a pact with Bar (1234)\n    * all Foo versions tagged 'prod' (1234)\n" +
				"    * all consumer versions tagged 'prod' (1234)\n    * latest version from the main branch 'main' (1234)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.pact.inclusionReason("http://pact"); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}

	deployed := fvMessagesPact()
	deployed.Selectors = []VerificationSelector{fvDeployedTo("test", false, "Foo"), fvDeployedTo("prod", true, "Foo"),
		fvDeployedTo("test", false, "Bar"), fvDeployedTo("test", false, ""), fvDeployedTo("dev", false, "")}
	reason := deployed.inclusionReason("u")
	for _, want := range []string{"    * version(s) of Foo currently deployed to test (1234) and prod (1234)",
		"    * version(s) of Bar currently deployed to test (1234)", "    * consumer version(s) currently deployed to dev (1234) and test (1234)"} {
		if !strings.Contains(reason, want) {
			t.Errorf("%q lacks %q", reason, want)
		}
	}
	env := fvMessagesPact()
	env.Selectors = []VerificationSelector{{ConsumerVersionSelector: ConsumerVersionSelector{Environment: "test"}, ConsumerVersion: "1234",
		InEnvironment: EnvironmentRef{Name: "test"}}}
	if got := env.inclusionReason("u"); !strings.HasSuffix(got, "\n    * a consumer version in environment test (1234)") ||
		env.ShortDescription() != "in environment test" {
		t.Errorf("environment selector: %q / %q", got, env.ShortDescription())
	}
}

func TestVerifiablePactWIPAndPendingTexts(t *testing.T) {
	latest := fvTrue()
	wip := fvMessagesPact(ConsumerVersionSelector{Tag: "feat-x", Latest: latest})
	wip.WIP, wip.Pending, wip.PendingProviderTags = true, true, []string{"dev"}
	if got, want := wip.inclusionReason("http://pact"), "The pact at http://pact is being verified because it is a 'work in progress' "+
		"pact (ie. it is the pact for the latest version of Foo tagged with 'feat-x' and it has not yet been successfully verified by "+
		"a version of Bar with tag 'dev' when the pact's application version was explicitly specified in the consumer version "+
		"selectors). Read more at https://docs.pact.io/go/wip"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	wip.Selectors = fvMessagesPact(ConsumerVersionSelector{Branch: "feat-x", Latest: latest}, ConsumerVersionSelector{Branch: "feat-y", Latest: latest},
		ConsumerVersionSelector{Tag: "feat-z", Latest: latest}, ConsumerVersionSelector{Tag: "feat-w", Latest: latest}).Selectors
	if got := wip.inclusionReason("u"); !strings.Contains(got, "it is the pact for the latest versions of Foo from branches 'feat-x' "+
		"and 'feat-y' and tagged with 'feat-z' and 'feat-w' (all have the same content)") {
		t.Fatalf("branches and tags: %q", got)
	}

	p := fvMessagesPact(ConsumerVersionSelector{Latest: latest})
	pendingCases := []struct {
		pending, wip   bool
		branch         string
		pending_, nonP []string
		want           string
	}{
		{false, false, "", nil, nil, "This pact has previously been successfully verified by Bar. If this verification fails, it will fail the build."},
		{false, false, "", nil, []string{"dev"}, "This pact has previously been successfully verified by a version of Bar with tag 'dev'."},
		{false, false, "main", nil, []string{"dev"}, "This pact has previously been successfully verified by a version of Bar from branch 'main'."},
		{true, false, "", nil, nil, "This pact is in pending state for this version of Bar because a successful verification result for Bar " +
			"has not yet been published. If this verification fails, it will not cause the overall build to fail."},
		{true, false, "main", nil, nil, "because a successful verification result for a version of Bar from branch 'main' has not yet been published."},
		{true, false, "", []string{"dev", "feat-x"}, nil, "result for a versions of Bar with tag 'dev' and 'feat-x' has not yet been published."},
		{true, false, "", []string{"dev", "feat-x", "feat-y"}, nil, "'dev', 'feat-x' and 'feat-y'"},
		{true, true, "main", nil, nil, "This pact is in pending state for this version of Bar because it was included as a 'work in progress' " +
			"pact. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending"},
	}
	for _, tc := range pendingCases {
		p.Pending, p.WIP, p.ProviderBranch, p.PendingProviderTags, p.NonPendingProviderTags = tc.pending, tc.wip, tc.branch, tc.pending_, tc.nonP
		if got := p.pendingReason(); !strings.Contains(got, tc.want) {
			t.Errorf("got %q, want it to contain %q", got, tc.want)
		}
	}

	p.Pending, p.WIP, p.ProviderBranch, p.PendingProviderTags = true, false, "", []string{"dev"}
	notices := p.Notices("http://pact", true, true)
	whens := make([]string, len(notices))
	for i, n := range notices {
		whens[i] = n.When
	}
	if strings.Join(whens, ",") != "before_verification,before_verification,before_verification,after_verification:success_true_published_false,"+
		"after_verification:success_false_published_false,after_verification:success_true_published_true,after_verification:success_false_published_true" ||
		notices[0].Text != DeprecatedNotice {
		t.Fatalf("notices: %v", whens)
	}
	want := []string{
		"This pact is still in pending state for any version of Bar with tag 'dev' as the successful verification results with this tag have not yet been published.",
		"This pact is still in pending state for any version of Bar with tag 'dev' as a successful verification result with this tag has not yet been published",
		"This pact is no longer in pending state for any version of Bar with tag 'dev', as a successful verification result with this tag has been " +
			"published. If a verification for a version of Bar with this tag fails in the future, it will fail the build. Read more at https://docs.pact.io/go/pending",
		"This pact is still in pending state for any version of Bar with tag 'dev' as a successful verification result with this tag has not yet been published",
	}
	for i, w := range want {
		if notices[3+i].Text != w {
			t.Errorf("notice %s:\n got %q\nwant %q", notices[3+i].When, notices[3+i].Text, w)
		}
	}
	p.Pending = false
	if n := len(p.Notices("u", true, false)); n != 2 {
		t.Fatalf("a pact that is not pending has no after_verification notices: %d", n)
	}
}
