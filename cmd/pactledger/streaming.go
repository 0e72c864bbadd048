package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/natsforward"
)

// streamingConfig holds the flags of event forwarding, the event feed and
// webhook delivery.
type streamingConfig struct {
	ForwardEvents   bool
	ForwardNATSURL  string
	EventsHeartbeat time.Duration
	WebhookDelivery bool
	WebhookWorkers  int
	WebhookHorizon  time.Duration
	RetrySchedule   []time.Duration
}

// addStreamingSettings registers the settings of forwarding, the event feed
// and webhook delivery; the returned function, called after parsing,
// checks them.
func addStreamingSettings(s *settings) func() (streamingConfig, error) {
	var c streamingConfig
	s.Bool(&c.ForwardEvents, "forward-events", true,
		"publish every event to the JetStream stream "+natsforward.DefaultStreamName+" for subscribers; with the jetstream store "+
			"(or --forward-nats-url)", "PACTLEDGER_FORWARD_EVENTS")
	s.String(&c.ForwardNATSURL, "forward-nats-url", "",
		"NATS JetStream server to forward events to; default: the jetstream store's own server", "PACTLEDGER_FORWARD_NATS_URL")
	s.Duration(&c.EventsHeartbeat, "events-heartbeat", 15*time.Second,
		"interval of heartbeat comments on GET /events", "PACTLEDGER_EVENTS_HEARTBEAT")
	s.Bool(&c.WebhookDelivery, "webhook-delivery", true, "deliver webhooks triggered by events", "PACTLEDGER_WEBHOOK_DELIVERY")
	s.Int(&c.WebhookWorkers, "webhook-workers", 4, "concurrent webhook deliveries", "PACTLEDGER_WEBHOOK_WORKERS")
	s.Duration(&c.WebhookHorizon, "webhook-trigger-horizon", time.Hour,
		"a webhook trigger derived for an event older than this (a rebuild of an old log) is logged, not delivered",
		"PACTLEDGER_WEBHOOK_TRIGGER_HORIZON")
	var schedule string
	s.String(&schedule, "webhook-retry-schedule", "10 60 120 300 600 1200",
		"waits after each failed webhook attempt: seconds or durations, space- or comma-separated",
		"PACTLEDGER_WEBHOOK_RETRY_SCHEDULE", "PACT_BROKER_WEBHOOK_RETRY_SCHEDULE")
	return func() (streamingConfig, error) {
		var err error
		c.RetrySchedule, err = parseSchedule(schedule)
		if err == nil && c.WebhookWorkers < 1 {
			err = fmt.Errorf("--webhook-workers must be at least 1")
		}
		return c, err
	}
}

// parseSchedule reads "10 60 1m30s": bare numbers are seconds.
func parseSchedule(s string) ([]time.Duration, error) {
	out := []time.Duration{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if n, err := strconv.ParseFloat(f, 64); err == nil && n >= 0 {
			out = append(out, time.Duration(n*float64(time.Second)))
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("--webhook-retry-schedule: %q is neither seconds nor a duration", f)
		}
		out = append(out, d)
	}
	return out, nil
}

// startStreaming starts the event forwarder and the webhook worker as
// configured. The returned stop waits for both; call it after HTTP has
// shut down and before the store closes.
func startStreaming(ctx context.Context, cfg serveConfig, store events.Store, a *app.App, logger *slog.Logger) (func(), error) {
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if cfg.Streaming.ForwardEvents {
		nc, err := forwardConn(cfg, store)
		if err != nil {
			return nil, err
		}
		if nc != nil {
			stops = append(stops, nc.Close)
			replicas := 1 // the embedded server has one node
			if cfg.NATSURL != "" && cfg.Streaming.ForwardNATSURL == "" {
				replicas = cfg.NATSReplicas
			}
			fw, err := natsforward.New(ctx, natsforward.Config{Conn: nc, Log: a.Log, Environments: a.EnvironmentNames.Name,
				Replicas: replicas, Logger: logger})
			if err != nil {
				stopAll()
				return nil, err
			}
			fctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); _ = fw.Run(fctx) }()
			stops = append(stops, func() { cancel(); wg.Wait() })
			logger.Info("forwarding events to NATS", "stream", natsforward.DefaultStreamName)
		} else {
			logger.Info("event forwarding off: the store has no NATS server and --forward-nats-url is empty")
		}
	}
	if cfg.Streaming.WebhookDelivery {
		stops = append(stops, a.StartWebhookDelivery())
	}
	return stopAll, nil
}

// forwardConn connects to the forwarding target: --forward-nats-url, else
// the jetstream store's embedded server or external URL; nil when there is
// none.
func forwardConn(cfg serveConfig, store events.Store) (*nats.Conn, error) {
	opts := []nats.Option{nats.Name("pactledger-forwarder"), nats.MaxReconnects(-1)}
	var nc *nats.Conn
	var err error
	switch js, _ := store.(*jetstream.Store); {
	case cfg.Streaming.ForwardNATSURL != "":
		nc, err = nats.Connect(cfg.Streaming.ForwardNATSURL, opts...)
	case js != nil && js.Server() != nil:
		nc, err = nats.Connect("", append(opts, nats.InProcessServer(js.Server()))...)
	case js != nil:
		nc, err = nats.Connect(cfg.NATSURL, opts...)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("forwarder: connect to NATS: %w", err)
	}
	return nc, nil
}

// streamingOptions turns the flags into the application's options. The
// URLs given to webhooks use --base-url, else the listen address.
func (c serveConfig) streamingOptions() app.StreamingOptions {
	base := c.BaseURL
	if base == "" {
		base = "http://" + c.Listen
	}
	return app.StreamingOptions{EventsHeartbeat: c.Streaming.EventsHeartbeat, WebhookBaseURL: base,
		WebhookRetrySchedule: c.Streaming.RetrySchedule, WebhookWorkers: c.Streaming.WebhookWorkers,
		WebhookTriggerHorizon: c.Streaming.WebhookHorizon}
}
