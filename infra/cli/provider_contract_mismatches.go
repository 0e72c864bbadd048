package cli

import (
	"context"
	"strings"
)

// printComparisonMismatches follows the comparison link of every failed
// bi-directional row of a matrix answer (a verificationResult whose href is
// a /contracts/provider/… comparison resource) and prints each error the
// comparison found, in the words the server gives it (the interaction,
// what the pact sends or expects, what the spec allows), and whether the
// provider's self-verification failed. Warnings are only counted. A link
// that cannot be read is reported and skipped: the verdict stands anyway.
func (s *session) printComparisonMismatches(ctx context.Context, resp any) {
	for _, row := range list(resp, "matrix") {
		href := str(row, "verificationResult", "_links", "self", "href")
		if at(row, "verificationResult", "success") != false || !strings.Contains(href, "/contracts/provider/") {
			continue
		}
		consumer, provider := str(row, "consumer", "name"), str(row, "provider", "name")
		s.out.printf("MISMATCHES: %s %s and the OpenAPI contract of %s %s", consumer, str(row, "consumer", "version", "number"),
			provider, str(row, "provider", "version", "number"))
		s.out.printf("%s", strings.Repeat("-", 10))
		cmp, err := s.client.get(ctx, href)
		if err != nil {
			s.out.printf("(could not read %s: %v)\n", href, err)
			continue
		}
		errs := list(cmp, "crossContractVerificationResults", "results", "errors")
		for i, e := range errs {
			s.out.printf("%d. %s", i+1, orDefault(str(e, "description"), str(e, "code")+": "+str(e, "message")))
		}
		if n := len(list(cmp, "crossContractVerificationResults", "results", "warnings")); n > 0 {
			s.out.printf("(%d warning%s, which do not fail the comparison: see %s)", n, plural(n), href)
		}
		if at(cmp, "providerContractVerificationResults", "success") != true {
			s.out.printf("The provider's self-verification results for %s %s are missing or not successful.", provider,
				str(row, "provider", "version", "number"))
		}
		s.out.printf("")
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
