package cli

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var uuidRE = regexp.MustCompile(`with UUID ([0-9a-f-]{36})`)

func TestEnvironmentCommands(t *testing.T) {
	base := newBroker(t)
	out := mustRun(t, base, "✅ Created uat environment in the Pact Broker with UUID ",
		"create-environment", "--name", "uat", "--display-name", "UAT", "--contact-name", "Team A", "--contact-email-address", "a@example.com")
	m := uuidRE.FindStringSubmatch(out)
	if m == nil || m[1] != envUUID(t, base, "uat") {
		t.Fatalf("create printed %q, want the uuid of uat", out)
	}
	id := m[1]
	mustFail(t, base, ExitError, "❌ name: name 'uat' is already used by an existing environment.", "create-environment", "--name", "uat")

	table := mustRun(t, base, id, "list-environments")
	for _, want := range []string{"│ UUID ", "┆ DISPLAY NAME ┆", "┆ uat ", "┆ UAT ", "┆ production ", "┆ true "} {
		if !strings.Contains(table, want) {
			t.Errorf("list-environments lacks %q:\n%s", want, table)
		}
	}
	for _, want := range []string{"UUID " + id, "Name: uat", "Display Name: UAT", "Production: false", "  - Name: Team A", "  - Email: a@example.com"} {
		mustRun(t, base, want, "describe-environment", "--uuid", id)
	}

	mustRun(t, base, "✅ Updated uat environment in the Pact Broker with UUID "+id,
		"update-environment", "--uuid", id, "--name", "uat", "--display-name", "User Acceptance", "--production")
	_, env := getJSON(t, base+"/environments/"+id)
	if str(env, "displayName") != "User Acceptance" || at(env, "production") != true || len(list(env, "contacts")) != 1 {
		t.Fatalf("after update: %v", env)
	}
	// Flags left out keep their values: production and contacts stay.
	mustRun(t, base, "✅ Updated", "update-environment", "--uuid", id, "--name", "uat")
	_, env = getJSON(t, base+"/environments/"+id)
	if str(env, "displayName") != "User Acceptance" || at(env, "production") != true || len(list(env, "contacts")) != 1 {
		t.Fatalf("update without flags changed the environment: %v", env)
	}
	mustRun(t, base, "✅ Updated", "update-environment", "--uuid", id, "--name", "uat", "--production=false")
	if _, env = getJSON(t, base+"/environments/"+id); at(env, "production") != false {
		t.Fatalf("--production=false did not apply: %v", env)
	}
	mustFail(t, base, ExitUsage, "--name", "update-environment", "--uuid", id)
	mustFail(t, base, ExitError, "❌ Environment with UUID nope not found", "update-environment", "--uuid", "nope", "--name", "x")

	js := mustRun(t, base, `"name":"uat"`, "describe-environment", "--uuid", id, "-o", "json")
	if !strings.HasPrefix(js, `{"_links":`) {
		t.Errorf("JSON output is not the sorted response: %s", js)
	}
	idOnly := mustRun(t, base, "", "create-environment", "--name", "scratch", "-o", "id")
	scratch := strings.TrimSpace(idOnly)
	if scratch != envUUID(t, base, "scratch") {
		t.Fatalf("-o id printed %q", idOnly)
	}
	mustRun(t, base, "✅ Environment scratch with UUID "+scratch+" deleted successfully", "delete-environment", "--uuid", scratch)
	if status, _ := getJSON(t, base+"/environments/"+scratch); status != http.StatusNotFound {
		t.Fatalf("deleted environment: status %d", status)
	}
	mustFail(t, base, ExitError, "❌ Environment with UUID "+scratch+" not found", "delete-environment", "--uuid", scratch)
	mustFail(t, base, ExitError, "❌ Environment with UUID "+scratch+" not found", "describe-environment", "--uuid", scratch)
}

func TestDeploymentCommands(t *testing.T) {
	base := newBroker(t)
	mustRun(t, base, "✅ Created", "create-environment", "--name", "uat")
	env := envUUID(t, base, "uat")
	mustRun(t, base, "Version '1.0.0' created or updated successfully", "create-or-update-version", "-a", "Foo", "-e", "1.0.0")
	mustRun(t, base, "Tag 'prod' created for version '2.0.0'", "create-or-update-version", "-a", "Foo", "-e", "2.0.0", "--branch", "main", "--tag", "prod")

	deploy := func(version, instance string) {
		t.Helper()
		args := []string{"record-deployment", "--pacticipant", "Foo", "--version", version, "--environment", "uat"}
		if instance != "" {
			args = append(args, "--application-instance", instance)
		}
		mustRun(t, base, "✅ Recorded deployment of Foo version "+version+" to uat environment"+instanceSuffix(instance)+" in the Pact Broker.", args...)
	}
	expectDeployed := func(want ...string) {
		t.Helper()
		got := deployedKeys(t, base, env)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("currently deployed: got %v, want %v", got, want)
		}
	}
	deploy("1.0.0", "")
	deploy("2.0.0", "")
	expectDeployed("2.0.0/-")
	deploy("1.0.0", "") // rollback: a new record
	expectDeployed("1.0.0/-")
	_, history := getJSON(t, base+"/pacticipants/Foo/versions/1.0.0/deployed-versions/environment/"+env)
	if n := len(list(history, "_embedded", "deployedVersions")); n != 2 {
		t.Fatalf("1.0.0 has %d deployment records, want 2", n)
	}
	deploy("1.0.0", "blue")
	deploy("2.0.0", "green")
	expectDeployed("1.0.0/-", "1.0.0/blue", "2.0.0/green")

	table := mustRun(t, base, "APPLICATION INSTANCE", "describe-version", "-a", "Foo", "--environment", "uat", "--deployed")
	for _, want := range []string{"┆ Deployed ┆ uat ", "┆ blue ", "┆ green "} {
		if !strings.Contains(table, want) {
			t.Errorf("describe-version --environment lacks %q:\n%s", want, table)
		}
	}
	mustRun(t, base, "✅ ♻️ Undeployed Foo from uat environment (application instance blue)",
		"record-undeployment", "--pacticipant", "Foo", "--environment", "uat", "--application-instance", "blue")
	expectDeployed("1.0.0/-", "2.0.0/green")
	mustFail(t, base, ExitError, "specify one of the following application instances to record the undeployment from: green",
		"record-undeployment", "-a", "Foo", "--environment", "uat", "--application-instance", "blue")
	mustFail(t, base, ExitError, "❌ Bar is not currently deployed to uat environment. Cannot record undeployment.",
		"record-undeployment", "-a", "Bar", "--environment", "uat")
	mustFail(t, base, ExitError, "❌ Environment nope not found", "record-undeployment", "-a", "Foo", "--environment", "nope")
	mustFail(t, base, ExitError, "❌ Environment nope does not exist", "record-deployment", "-a", "Foo", "-e", "1.0.0", "--environment", "nope")
	mustFail(t, base, ExitError, "❌ Version 9 of pacticipant Foo does not exist", "record-deployment", "-a", "Foo", "-e", "9", "--environment", "uat")

	mustRun(t, base, "✅ Recorded release of Foo version 1.0.0 to uat environment in the Pact Broker.",
		"record-release", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "uat")
	_, supported := getJSON(t, base+"/environments/"+env+"/released-versions/currently-supported")
	if n := len(list(supported, "_embedded", "releasedVersions")); n != 1 {
		t.Fatalf("currently supported: %d, want 1", n)
	}
	mustRun(t, base, "┆ Released ", "describe-version", "-a", "Foo", "--environment", "uat", "--released")
	mustRun(t, base, "✅ ♻️ Recorded support ended for application Foo, version 1.0.0 from uat environment",
		"record-support-ended", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "uat")
	_, supported = getJSON(t, base+"/environments/"+env+"/released-versions/currently-supported")
	if n := len(list(supported, "_embedded", "releasedVersions")); n != 0 {
		t.Fatalf("currently supported after support ended: %d, want 0", n)
	}
	mustFail(t, base, ExitError, "❌ No currently released versions found for Foo in uat environment",
		"record-support-ended", "-a", "Foo", "-e", "1.0.0", "--environment", "uat")

	mustRun(t, base, "│ 1.0.0 ┆      │", "describe-version", "-a", "Foo", "-e", "1.0.0")
	mustRun(t, base, "│ 2.0.0 ┆ prod │", "describe-version", "-a", "Foo")
	mustRun(t, base, "│ 2.0.0 ┆ prod │", "describe-version", "-a", "Foo", "--latest")
	mustRun(t, base, "│ 2.0.0 ┆ prod │", "describe-version", "-a", "Foo", "--latest", "prod")
	mustRun(t, base, `"number":"1.0.0"`, "describe-version", "-a", "Foo", "-e", "1.0.0", "-o", "json")
	mustFail(t, base, ExitError, "❌ Pacticipant version not found", "describe-version", "-a", "Foo", "-e", "9")
	mustFail(t, base, ExitError, "❌ Pacticipant version not found", "describe-version", "-a", "Foo", "--latest", "nope")
}

// TestNamesAreEncoded uses names that only survive when every path segment
// is percent-encoded: a space, a slash and a plus.
func TestNamesAreEncoded(t *testing.T) {
	base := newBroker(t)
	const p, v = "Foo App/x", "1.0.0+build/1"
	mustRun(t, base, "created or updated", "create-or-update-version", "-a", p, "-e", v)
	mustRun(t, base, "✅ Recorded deployment of "+p+" version "+v+" to test environment in the Pact Broker.",
		"record-deployment", "-a", p, "-e", v, "--environment", "test")
	mustRun(t, base, "│ "+v+" ┆", "describe-version", "-a", p, "-e", v)
	mustRun(t, base, "┆ Deployed ┆ test ", "describe-version", "-a", p, "--environment", "test")
	mustRun(t, base, "✅ ♻️ Undeployed "+p+" from test environment", "record-undeployment", "-a", p, "--environment", "test")
	if keys := deployedKeys(t, base, envUUID(t, base, "test")); len(keys) != 0 {
		t.Fatalf("still deployed: %v", keys)
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string // in stdout+stderr
	}{
		{"no command", nil, ExitUsage, "Usage: pactledger <command>"},
		{"unknown command", []string{"nope"}, ExitUsage, `unknown command "nope"`},
		{"help", []string{"help"}, ExitOK, "record-deployment"},
		{"help command", []string{"help", "record-deployment"}, ExitOK, "--application-instance"},
		{"help unknown", []string{"help", "nope"}, ExitUsage, `unknown command "nope"`},
		{"--help", []string{"list-environments", "--help"}, ExitOK, "--broker-base-url"},
		{"missing flags", []string{"record-deployment", "-a", "Foo"}, ExitUsage, "not provided: --version, --environment"},
		{"blank required", []string{"create-environment", "--name", " "}, ExitUsage, "--name"},
		{"unknown flag", []string{"list-environments", "--nope"}, ExitUsage, "flag provided but not defined"},
		{"extra argument", []string{"list-environments", "extra"}, ExitUsage, `unexpected argument "extra"`},
		{"bad output", []string{"list-environments", "-o", "yaml"}, ExitUsage, "--output must be one of text, json"},
		{"bad base URL", []string{"list-environments", "-b", "localhost:9292"}, ExitUsage, "--broker-base-url must be an http(s) URL"},
		{"unreachable", []string{"list-environments", "-b", "http://127.0.0.1:1"}, ExitError, "❌ could not reach the Pact Broker"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLIEnv(t, nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Fatalf("want exit %d and %q, got %v", tc.code, tc.want, r)
			}
		})
	}
}
