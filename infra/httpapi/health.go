package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Paths of the operations routes.
const (
	heartbeatPath    = "/diagnostic/status/heartbeat"
	dependenciesPath = "/diagnostic/status/dependencies"
	readyPath        = "/diagnostic/status/ready"
	// MetricsPath serves Prometheus metrics. The Pact Broker's /metrics is
	// a JSON resource (pb:metrics), so Prometheus gets its own path.
	MetricsPath = "/prometheus/metrics"
)

// Progress is how far the read models are behind the store; the
// application implements it over the log and the projection runner.
type Progress interface {
	// Head is the store's last position; an error means the store is not
	// reachable.
	Head(ctx context.Context) (uint64, error)
	// Position is the last position the read models applied.
	Position() uint64
	// WaitFor blocks until the read models have applied position.
	WaitFor(ctx context.Context, position uint64) error
	// Ready is closed once the read models caught up with the log at start
	// (and the start-up seeding is done).
	Ready() <-chan struct{}
}

// operationsRoutes registers the heartbeat, dependencies, readiness,
// metrics and token admin routes.
func (a *API) operationsRoutes(e *echo.Echo) {
	e.GET(heartbeatPath, a.heartbeat)
	e.GET(dependenciesPath, a.dependencies)
	e.GET(readyPath, a.ready)
	a.tokenRoutes(e)
	if a.cfg.MetricsHandler != nil {
		e.GET(MetricsPath, echo.WrapHandler(a.cfg.MetricsHandler))
	}
}

// heartbeat answers as the Pact Broker's: the process is up. It says
// nothing about the store; dependencies and ready do.
func (a *API) heartbeat(c echo.Context) error {
	return hal(c, http.StatusOK, map[string]any{"ok": true, "_links": Links{"self": Link{Href: a.selfHref(c)}}})
}

// isReady reports whether the read models caught up at start.
func (a *API) isReady() bool {
	if a.cfg.Progress == nil {
		return true
	}
	select {
	case <-a.cfg.Progress.Ready():
		return true
	default:
		return false
	}
}

// dependencies is the Pact Broker's dependencies report, with "database"
// standing for the event store, plus the read models' position and lag in
// events. 200 when the store answers and the read models caught up at
// start, else 503 (the Pact Broker answers 500).
func (a *API) dependencies(c echo.Context) error {
	body := map[string]any{"_links": Links{"self": Link{Href: a.href(c, "diagnostic", "status", "dependencies")}}}
	ok := true
	if p := a.cfg.Progress; p != nil {
		ctx, cancel := context.WithTimeout(c.Request().Context(), a.cfg.WriteTimeout)
		defer cancel()
		position := p.Position()
		head, err := p.Head(ctx)
		store := map[string]any{"ok": err == nil}
		if err != nil {
			a.log.WarnContext(ctx, "dependencies: event store unreachable", "error", err)
			store["error"] = map[string]string{"message": "the event store did not answer; see the server log"}
		} else {
			store["head"] = head
		}
		ready := a.isReady()
		projections := map[string]any{"ok": ready, "ready": ready, "position": position}
		if err == nil {
			projections["lag"] = head - min(head, position)
		}
		body["database"], body["projections"] = store, projections
		ok = err == nil && ready
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	return hal(c, status, body)
}

// ready is the readiness probe: 200 once the read models caught up at
// start, 503 before.
func (a *API) ready(c echo.Context) error {
	if !a.isReady() {
		return hal(c, http.StatusServiceUnavailable, map[string]any{"ready": false})
	}
	return hal(c, http.StatusOK, map[string]any{"ready": true})
}

// consistentReads holds API requests until the read models caught up at
// start, and, with StrongReads, holds every read until they reach the
// store's head as it was when the read arrived. Both waits are bounded by
// WriteTimeout (then 503). The operations routes never wait.
func (a *API) consistentReads(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := a.cfg.Progress
		path := c.Path()
		if p == nil || strings.HasPrefix(path, "/diagnostic/") || path == MetricsPath {
			return next(c)
		}
		strong := a.cfg.StrongReads && isRead(c.Request().Method, path)
		if a.isReady() && !strong {
			return next(c) // the common case costs no timer
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), a.cfg.WriteTimeout)
		defer cancel()
		select {
		case <-p.Ready():
		case <-ctx.Done():
			return errUnavailable
		}
		if strong {
			head, err := p.Head(ctx)
			if err == nil {
				err = p.WaitFor(ctx, head)
			}
			if err != nil {
				a.log.WarnContext(ctx, "strong read: read models did not reach the store head", "error", err)
				return errUnavailable
			}
		}
		return next(c)
	}
}

// isRead reports whether a request only reads: GET, HEAD, and the
// pacts-for-verification query.
func isRead(method, path string) bool {
	return method == http.MethodGet || method == http.MethodHead ||
		method == http.MethodPost && strings.HasSuffix(path, "/for-verification")
}
