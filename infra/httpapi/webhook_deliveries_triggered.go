package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

// The Pact Broker's triggered-webhooks resources over the same deliveries:
// the webhooks a pact publication or a verification result triggered, and
// each one's execution log as text.

// triggeredWebhookRoutes registers the routes the pact and verification
// resources link to (pb:triggered-webhooks) and the logs they link to.
func (a *API) triggeredWebhookRoutes(e *echo.Echo) {
	const pair = "/pacts/provider/:provider/consumer/:consumer"
	e.GET(pair+"/version/:version/triggered-webhooks", a.pactTriggeredWebhooks)
	for _, pv := range []string{pair + "/pact-version/:sha", pair + "/pact-version/:sha/metadata/:metadata"} {
		e.GET(pv+"/verification-results/:number/triggered-webhooks", a.verificationTriggeredWebhooks)
	}
	e.GET("/triggered-webhooks/:id/logs", a.triggeredWebhookLogs)
}

type triggeredWebhookJSON struct {
	Name              string    `json:"name"`
	Status            string    `json:"status"`
	AttemptsMade      int       `json:"attemptsMade"`
	AttemptsRemaining int       `json:"attemptsRemaining"`
	TriggerType       string    `json:"triggerType"`
	EventName         string    `json:"eventName"`
	CreatedAt         time.Time `json:"createdAt"`
	UpdatedAt         time.Time `json:"updatedAt"`
	Links             Links     `json:"_links"`
}

// triggeredStatus is the Pact Broker's status of a triggered webhook.
func triggeredStatus(d projections.DeliveryView) string {
	switch {
	case d.Status == projections.DeliverySucceeded:
		return "success"
	case d.Status == projections.DeliveryAbandoned:
		return "failure"
	case len(d.Attempts) == 0:
		return "not_run"
	}
	return "retrying"
}

func (a *API) triggeredWebhooks(c echo.Context, title string, keep func(projections.DeliveryView) bool) error {
	list := []triggeredWebhookJSON{}
	for _, d := range a.cfg.WebhookDeliveries.Matching(keep) {
		name := d.WebhookUUID
		if w, ok := a.cfg.Webhooks.Webhook(d.WebhookUUID); ok && w.Description != "" {
			name = w.Description
		}
		updated := d.TriggeredAt
		if n := len(d.Attempts); n > 0 {
			updated = d.Attempts[n-1].At
		}
		remaining := 0
		if d.Status == projections.DeliveryPending {
			remaining = max(a.cfg.WebhookMaxAttempts-len(d.Attempts), 0)
		}
		list = append(list, triggeredWebhookJSON{Name: name, Status: triggeredStatus(d), AttemptsMade: len(d.Attempts),
			AttemptsRemaining: remaining, TriggerType: "publication", EventName: d.EventName, CreatedAt: d.TriggeredAt,
			UpdatedAt: updated, Links: Links{
				"pb:logs":    Link{Title: "Webhook execution logs", Name: name, Href: a.href(c, "triggered-webhooks", d.DeliveryID, "logs")},
				"pb:webhook": Link{Title: "Webhook", Name: name, Href: a.href(c, "webhooks", d.WebhookUUID)},
				"pb:delivery": Link{Title: "Delivery with every attempt", Href: a.href(c, "webhooks", d.WebhookUUID, "deliveries",
					d.DeliveryID)},
			}})
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"triggeredWebhooks": list},
		"_links":    Links{"self": Link{Title: title, Href: a.base(c) + c.Request().URL.EscapedPath()}},
	})
}

// pactTriggeredWebhooks: the webhooks the publication of a consumer
// version's pact triggered.
func (a *API) pactTriggeredWebhooks(c echo.Context) error {
	provider, consumer, version, err := params3(c, "provider", "consumer", "version")
	if err != nil {
		return err
	}
	if _, ok := a.cfg.Contracts.Pact(domain.PactKey{Consumer: consumer, Provider: provider, ConsumerVersion: version}); !ok {
		return domain.NotFound("pact between %s (%s) and %s", consumer, version, provider)
	}
	title := fmt.Sprintf("Webhooks triggered by the publication of the pact between %s (%s) and %s", consumer, version, provider)
	return a.triggeredWebhooks(c, title, func(d projections.DeliveryView) bool {
		return d.Consumer == consumer && d.Provider == provider && d.ConsumerVersion == version && d.VerificationNumber == 0
	})
}

// verificationTriggeredWebhooks: the webhooks a verification result
// triggered.
func (a *API) verificationTriggeredWebhooks(c echo.Context) error {
	provider, consumer, sha, err := params3(c, "provider", "consumer", "sha")
	if err != nil {
		return err
	}
	number, err := strconv.Atoi(c.Param("number"))
	key := domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha}
	if _, ok := a.cfg.Contracts.Verification(key, number); err != nil || !ok {
		return domain.NotFound("verification result %s", c.Param("number"))
	}
	title := fmt.Sprintf("Webhooks triggered by the publication of verification result %d", number)
	return a.triggeredWebhooks(c, title, func(d projections.DeliveryView) bool {
		return d.Consumer == consumer && d.Provider == provider && d.PactSHA == sha && d.VerificationNumber == number
	})
}

func params3(c echo.Context, names ...string) (string, string, string, error) {
	var out [3]string
	for i, n := range names {
		v, err := param(c, n)
		if err != nil {
			return "", "", "", err
		}
		out[i] = v
	}
	return out[0], out[1], out[2], nil
}

// triggeredWebhookLogs is GET /triggered-webhooks/{id}/logs: one line per
// attempt, as text. Nothing secret is recorded, so nothing is redacted.
func (a *API) triggeredWebhookLogs(c echo.Context) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	d, ok := a.cfg.WebhookDeliveries.Delivery(id)
	if !ok {
		return domain.NotFound("triggered webhook %s", id)
	}
	var b strings.Builder
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
	fmt.Fprintf(&b, "[%s] INFO: Webhook %s triggered by %s (event at log position %d), delivery %s\n",
		ts(d.TriggeredAt), d.WebhookUUID, d.EventName, d.CausePosition, d.DeliveryID)
	for _, at := range d.Attempts {
		outcome := "HTTP " + strconv.Itoa(at.Status)
		if at.Status == 0 {
			outcome = "no response: " + at.Error
		}
		level := "INFO"
		if !at.Success {
			level = "ERROR"
		}
		fmt.Fprintf(&b, "[%s] %s: Attempt %d: %s in %d ms\n", ts(at.At), level, at.Attempt, outcome, at.DurationMillis)
	}
	switch d.Status {
	case projections.DeliverySucceeded:
		b.WriteString("Webhook execution succeeded\n")
	case projections.DeliveryAbandoned:
		fmt.Fprintf(&b, "Webhook execution failed: %s\n", d.Reason)
	default:
		if !d.NextAttemptAt.IsZero() {
			fmt.Fprintf(&b, "Next attempt at %s\n", ts(d.NextAttemptAt))
		}
	}
	return c.String(http.StatusOK, b.String())
}
