package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// can-i-deploy and can-i-merge ask GET /matrix?<query> once per attempt,
// with no index fetch, the query built exactly as the pact-broker CLI
// builds it (pact-cli-requests.md §3.1): the selectors in command-line
// order, then the ignores, then --to, latestby, the environment and the
// inferred-version flags. The answer is summary.deployable: true is yes
// (exit 0); false, null or a missing summary is no (exit 1).

// selector is one --pacticipant and the options that directly follow it.
// Nil pointers are options not given.
type selector struct {
	pacticipant     string
	version, branch *string
	latest          *string // "" is the latest version; otherwise the latest with that tag
	tags            []string
	mainBranch      bool
}

// ignoreSelector is one --ignore and the --version directly after it.
type ignoreSelector struct {
	pacticipant string
	version     *string
}

// defaultRetryInterval is the pact-broker CLI's --retry-interval default.
const defaultRetryInterval = 5 * time.Second

// matrixCheck is one can-i-deploy or can-i-merge run.
type matrixCheck struct {
	merge        bool     // can-i-merge: &mainBranch=true
	environments []string // --to-environment, in order
	to           string   // --to TAG
	dryRun       bool

	selectors []selector // from the command line, after parsing
	ignores   []ignoreSelector
	retries   int           // --retry-while-unknown
	interval  time.Duration // --retry-interval
}

// defineCanIDeploy registers can-i-deploy's flags. --to-environment may be
// repeated: each environment gets its own query and its own answer, and
// the command says yes only if every one does.
func defineCanIDeploy(fs *flagSet) action {
	c := &matrixCheck{}
	// The selector flags are read in order from fs.seq; these only hold
	// what the flag package parses.
	var pacticipants, versions, tags, ignores []string
	var latest, branch string
	var mainBranch bool
	fs.RequiredList(&pacticipants, "pacticipant", "a", "The pacticipant name. Use once for each pacticipant being checked. The following options (--version, --latest, --tag, --branch, --main-branch) must come directly after each --pacticipant")
	fs.List(&versions, "version", "e", "The pacticipant version. Must be entered after the --pacticipant that it relates to (or after an --ignore)")
	fs.Optional(&latest, "latest", "l", "Use the latest pacticipant version. Optionally specify a TAG to use the latest version with the specified tag. Must be entered after the --pacticipant that it relates to")
	fs.List(&tags, "tag", "", "The tag of the version for which you want to check the verification results. Must be entered after the --pacticipant that it relates to")
	fs.String(&branch, "branch", "", "The branch of the version for which you want to check the verification results. Must be entered after the --pacticipant that it relates to")
	fs.Bool(&mainBranch, "main-branch", "Use the latest version of the configured main branch of the pacticipant as the version for which you want to check the verification results. Must be entered after the --pacticipant that it relates to")
	fs.List(&ignores, "ignore", "", "The pacticipant name to ignore. Use once for each pacticipant being ignored. A specific version can be ignored by also specifying a --version after the pacticipant name option")
	fs.List(&c.environments, "to-environment", "", "The environment into which the pacticipant(s) are to be deployed. Repeat it to check several environments: one query each, and the answer is yes only if every one is")
	fs.String(&c.to, "to", "", "The tag that represents the branch or environment of the integrated applications for which you want to check the verification result status")
	c.defineCommon(fs)
	return c.run
}

// defineCanIMerge registers can-i-merge's flags: the versions are checked
// against the main branch of every integrated pacticipant.
func defineCanIMerge(fs *flagSet) action {
	c := &matrixCheck{merge: true}
	var pacticipants, versions []string
	fs.RequiredList(&pacticipants, "pacticipant", "a", "The pacticipant name. Use once for each pacticipant being checked. The following options (--version) must come directly after each --pacticipant")
	fs.List(&versions, "version", "e", "The pacticipant version. Must be entered after the --pacticipant that it relates to")
	c.defineCommon(fs)
	return c.run
}

// defineCommon registers the flags both commands take and the check that
// reads the selectors and the retry settings.
func (c *matrixCheck) defineCommon(fs *flagSet) {
	var retries, interval string
	fs.outputFormats("table", "Output format: table, or json (the server's response); text is the same as table", "table", "text", "json")
	fs.String(&retries, "retry-while-unknown", "", "The number of times to retry while there is an unknown verification result (ie. the provider verification is likely still running)")
	fs.String(&interval, "retry-interval", "", "The time between retries in seconds (fractions allowed). Use in conjunction with --retry-while-unknown [default: 5]")
	fs.Bool(&c.dryRun, "dry-run", "When dry-run is enabled, always exit process with a success code. The answer is printed as usual. This mode is useful when setting up your CI/CD pipeline for the first time, or in a 'break glass' situation where you need to knowingly deploy what Pact considers a breaking change")
	fs.check(func() error {
		var err error
		if c.selectors, c.ignores, err = scanSelectors(fs.seq); err != nil {
			return err
		}
		for _, env := range c.environments {
			if strings.TrimSpace(env) == "" {
				return errors.New("--to-environment must not be blank")
			}
		}
		if c.retries, err = parseRetries(retries); err != nil {
			return err
		}
		c.interval, err = parseInterval(interval)
		return err
	})
}

// scanSelectors reads the selectors as the pact-broker CLI scans its argv:
// each --pacticipant starts a selector and the --version, --latest,
// --branch, --tag and --main-branch directly after it belong to it; each
// --ignore starts an ignore selector, which takes one --version directly
// after it. Anything else ends the run of options. Where the pact-broker
// CLI silently drops an option that belongs to nothing (a --version after
// --to-environment, say), this is a usage error.
func scanSelectors(seq []flagEvent) ([]selector, []ignoreSelector, error) {
	var sels []selector
	var igns []ignoreSelector
	const (
		none = iota
		inSelector
		inIgnore
	)
	state := none
	for _, ev := range seq {
		value := ev.value
		switch ev.name {
		case "pacticipant":
			sels, state = append(sels, selector{pacticipant: value}), inSelector
			continue
		case "ignore":
			igns, state = append(igns, ignoreSelector{pacticipant: value}), inIgnore
			continue
		case "version":
			switch state {
			case inSelector:
				sels[len(sels)-1].version = &value
				continue
			case inIgnore:
				igns[len(igns)-1].version, state = &value, none
				continue
			}
			return nil, nil, fmt.Errorf("--version %s must come directly after the --pacticipant (or --ignore) it belongs to", value)
		case "latest", "branch", "tag", "main-branch":
			if state != inSelector {
				return nil, nil, fmt.Errorf("--%s must come directly after the --pacticipant it belongs to", ev.name)
			}
			s := &sels[len(sels)-1]
			switch ev.name {
			case "latest":
				s.latest = &value
			case "branch":
				s.branch = &value
			case "tag":
				s.tags = append(s.tags, value)
			case "main-branch":
				s.mainBranch = value == "true"
			}
			continue
		}
		state = none
	}
	if len(sels) == 0 {
		return nil, nil, errors.New("the following required arguments were not provided: --pacticipant")
	}
	return sels, igns, nil
}

func parseRetries(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("--retry-while-unknown must be a whole number of times, not %q", s)
	}
	return n, nil
}

func parseInterval(s string) (time.Duration, error) {
	if s == "" {
		return defaultRetryInterval, nil
	}
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil || secs < 0 || math.IsInf(secs, 0) || math.IsNaN(secs) || secs > 24*3600 {
		return 0, fmt.Errorf("--retry-interval must be a number of seconds, not %q", s)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// query is the matrix query string for one environment ("" for none).
// Brackets are sent as they are; values are percent-encoded.
func (c *matrixCheck) query(environment string) string {
	var b strings.Builder
	param := func(key, value string) { b.WriteString(key + "=" + escapeSegment(value) + "&") }
	for _, s := range c.selectors {
		param("q[][pacticipant]", s.pacticipant)
		if s.version != nil {
			param("q[][version]", *s.version)
		}
		if s.latest != nil {
			b.WriteString("q[][latest]=true&")
			if *s.latest != "" {
				param("q[][tag]", *s.latest)
			}
		}
		if s.branch != nil {
			param("q[][branch]", *s.branch)
		}
		for _, tag := range s.tags {
			param("q[][tag]", tag)
		}
		if s.mainBranch {
			b.WriteString("q[][mainBranch]=true&")
		}
	}
	for _, ig := range c.ignores {
		param("ignore[][pacticipant]", ig.pacticipant)
		if ig.version != nil {
			param("ignore[][version]", *ig.version)
		}
	}
	if c.to != "" {
		param("tag", c.to)
	}
	if environment != "" || len(c.selectors) > 1 {
		b.WriteString("latestby=cvpv")
	} else {
		b.WriteString("latestby=cvp")
	}
	if environment != "" {
		b.WriteString("&environment=" + escapeSegment(environment))
	}
	if environment == "" && len(c.selectors) == 1 {
		b.WriteString("&latest=true")
	}
	if c.merge {
		b.WriteString("&mainBranch=true")
	}
	return b.String()
}

// run asks once per environment and prints each answer. Failures are
// reported as they happen; the exit code is 1 unless every answer is yes
// (or --dry-run).
func (c *matrixCheck) run(ctx context.Context, s *session) error {
	envs := c.environments
	if len(envs) == 0 {
		envs = []string{""}
	}
	several := len(envs) > 1
	answers := map[string]any{} // -o json with several environments
	var failed, refused []string
	for i, env := range envs {
		if several && !s.out.isJSON() {
			if i > 0 {
				s.out.printf("")
			}
			s.out.printf("Environment: %s", env)
		}
		resp, err := c.poll(ctx, s, s.client.base.String()+"/matrix?"+c.query(env))
		switch {
		case err != nil:
			printError(s.stderr, withNotices("Can-i-deploy command failed:", err))
			failed = append(failed, env)
		case s.out.isJSON() && several:
			answers[env] = resp
		case s.out.isJSON():
			// As the pact-broker CLI: the response, and no verdict.
			if err := s.out.printJSON(resp); err != nil {
				return err
			}
		case !s.out.matrix(resp):
			refused = append(refused, env)
			s.printComparisonMismatches(ctx, resp)
		}
	}
	if several && s.out.isJSON() {
		if err := s.out.printJSON(answers); err != nil {
			return err
		}
	}
	if len(failed) == 0 && len(refused) == 0 {
		return nil
	}
	if c.dryRun {
		w := s.out.w
		if s.out.isJSON() {
			w = s.stderr // keep stdout JSON
		}
		fmt.Fprintln(w, "📌 Dry run enabled, suppressing failing exit code")
		return nil
	}
	if len(refused) > 0 {
		msg := "No deployable version found"
		if several {
			noun := "environment "
			if len(refused) > 1 {
				noun = "environments "
			}
			msg += " for " + noun + strings.Join(refused, ", ")
		}
		printError(s.stderr, errors.New(msg))
	}
	return errReported
}

// poll GETs the matrix and, with --retry-while-unknown N, asks again after
// --retry-interval while the answer is not a readable yes or no (an error,
// a body of the wrong shape or deployable:null), N more times at most.
func (c *matrixCheck) poll(ctx context.Context, s *session, target string) (any, error) {
	for attempt := 0; ; attempt++ {
		resp, err := s.client.get(ctx, target)
		if attempt >= c.retries {
			return resp, err
		}
		if err == nil {
			if a, derr := decodeMatrix(resp); derr == nil && a.deployable != nil {
				return resp, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(c.interval):
		}
	}
}
