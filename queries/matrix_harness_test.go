package queries

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/domain"
)

// scenario is one given-state / when-query / then-answer case.
type scenario struct {
	name  string
	given func(fx *fixture)
	when  func(r MatrixReader) (MatrixResult, error)
	then  expect
}

// expect is the answer. Empty fields are not checked, except reasons when
// deployable is set (an answer always has reasons).
type expect struct {
	deployable string   // "true", "false" or "null"
	reasons    []string // exact texts, in order
	counts     string   // "success/failed/unknown" or ".../ignored"
	rows       []string // "Foo1 Bar2 ok", "Foo1 Bar? ?", "... fail", suffix " ignored"
	noRows     bool     // rows must be empty
	errs       []string // /matrix messages, or "field: message" for can-i-deploy
	notFound   bool
	check      func(t *testing.T, res MatrixResult)
}

func runScenarios(t *testing.T, cases []scenario) {
	t.Helper()
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			fx := newFixture()
			if sc.given != nil {
				sc.given(fx)
			}
			res, err := sc.when(fx.fakeReader)
			assertAnswer(t, sc.then, res, err)
		})
	}
}

func assertAnswer(t *testing.T, want expect, res MatrixResult, err error) {
	t.Helper()
	switch {
	case want.notFound:
		if !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("want not found, got %v", err)
		}
		return
	case want.errs != nil:
		var qe *QueryError
		if !errors.As(err, &qe) || !errors.Is(err, domain.ErrInvalid) {
			t.Fatalf("want a QueryError, got %v", err)
		}
		if got := queryErrorLines(qe); !slices.Equal(got, want.errs) {
			t.Fatalf("errors\n got %q\nwant %q", got, want.errs)
		}
		return
	case err != nil:
		t.Fatalf("unexpected error: %v", err)
	}
	if want.deployable != "" && deployableText(res.Deployable) != want.deployable {
		t.Errorf("deployable = %s, want %s (reasons %q)", deployableText(res.Deployable), want.deployable, reasonTexts(res))
	}
	if (want.deployable != "" || want.reasons != nil) && !slices.Equal(reasonTexts(res), want.reasons) {
		t.Errorf("reasons\n got %q\nwant %q", reasonTexts(res), want.reasons)
	}
	if want.counts != "" && countsText(res.Counts) != want.counts {
		t.Errorf("counts = %s, want %s", countsText(res.Counts), want.counts)
	}
	if got := rowTexts(res); (want.rows != nil || want.noRows) && !slices.Equal(got, want.rows) {
		t.Errorf("rows\n got %q\nwant %q", got, want.rows)
	}
	if want.check != nil {
		want.check(t, res)
	}
	assertNoticeTypes(t, res)
}

// assertNoticeTypes checks the invariant of §7.4 step 13: warnings carry
// "WARN: ", success reasons are the two fixed texts, everything else is an
// error.
func assertNoticeTypes(t *testing.T, res MatrixResult) {
	t.Helper()
	for _, r := range res.Reasons {
		want := NoticeError
		switch {
		case strings.HasPrefix(r.Text, "WARN: "):
			want = NoticeWarning
		case r.Text == textSuccessful || r.Text == textNoDependency:
			want = NoticeSuccess
		}
		if r.Type != want {
			t.Errorf("notice %q has type %s, want %s", r.Text, r.Type, want)
		}
	}
}

func queryErrorLines(qe *QueryError) []string {
	if qe.Fields == nil {
		return qe.List
	}
	var out []string
	for k, msgs := range qe.Fields {
		for _, m := range msgs {
			out = append(out, k+": "+m)
		}
	}
	slices.Sort(out)
	return out
}

func deployableText(d *bool) string {
	if d == nil {
		return "null"
	}
	return fmt.Sprint(*d)
}

func reasonTexts(res MatrixResult) []string {
	out := make([]string, 0, len(res.Reasons))
	for _, r := range res.Reasons {
		out = append(out, r.Text)
	}
	return out
}

func countsText(c Counts) string {
	s := fmt.Sprintf("%d/%d/%d", c.Success, c.Failed, c.Unknown)
	if c.Ignored != nil {
		s += fmt.Sprintf("/%d", *c.Ignored)
	}
	return s
}

func rowTexts(res MatrixResult) []string {
	var out []string
	for _, r := range res.Rows {
		pv, outcome := "?", "?"
		if r.Verification != nil {
			pv, outcome = r.ProviderVersion.Number, "fail"
			if r.Verification.Success {
				outcome = "ok"
			}
			if r.Verification.Pending {
				outcome = "pending"
			}
		}
		s := r.Consumer + r.ConsumerVersion.Number + " " + r.Provider + pv + " " + outcome
		if r.Pact.Revision > 1 {
			s += fmt.Sprintf(" r%d", r.Pact.Revision)
		}
		if r.Ignored {
			s += " ignored"
		}
		out = append(out, s)
	}
	return out
}

// Query builders.

func ver(p, n string) Selector      { return Selector{Pacticipant: p, Version: n} }
func name(p string) Selector        { return Selector{Pacticipant: p} }
func ptr[T any](v T) *T             { return &v }
func sels(s ...Selector) []Selector { return s }

func matrix(q MatrixQuery) func(MatrixReader) (MatrixResult, error) {
	return func(r MatrixReader) (MatrixResult, error) { return Matrix(r, q) }
}

// toEnv is the CLI's --pacticipant P --version V --to-environment E.
func toEnv(p, v, env string, ignore ...Selector) func(MatrixReader) (MatrixResult, error) {
	return matrix(MatrixQuery{Selectors: sels(ver(p, v)), Ignore: ignore, LatestBy: "cvpv", Environment: env})
}

// toTag is the broker-side translation of --to TAG: latest version with the tag, cvp.
func toTag(p, v, tag string, ignore ...Selector) func(MatrixReader) (MatrixResult, error) {
	return matrix(MatrixQuery{Selectors: sels(ver(p, v)), Ignore: ignore, LatestBy: "cvp", Latest: true, Tag: tag})
}

func canIDeploy(q CanIDeployQuery) func(MatrixReader) (MatrixResult, error) {
	return func(r MatrixReader) (MatrixResult, error) { return CanIDeploy(r, q) }
}
