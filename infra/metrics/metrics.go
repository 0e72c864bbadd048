// Package metrics exposes pactledger's Prometheus metrics. It is the only
// package that imports the Prometheus client: the inner packages and the
// HTTP API report through small observer interfaces that Metrics
// implements, and the event store is measured by a decorator.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// Metrics holds one registry and its collectors; every method is safe for
// concurrent use. Build one per application (tests run several).
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	commands   *prometheus.CounterVec
	conflicts  *prometheus.CounterVec
	appends    *prometheus.HistogramVec
	canIDeploy *prometheus.CounterVec
}

// New returns Metrics with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pactledger_http_requests_total",
			Help: "HTTP requests by method, route template and status."}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pactledger_http_request_duration_seconds",
			Help: "HTTP request latency by method and route template.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)},
			[]string{"method", "route"}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pactledger_commands_total",
			Help: "Commands by stream category and outcome (ok, invalid, not_found, conflict, unprocessable, error)."},
			[]string{"category", "outcome"}),
		conflicts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pactledger_command_conflicts_total",
			Help: "Appends that met another writer and were decided again, by stream category."}, []string{"category"}),
		appends: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pactledger_store_append_duration_seconds",
			Help: "Event store append latency by result (ok, conflict, error).", Buckets: prometheus.ExponentialBuckets(0.00005, 4, 10)},
			[]string{"result"}),
		canIDeploy: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pactledger_can_i_deploy_total",
			Help: "can-i-deploy answers by outcome (yes, no, unknown, invalid)."}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.commands, m.conflicts, m.appends, m.canIDeploy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveRequest implements httpapi.Observer.
func (m *Metrics) ObserveRequest(method, route string, status int, took time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(took.Seconds())
}

// ObserveCanIDeploy implements httpapi.Observer.
func (m *Metrics) ObserveCanIDeploy(outcome string) { m.canIDeploy.WithLabelValues(outcome).Inc() }

// CommandFinished implements commands.Observer.
func (m *Metrics) CommandFinished(category string, err error) {
	m.commands.WithLabelValues(category, outcome(err)).Inc()
}

// ConflictRetried implements commands.Observer.
func (m *Metrics) ConflictRetried(category string) { m.conflicts.WithLabelValues(category).Inc() }

// outcome names a command's result by its error kind.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, domain.ErrInvalid):
		return "invalid"
	case errors.Is(err, domain.ErrNotFound):
		return "not_found"
	case errors.Is(err, domain.ErrConflict), errors.Is(err, events.ErrConflict):
		return "conflict"
	case errors.Is(err, domain.ErrUnprocessable):
		return "unprocessable"
	}
	return "error"
}

// Progress is what the projection gauges read; the application implements
// it.
type Progress interface {
	Position() uint64
	Head(ctx context.Context) (uint64, error)
}

// WatchProjections registers pactledger_projection_position and
// pactledger_projection_lag_events, read from p at every scrape (the lag
// asks the store for its head, bounded by one second).
func (m *Metrics) WatchProjections(p Progress) {
	m.reg.MustRegister(&projectionCollector{p: p,
		position: prometheus.NewDesc("pactledger_projection_position", "Last log position the read models applied.", nil, nil),
		lag:      prometheus.NewDesc("pactledger_projection_lag_events", "Events in the store the read models have not applied yet.", nil, nil),
		head:     prometheus.NewDesc("pactledger_store_head_position", "Last position in the event store.", nil, nil),
	})
}

type projectionCollector struct {
	p                   Progress
	position, lag, head *prometheus.Desc
}

func (c *projectionCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.position
	ch <- c.lag
	ch <- c.head
}

func (c *projectionCollector) Collect(ch chan<- prometheus.Metric) {
	position := c.p.Position()
	ch <- prometheus.MustNewConstMetric(c.position, prometheus.GaugeValue, float64(position))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if head, err := c.p.Head(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(c.head, prometheus.GaugeValue, float64(head))
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, float64(head-min(head, position)))
	}
}

// WrapStore returns store with its appends timed. A store that lends its
// subscriptions' payloads (events.BorrowingSubscriber) still does through
// the wrapper: embedding the Store interface alone would hide that method,
// and every replay would silently copy each payload again.
func (m *Metrics) WrapStore(store events.Store) events.Store {
	timed := timedStore{store, m.appends}
	if b, ok := store.(events.BorrowingSubscriber); ok {
		return borrowingTimedStore{timed, b}
	}
	return timed
}

// borrowingTimedStore is a timedStore over a store that lends payloads.
type borrowingTimedStore struct {
	timedStore
	events.BorrowingSubscriber
}

// timedStore is an events.Store whose Append is measured.
type timedStore struct {
	events.Store
	appends *prometheus.HistogramVec
}

func (s timedStore) Append(ctx context.Context, stream string, expected events.ExpectedVersion, recs ...events.Record) (uint64, error) {
	start := time.Now()
	pos, err := s.Store.Append(ctx, stream, expected, recs...)
	result := "ok"
	switch {
	case errors.Is(err, events.ErrConflict):
		result = "conflict"
	case err != nil:
		result = "error"
	}
	s.appends.WithLabelValues(result).Observe(time.Since(start).Seconds())
	return pos, err
}
