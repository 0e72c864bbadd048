package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// TestConformanceRubyClientV2Pact verifies pactledger, with the official
// `pact verifier`, against the consumer contract that the official Ruby
// client (pact_broker-client) holds with the Pact Broker: the pact the Pact
// Broker itself verifies in its CI (67 interactions).
//
// Every interaction is either in conformanceAllowed, and must pass, or in
// conformanceKnownGaps, with the reason, and must still fail (move it to the
// allow-list once it passes). The full list of failures, with the verifier's
// mismatches and what the server answered, is logged.
func TestConformanceRubyClientV2Pact(t *testing.T) {
	official := officialCLI(t)
	pact := loadConformancePact(t)

	for key := range conformanceAllowed {
		if _, gap := conformanceKnownGaps[key]; gap {
			t.Errorf("%q is both allowed and a known gap", key)
		}
	}
	known := map[string]bool{}
	for _, in := range pact.Interactions {
		known[in.key()] = true
		if _, ok := conformanceStates[in.ProviderState]; !ok {
			t.Errorf("provider state %q (%s) has no setup in conformanceStates", in.ProviderState, in.Description)
		}
	}
	for key := range conformanceAllowed {
		if !known[key] {
			t.Errorf("allow-list entry matches no interaction of the pact: %q", key)
		}
	}
	for key := range conformanceKnownGaps {
		if !known[key] {
			t.Errorf("known-gap entry matches no interaction of the pact: %q", key)
		}
	}

	srv := newConformanceServer(t)
	results := runConformanceVerifier(t, official, pact, srv)

	var failures []string
	passed := 0
	for _, in := range pact.Interactions {
		key := in.key()
		r := results[key]
		_, allowed := conformanceAllowed[key]
		reason, gap := conformanceKnownGaps[key]
		switch {
		case r.passed && allowed:
		case r.passed && gap:
			t.Errorf("known gap now passes; move it to conformanceAllowed: %q (gap was: %s)", key, reason)
		case r.passed:
			t.Errorf("interaction passes but is in neither list; add it to conformanceAllowed: %q", key)
		case allowed:
			t.Errorf("allowed interaction fails: %q", key)
		case !gap:
			t.Errorf("interaction fails and is in neither list: %q", key)
		}
		x := srv.exchangeFor(in) // claimed in order, passing or not
		if r.passed {
			passed++
			continue
		}
		var sb strings.Builder
		fmt.Fprintf(&sb, "✗ %s\n    request: %s %s", key, in.Request.Method, in.Request.Path)
		if in.Request.Query != "" {
			fmt.Fprintf(&sb, "?%s", in.Request.Query)
		}
		fmt.Fprintf(&sb, "\n    expected: %d", in.Response.Status)
		if gap {
			fmt.Fprintf(&sb, "\n    known gap: %s", reason)
		}
		for _, m := range r.mismatches {
			fmt.Fprintf(&sb, "\n    - %s", m)
		}
		if x != nil {
			fmt.Fprintf(&sb, "\n    server answered: %d %s %s", x.status, x.contentType, x.body)
		} else {
			fmt.Fprintf(&sb, "\n    server answered: (no request reached the application)")
		}
		failures = append(failures, sb.String())
	}
	t.Logf("%d of %d interactions pass; %d fail:\n%s", passed, len(pact.Interactions), len(failures), strings.Join(failures, "\n"))
	for _, e := range srv.stateErrors() {
		if errors.Is(e.err, errStateUnsupported) {
			t.Logf("provider state only partly set up: %q: %v", e.state, e.err)
		} else {
			t.Errorf("provider state not set up: %q: %v", e.state, e.err)
		}
	}
}

// conformancePactSHA256 pins the pact file the lists below were made for
// (pact_broker-client @ 76c9a338, spec/pacts/Pact Broker Client V2-Pact
// Broker.json).
const conformancePactSHA256 = "fd28c0f7c3211fea70330d782302d99f0728140e4716287c8bcaf35a5beb9c20"

// conformancePactPath is the pact file: $PACT_CONFORMANCE_PACT, else the
// copy in testdata (taken from shared/external-pacts; its SHA-256 is checked).
func conformancePactPath() string {
	if p := os.Getenv("PACT_CONFORMANCE_PACT"); p != "" {
		return p
	}
	return filepath.Join("testdata", "Pact Broker Client V2-Pact Broker.json")
}

// conformanceTimeout bounds the verifier run.
const conformanceTimeout = 5 * time.Minute

// conformancePact is the part of the pact file the test reads.
type conformancePact struct {
	path     string
	Consumer struct{ Name string }
	Provider struct{ Name string }

	Interactions []conformanceInteraction
}

type conformanceInteraction struct {
	Description   string
	ProviderState string
	Request       struct{ Method, Path, Query string }
	Response      struct{ Status int }
}

// key names an interaction in the lists: its description, and its provider
// state after " | given " when it has one. The pact has no two interactions
// with the same key.
func (in conformanceInteraction) key() string {
	if in.ProviderState == "" {
		return in.Description
	}
	return in.Description + " | given " + in.ProviderState
}

// verifierName is how the verifier's report names an interaction.
func (in conformanceInteraction) verifierName(p *conformancePact) string {
	given := ""
	if in.ProviderState != "" {
		given = " Given " + in.ProviderState
	}
	return fmt.Sprintf("Verifying a pact between %s and %s%s - %s", p.Consumer.Name, p.Provider.Name, given, in.Description)
}

func loadConformancePact(t *testing.T) *conformancePact {
	t.Helper()
	path := conformancePactPath()
	raw, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("pact file: %v (set PACT_CONFORMANCE_PACT)", err)
		}
		t.Skipf("pact file not found: %v (set PACT_CONFORMANCE_PACT)", err)
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != conformancePactSHA256 {
		t.Fatalf("%s has sha256 %s, want %s: the allow-list and known gaps were made for that file", path, got, conformancePactSHA256)
	}
	p := &conformancePact{path: path}
	if err := json.Unmarshal(raw, p); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, in := range p.Interactions {
		if seen[in.key()] {
			t.Fatalf("two interactions named %q", in.key())
		}
		seen[in.key()] = true
	}
	if len(p.Interactions) != 67 {
		t.Fatalf("%s has %d interactions, want 67", path, len(p.Interactions))
	}
	return p
}

// conformanceResult is one interaction's outcome.
type conformanceResult struct {
	passed     bool
	mismatches []string
}

// runConformanceVerifier runs `pact verifier --file` against srv and returns
// each interaction's outcome by key.
func runConformanceVerifier(t *testing.T, official string, p *conformancePact, srv *conformanceServer) map[string]conformanceResult {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "report.json")
	ctx, cancel := context.WithTimeout(context.Background(), conformanceTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, official, "verifier",
		"--file", p.path,
		"--hostname", u.Hostname(), "--port", u.Port(),
		"--state-change-url", srv.URL+conformanceStatePath,
		"--json", report,
		"--no-colour")
	cmd.Env = append(os.Environ(), "PACT_DO_NOT_TRACK=true")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("pact verifier timed out after %s:\n%s", conformanceTimeout, out.String())
	}
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		t.Fatalf("pact verifier: %v\n%s", runErr, out.String())
	}
	if os.Getenv("PACT_CONFORMANCE_VERIFIER_OUTPUT") != "" {
		t.Logf("pact verifier output:\n%s", out.String())
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("pact verifier wrote no report (%v):\n%s", runErr, out.String())
	}
	var rep struct {
		Errors []struct {
			Interaction string
			Mismatch    json.RawMessage
		}
		InteractionResults []struct{ Description, Result string }
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatalf("verifier report: %v", err)
	}
	if len(rep.InteractionResults) != len(p.Interactions) {
		t.Fatalf("verifier ran %d interactions, the pact has %d:\n%s", len(rep.InteractionResults), len(p.Interactions), out.String())
	}
	byName := map[string]string{}
	for _, in := range p.Interactions {
		byName[in.verifierName(p)] = in.key()
	}
	failed := map[string][]string{}
	for _, e := range rep.Errors {
		key, ok := byName[e.Interaction]
		if !ok {
			t.Fatalf("verifier reported an error for an unknown interaction %q", e.Interaction)
		}
		failed[key] = append(failed[key], describeMismatch(e.Mismatch)...)
	}
	results := map[string]conformanceResult{}
	for i, in := range p.Interactions {
		r := rep.InteractionResults[i]
		if r.Description != in.Description {
			t.Fatalf("verifier result %d is %q, the pact's interaction %d is %q", i, r.Description, i, in.Description)
		}
		ms, isErr := failed[in.key()]
		if isErr == strings.EqualFold(r.Result, "ok") {
			t.Fatalf("%q: verifier result %q disagrees with its error list %v", in.key(), r.Result, ms)
		}
		results[in.key()] = conformanceResult{passed: !isErr, mismatches: ms}
	}
	return results
}

// describeMismatch turns one error of the verifier's report into lines.
func describeMismatch(raw json.RawMessage) []string {
	var m struct {
		Type       string
		Message    string
		Mismatches []struct {
			Type, Mismatch, Path, Key string
		}
	}
	if err := json.Unmarshal(raw, &m); err != nil || (len(m.Mismatches) == 0 && m.Message == "") {
		return []string{string(raw)}
	}
	var out []string
	if m.Message != "" {
		out = append(out, m.Type+": "+m.Message)
	}
	for _, x := range m.Mismatches {
		where := x.Path
		if where == "" {
			where = x.Key
		}
		if where != "" {
			out = append(out, fmt.Sprintf("%s %s: %s", x.Type, where, x.Mismatch))
		} else {
			out = append(out, fmt.Sprintf("%s: %s", x.Type, x.Mismatch))
		}
	}
	return out
}

// conformanceStatePath is the verifier's state change endpoint: test-only.
const conformanceStatePath = "/__provider_states"

// conformanceServer is the provider under verification: a fresh
// application for every interaction (the verifier posts the interaction's
// provider state, the empty one too, before its request), the query-string
// rewrite, and the application's handler. It records what the application
// answered.
type conformanceServer struct {
	URL string

	mu        sync.RWMutex
	app       *app.App
	state     string
	exchanges []*conformanceExchange
	errs      []conformanceStateError
}

// conformanceExchange is one request the application answered.
type conformanceExchange struct {
	state, method, path string
	status              int
	contentType, body   string
	used                bool
}

func newConformanceServer(t *testing.T) *conformanceServer {
	s := &conformanceServer{}
	h := httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = h.URL
	t.Cleanup(func() {
		h.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.app != nil {
			s.app.Close()
		}
	})
	return s
}

func (s *conformanceServer) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == conformanceStatePath && r.Method == http.MethodPost {
		s.changeState(w, r)
		return
	}
	s.mu.RLock()
	a, state := s.app, s.state
	s.mu.RUnlock()
	if a == nil {
		http.Error(w, "no provider state was set up", http.StatusInternalServerError)
		return
	}
	rec := httptest.NewRecorder()
	withConformanceQueryRewrite(a.Handler).ServeHTTP(rec, r)
	res := rec.Result()
	body := strings.TrimSpace(rec.Body.String())
	const maxBody = 1500
	if len(body) > maxBody && os.Getenv("PACT_CONFORMANCE_FULL_BODIES") == "" {
		body = body[:maxBody] + "…"
	}
	s.mu.Lock()
	s.exchanges = append(s.exchanges, &conformanceExchange{state: state, method: r.Method, path: r.URL.Path,
		status: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: body})
	s.mu.Unlock()
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(rec.Body.Bytes())
}

// changeState handles the verifier's state change request: on setup, a
// fresh application with the state set up; teardown is not requested.
func (s *conformanceServer) changeState(w http.ResponseWriter, r *http.Request) {
	var req struct{ State, Action string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if req.Action != "" && req.Action != "setup" {
		w.WriteHeader(http.StatusOK)
		return
	}
	setup, known := conformanceStates[req.State]
	s.mu.Lock()
	if s.app != nil {
		s.app.Close()
	}
	a := app.Start(memstore.New(), app.Options{BaseURL: "http://example.org", WebhookPolicy: conformanceWebhookPolicy})
	s.app, s.state = a, req.State
	s.mu.Unlock()

	var err error
	switch {
	case !known:
		err = fmt.Errorf("unknown provider state")
	case setup != nil:
		b := newStateBuilder(r.Context(), a)
		setup(b)
		err = b.err
	}
	// The verifier retries a failed state change for about two minutes, so a
	// state that could not be set up is answered 200 (the interaction then
	// runs against what was set up) and reported by the test instead.
	if err != nil {
		s.mu.Lock()
		if !slices.ContainsFunc(s.errs, func(e conformanceStateError) bool { return e.state == req.State }) {
			s.errs = append(s.errs, conformanceStateError{state: req.State, err: err})
		}
		s.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte("{}"))
}

// conformanceWebhookPolicy is the harness's webhook allow-lists: what the
// pact's webhooks use (POST to https://webhook, https://example.org), which
// is the Pact Broker's default.
var conformanceWebhookPolicy = domain.WebhookPolicy{Methods: []string{"POST"}, Schemes: []string{"https"}}

// conformanceStateError is a provider state that was not (fully) set up.
type conformanceStateError struct {
	state string
	err   error
}

// exchangeFor returns the first not yet claimed exchange that answered the
// interaction's request in its state, nil if none did.
func (s *conformanceServer) exchangeFor(in conformanceInteraction) *conformanceExchange {
	want, err := url.PathUnescape(in.Request.Path)
	if err != nil {
		want = in.Request.Path
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.exchanges {
		if !x.used && x.state == in.ProviderState && x.method == in.Request.Method && x.path == want {
			x.used = true
			return x
		}
	}
	return nil
}

func (s *conformanceServer) stateErrors() []conformanceStateError {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.errs)
}

// conformanceAllowed lists the interactions that pass today; each must keep
// passing. Keys: the description, then " | given " and the provider state.
var conformanceAllowed = map[string]struct{}{
	"a request for an environment | given an environment with name test and UUID 16926ef3-590f-4e3f-838e-719717aa88c9 exists":                                                                                                                        {},
	"a request for the compatibility matrix for Foo version 1.2.3 and Bar version 4.5.6 | given the pact for Foo Thing version 1.2.3 has been verified by Bar version 4.5.6":                                                                         {},
	"a request for the compatibility matrix for Foo version 1.2.3 and Bar version 4.5.6 | given the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6":                                                                               {},
	"a request for the compatibility matrix for Foo version 1.2.3 and the latest prod version of Bar | given the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 with tag prod, and 1.2.4 unsuccessfully by 9.9.9":    {},
	"a request for the compatibility matrix for Foo version 1.2.3 and the latest prod versions of all other pacticipants | given the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 (tagged prod) and version 5.6.7": {},
	"a request for the compatibility matrix for Foo version 1.2.3 and the latest version of Bar | given the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6, and 1.2.4 unsuccessfully by 9.9.9":                       {},
	"a request for the compatibility matrix for all versions of Foo and Bar | given the pact for Foo version 1.2.3 and 1.2.4 has been verified by Bar version 4.5.6":                                                                                 {},
	"a request for the compatibility matrix where one or more versions does not exist | given the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6":                                                                                 {},
	"a request for the compatibility matrix where only the version of Foo is specified | given the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6 and version 5.6.7":                                                              {},
	"a request for the index resource":                                                                                                                                                                                            {},
	"a request for the index resource | given the pacticipant relations are present":                                                                                                                                              {},
	"a request for the index resource | given the pb:environments relation exists in the index resource":                                                                                                                          {},
	"a request for the index resource | given the pb:latest-tagged-version relation exists in the index resource":                                                                                                                 {},
	"a request for the index resource | given the pb:latest-version relation exists in the index resource":                                                                                                                        {},
	"a request for the index resource | given the pb:pacticipant-branch relation exists in the index resource":                                                                                                                    {},
	"a request for the index resource | given the pb:pacticipant-version and pb:environments relations exist in the index resource":                                                                                               {},
	"a request for a pacticipant version | given version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with 2 environments that aren't test available for deployment":                                        {},
	"a request for a pacticipant version | given version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for deployment":                                                     {},
	"a request for a pacticipant version | given version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for release":                                                        {},
	"a request for the environments | given an environment with name test exists":                                                                                                                                                 {},
	"a request for the index resource | given the pb:publish-contracts relations exists in the index resource":                                                                                                                    {},
	"a request for the index resource with the webhook relation":                                                                                                                                                                  {},
	"a request for the list of the latest pacts from all consumers for the Pricing Service' | given a latest pact between Condor and the Pricing Service exists":                                                                  {},
	"a request for the list of the latest prod pacts from all consumers for the Pricing Service' | given tagged as prod pact between Condor and the Pricing Service exists":                                                       {},
	"a request for the successful rows of the compatibility matrix for all versions of Foo and Bar | given the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6, and 1.2.4 unsuccessfully by 9.9.9": {},
	"a request retrieve a pact for a specific version | given the 'Pricing Service' and 'Condor' already exist in the pact-broker, and Condor already has a pact published for version 1.3.0":                                     {},
	"a request to create an environment": {},
	"a request to delete a pacticipant branch | given a branch named main exists for pacticipant Foo": {},
	"a request to determine if Bar can be deployed with all Foo tagged prod, ignoring the verification for Foo version 3.4.5 | given provider Bar version 4.5.6 has a successful verification for Foo version 1.2.3 tagged prod and a failed verification for version 3.4.5 tagged prod": {},
	"a request to get the Pricing Service | given the 'Pricing Service' does not exist in the pact-broker": {},
	"a request to list the environments | given an environment exists":                                     {},
	"a request to list the latest pacts | given a pact between Condor and the Pricing Service exists":      {},
	"a request to list the versions deployed to an environment for a pacticipant name and application instance | given an version is deployed to environment with UUID 16926ef3-590f-4e3f-838e-719717aa88c9 with target customer-1": {},
	"a request to mark a deployed version as not currently deploye | given a currently deployed version exists":                                                                                                                     {},
	"a request to publish contracts": {},
	"a request to record a deployment | given version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for deployment": {},
	"a request to record a release | given version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for deployment":    {},
	"a request to register the repository URL of a pacticipant | given the 'Pricing Service' already exists in the pact-broker":                                            {},
	"a request to register the repository URL of a pacticipant | given the 'Pricing Service' does not exist in the pact-broker":                                            {},
	"a request to retrieve a pacticipant":                                            {},
	"a request to create a pacticipant":                                              {},
	"a request to retrieve a pacticipant | given a pacticipant with name Foo exists": {},
	"a request to retrieve the latest 'production' version of Condor | given 'Condor' exists in the pact-broker with the latest tagged 'production' version 1.2.3":                                      {},
	"a request to retrieve the latest pact between Condor and the Pricing Service | given no pact between Condor and the Pricing Service exists":                                                        {},
	"a request to retrieve the latest version of Condor | given 'Condor' exists in the pact-broker with the latest version 1.2.3":                                                                       {},
	"a request to retrieve the pact between the production verison of Condor and the Pricing Service | given a pact between Condor and the Pricing Service exists for the production version of Condor": {},
	"a request to tag the production version of Condor | given 'Condor' does not exist in the pact-broker":                                                                                              {},
	"a request to tag the production version of Condor | given 'Condor' exists in the pact-broker":                                                                                                      {},
	"a request to tag the production version of Condor | given 'Condor' exists in the pact-broker with version 1.3.0, tagged with 'prod'":                                                               {},
	"a request for the compatibility matrix for a pacticipant that does not exist":                                                                                                                      {},
	"a request to get the Pricing Service | given the 'Pricing Service' already exists in the pact-broker":                                                                                              {},
	"a request to list pacticipants | given 'Condor' exists in the pact-broker":                                                                                                                         {},
	"a request to retrieve the latest pact between Condor and the Pricing Service | given a pact between Condor and the Pricing Service exists":                                                         {},
	"a request to update a pacticipant | given a pacticipant with name Foo exists":                                                                                                                      {},
	"a request to create a global webhook with a JSON body":                                                                                                                                             {},
	"a request to create a webhook for a consumer and provider | given 'Condor' does not exist in the pact-broker":                                                                                      {},
	"a request to create a webhook with a JSON body and a uuid | given the 'Pricing Service' and 'Condor' already exist in the pact-broker":                                                             {},
	"a request to create a webhook with a JSON body for a consumer | given the 'Pricing Service' and 'Condor' already exist in the pact-broker":                                                         {},
	"a request to create a webhook with a JSON body for a consumer and provider | given the 'Pricing Service' and 'Condor' already exist in the pact-broker":                                            {},
	"a request to create a webhook with a JSON body for a consumer specified by a label":                                                                                                                {},
	"a request to create a webhook with a JSON body for a consumer that does not exist":                                                                                                                 {},
	"a request to create a webhook with a JSON body for a provider | given the 'Pricing Service' and 'Condor' already exist in the pact-broker":                                                         {},
	"a request to create a webhook with a JSON body for a provider specified by a label":                                                                                                                {},
	"a request to create a webhook with a non-JSON body for a consumer and provider | given the 'Pricing Service' and 'Condor' already exist in the pact-broker":                                        {},
	"a request to create a webhook with every possible event type | given the 'Pricing Service' and 'Condor' already exist in the pact-broker":                                                          {},
	"a request to update a webhook | given a webhook with the uuid 696c5f93-1b7f-44bc-8d03-59440fcaa9a0 exists":                                                                                         {},
	"an invalid request to create a webhook for a consumer and provider | given the 'Pricing Service' and 'Condor' already exist in the pact-broker":                                                    {},
}

// conformanceKnownGaps lists the interactions that fail today, with why;
// each must keep failing until it is fixed and moved to conformanceAllowed.
// "not built" is a feature pactledger does not have yet; "bug" is a
// difference in a feature it has. None remain: the last 13, the webhook
// interactions, pass since the webhook API was built.
var conformanceKnownGaps = map[string]string{}
