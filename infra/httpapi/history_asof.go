package httpapi

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// TimeTravel gives the read models as they were at an earlier point of the
// log, rebuilt from the log alone (infra/app implements it).
type TimeTravel interface {
	// Head is the position the live read models have reached.
	Head() uint64
	// PositionAt is the position of the last event recorded at or before t.
	PositionAt(t time.Time) uint64
	// ModelsAt returns read models holding exactly the events up to
	// position (at most Head). They must not be changed.
	ModelsAt(ctx context.Context, position uint64) (Models, error)
}

// Models are the read models a time-travelling request reads instead of the
// live ones.
type Models struct {
	Catalog     *projections.Catalog
	Deployments *projections.Deployments
	Contracts   *projections.Contracts
	Matrix      queries.MatrixReader
}

// asOf returns the API that answers this request: a itself, or, when the
// query has at=<RFC 3339 time> or position=<n>, a copy whose read models are
// the log's state then. A bad value, both parameters, or a position beyond
// the live head is a 400 with a Pact Broker error body; a time on or after
// the last event answers from the live read models (the present). Handlers
// that accept time travel start with `a, err := a.asOf(c)`; nothing else
// changes in them.
func (a *API) asOf(c echo.Context) (*API, error) {
	q := c.QueryParams()
	at, position := q.Get("at"), q.Get("position")
	if at == "" && position == "" {
		return a, nil
	}
	if a.cfg.TimeTravel == nil {
		return nil, domain.Invalid("at", "time travel is not available on this server")
	}
	p, err := a.resolvePosition(at, position)
	if err != nil {
		return nil, err
	}
	if position == "" && p >= a.cfg.TimeTravel.Head() {
		return a, nil // at= on or after the last event: the present, no rebuild
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), a.cfg.WriteTimeout)
	defer cancel()
	m, err := a.cfg.TimeTravel.ModelsAt(ctx, p)
	if errors.Is(err, context.DeadlineExceeded) && c.Request().Context().Err() == nil {
		return nil, fmt.Errorf("%w: rebuilding the read models at position %d took longer than %s: %w",
			errUnavailable, p, a.cfg.WriteTimeout, err) // 503: busy, not the client's mistake
	}
	if err != nil {
		return nil, fmt.Errorf("httpapi: read models at position %d: %w", p, err)
	}
	cfg := a.cfg
	cfg.Catalog, cfg.Deployments, cfg.Contracts, cfg.Matrix = m.Catalog, m.Deployments, m.Contracts, m.Matrix
	return &API{cfg: cfg, log: a.log}, nil
}

// resolvePosition turns at= or position= into a log position.
func (a *API) resolvePosition(at, position string) (uint64, error) {
	head := a.cfg.TimeTravel.Head()
	switch {
	case at != "" && position != "":
		return 0, domain.Invalid("at", "give either at or position, not both")
	case at != "":
		t, err := parseTime(at)
		if err != nil {
			return 0, domain.Invalid("at", fmt.Sprintf("at must be an RFC 3339 time such as 2026-11-27T14:00:00Z, not %q", at))
		}
		return min(a.cfg.TimeTravel.PositionAt(t), head), nil
	default:
		p, err := strconv.ParseUint(position, 10, 64)
		if err != nil {
			return 0, domain.Invalid("position", fmt.Sprintf("position must be a log position (a whole number, 0 or more), not %q", position))
		}
		if p > head {
			return 0, domain.Invalid("position", fmt.Sprintf("position %d is beyond the last event of the log (%d)", p, head))
		}
		return p, nil
	}
}

// parseTime parses an RFC 3339 time. A space where the offset's '+' should
// be is taken as '+': an unencoded '+' in a query string arrives as a space.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil && strings.Contains(s, " ") {
		t, err = time.Parse(time.RFC3339Nano, strings.ReplaceAll(s, " ", "+"))
	}
	return t, err
}
