package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pactledger/pactledger/infra/jetstream/jstest"
)

// e2eDo sends one request to a server and returns the status and body.
func e2eDo(t *testing.T, s *e2eServer, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// e2eCurrentlyDeployed lists provider versions currently deployed to env
// as a replica answers, "version/instance".
func e2eCurrentlyDeployed(t *testing.T, s *e2eServer, env, pacticipant string) []string {
	t.Helper()
	status, v := s.getJSON(t, "/environments/"+env+"/deployed-versions/currently-deployed?pacticipant="+url.QueryEscape(pacticipant))
	if status != http.StatusOK {
		t.Fatalf("currently-deployed: %d %v", status, v)
	}
	var out []string
	for _, d := range e2eList(v, "_embedded", "deployedVersions") {
		if e2eStr(d, "_embedded", "pacticipant", "name") == pacticipant {
			out = append(out, e2eStr(d, "_embedded", "version", "number"))
		}
	}
	return out
}

// TestE2ETwoReplicas runs two `pactledger serve` processes on one
// three-node JetStream cluster (R3 stream). A deployment recorded through
// replica A shows at once in B's currently-deployed and can-i-deploy
// answers (strong reads: B's queries wait for the store's head), and
// concurrent deployments through both replicas keep one current version per
// instance.
func TestE2ETwoReplicas(t *testing.T) {
	bin := e2eBuild(t)
	urls := strings.Join(jstest.ClientURLs(jstest.StartCluster(t, 3, false)), ",")
	flags := []string{"--nats-url", urls, "--nats-replicas", "3"}
	a := e2eStart(t, bin, flags...)
	b := e2eStart(t, bin, flags...)

	_, envs := b.getJSON(t, "/environments")
	var production string
	count := 0
	for _, e := range e2eList(envs, "_embedded", "environments") {
		if e2eStr(e, "name") == "production" {
			production = e2eStr(e, "uuid")
			count++
		}
	}
	if count != 1 {
		t.Fatalf("replica B sees %d production environments, want 1: %v", count, envs)
	}

	must := func(s *e2eServer, method, path, body string, want int) string {
		t.Helper()
		status, resp := e2eDo(t, s, method, path, body)
		if status != want {
			t.Fatalf("%s %s: %d, want %d\n%s", method, path, status, want, resp)
		}
		return resp
	}
	pact := `{"consumer":{"name":"RepConsumer"},"provider":{"name":"RepProvider"},"interactions":[{"description":"a ping",` +
		`"request":{"method":"GET","path":"/ping"},"response":{"status":200}}],"metadata":{"pactSpecification":{"version":"2.0.0"}}}`
	must(a, http.MethodPut, "/pacts/provider/RepProvider/consumer/RepConsumer/version/1", pact, http.StatusCreated)
	var latest any
	if err := json.Unmarshal([]byte(must(a, http.MethodGet, "/pacts/provider/RepProvider/consumer/RepConsumer/latest", "", http.StatusOK)), &latest); err != nil {
		t.Fatal(err)
	}
	href := e2eStr(latest, "_links", "pb:publish-verification-results", "href")
	if href == "" {
		t.Fatalf("no pb:publish-verification-results link: %v", latest)
	}
	must(a, http.MethodPost, strings.TrimPrefix(href, a.URL), `{"success":true,"providerApplicationVersion":"1.0.0"}`, http.StatusCreated)

	canIDeploy := func(s *e2eServer) any {
		t.Helper()
		_, v := s.getJSON(t, "/can-i-deploy?pacticipant=RepConsumer&version=1&environment=production")
		return e2eAt(v, "summary", "deployable")
	}
	if got := canIDeploy(b); got == true {
		t.Fatalf("can-i-deploy RepConsumer 1 before the provider is in production: %v, want not true", got)
	}
	deployPath := "/pacticipants/RepProvider/versions/%s/deployed-versions/environment/" + production
	must(a, http.MethodPost, fmt.Sprintf(deployPath, "1.0.0"), "{}", http.StatusCreated)
	// No wait, no retry: B answers after A's write with A's write.
	if got := e2eCurrentlyDeployed(t, b, production, "RepProvider"); strings.Join(got, ",") != "1.0.0" {
		t.Fatalf("replica B's currently-deployed right after A's write: %v, want [1.0.0]", got)
	}
	if got := canIDeploy(b); got != true {
		t.Fatalf("replica B's can-i-deploy right after A's write: %v, want true", got)
	}

	// Concurrent deployments of different versions through both replicas.
	for round := range 6 {
		va, vb := fmt.Sprintf("2.%d.0", round), fmt.Sprintf("3.%d.0", round)
		must(a, http.MethodPut, "/pacticipants/RepProvider/versions/"+va, "{}", http.StatusCreated)
		must(b, http.MethodPut, "/pacticipants/RepProvider/versions/"+vb, "{}", http.StatusCreated)
		var wg sync.WaitGroup
		for _, rv := range []struct {
			s *e2eServer
			v string
		}{{a, va}, {b, vb}} {
			wg.Go(func() {
				if status, resp := e2eDo(t, rv.s, http.MethodPost, fmt.Sprintf(deployPath, rv.v), "{}"); status != http.StatusCreated {
					t.Errorf("deploy %s: %d %s", rv.v, status, resp)
				}
			})
		}
		wg.Wait()
		for _, s := range []*e2eServer{a, b} {
			if got := e2eCurrentlyDeployed(t, s, production, "RepProvider"); len(got) != 1 || got[0] != va && got[0] != vb {
				t.Fatalf("round %d: currently deployed %v, want exactly one of %s and %s", round, got, va, vb)
			}
		}
	}
}
