// Package httpapi is pactledger's Pact Broker-compatible HTTP API on echo.
// Handlers are thin: decode, call one command or read model, render HAL.
// Every error goes through one mapping table (errors.go), so clients get
// Pact Broker error bodies and 4xx for their own mistakes, never a 5xx.
package httpapi

import (
	"context"
	"encoding/binary"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// DefaultMaxBodyBytes bounds every request body unless Config.MaxBodyBytes
// says otherwise; larger bodies get 413.
const DefaultMaxBodyBytes = 10 << 20

// Config wires the API to the application.
type Config struct {
	// BaseURL, when set, is the prefix of every href; otherwise the
	// request's scheme and host are used.
	BaseURL     string
	Commands    *commands.Service
	Catalog     *projections.Catalog
	Deployments *projections.Deployments
	// Contracts serves pacts, integrations and verification results; nil
	// is an empty read model (nothing published is ever shown).
	Contracts *projections.Contracts
	// PactContents reads pact content (the read model keeps only where it
	// is in the log); GET pact and publishing require it.
	PactContents PactContents
	// Matrix answers /matrix and can-i-deploy; those routes require it.
	Matrix queries.MatrixReader
	// Webhooks and WebhookCommands serve the webhook API; without both
	// there are no webhook routes.
	Webhooks        *projections.Webhooks
	WebhookCommands *commands.Webhooks
	// BDCT serves provider contracts and comparisons; nil: no such routes.
	BDCT *BDCT
	// Events serves GET /events; nil: no such route.
	Events *EventsFeed
	// WebhookDeliveries serves the delivery log; nil: no such routes.
	// WebhookMaxAttempts is how often a delivery is tried at most.
	WebhookDeliveries  *projections.WebhookDeliveries
	WebhookMaxAttempts int
	// History serves GET /history; nil: no such route. TimeTravel answers
	// at= and position= (history_asof.go); nil: those parameters are 400.
	History    HistoryReader
	TimeTravel TimeTravel

	Logger *slog.Logger
	// WriteTimeout bounds how long a command waits for the store and the
	// read models.
	WriteTimeout time.Duration
	// MaxBodyBytes bounds every request body (413 beyond); 0 means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64

	// Auth is who may call what (auth.go); the zero value is no
	// authentication. Tokens finds issued bearer tokens and, with
	// Commands, serves the token admin API.
	Auth   AuthConfig
	Tokens *projections.Tokens
	// Progress is the store head and the read models' position, for the
	// health routes, the readiness gate and strong reads (health.go).
	Progress Progress
	// StrongReads makes every read wait until the read models have reached
	// the store's head, so a replica that did not take a write still shows
	// it.
	StrongReads bool
	// Observer, when set, hears every request and can-i-deploy answer
	// (metrics.go); MetricsHandler, when set, is served on MetricsPath.
	Observer       Observer
	MetricsHandler http.Handler
}

// API holds the handlers' dependencies.
type API struct {
	cfg  Config
	log  *slog.Logger
	echo *echo.Echo
}

// New returns an echo instance with every route registered.
func New(cfg Config) *echo.Echo {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Contracts == nil {
		cfg.Contracts = projections.NewContracts()
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	a := &API{cfg: cfg, log: cfg.Logger}
	e := echo.New()
	a.echo = e
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = a.handleError
	e.Pre(routeOnEscapedPath)
	e.Use(a.observe, a.recoverPanics, a.requestContext, a.authorize, a.consistentReads)
	a.routes(e)
	a.operationsRoutes(e)
	return e
}

// routeOnEscapedPath makes echo route on the escaped path, so a name with an
// encoded '/' stays one path segment. Handlers unescape with param().
func routeOnEscapedPath(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		r.URL.RawPath = r.URL.EscapedPath()
		if len(r.URL.RawPath) > 1 && strings.HasSuffix(r.URL.RawPath, "/") {
			r.URL.RawPath = strings.TrimRight(r.URL.RawPath, "/")
			r.URL.Path = strings.TrimRight(r.URL.Path, "/")
		}
		return next(c)
	}
}

// requestContext bounds the body, and stamps the correlation id and the
// actor "anonymous" that commands copy into every event's metadata;
// authorize replaces the actor with the authenticated principal. It runs on
// every request, so it does no work for the debug log unless that level is
// enabled.
func (a *API) requestContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Body != http.NoBody { // a request without a body has nothing to bound
			r.Body = http.MaxBytesReader(c.Response(), r.Body, a.cfg.MaxBodyBytes)
		}
		corr := r.Header.Get("X-Request-Id")
		if corr == "" || len(corr) > 200 {
			corr = newCorrelationID()
		}
		c.Response().Header().Set("X-Request-Id", corr)
		meta := events.Metadata{CorrelationID: corr, CausationID: corr, Actor: "anonymous"}
		ctx := events.WithMetadata(r.Context(), meta)
		c.SetRequest(r.WithContext(ctx))
		if !a.log.Enabled(ctx, slog.LevelDebug) {
			return next(c)
		}
		start := time.Now()
		err := next(c)
		a.log.DebugContext(ctx, "request", "method", r.Method, "path", r.URL.RawPath,
			"correlation_id", corr, "duration", time.Since(start))
		return err
	}
}

// newCorrelationID returns a random (version 4) UUID for a request that
// brought no X-Request-Id. It identifies the request in logs and event
// metadata and is no secret, so it is drawn from math/rand/v2 (seeded from
// the OS, no system call per request) rather than crypto/rand.
func newCorrelationID() string {
	var u uuid.UUID
	binary.LittleEndian.PutUint64(u[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(u[8:], rand.Uint64())
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}

func (a *API) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if p := recover(); p != nil {
				a.log.ErrorContext(c.Request().Context(), "panic in handler", "panic", p, "path", c.Request().URL.Path)
				err = errInternal
			}
		}()
		return next(c)
	}
}

// writeContext returns a context for a command, bounded by WriteTimeout.
func (a *API) writeContext(c echo.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request().Context(), a.cfg.WriteTimeout)
}
