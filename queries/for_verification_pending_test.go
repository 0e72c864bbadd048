package queries

import (
	"slices"
	"strings"
	"testing"
)

// fvOnePact: Foo 1 (on main) has pact f1 with Bar.
func fvOnePact() *fvFake {
	return newFVFake().app("Foo", "main").app("Bar", "").version("Foo", "1", "main").pact("Foo", "1", "Bar", "f1")
}

func TestPactsForVerificationPending(t *testing.T) {
	cases := []struct {
		name                      string
		given                     func(*fvFake)
		branch                    string
		tags                      []string
		pending                   bool
		pendingTags, nonPendingTs []string
	}{
		{"never verified", nil, "", nil, true, nil, nil},
		{"verified by any provider version", func(f *fvFake) { f.verify("Foo", "Bar", "f1", "9", true, false) }, "", nil, false, nil, nil},
		{"a failed result does not count", func(f *fvFake) { f.verify("Foo", "Bar", "f1", "9", false, false, "main") }, "main", nil, true, nil, nil},
		{"verified from the branch", func(f *fvFake) { f.verify("Foo", "Bar", "f1", "1", true, false, "main") }, "main", nil, false, nil, nil},
		{"verified from the branch through a WIP URL still counts", func(f *fvFake) { f.verify("Foo", "Bar", "f1", "1", true, true, "main") },
			"main", nil, false, nil, nil},
		{"verified from main before the branch was created", func(f *fvFake) {
			f.verify("Foo", "Bar", "f1", "1", true, false, "main").version("Bar", "2", "feat")
		}, "feat", nil, false, nil, nil},
		{"verified from main after the branch was created", func(f *fvFake) {
			f.version("Bar", "0", "feat").verify("Foo", "Bar", "f1", "1", true, false, "main")
		}, "feat", nil, true, nil, nil},
		{"a branch that does not exist yet takes any other branch's result", func(f *fvFake) {
			f.verify("Foo", "Bar", "f1", "1", true, false, "main")
		}, "new", nil, false, nil, nil},
		{"a result from a version on no branch counts for no branch", func(f *fvFake) {
			f.verify("Foo", "Bar", "f1", "1", true, false)
		}, "main", nil, true, nil, nil},
		{"tags: pending for the tags without results", func(f *fvFake) {
			f.tag("Bar", "0", "prod").tag("Bar", "1", "dev").verify("Foo", "Bar", "f1", "1", true, false)
		}, "", []string{"dev", "prod"}, true, []string{"prod"}, []string{"dev"}},
		{"tags: another tag's result before the tag existed", func(f *fvFake) {
			f.tag("Bar", "1", "dev").verify("Foo", "Bar", "f1", "1", true, false).tag("Bar", "2", "prod")
		}, "", []string{"dev", "prod"}, false, nil, []string{"dev", "prod"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := fvOnePact()
			if tc.given != nil {
				tc.given(f)
			}
			pacts := fvRun(t, f, PactsForVerificationRequest{Selectors: []ConsumerVersionSelector{{Latest: fvTrue()}},
				ProviderVersionBranch: tc.branch, ProviderVersionTags: tc.tags, IncludePendingStatus: true})
			if len(pacts) != 1 {
				t.Fatalf("pacts: %v", fvSummary(pacts))
			}
			p := pacts[0]
			if p.Pending != tc.pending || !slices.Equal(p.PendingProviderTags, tc.pendingTags) ||
				!slices.Equal(p.NonPendingProviderTags, tc.nonPendingTs) || p.ProviderBranch != tc.branch {
				t.Fatalf("pending %v %q %q, want %v %q %q", p.Pending, p.PendingProviderTags, p.NonPendingProviderTags,
					tc.pending, tc.pendingTags, tc.nonPendingTs)
			}
		})
	}
	pacts := fvRun(t, fvOnePact(), PactsForVerificationRequest{Selectors: []ConsumerVersionSelector{{Latest: fvTrue()}}})
	if pacts[0].Pending || len(pacts[0].Notices("u", false, false)) != 1 {
		t.Fatalf("without the pending status: %+v", pacts[0])
	}
}

// fvWIPFixture: Foo 1 on main (pact f1) is published before the WIP date;
// after it Foo 2 on feat (f2) and Foo 3 tagged wip (f3).
func fvWIPFixture() (*fvFake, PactsForVerificationRequest) {
	f := fvOnePact()
	since := f.tick()
	f.version("Foo", "2", "feat").pact("Foo", "2", "Bar", "f2").tag("Foo", "3", "wip").pact("Foo", "3", "Bar", "f3")
	return f, PactsForVerificationRequest{Selectors: []ConsumerVersionSelector{{MainBranch: true, Latest: fvTrue()}},
		ProviderVersionBranch: "main", IncludePendingStatus: true, IncludeWIPPactsSince: &since}
}

func TestPactsForVerificationWIP(t *testing.T) {
	wipOnly := func(ps []VerifiablePact) []string {
		var out []string
		for _, p := range ps {
			if p.WIP {
				if !p.Pending {
					t.Errorf("a WIP pact is pending: %+v", p)
				}
				out = append(out, fvSummary([]VerifiablePact{p})[0]+" "+strings.Join(p.PendingProviderTags, ","))
			}
		}
		return out
	}
	cases := []struct {
		name  string
		given func(*fvFake, *PactsForVerificationRequest)
		want  []string
	}{
		{"heads published since, not selected, never verified", nil,
			[]string{"Foo 2 f2: latest from branch feat ", "Foo 3 f3: latest with tag wip "}},
		{"published before the date", func(f *fvFake, req *PactsForVerificationRequest) {
			since := f.now.Add(-90e9)
			req.IncludeWIPPactsSince = &since
		}, []string{"Foo 3 f3: latest with tag wip "}},
		{"selected explicitly", func(_ *fvFake, req *PactsForVerificationRequest) {
			req.Selectors = append(req.Selectors, ConsumerVersionSelector{Branch: "feat", Latest: fvTrue()})
		}, []string{"Foo 3 f3: latest with tag wip "}},
		{"verified by the provider branch", func(f *fvFake, _ *PactsForVerificationRequest) {
			f.verify("Foo", "Bar", "f2", "1", true, false, "main")
		}, []string{"Foo 3 f3: latest with tag wip "}},
		{"verified by the provider branch only as WIP", func(f *fvFake, _ *PactsForVerificationRequest) {
			f.verify("Foo", "Bar", "f2", "1", true, true, "main")
		}, []string{"Foo 2 f2: latest from branch feat ", "Foo 3 f3: latest with tag wip "}},
		{"verified by another branch before the provider branch existed", func(f *fvFake, req *PactsForVerificationRequest) {
			f.verify("Foo", "Bar", "f2", "1", true, false, "dev").version("Bar", "2", "main")
		}, []string{"Foo 3 f3: latest with tag wip "}},
		{"no provider branch or tags: no WIP", func(_ *fvFake, req *PactsForVerificationRequest) {
			req.ProviderVersionBranch = ""
		}, nil},
		{"provider tags: pending tags per pact", func(f *fvFake, req *PactsForVerificationRequest) {
			req.ProviderVersionBranch, req.ProviderVersionTags = "", []string{"dev", "prod"}
			f.tag("Bar", "0", "dev", "prod").tag("Bar", "1", "dev").verify("Foo", "Bar", "f3", "1", true, false)
		}, []string{"Foo 2 f2: latest from branch feat dev,prod", "Foo 3 f3: latest with tag wip prod"}},
		{"head of a branch and a tag: one entry", func(f *fvFake, _ *PactsForVerificationRequest) {
			f.version("Foo", "4", "x").tag("Foo", "4", "y").pact("Foo", "4", "Bar", "f4")
		}, []string{"Foo 2 f2: latest from branch feat ", "Foo 3 f3: latest with tag wip ",
			"Foo 4 f4: latest from branch x, latest with tag y "}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, req := fvWIPFixture()
			if tc.given != nil {
				tc.given(f, &req)
			}
			pacts := fvRun(t, f, req)
			if got := wipOnly(pacts); !slices.Equal(got, tc.want) {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			if len(pacts) == 0 || pacts[0].WIP || pacts[0].SHA != "f1" {
				t.Fatalf("the selected pact comes first: %v", fvSummary(pacts))
			}
		})
	}
}
