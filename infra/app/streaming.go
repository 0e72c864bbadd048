package app

import (
	"time"

	"github.com/pactledger/pactledger/infra/eventfeed"
	"github.com/pactledger/pactledger/infra/httpapi"
)

// StreamingOptions tune the event feed and webhook delivery.
type StreamingOptions struct {
	// EventsHeartbeat is the interval of GET /events heartbeat comments;
	// 0 means httpapi.DefaultHeartbeat.
	EventsHeartbeat time.Duration
}

// Streaming is what the application offers subscribers.
type Streaming struct {
	// EnvironmentNames names environments as of a log position, for
	// subjects and filters.
	EnvironmentNames *eventfeed.EnvironmentNames
	// EventsFeed serves GET /events; stop it when HTTP shuts down.
	EventsFeed *httpapi.EventsFeed
}

func (a *App) startStreaming(opts Options) {
	a.EnvironmentNames = eventfeed.NewEnvironmentNames(a.Log)
	a.EventsFeed = httpapi.NewEventsFeed(a.Log, a.EnvironmentNames.Name, opts.Streaming.EventsHeartbeat)
}

// StopStreams ends every open GET /events response, so that an HTTP
// shutdown does not wait for them.
func (a *App) StopStreams() { a.EventsFeed.Stop() }
