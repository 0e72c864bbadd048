package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/queries"
)

// HistoryReader serves the audit trail (infra/app implements it).
type HistoryReader interface {
	ReadHistory(ctx context.Context, q queries.HistoryQuery) (queries.HistoryPage, error)
	// EventTypes lists every event type string the log may hold.
	EventTypes() []string
}

// historyRoutes registers GET /history when the application provides it.
func (a *API) historyRoutes(e *echo.Echo) {
	if a.cfg.History != nil {
		e.GET("/history", a.history)
	}
}

type historyEntryJSON struct {
	Position      uint64 `json:"position"`
	EventID       string `json:"eventId"`
	Type          string `json:"type"`
	Time          string `json:"time"`
	Actor         string `json:"actor,omitempty"`
	CorrelationID string `json:"correlationId,omitempty"`
	Stream        string `json:"stream"`
	Summary       string `json:"summary"`
	Payload       any    `json:"payload,omitempty"`
}

// history answers GET /history: the recorded changes in log order, filtered
// by pacticipant, environment (name or uuid), version, type (repeatable or
// comma-separated) and from/to (RFC 3339, inclusive), paginated with
// after=<position>&limit=<n> and a next link.
func (a *API) history(c echo.Context) error {
	q, err := a.historyQuery(c.QueryParams())
	if err != nil {
		return err
	}
	page, err := a.cfg.History.ReadHistory(c.Request().Context(), q)
	if err != nil {
		return err
	}
	entries := make([]historyEntryJSON, 0, len(page.Entries))
	for _, e := range page.Entries {
		entries = append(entries, historyEntryJSON{Position: e.Position, EventID: e.EventID, Type: e.Type,
			Time: e.Time.UTC().Format(time.RFC3339Nano), Actor: e.Actor, CorrelationID: e.CorrelationID,
			Stream: e.Stream, Summary: e.Summary, Payload: displayPayload(e.Payload)})
	}
	links := Links{"self": Link{Href: a.selfHref(c), Title: "History"}}
	if page.Next != 0 {
		next := c.QueryParams()
		next.Set("after", strconv.FormatUint(page.Next, 10))
		next.Set("limit", strconv.Itoa(len(page.Entries)))
		links["next"] = Link{Href: a.href(c, "history") + "?" + next.Encode(), Title: "Next page"}
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"entries": entries},
		"_links":    links,
	})
}

// historyQuery parses and checks the query string; every mistake is listed
// in one 400.
func (a *API) historyQuery(v url.Values) (queries.HistoryQuery, error) {
	q := queries.HistoryQuery{Pacticipant: v.Get("pacticipant"), Environment: v.Get("environment"), Version: v.Get("version")}
	verr := &domain.ValidationError{Kind: domain.ErrInvalid}
	known := a.cfg.History.EventTypes()
	for _, list := range v["type"] {
		for t := range strings.SplitSeq(list, ",") {
			if t = strings.TrimSpace(t); t == "" {
				continue
			}
			if !slices.Contains(known, t) {
				verr.Add("type", fmt.Sprintf("unknown event type %q; known: %s", t, strings.Join(known, ", ")))
				continue
			}
			q.Types = append(q.Types, t)
		}
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		if s := v.Get(f.name); s != "" {
			t, err := parseTime(s)
			if err != nil {
				verr.Add(f.name, fmt.Sprintf("%s must be an RFC 3339 time such as 2026-11-27T14:00:00Z, not %q", f.name, s))
			}
			*f.dst = t
		}
	}
	if s := v.Get("after"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			verr.Add("after", fmt.Sprintf("after must be a log position (a whole number), not %q", s))
		}
		q.After = n
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			verr.Add("limit", fmt.Sprintf("limit must be a whole number from 1 to %d, not %q", queries.MaxHistoryLimit, s))
		}
		q.Limit = min(n, queries.MaxHistoryLimit)
	}
	return q, verr.OrNil()
}

// displayPayload is what an entry shows of its payload: everything, except
// webhook secrets (redacted) and pact documents (left out: they are served
// by the pact resources and can be megabytes).
func displayPayload(p events.Payload) any {
	switch p := p.(type) {
	case events.WebhookCreated:
		p.Request = p.Request.Redacted()
		return p
	case events.WebhookUpdated:
		p.Request = p.Request.Redacted()
		return p
	case events.PactContentStored:
		p.Content, p.Chunk = nil, nil
		return p
	}
	return p
}
