// Package webhookdelivery sends webhook requests (the one sender, used by
// test executions and by durable delivery) and runs the delivery worker
// pool that turns triggers derived from the log into recorded attempts.
package webhookdelivery

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pactledger/pactledger/domain"
)

// Limits of one webhook request.
const (
	// Timeout bounds one request: connect, send, and read the response.
	Timeout = 10 * time.Second
	// maxResponse bounds how much of a response body is read.
	maxResponse = 64 << 10
	userAgent   = "pactledger"
)

// client never follows a redirect (a 3xx is the answer, as with the Pact
// Broker), so a receiver cannot bounce a request, with its credentials, to
// a host the allow-list does not hold.
var client = &http.Client{
	Timeout:       Timeout,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport:     http.DefaultTransport.(*http.Transport).Clone(),
}

// Outcome is what happened to one sent (or refused) request.
type Outcome struct {
	Sent     http.Header    // as sent, before redaction
	Response *http.Response // body already read into Body and closed
	Body     []byte
	Refused  string // the allow-lists' objection; nothing was sent
	Err      error  // transport error
	Duration time.Duration
}

// Success reports a 200–206 response, the Pact Broker's success range.
func (o Outcome) Success() bool {
	return o.Response != nil && o.Response.StatusCode >= 200 && o.Response.StatusCode <= 206
}

// Send checks a rendered request against the policy again (the
// configuration may have changed since the webhook was saved) and sends
// it with extra headers (e.g. Idempotency-Key) on top of the webhook's.
//
// Unlike the Pact Broker, an empty host allow-list lets nothing be sent:
// webhook hosts must be allowed explicitly (see domain.CheckDeliveryHost).
func Send(ctx context.Context, policy domain.WebhookPolicy, r domain.RenderedWebhookRequest, extra http.Header) Outcome {
	if msg := policy.CheckMethod(r.Method); msg != "" {
		return Outcome{Refused: "request.method " + msg}
	}
	if msg := policy.CheckURL(r.URL); msg != "" {
		return Outcome{Refused: "request.url " + msg}
	}
	if msg := domain.CheckDeliveryHost(policy); msg != "" {
		return Outcome{Refused: "request.url " + msg}
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var body io.Reader
	if r.HasBody {
		body = strings.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return Outcome{Refused: "request.url is not a valid URL eg. http://example.org"}
	}
	req.Header.Set("User-Agent", userAgent)
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	for k, vs := range extra {
		req.Header[k] = vs
	}
	if r.Username != "" {
		req.SetBasicAuth(r.Username, r.Password)
	}
	out := Outcome{Sent: req.Header.Clone()}
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		out.Err, out.Duration = err, time.Since(start)
		return out
	}
	defer res.Body.Close()
	out.Response = res
	out.Body, out.Err = io.ReadAll(io.LimitReader(res.Body, maxResponse))
	out.Duration = time.Since(start)
	return out
}
