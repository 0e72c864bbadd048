package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/httpapi"
)

// serveConfig is every serve setting. Each has a flag and a PACTLEDGER_*
// variable; the Pact Broker's PACT_BROKER_* name is honoured where one
// exists (settings.go; the README's configuration table lists them).
type serveConfig struct {
	Listen          string
	Port            string
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

	// Security (auth and TLS) and HTTP limits.
	Auth                      httpapi.AuthConfig
	TLSCert, TLSKey           string
	ReadHeaderTimeout         time.Duration
	ReadTimeout, WriteTimeout time.Duration
	IdleTimeout               time.Duration
	MaxBodyBytes              int
	MaxHeaderBytes            int
	// StrongReads: every read waits for the store's head (see
	// --strong-reads).
	StrongReads bool
	Metrics     bool
	PrintConfig bool

	settings *settings
	// BDCTRecentBranchDays: feature branches updated within this many days
	// get pre-generated comparisons.
	BDCTRecentBranchDays int
	// Streaming holds event forwarding, GET /events and webhook delivery.
	Streaming streamingConfig
	// Snapshots are the read-model snapshot flags (config_snapshot.go).
	Snapshots snapshotConfig
}

// authEnabled reports whether requests must authenticate.
func (c serveConfig) authEnabled() bool { return c.Auth.Enabled() }

func parseServeConfig(args []string, lookup func(string) (string, bool)) (serveConfig, error) {
	return parseConfig("serve", args, lookup, nil)
}

// parseConfig parses the serve settings for the command name; extra, when
// set, registers that command's own flags too (replay, export, import).
func parseConfig(name string, args []string, lookup func(string) (string, bool), extra func(fs *flag.FlagSet)) (serveConfig, error) {
	var c serveConfig
	s := newSettings(name)
	c.settings = s
	if extra != nil {
		extra(s.fs)
	}
	s.String(&c.Listen, "listen", "127.0.0.1:9292", "address to listen on; without authentication it must be a loopback address", "PACTLEDGER_LISTEN")
	s.String(&c.Port, "port", "", "port to listen on, replacing the port of --listen", "PACTLEDGER_PORT", "PACT_BROKER_PORT")
	s.String(&c.BaseURL, "base-url", "", "prefix of every href; default: the request's scheme and host", "PACTLEDGER_BASE_URL", "PACT_BROKER_BASE_URL")
	s.String(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error", "PACTLEDGER_LOG_LEVEL", "PACT_BROKER_LOG_LEVEL")
	s.String(&c.LogFormat, "log-format", "text", "log format: text or json (the Pact Broker's default and logstash are text and json)", "PACTLEDGER_LOG_FORMAT", "PACT_BROKER_LOG_FORMAT")

	s.String(&c.Store, "store", "jetstream", "event store: jetstream, memory or kurrentdb", "PACTLEDGER_STORE")
	s.String(&c.DataDir, "data-dir", "./pactledger-data", "data directory of the embedded store", "PACTLEDGER_DATA_DIR")
	s.String(&c.NATSURL, "nats-url", "", "external NATS JetStream URL(s), comma-separated; empty runs the embedded server", "PACTLEDGER_NATS_URL")
	s.Int(&c.NATSReplicas, "nats-replicas", 1, "replicas of the event stream on an external cluster", "PACTLEDGER_NATS_REPLICAS")
	s.String(&c.NATSListen, "nats-listen", "", "let outside NATS clients connect to the embedded server at host:port", "PACTLEDGER_NATS_LISTEN")
	s.Secret(&c.KurrentDBURL, "kurrentdb-url", "KurrentDB connection string, e.g. kurrentdb://localhost:2113?tls=false", "PACTLEDGER_KURRENTDB_URL")
	s.Bool(&c.SyncAlways, "sync-always", true, "fsync every write of the embedded store before acknowledging it", "PACTLEDGER_SYNC_ALWAYS")
	s.Bool(&c.SeedEnvs, "seed-environments", true, "create test and production on the first start of an empty store", "PACTLEDGER_SEED_ENVIRONMENTS")
	strongReads := "auto"
	s.String(&strongReads, "strong-reads", "auto", "reads wait for the store's head, so replicas agree: on, off, or auto (on with --nats-url or --store kurrentdb)", "PACTLEDGER_STRONG_READS")

	s.Bool(&c.AllowContractModification, "allow-dangerous-contract-modification", false,
		"let a pact with changed content replace a consumer version's pact instead of answering 409",
		"PACTLEDGER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION", "PACT_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION")
	var methods, schemes, hosts string
	s.String(&methods, "webhook-method-allow-list", "POST", "HTTP methods a webhook may use, space- or comma-separated",
		"PACTLEDGER_WEBHOOK_METHOD_ALLOW_LIST", "PACT_BROKER_WEBHOOK_HTTP_METHOD_WHITELIST")
	s.String(&schemes, "webhook-scheme-allow-list", "https", "URL schemes a webhook may use, space- or comma-separated",
		"PACTLEDGER_WEBHOOK_SCHEME_ALLOW_LIST", "PACT_BROKER_WEBHOOK_SCHEME_WHITELIST")
	s.String(&hosts, "webhook-host-allow-list", "", "hosts a webhook may call: names, *.domain, IPs, CIDR ranges or /regexp/, "+
		"space- or comma-separated; empty: webhooks to any host may be defined, but none is sent",
		"PACTLEDGER_WEBHOOK_HOST_ALLOW_LIST", "PACT_BROKER_WEBHOOK_HOST_WHITELIST")

	var rwUser, rwPass, roUser, roPass string
	basicEnabled := true
	s.Bool(&basicEnabled, "basic-auth-enabled", true, "use the basic-auth users below (false ignores them)", "PACTLEDGER_BASIC_AUTH_ENABLED", "PACT_BROKER_BASIC_AUTH_ENABLED")
	s.String(&rwUser, "basic-auth-username", "", "basic-auth user with every right (role admin)", "PACTLEDGER_BASIC_AUTH_USERNAME", "PACT_BROKER_BASIC_AUTH_USERNAME")
	s.Secret(&rwPass, "basic-auth-password", "password of --basic-auth-username", "PACTLEDGER_BASIC_AUTH_PASSWORD", "PACT_BROKER_BASIC_AUTH_PASSWORD")
	s.String(&roUser, "basic-auth-read-only-username", "", "basic-auth user who may only read (role read)",
		"PACTLEDGER_BASIC_AUTH_READ_ONLY_USERNAME", "PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME")
	s.Secret(&roPass, "basic-auth-read-only-password", "password of --basic-auth-read-only-username",
		"PACTLEDGER_BASIC_AUTH_READ_ONLY_PASSWORD", "PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD")
	s.Secret(&c.Auth.AdminToken, "admin-token", "bootstrap bearer token with role admin (issue the other tokens with it)", "PACTLEDGER_ADMIN_TOKEN")
	s.Bool(&c.Auth.AllowPublicRead, "allow-public-read", false, "serve reads to requests without credentials", "PACTLEDGER_ALLOW_PUBLIC_READ", "PACT_BROKER_ALLOW_PUBLIC_READ")
	s.Bool(&c.Auth.PublicHeartbeat, "public-heartbeat", false, "serve the heartbeat and readiness routes without credentials", "PACTLEDGER_PUBLIC_HEARTBEAT", "PACT_BROKER_PUBLIC_HEARTBEAT")
	s.Bool(&c.InsecureNoAuth, "insecure-no-auth", false, "allow listening on a non-loopback address without authentication", "PACTLEDGER_INSECURE_NO_AUTH")

	s.String(&c.TLSCert, "tls-cert", "", "PEM certificate (chain) file: serve HTTPS; needs --tls-key", "PACTLEDGER_TLS_CERT")
	s.String(&c.TLSKey, "tls-key", "", "PEM private key file of --tls-cert", "PACTLEDGER_TLS_KEY")
	s.Duration(&c.ReadHeaderTimeout, "read-header-timeout", 10*time.Second, "how long a client may take to send the request headers", "PACTLEDGER_READ_HEADER_TIMEOUT")
	s.Duration(&c.ReadTimeout, "read-timeout", 60*time.Second, "how long a client may take to send the whole request", "PACTLEDGER_READ_TIMEOUT")
	s.Duration(&c.WriteTimeout, "write-timeout", 60*time.Second, "how long writing a response may take", "PACTLEDGER_WRITE_TIMEOUT")
	s.Duration(&c.IdleTimeout, "idle-timeout", 120*time.Second, "how long an idle keep-alive connection stays open", "PACTLEDGER_IDLE_TIMEOUT")
	s.Int(&c.MaxBodyBytes, "max-body-bytes", httpapi.DefaultMaxBodyBytes, "largest request body; larger ones get 413", "PACTLEDGER_MAX_BODY_BYTES")
	s.Int(&c.MaxHeaderBytes, "max-header-bytes", 64<<10, "largest request header block; larger ones get 431", "PACTLEDGER_MAX_HEADER_BYTES")
	s.Duration(&c.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long a graceful shutdown may take", "PACTLEDGER_SHUTDOWN_TIMEOUT")
	s.Int(&c.BDCTRecentBranchDays, "bdct-recent-branch-days", 30, "pre-generate pact/OpenAPI comparisons for feature branches updated within this many days", "PACTLEDGER_BDCT_RECENT_BRANCH_DAYS")
	s.Bool(&c.Metrics, "metrics", true, "serve Prometheus metrics on "+httpapi.MetricsPath+" (role read)", "PACTLEDGER_METRICS")
	streaming := addStreamingSettings(s)
	snapshots := addSnapshotSettings(s, &c.Snapshots)
	s.fs.BoolVar(&c.PrintConfig, "print-config", false, "print the effective configuration, secrets masked, and exit")

	if err := s.parse(args, lookup); err != nil {
		return c, err
	}
	if err := snapshots(); err != nil {
		return c, err
	}
	var err error
	if c.Streaming, err = streaming(); err != nil {
		return c, err
	}
	if c.BDCTRecentBranchDays < 1 {
		return c, fmt.Errorf("--bdct-recent-branch-days must be at least 1, not %d", c.BDCTRecentBranchDays)
	}
	if c.Port != "" {
		host, _, err := net.SplitHostPort(c.Listen)
		if err != nil {
			return c, fmt.Errorf("--listen %q: %w", c.Listen, err)
		}
		c.Listen = net.JoinHostPort(host, c.Port)
	}
	switch strings.ToLower(c.LogFormat) {
	case "text", "default", "":
		c.LogFormat = "text"
	case "json", "logstash":
		c.LogFormat = "json"
	default:
		return c, fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	c.LogLevel = strings.ToLower(c.LogLevel)
	c.Webhooks = domain.WebhookPolicy{Methods: domain.ParseAllowList(methods),
		Schemes: domain.ParseAllowList(schemes), Hosts: domain.ParseAllowList(hosts)}
	if err := c.Webhooks.Check(); err != nil {
		return c, err
	}
	switch c.Store {
	case "jetstream", "memory":
	case "kurrentdb":
		if c.KurrentDBURL == "" {
			return c, errors.New("--store kurrentdb needs --kurrentdb-url")
		}
	default:
		return c, fmt.Errorf("--store must be jetstream, memory or kurrentdb, not %q", c.Store)
	}
	switch strongReads {
	case "on", "true":
		c.StrongReads = true
	case "off", "false":
	case "auto":
		c.StrongReads = c.NATSURL != "" || c.Store == "kurrentdb"
	default:
		return c, fmt.Errorf("--strong-reads must be on, off or auto, not %q", strongReads)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return c, errors.New("--tls-cert and --tls-key go together")
	}
	if c.MaxBodyBytes <= 0 || c.MaxHeaderBytes <= 0 {
		return c, errors.New("--max-body-bytes and --max-header-bytes must be positive")
	}
	if err := c.addUsers(basicEnabled, rwUser, rwPass, roUser, roPass); err != nil {
		return c, err
	}
	if !c.authEnabled() && !c.InsecureNoAuth && !isLoopback(c.Listen) {
		return c, fmt.Errorf("refusing to listen on %s without authentication. Either listen on a loopback address "+
			"(--listen 127.0.0.1:9292), or configure authentication (--basic-auth-username and --basic-auth-password, "+
			"PACT_BROKER_BASIC_AUTH_USERNAME/_PASSWORD, or --admin-token), or pass --insecure-no-auth "+
			"if something in front of pactledger authenticates", c.Listen)
	}
	return c, nil
}

// addUsers turns the basic-auth settings into users: the read-write user
// has role admin (the Pact Broker's read-write user may do everything), the
// read-only user role read. A username without a password, or the
// reverse, is an error.
func (c *serveConfig) addUsers(enabled bool, rwUser, rwPass, roUser, roPass string) error {
	if !enabled {
		return nil
	}
	for _, u := range []httpapi.BasicUser{{Username: rwUser, Password: rwPass, Role: events.RoleAdmin},
		{Username: roUser, Password: roPass, Role: events.RoleRead}} {
		switch {
		case u.Username == "" && u.Password == "":
			continue
		case u.Username == "" || u.Password == "":
			return fmt.Errorf("basic auth: the %s user needs both a username and a password", map[string]string{
				events.RoleAdmin: "read-write", events.RoleRead: "read-only"}[u.Role])
		case strings.Contains(u.Username, ":"):
			return errors.New("basic auth: a username cannot contain ':'")
		}
		c.Auth.Users = append(c.Auth.Users, u)
	}
	if len(c.Auth.Users) == 2 && c.Auth.Users[0].Username == c.Auth.Users[1].Username {
		return errors.New("basic auth: the read-write and read-only users need different usernames")
	}
	return nil
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
