package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pactledger/pactledger/domain"
)

// serveConfig is every serve setting. Each flag has an environment variable;
// the Pact Broker's PACT_BROKER_* name is honoured where one exists.
type serveConfig struct {
	Listen          string
	DataDir         string
	Store           string
	NATSURL         string
	NATSReplicas    int
	NATSListen      string
	KurrentDBURL    string
	SyncAlways      bool
	SeedEnvs        bool
	BaseURL         string
	LogFormat       string
	LogLevel        string
	InsecureNoAuth  bool
	ShutdownTimeout time.Duration
	// AllowContractModification lets changed pact content replace the pact
	// of a consumer version that has one (a new revision) instead of a 409.
	AllowContractModification bool
	// Webhooks holds the webhook allow-lists (methods, schemes, hosts).
	Webhooks domain.WebhookPolicy
	// Snapshots are the read-model snapshot flags (config_snapshot.go).
	Snapshots snapshotConfig
}

func envOr(def string, names ...string) string {
	for _, n := range names {
		if v, ok := os.LookupEnv(n); ok {
			return v
		}
	}
	return def
}

func envBool(def bool, name string) bool {
	if v, err := strconv.ParseBool(envOr("", name)); err == nil {
		return v
	}
	return def
}

func envInt(def int, name string) int {
	if v, err := strconv.Atoi(envOr("", name)); err == nil {
		return v
	}
	return def
}

func parseServeConfig(args []string) (serveConfig, error) {
	var c serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&c.Listen, "listen", envOr("127.0.0.1:9292", "PACTLEDGER_LISTEN"), "address to listen on (env PACTLEDGER_LISTEN)")
	fs.StringVar(&c.DataDir, "data-dir", envOr("./pactledger-data", "PACTLEDGER_DATA_DIR"), "data directory of the embedded store (env PACTLEDGER_DATA_DIR)")
	fs.StringVar(&c.Store, "store", envOr("jetstream", "PACTLEDGER_STORE"), "event store: jetstream, memory or kurrentdb (env PACTLEDGER_STORE)")
	fs.StringVar(&c.NATSURL, "nats-url", envOr("", "PACTLEDGER_NATS_URL"), "external NATS JetStream URL(s), comma-separated; empty runs the embedded server (env PACTLEDGER_NATS_URL)")
	fs.IntVar(&c.NATSReplicas, "nats-replicas", envInt(1, "PACTLEDGER_NATS_REPLICAS"), "replicas of the event stream on an external cluster (env PACTLEDGER_NATS_REPLICAS)")
	fs.StringVar(&c.NATSListen, "nats-listen", envOr("", "PACTLEDGER_NATS_LISTEN"), "let outside NATS clients connect to the embedded server at host:port (env PACTLEDGER_NATS_LISTEN)")
	fs.StringVar(&c.KurrentDBURL, "kurrentdb-url", envOr("", "PACTLEDGER_KURRENTDB_URL"), "KurrentDB connection string, e.g. kurrentdb://localhost:2113?tls=false (env PACTLEDGER_KURRENTDB_URL)")
	fs.BoolVar(&c.SyncAlways, "sync-always", envBool(true, "PACTLEDGER_SYNC_ALWAYS"), "fsync every write of the embedded store before acknowledging it (env PACTLEDGER_SYNC_ALWAYS)")
	fs.BoolVar(&c.SeedEnvs, "seed-environments", envBool(true, "PACTLEDGER_SEED_ENVIRONMENTS"), "create test and production on the first start of an empty store (env PACTLEDGER_SEED_ENVIRONMENTS)")
	fs.StringVar(&c.BaseURL, "base-url", envOr("", "PACTLEDGER_BASE_URL", "PACT_BROKER_BASE_URL"), "prefix of every href; default: the request's scheme and host (env PACTLEDGER_BASE_URL, PACT_BROKER_BASE_URL)")
	fs.StringVar(&c.LogFormat, "log-format", envOr("text", "PACTLEDGER_LOG_FORMAT"), "log format: text or json (env PACTLEDGER_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", envOr("info", "PACTLEDGER_LOG_LEVEL", "PACT_BROKER_LOG_LEVEL"), "log level: debug, info, warn or error (env PACTLEDGER_LOG_LEVEL)")
	fs.BoolVar(&c.InsecureNoAuth, "insecure-no-auth", envBool(false, "PACTLEDGER_INSECURE_NO_AUTH"), "allow listening on a non-loopback address without authentication (env PACTLEDGER_INSECURE_NO_AUTH)")
	fs.BoolVar(&c.AllowContractModification, "allow-dangerous-contract-modification",
		envBool(false, "PACT_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION"),
		"let a pact with changed content replace a consumer version's pact instead of answering 409 (env PACT_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION)")
	methods := fs.String("webhook-method-allow-list", envOr("POST", "PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST"),
		"HTTP methods a webhook may use, space- or comma-separated (env PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST)")
	schemes := fs.String("webhook-scheme-allow-list", envOr("https", "PACT_BROKER_WEBHOOK_SCHEME_WHITELIST"),
		"URL schemes a webhook may use, space- or comma-separated (env PACT_BROKER_WEBHOOK_SCHEME_WHITELIST)")
	hosts := fs.String("webhook-host-allow-list", envOr("", "PACT_BROKER_WEBHOOK_HOST_WHITELIST"),
		"hosts a webhook may call: names, *.domain, IPs, CIDR ranges or /regexp/, space- or comma-separated; "+
			"empty allows any host and hides test-execution responses (env PACT_BROKER_WEBHOOK_HOST_WHITELIST)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long a graceful shutdown may take")
	snapshotFlags(fs, &c.Snapshots)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	c.Webhooks = domain.WebhookPolicy{Methods: domain.ParseAllowList(*methods),
		Schemes: domain.ParseAllowList(*schemes), Hosts: domain.ParseAllowList(*hosts)}
	if err := c.Webhooks.Check(); err != nil {
		return c, err
	}
	switch c.Store {
	case "jetstream", "memory":
	case "kurrentdb":
		if c.KurrentDBURL == "" {
			return c, fmt.Errorf("--store kurrentdb needs --kurrentdb-url")
		}
	default:
		return c, fmt.Errorf("--store must be jetstream, memory or kurrentdb, not %q", c.Store)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	if !c.InsecureNoAuth && !isLoopback(c.Listen) {
		return c, fmt.Errorf("refusing to listen on %s without authentication; listen on 127.0.0.1, "+
			"or pass --insecure-no-auth if something in front of pactledger authenticates", c.Listen)
	}
	return c, nil
}

// isLoopback reports whether a listen address only accepts local clients.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
