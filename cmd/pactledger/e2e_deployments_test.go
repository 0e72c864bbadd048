package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestE2EOfficialCLI drives a real `pactledger serve` (embedded JetStream)
// with the official pact CLI (npm @pact-foundation/pact-cli 18.1.2).
func TestE2EOfficialCLI(t *testing.T) {
	official := officialCLI(t)
	bin := e2eBuild(t)
	cli := e2eCLI{name: "pact broker", argv: []string{official, "broker"}}
	e2eDeploymentScenario(t, cli, e2eStart(t, bin))
}

// officialCLI returns the pact CLI's path: $PACT_CLI (the Makefile sets it),
// else where `make tools` puts it. Without it the test skips, except under
// CI, where `make test` must have installed it and its absence fails.
func officialCLI(t *testing.T) string {
	t.Helper()
	path := os.Getenv("PACT_CLI")
	if path == "" {
		path = e2eOfficialCLI
	}
	official, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(official); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("official pact CLI not found at %s under CI; `make test` installs it with `make tools`", official)
		}
		t.Skipf("official pact CLI not found at %s; `make tools` installs it (`make test` does so first)", official)
	}
	return official
}

// TestE2EPactledgerCLI runs the same scenario with pactledger's own client.
func TestE2EPactledgerCLI(t *testing.T) {
	bin := e2eBuild(t)
	cli := e2eCLI{name: "pactledger", argv: []string{bin}}
	e2eDeploymentScenario(t, cli, e2eStart(t, bin))
}

var e2eUUID = regexp.MustCompile(`with UUID ([0-9a-fA-F-]{36})`)

// e2eDeploymentScenario: environments (create, list, describe, update,
// delete), versions, deployments with an automatic undeploy and a
// rollback, application instances, an undeployment, a release and its end
// of support, describe-version, and a deployment to an unknown environment.
// Every outcome is checked through the HTTP API too.
func e2eDeploymentScenario(t *testing.T, cli e2eCLI, s *e2eServer) {
	out := cli.ok(t, s, []string{"✅ Created uat environment in the Pact Broker with UUID "},
		"create-environment", "--name", "uat", "--display-name", "UAT")
	m := e2eUUID.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("create-environment printed no UUID:\n%s", out)
	}
	uat := m[1]
	env := "/environments/" + uat
	if status, v := s.getJSON(t, env); status != http.StatusOK || e2eStr(v, "name") != "uat" || e2eStr(v, "displayName") != "UAT" {
		t.Fatalf("GET %s: %d %v", env, status, v)
	}

	cli.ok(t, s, []string{uat, "uat", "UAT", "production", "Production"}, "list-environments")
	var listed any
	if err := json.Unmarshal([]byte(cli.ok(t, s, nil, "list-environments", "--output", "json")), &listed); err != nil {
		t.Fatalf("list-environments --output json: %v", err)
	}
	if !slices.ContainsFunc(e2eList(listed, "_embedded", "environments"), func(e any) bool { return e2eStr(e, "uuid") == uat }) {
		t.Fatalf("list-environments --output json lacks %s: %v", uat, listed)
	}
	cli.ok(t, s, []string{uat, "Name: uat", "Display Name: UAT", "Production: false"}, "describe-environment", "--uuid", uat)
	cli.ok(t, s, []string{"✅ Updated uat environment in the Pact Broker with UUID " + uat},
		"update-environment", "--uuid", uat, "--name", "uat", "--display-name", "User Acceptance")
	if _, v := s.getJSON(t, env); e2eStr(v, "displayName") != "User Acceptance" || e2eStr(v, "name") != "uat" {
		t.Fatalf("after update-environment: %v", v)
	}
	cli.ok(t, s, []string{"Display Name: User Acceptance"}, "describe-environment", "--uuid", uat)

	for _, v := range []string{"1.0.0", "2.0.0"} {
		cli.ok(t, s, []string{"Version '" + v + "' created or updated successfully"},
			"create-or-update-version", "--pacticipant", "Foo", "--version", v)
	}

	deploy := func(version, instance string) {
		t.Helper()
		args := []string{"--pacticipant", "Foo", "--version", version, "--environment", "uat"}
		text := "✅ Recorded deployment of Foo version " + version + " to uat environment in the Pact Broker."
		if instance != "" {
			args = append(args, "--application-instance", instance)
			text = "✅ Recorded deployment of Foo version " + version + " to uat environment (application instance " + instance + ") in the Pact Broker."
		}
		cli.ok(t, s, []string{text}, "record-deployment", args...)
	}
	deployed := func(want ...string) {
		t.Helper()
		status, v := s.getJSON(t, env+"/deployed-versions/currently-deployed")
		if status != http.StatusOK {
			t.Fatalf("currently-deployed: %d %v", status, v)
		}
		var got []string
		for _, d := range e2eList(v, "_embedded", "deployedVersions") {
			instance := e2eStr(d, "applicationInstance")
			if instance == "" {
				instance = "-"
			}
			got = append(got, e2eStr(d, "_embedded", "version", "number")+"/"+instance)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("currently deployed to uat: got %v, want %v", got, want)
		}
	}
	history := func(version string) (current, past int) {
		t.Helper()
		_, v := s.getJSON(t, "/pacticipants/Foo/versions/"+version+"/deployed-versions/environment/"+uat)
		for _, d := range e2eList(v, "_embedded", "deployedVersions") {
			if e2eAt(d, "currentlyDeployed") == true {
				current++
			} else {
				past++
			}
		}
		return current, past
	}

	deploy("1.0.0", "")
	deployed("1.0.0/-")
	deploy("2.0.0", "") // undeploys 1.0.0
	deployed("2.0.0/-")
	if cur, past := history("1.0.0"); cur != 0 || past != 1 {
		t.Fatalf("1.0.0 after 2.0.0 was deployed: %d current, %d past records; want 0, 1", cur, past)
	}
	deploy("1.0.0", "") // rollback: a new record; 2.0.0 undeployed
	deployed("1.0.0/-")
	if cur, past := history("1.0.0"); cur != 1 || past != 1 {
		t.Fatalf("1.0.0 after the rollback: %d current, %d past records; want 1, 1", cur, past)
	}
	if cur, past := history("2.0.0"); cur != 0 || past != 1 {
		t.Fatalf("2.0.0 after the rollback: %d current, %d past records; want 0, 1", cur, past)
	}

	deploy("1.0.0", "blue")
	deploy("2.0.0", "green")
	deployed("1.0.0/-", "1.0.0/blue", "2.0.0/green")
	cli.ok(t, s, []string{"Undeployed Foo from uat environment (application instance blue)"},
		"record-undeployment", "--pacticipant", "Foo", "--environment", "uat", "--application-instance", "blue")
	deployed("1.0.0/-", "2.0.0/green")

	supported := func() []any {
		t.Helper()
		status, v := s.getJSON(t, env+"/released-versions/currently-supported")
		if status != http.StatusOK {
			t.Fatalf("currently-supported: %d %v", status, v)
		}
		return e2eList(v, "_embedded", "releasedVersions")
	}
	cli.ok(t, s, []string{"✅ Recorded release of Foo version 1.0.0 to uat environment in the Pact Broker."},
		"record-release", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "uat")
	if r := supported(); len(r) != 1 || e2eStr(r[0], "_embedded", "version", "number") != "1.0.0" {
		t.Fatalf("currently supported after record-release: %v", r)
	}
	cli.ok(t, s, []string{"Recorded support ended for application Foo, version 1.0.0 from uat environment"},
		"record-support-ended", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "uat")
	if r := supported(); len(r) != 0 {
		t.Fatalf("currently supported after record-support-ended: %v", r)
	}

	cli.ok(t, s, []string{"NAME", "TAGS", "1.0.0"}, "describe-version", "--pacticipant", "Foo", "--version", "1.0.0")

	out = cli.ok(t, s, []string{"✅ Created throwaway environment"}, "create-environment", "--name", "throwaway")
	m = e2eUUID.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("create-environment printed no UUID:\n%s", out)
	}
	cli.ok(t, s, []string{"✅ Environment throwaway with UUID " + m[1] + " deleted successfully"}, "delete-environment", "--uuid", m[1])
	if status, _ := s.getJSON(t, "/environments/"+m[1]); status != http.StatusNotFound {
		t.Fatalf("GET a deleted environment: %d, want 404", status)
	}
	if out := cli.ok(t, s, []string{"uat"}, "list-environments"); strings.Contains(out, "throwaway") {
		t.Fatalf("list-environments still shows the deleted environment:\n%s", out)
	}

	t.Run("unknown environment", func(t *testing.T) {
		r := cli.run(t, s, "record-deployment", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "nope")
		if r.code != 1 || !strings.Contains(r.combined(), "Environment nope does not exist") {
			t.Fatalf("record-deployment to an unknown environment: exit %d, want 1 and \"Environment nope does not exist\":\n%s",
				r.code, r.combined())
		}
		deployed("1.0.0/-", "2.0.0/green")
	})
}
