package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

// webhookDeliveryRoutes registers the delivery log: every delivery of a
// webhook with each attempt, read from the log's WebhookTriggered and
// WebhookAttemptRecorded events. pactledger's own resource (the Pact
// Broker's triggered-webhooks and logs shapes, which have no attempt list,
// are in webhook_deliveries_triggered.go).
func (a *API) webhookDeliveryRoutes(e *echo.Echo) {
	if a.cfg.WebhookDeliveries == nil {
		return
	}
	e.GET("/webhooks/:uuid/deliveries", a.listWebhookDeliveries)
	e.GET("/webhooks/:uuid/deliveries/:id", a.getWebhookDelivery)
	a.triggeredWebhookRoutes(e)
}

type deliveryAttemptJSON struct {
	Attempt        int       `json:"attempt"`
	Status         int       `json:"status,omitempty"`
	Success        bool      `json:"success"`
	Error          string    `json:"error,omitempty"`
	DurationMillis int64     `json:"durationMillis"`
	At             time.Time `json:"at"`
}

type deliveryJSON struct {
	DeliveryID    string                `json:"deliveryId"`
	WebhookUUID   string                `json:"webhookUuid"`
	EventName     string                `json:"eventName"`
	Status        string                `json:"status"`
	Reason        string                `json:"reason,omitempty"`
	TriggeredAt   time.Time             `json:"triggeredAt"`
	CauseEventID  string                `json:"causeEventId"`
	CausePosition uint64                `json:"causePosition"`
	Consumer      string                `json:"consumer,omitempty"`
	Provider      string                `json:"provider,omitempty"`
	Pacticipant   string                `json:"pacticipant,omitempty"`
	NextAttemptAt *time.Time            `json:"nextAttemptAt,omitempty"`
	Params        map[string]string     `json:"templateParameters"`
	Attempts      []deliveryAttemptJSON `json:"attempts"`
	Links         Links                 `json:"_links"`
}

func (a *API) deliveryJSON(c echo.Context, d projections.DeliveryView) deliveryJSON {
	out := deliveryJSON{DeliveryID: d.DeliveryID, WebhookUUID: d.WebhookUUID, EventName: d.EventName, Status: d.Status,
		Reason: d.Reason, TriggeredAt: d.TriggeredAt, CauseEventID: d.CauseEventID, CausePosition: d.CausePosition,
		Consumer: d.Consumer, Provider: d.Provider, Pacticipant: d.Pacticipant, Params: d.Params,
		Attempts: []deliveryAttemptJSON{},
		Links: Links{"self": Link{Href: a.href(c, "webhooks", d.WebhookUUID, "deliveries", d.DeliveryID)},
			"pb:webhook": Link{Href: a.href(c, "webhooks", d.WebhookUUID)}}}
	if d.Status == projections.DeliveryPending && !d.NextAttemptAt.IsZero() {
		next := d.NextAttemptAt
		out.NextAttemptAt = &next
	}
	for _, at := range d.Attempts {
		out.Attempts = append(out.Attempts, deliveryAttemptJSON{Attempt: at.Attempt, Status: at.Status, Success: at.Success,
			Error: at.Error, DurationMillis: at.DurationMillis, At: at.At})
	}
	return out
}

// listWebhookDeliveries is GET /webhooks/{uuid}/deliveries, oldest first.
// A deleted webhook's deliveries stay readable.
func (a *API) listWebhookDeliveries(c echo.Context) error {
	id, err := param(c, "uuid")
	if err != nil {
		return err
	}
	ds := a.cfg.WebhookDeliveries.ForWebhook(id)
	if _, ok := a.cfg.Webhooks.Webhook(id); !ok && len(ds) == 0 {
		return domain.NotFound("webhook %s", id)
	}
	list := make([]deliveryJSON, len(ds))
	for i, d := range ds {
		list[i] = a.deliveryJSON(c, d)
	}
	return hal(c, http.StatusOK, map[string]any{
		"_embedded": map[string]any{"deliveries": list},
		"_links": Links{"self": Link{Href: a.href(c, "webhooks", id, "deliveries")},
			"pb:webhook": Link{Href: a.href(c, "webhooks", id)}},
	})
}

// getWebhookDelivery is GET /webhooks/{uuid}/deliveries/{id}.
func (a *API) getWebhookDelivery(c echo.Context) error {
	hook, err := param(c, "uuid")
	if err != nil {
		return err
	}
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	d, ok := a.cfg.WebhookDeliveries.Delivery(id)
	if !ok || d.WebhookUUID != hook {
		return domain.NotFound("webhook delivery %s", id)
	}
	return hal(c, http.StatusOK, a.deliveryJSON(c, d))
}
