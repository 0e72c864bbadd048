package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/webhookdelivery"
)

// WebhookTimeout bounds one webhook request: connect, send, and read the
// response.
const WebhookTimeout = webhookdelivery.Timeout

// webhookOutcome is what happened to one sent (or refused) request.
type webhookOutcome = webhookdelivery.Outcome

// sendWebhook sends through the one sender, webhookdelivery.Send.
func sendWebhook(ctx context.Context, policy domain.WebhookPolicy, r domain.RenderedWebhookRequest) webhookOutcome {
	return webhookdelivery.Send(ctx, policy, r, nil)
}

// executeWebhook is the test run (POST /webhooks/{uuid}/execute): the
// webhook's request with the template parameters filled from sample data,
// sent at once, answered 200 with the Pact Broker's execution result. The
// request body is ignored. Unlike the Pact Broker, nothing is sent at all
// without a host allow-list (the result says why); the Pact Broker's rule
// that the response is then hidden is kept as a second guard. Secrets are
// redacted and nothing about the request is logged.
func (a *API) executeWebhook(c echo.Context) error {
	w, err := a.webhookParam(c)
	if err != nil {
		return err
	}
	policy := a.cfg.WebhookCommands.Policy()
	show := len(policy.Hosts) > 0
	rendered := domain.RenderWebhookRequest(w.Request, domain.SampleWebhookParams(w.WebhookDefinition, a.base(c)))
	out := sendWebhook(c.Request().Context(), policy, rendered)
	a.log.InfoContext(c.Request().Context(), "webhook test execution", "webhook", w.UUID, "success", out.Success())

	self := a.href(c, "webhooks", w.UUID)
	res := webhookExecutionJSON{
		Request: webhookMessageJSON{Headers: shownHeaders(out.Sent), Body: bodyValue(rendered.Body, rendered.HasBody), URL: shownURL(rendered.URL)},
		Success: out.Success(),
		Links: Links{"webhook": Link{Href: self},
			"try-again": Link{Title: "Execute the webhook again", Href: self + "/execute"}},
	}
	hidden := "For security purposes, the response details are not logged. To enable response logging, configure the " +
		"webhook_host_whitelist property. See " + a.base(c) + "/doc/webhooks#whitelist for more information."
	switch {
	case out.Refused != "":
		res.Error = &webhookErrorJSON{Message: "Webhook not sent: " + out.Refused}
	case !show:
		res.Message = hidden
	case out.Err != nil:
		res.Error = &webhookErrorJSON{Message: out.Err.Error()}
	}
	if show && out.Response != nil {
		res.Response = &webhookMessageJSON{Status: out.Response.StatusCode, Headers: shownHeaders(out.Response.Header),
			Body: bodyValue(string(out.Body), len(out.Body) > 0)}
	}
	res.Logs = webhookLogs(rendered, out, res, show, a.base(c))
	return hal(c, http.StatusOK, res)
}

type webhookErrorJSON struct {
	Message string `json:"message"`
}

// webhookMessageJSON is the request sent or the response received.
type webhookMessageJSON struct {
	Status  int               `json:"status,omitempty"`
	Headers map[string]string `json:"headers"`
	Body    any               `json:"body,omitempty"`
	URL     string            `json:"url,omitempty"`
}

type webhookExecutionJSON struct {
	Error    *webhookErrorJSON   `json:"error,omitempty"`
	Request  webhookMessageJSON  `json:"request"`
	Response *webhookMessageJSON `json:"response,omitempty"`
	Message  string              `json:"message,omitempty"`
	Logs     string              `json:"logs"`
	Success  bool                `json:"success"`
	Links    Links               `json:"_links"`
}

// shownHeaders joins each header's values and redacts credentials.
func shownHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		if events.SecretHeader(k) {
			out[k] = events.RedactedSecret
			continue
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}

// shownURL hides a password in the URL's user info.
func shownURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	return raw
}

// bodyValue shows a body as JSON when it parses, else as a string.
func bodyValue(text string, present bool) any {
	if !present {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err == nil {
		return v
	}
	return text
}

// webhookLogs is the execution log, in the Pact Broker's line format.
// It holds no secret: headers are redacted as in the result.
func webhookLogs(r domain.RenderedWebhookRequest, out webhookOutcome, res webhookExecutionJSON, show bool, base string) string {
	var b strings.Builder
	ts := time.Now().UTC().Format("2006-01-02T15:04:05Z")
	line := func(level, format string, args ...any) {
		fmt.Fprintf(&b, "[%s] %s: %s\n", ts, level, fmt.Sprintf(format, args...))
	}
	ctx, _ := json.Marshal(map[string]string{"base_url": base, "event_name": "test"})
	line("DEBUG", "Webhook context %s", ctx)
	if out.Refused != "" {
		line("ERROR", "%s", res.Error.Message)
		line("INFO", "Webhook execution failed")
		return b.String()
	}
	line("INFO", "HTTP/1.1 %s %s", r.Method, res.Request.URL)
	writeHeaders(line, res.Request.Headers)
	if r.HasBody {
		line("INFO", "%s", r.Body)
	}
	switch {
	case !show:
		line("INFO", "%s", res.Message)
	case out.Err != nil:
		line("ERROR", "Error executing webhook %s", out.Err)
	default:
		line("INFO", "HTTP/%d.%d %d %s", out.Response.ProtoMajor, out.Response.ProtoMinor, out.Response.StatusCode,
			http.StatusText(out.Response.StatusCode))
		writeHeaders(line, res.Response.Headers)
		line("INFO", "%s", out.Body)
	}
	if out.Success() {
		line("INFO", "Webhook execution succeeded")
	} else {
		line("INFO", "Webhook execution failed")
	}
	return b.String()
}

func writeHeaders(line func(level, format string, args ...any), h map[string]string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		line("INFO", "%s: %s", strings.ToLower(k), h[k])
	}
}
