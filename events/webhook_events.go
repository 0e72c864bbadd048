package events

import (
	"encoding/json"
	"strings"
)

// WebhookPacticipant scopes a webhook to one side of an integration: one
// pacticipant by Name, or every pacticipant carrying Label. Exactly one of
// the two is set.
type WebhookPacticipant struct {
	Name  string `json:"name,omitempty"`
	Label string `json:"label,omitempty"`
}

// WebhookRequest is the request template a webhook sends. URL, Body, header
// values, Username and Password may hold ${pactbroker.*} template parameters.
//
// Hazard: Password (and header values such as Authorization) are secrets in
// plain text in the log. Whatever shows or forwards a webhook outside the
// process (HTTP responses, logs, NATS/SSE forwarders) must use Redacted.
type WebhookRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	// Body is the body as the client gave it, as JSON: an object or array is
	// sent as its JSON text, a JSON string as the string itself. Nil: none.
	Body     json.RawMessage `json:"body,omitempty"`
	Username string          `json:"username,omitempty"`
	Password string          `json:"password,omitempty"`
}

// RedactedSecret replaces a secret wherever a webhook is shown.
const RedactedSecret = "**********"

// Redacted returns a copy of r that is safe to show: the password and every
// header whose name mentions "authorization" or "token" are replaced by
// RedactedSecret. The maps are copied, so r is not changed.
func (r WebhookRequest) Redacted() WebhookRequest {
	out := r
	if out.Password != "" {
		out.Password = RedactedSecret
	}
	if r.Headers != nil {
		out.Headers = make(map[string]string, len(r.Headers))
		for k, v := range r.Headers {
			if SecretHeader(k) {
				v = RedactedSecret
			}
			out.Headers[k] = v
		}
	}
	return out
}

// SecretHeader reports whether a header's value is a credential (its name
// contains "authorization" or "token", in any case), as the Pact Broker
// decides which headers to redact.
func SecretHeader(name string) bool {
	lower := strings.ToLower(name)
	return strings.Contains(lower, "authorization") || strings.Contains(lower, "token")
}

// WebhookDefinition is every attribute of a webhook. Stream:
// "webhook-<uuid>". Consumer and Provider are nil for "any".
type WebhookDefinition struct {
	UUID        string              `json:"uuid"`
	Description string              `json:"description,omitempty"`
	Consumer    *WebhookPacticipant `json:"consumer,omitempty"`
	Provider    *WebhookPacticipant `json:"provider,omitempty"`
	Enabled     bool                `json:"enabled"`
	Request     WebhookRequest      `json:"request"`
	// Events are the names of the events that trigger the webhook, in the
	// order given; never empty.
	Events []string `json:"events"`
}

// WebhookCreated records a new webhook.
type WebhookCreated WebhookDefinition

// WebhookUpdated replaces every attribute of a webhook.
type WebhookUpdated WebhookDefinition

// WebhookDeleted removes a webhook. A later WebhookCreated on the same
// stream (a PUT to the uuid) starts it again.
type WebhookDeleted struct {
	UUID string `json:"uuid"`
}

func (WebhookCreated) EventType() string { return "WebhookCreated" }
func (WebhookUpdated) EventType() string { return "WebhookUpdated" }
func (WebhookDeleted) EventType() string { return "WebhookDeleted" }
