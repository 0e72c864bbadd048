package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/infra/eventfeed"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/infra/webhookdelivery"
)

// StreamingOptions tune the event feed and webhook delivery.
type StreamingOptions struct {
	// EventsHeartbeat is the interval of GET /events heartbeat comments;
	// 0 means httpapi.DefaultHeartbeat.
	EventsHeartbeat time.Duration
	// WebhookBaseURL prefixes the pact and verification URLs given to
	// delivered webhooks; empty means Options.BaseURL.
	WebhookBaseURL string
	// WebhookRetrySchedule is the wait after each failed attempt; nil
	// means domain.DefaultWebhookRetrySchedule.
	WebhookRetrySchedule []time.Duration
	// WebhookWorkers is the number of concurrent deliveries (default 4).
	WebhookWorkers int
	// WebhookTriggerHorizon: see webhookdelivery.Worker.Horizon.
	WebhookTriggerHorizon time.Duration
}

func (o StreamingOptions) webhookBaseURL(base string) string {
	if o.WebhookBaseURL != "" {
		return o.WebhookBaseURL
	}
	return base
}

// Streaming is what the application offers subscribers and webhook
// receivers.
type Streaming struct {
	// EnvironmentNames names environments as of a log position, for
	// subjects and filters.
	EnvironmentNames *eventfeed.EnvironmentNames
	// EventsFeed serves GET /events; stop it when HTTP shuts down.
	EventsFeed *httpapi.EventsFeed
	// DeliveryCommands record triggers and attempts.
	DeliveryCommands *commands.WebhookDeliveries

	deliveryOpts StreamingOptions
	logger       *slog.Logger
}

func (a *App) startStreaming(opts Options) {
	a.EnvironmentNames = eventfeed.NewEnvironmentNames(a.Log)
	a.EventsFeed = httpapi.NewEventsFeed(a.Log, a.EnvironmentNames.Name, opts.Streaming.EventsHeartbeat)
	a.DeliveryCommands = a.Commands.WebhookDeliveries(opts.Streaming.WebhookRetrySchedule)
	a.deliveryOpts, a.logger = opts.Streaming, opts.Logger
}

// StopStreams ends every open GET /events response, so that an HTTP
// shutdown does not wait for them.
func (a *App) StopStreams() { a.EventsFeed.Stop() }

// StartWebhookDelivery runs the delivery worker until the returned stop
// function is called; stop waits for the attempts in flight. Call it once
// the read models are rebuilt (Runner.CatchUp), so the worker starts from
// what the log already records.
func (a *App) StartWebhookDelivery() (stop func()) {
	w := &webhookdelivery.Worker{Deliveries: a.WebhookDeliveries, Webhooks: a.Webhooks, Commands: a.DeliveryCommands,
		Policy: a.WebhookCommands.Policy(), Workers: a.deliveryOpts.WebhookWorkers,
		Horizon: a.deliveryOpts.WebhookTriggerHorizon, Logger: a.logger}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); w.Run(ctx) }()
	return func() { cancel(); wg.Wait() }
}
