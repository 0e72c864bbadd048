package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/eventfeed"
)

// DefaultHeartbeat is how often GET /events writes a comment line when no
// event passes, so proxies keep the connection and clients notice a dead one.
const DefaultHeartbeat = 15 * time.Second

// EventsFeed serves GET /events, the server-sent-events feed of the log.
// Create it with NewEventsFeed; Stop ends every open feed (call it when the
// HTTP server shuts down: http.Server.Shutdown does not wait for, or end,
// streaming responses by itself).
type EventsFeed struct {
	Log          *events.Log
	Environments eventfeed.EnvironmentNamer
	// Heartbeat is the comment interval; 0 means DefaultHeartbeat.
	Heartbeat time.Duration

	stopOnce sync.Once
	stopped  chan struct{}
}

// NewEventsFeed returns a feed over log, naming environments with names.
func NewEventsFeed(log *events.Log, names eventfeed.EnvironmentNamer, heartbeat time.Duration) *EventsFeed {
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	return &EventsFeed{Log: log, Environments: names, Heartbeat: heartbeat, stopped: make(chan struct{})}
}

// Stop ends every open feed; new requests get 503. Safe to call twice.
func (f *EventsFeed) Stop() { f.stopOnce.Do(func() { close(f.stopped) }) }

// eventRoutes registers GET /events when a feed is configured.
func (a *API) eventRoutes(e *echo.Echo) {
	if a.cfg.Events != nil {
		e.GET("/events", a.streamEvents)
	}
}

// feedRequest is a parsed GET /events request.
type feedRequest struct {
	after  uint64
	filter eventfeed.Filter
}

// parseFeedRequest reads the resume point (the Last-Event-ID header, else
// the after query parameter: the position of the last event seen) and the
// filters type (repeatable or comma-separated), pacticipant and
// environment (a name).
func parseFeedRequest(c echo.Context) (feedRequest, error) {
	var r feedRequest
	after := c.Request().Header.Get("Last-Event-ID")
	if after == "" {
		after = c.QueryParam("after")
	}
	if after != "" {
		n, err := strconv.ParseUint(strings.TrimSpace(after), 10, 64)
		if err != nil {
			return r, domain.Invalid("after", "must be a log position (a non-negative integer), as sent in the id field")
		}
		r.after = n
	}
	for _, t := range c.QueryParams()["type"] {
		for _, one := range strings.Split(t, ",") {
			if one = strings.TrimSpace(one); one != "" {
				r.filter.Types = append(r.filter.Types, one)
			}
		}
	}
	r.filter.Pacticipant = c.QueryParam("pacticipant")
	r.filter.Environment = c.QueryParam("environment")
	return r, nil
}

// streamEvents is GET /events: every event after the resume point that
// passes the filters, in log order, as "id: <position>", "event: <type>"
// and "data: <eventfeed.Message JSON>", then the live tail; a ": heartbeat"
// comment every Heartbeat. A client that reconnects with Last-Event-ID gets
// exactly the events after the last one it received.
func (a *API) streamEvents(c echo.Context) error {
	feed := a.cfg.Events
	req, err := parseFeedRequest(c)
	if err != nil {
		return err
	}
	select {
	case <-feed.stopped:
		return fmt.Errorf("%w: shutting down", errUnavailable)
	default:
	}
	ctx, cancel := context.WithCancel(c.Request().Context())
	defer cancel()
	go func() {
		select {
		case <-feed.stopped:
			cancel()
		case <-ctx.Done():
		}
	}()

	w := c.Response()
	// The server's WriteTimeout would cut a long-lived stream.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, ": pactledger events\nretry: 2000\n\n"); err != nil {
		return nil
	}
	w.Flush()

	envs := make(chan events.Envelope, 64)
	subErr := make(chan error, 1)
	go func() {
		subErr <- feed.Log.SubscribeAll(ctx, req.after, func(e events.Envelope) error {
			select {
			case envs <- e:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	tick := time.NewTicker(feed.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-subErr:
			if err != nil && !errors.Is(err, context.Canceled) {
				a.log.WarnContext(ctx, "event feed subscription ended", "error", err)
			}
			return nil
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return nil
			}
			w.Flush()
		case e := <-envs:
			if err := a.writeFeedEvent(w, e, req.filter, feed.Environments); err != nil {
				return nil // the client went away
			}
		}
	}
}

// writeFeedEvent writes one event if it passes the filter.
func (a *API) writeFeedEvent(w *echo.Response, e events.Envelope, filter eventfeed.Filter, names eventfeed.EnvironmentNamer) error {
	facts := eventfeed.Describe(e, names)
	if !filter.Matches(e.Type, facts) {
		return nil
	}
	msg, err := eventfeed.NewMessage(e, facts)
	if err != nil {
		a.log.Error("event feed: encode", "position", e.Position, "error", err)
		return nil
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return nil
	}
	if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Position, e.Type, data); err != nil {
		return err
	}
	w.Flush()
	return nil
}
