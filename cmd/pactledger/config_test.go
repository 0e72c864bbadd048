package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

func envMap(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestConfigPactBrokerNamesAndPrecedence(t *testing.T) {
	c, err := parseServeConfig([]string{"--log-level", "warn"}, envMap(
		"PACT_BROKER_PORT", "9393", "PACT_BROKER_BASE_URL", "https://broker.example",
		"PACT_BROKER_LOG_LEVEL", "debug", "PACT_BROKER_LOG_FORMAT", "logstash",
		"PACT_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION", "true",
		"PACT_BROKER_WEBHOOK_HOST_WHITELIST", "*.example.com", "PACT_BROKER_WEBHOOK_SCHEME_WHITELIST", "https http",
		"PACTLEDGER_BASE_URL", "https://wins.example", "PACTLEDGER_WRITE_TIMEOUT", "90s",
	))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"listen", c.Listen, "127.0.0.1:9393"},
		{"base-url (PACTLEDGER_ wins over PACT_BROKER_)", c.BaseURL, "https://wins.example"},
		{"log-level (flag wins)", c.LogLevel, "warn"},
		{"log-format", c.LogFormat, "json"},
		{"allow-dangerous-contract-modification", c.AllowContractModification, true},
		{"webhook hosts", strings.Join(c.Webhooks.Hosts, ","), "*.example.com"},
		{"webhook schemes", strings.Join(c.Webhooks.Schemes, ","), "https,http"},
		{"write-timeout", c.WriteTimeout, 90 * time.Second},
		{"strong reads (auto, embedded)", c.StrongReads, false},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestConfigBasicAuthAndSafeDefaults(t *testing.T) {
	c, err := parseServeConfig([]string{"--listen", "0.0.0.0:9292"}, envMap(
		"PACT_BROKER_BASIC_AUTH_USERNAME", "ci", "PACT_BROKER_BASIC_AUTH_PASSWORD", "pw1",
		"PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME", "dev", "PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD", "pw2",
		"PACT_BROKER_ALLOW_PUBLIC_READ", "true", "PACT_BROKER_PUBLIC_HEARTBEAT", "true"))
	if err != nil {
		t.Fatalf("non-loopback with basic auth: %v", err)
	}
	if len(c.Auth.Users) != 2 || c.Auth.Users[0].Role != events.RoleAdmin || c.Auth.Users[1].Role != events.RoleRead ||
		!c.Auth.AllowPublicRead || !c.Auth.PublicHeartbeat {
		t.Errorf("auth = %+v", c.Auth)
	}
	_, err = parseServeConfig([]string{"--listen", "0.0.0.0:9292"}, envMap())
	if err == nil || !strings.Contains(err.Error(), "--insecure-no-auth") || !strings.Contains(err.Error(), "--basic-auth-username") {
		t.Errorf("non-loopback without auth: %v, want a refusal that says how to fix it", err)
	}
	if _, err := parseServeConfig([]string{"--listen", "0.0.0.0:9292", "--insecure-no-auth"}, envMap()); err != nil {
		t.Errorf("--insecure-no-auth: %v", err)
	}
	if _, err := parseServeConfig([]string{"--listen", "0.0.0.0:9292", "--admin-token", "t0k3n"}, envMap()); err != nil {
		t.Errorf("an admin token is authentication: %v", err)
	}
	for _, bad := range [][]string{{"--basic-auth-username", "ci"}, {"--tls-cert", "c.pem"}, {"--strong-reads", "maybe"}, {"--max-body-bytes", "0"}} {
		if _, err := parseServeConfig(bad, envMap()); err == nil {
			t.Errorf("%v: accepted", bad)
		}
	}
	if _, err := parseServeConfig(nil, envMap("PACTLEDGER_NATS_REPLICAS", "three")); err == nil || !strings.Contains(err.Error(), "PACTLEDGER_NATS_REPLICAS") || strings.Contains(err.Error(), "three") {
		t.Errorf("a bad variable: %v, want an error naming it, not its value", err)
	}
}

func TestPrintConfigMasksSecrets(t *testing.T) {
	c, err := parseServeConfig([]string{"--admin-token", "very-secret-token", "--print-config"},
		envMap("PACT_BROKER_BASIC_AUTH_USERNAME", "ci", "PACT_BROKER_BASIC_AUTH_PASSWORD", "very-secret-password"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c.settings.print(&out)
	text := out.String()
	for _, secret := range []string{"very-secret-token", "very-secret-password"} {
		if strings.Contains(text, secret) {
			t.Errorf("print-config shows %q:\n%s", secret, text)
		}
	}
	for _, want := range []string{`basic-auth-username`, `"ci"`, "(PACT_BROKER_BASIC_AUTH_USERNAME)", maskedSecret, "(flag)", `"127.0.0.1:9292"`} {
		if !strings.Contains(text, want) {
			t.Errorf("print-config lacks %q:\n%s", want, text)
		}
	}
}

func TestIgnoredPactBrokerVariables(t *testing.T) {
	c, err := parseServeConfig(nil, envMap())
	if err != nil {
		t.Fatal(err)
	}
	got := c.settings.ignoredVariables([]string{"PACT_BROKER_DATABASE_URL=postgres://u:p@h/db", "PACT_BROKER_PORT=9292",
		"PACT_BROKER_TOKEN=x", "HOME=/root", "PACT_BROKER_BASIC_AUTH_PASSWORD=pw"})
	if strings.Join(got, ",") != "PACT_BROKER_DATABASE_URL" {
		t.Errorf("ignored = %v, want only PACT_BROKER_DATABASE_URL", got)
	}
}
