package domain

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pactledger/pactledger/events"
)

// WebhookStream is the stream of one webhook: its definition (and, later,
// its delivery log).
func WebhookStream(uuid string) (string, error) { return events.StreamID("webhook", uuid) }

// WebhookState is the state of one webhook stream.
type WebhookState struct {
	Live bool // created and not deleted since
	Def  events.WebhookDefinition
}

// EvolveWebhook folds one event into s.
func EvolveWebhook(s WebhookState, e events.Envelope) WebhookState {
	switch p := e.Data.(type) {
	case events.WebhookCreated:
		return WebhookState{Live: true, Def: events.WebhookDefinition(p)}
	case events.WebhookUpdated:
		return WebhookState{Live: true, Def: events.WebhookDefinition(p)}
	case events.WebhookDeleted:
		return WebhookState{}
	}
	return s
}

// WebhookScopeInput is a consumer or provider as a request gives it. A
// blank value counts as not given.
type WebhookScopeInput struct{ Name, Label string }

// WebhookRequestInput is a webhook's request as a client gives it.
type WebhookRequestInput struct {
	Method, URL *string // nil: the key was absent
	Headers     map[string]string
	Body        json.RawMessage // JSON as given; nil or "null": none
	Username    string
	Password    string
}

// WebhookInput is a create or full-replace request.
type WebhookInput struct {
	Description        string
	Consumer, Provider *WebhookScopeInput // nil: any
	Enabled            *bool              // nil: true
	Request            *WebhookRequestInput
	// Events: nil (absent) means contract_content_changed; a non-nil empty
	// slice is refused.
	Events []string
}

// WebhookRules are what a webhook decision needs beyond its stream: the
// allow-lists and whether a pacticipant exists (a read-model lookup made
// before deciding, so a concurrent delete can slip in between, as in the
// Pact Broker). A nil PacticipantExists knows no pacticipant.
type WebhookRules struct {
	Policy            WebhookPolicy
	PacticipantExists func(name string) bool
}

// DefaultWebhookEvent is the event a webhook given no events triggers on.
const DefaultWebhookEvent = "contract_content_changed"

// WebhookEventNames are the events a webhook may name: the Pact Broker's,
// then pactledger's deployment and release events.
var WebhookEventNames = []string{
	"contract_published", "contract_content_changed", "provider_verification_published",
	"provider_verification_succeeded", "provider_verification_failed",
	"contract_requiring_verification_published",
	"deployment_recorded", "deployment_undeployed", "release_recorded", "release_support_ended",
}

var webhookUUID = regexp.MustCompile(`^[A-Za-z0-9_\-]{16,}$`)

// ValidateWebhookUUID checks a client-chosen uuid (PUT /webhooks/{uuid}).
func ValidateWebhookUUID(uuid string) error {
	if !webhookUUID.MatchString(uuid) {
		return Invalid("uuid", "The UUID can only contain the characters A-Z, a-z, 0-9, _ and -, and must be 16 or more characters.")
	}
	return nil
}

// ValidateWebhook checks an input against the Pact Broker's webhook
// contract, with its messages and dotted keys ("request.url",
// "consumer.name").
func ValidateWebhook(in WebhookInput, r WebhookRules) *ValidationError {
	v := &ValidationError{Kind: ErrInvalid}
	checkWebhookScope(v, "consumer", in.Consumer, r)
	checkWebhookScope(v, "provider", in.Provider, r)
	if in.Events != nil && len(in.Events) == 0 {
		v.Add("events", "size cannot be less than 1")
	}
	for i, name := range in.Events {
		switch {
		case strings.TrimSpace(name) == "":
			v.Add("events", fmt.Sprintf("name must be filled (at index %d)", i))
		case !knownWebhookEvent(name):
			v.Add("events", fmt.Sprintf("name must be one of: %s (at index %d)", strings.Join(WebhookEventNames, ", "), i))
		}
	}
	req := in.Request
	if req == nil {
		v.Add("request", "is missing")
		return v
	}
	switch {
	case req.Method == nil:
		v.Add("request.method", "is missing")
	case strings.TrimSpace(*req.Method) == "":
		v.Add("request.method", "must be filled")
	default:
		if msg := r.Policy.CheckMethod(*req.Method); msg != "" {
			v.Add("request.method", msg)
		}
	}
	switch {
	case req.URL == nil:
		v.Add("request.url", "is missing")
	case strings.TrimSpace(*req.URL) == "":
		v.Add("request.url", "must be filled")
	default:
		if msg := r.Policy.CheckURL(*req.URL); msg != "" {
			v.Add("request.url", msg)
		}
	}
	return v
}

func knownWebhookEvent(name string) bool {
	for _, n := range WebhookEventNames {
		if n == name {
			return true
		}
	}
	return false
}

func checkWebhookScope(v *ValidationError, key string, s *WebhookScopeInput, r WebhookRules) {
	if s == nil {
		return
	}
	name, label := strings.TrimSpace(s.Name) != "", strings.TrimSpace(s.Label) != ""
	switch {
	case !name && !label:
		v.Add(key+".name", "cannot be blank")
	case name && label:
		v.Add(key+".label", "name and label cannot be provided at the same time")
	case name && (r.PacticipantExists == nil || !r.PacticipantExists(s.Name)):
		v.Add(key+".name", "does not match an existing pacticipant")
	}
}

// webhookFrom builds the definition of a valid input.
func webhookFrom(uuid string, in WebhookInput) events.WebhookDefinition {
	d := events.WebhookDefinition{UUID: uuid, Description: in.Description, Enabled: in.Enabled == nil || *in.Enabled,
		Events: in.Events}
	if d.Events == nil {
		d.Events = []string{DefaultWebhookEvent}
	}
	for _, side := range []struct {
		in  *WebhookScopeInput
		out **events.WebhookPacticipant
	}{{in.Consumer, &d.Consumer}, {in.Provider, &d.Provider}} {
		if side.in != nil { // valid: exactly one of the two is non-blank
			*side.out = &events.WebhookPacticipant{Name: side.in.Name, Label: side.in.Label}
			if strings.TrimSpace(side.in.Name) == "" {
				(*side.out).Name = ""
			} else {
				(*side.out).Label = ""
			}
		}
	}
	req := in.Request
	d.Request = events.WebhookRequest{Method: *req.Method, URL: *req.URL, Username: req.Username, Password: req.Password}
	if len(req.Headers) > 0 {
		d.Request.Headers = req.Headers
	}
	if len(req.Body) > 0 && string(req.Body) != "null" {
		d.Request.Body = req.Body
	}
	return d
}

// DecideCreateWebhook creates a webhook under a new uuid (POST). A uuid in
// use is a conflict; the caller mints a fresh one.
func DecideCreateWebhook(s WebhookState, uuid string, in WebhookInput, r WebhookRules) ([]events.Payload, error) {
	if err := ValidateWebhook(in, r).OrNil(); err != nil {
		return nil, err
	}
	if s.Live {
		return nil, fmt.Errorf("%w: webhook %s exists", ErrConflict, uuid)
	}
	return []events.Payload{events.WebhookCreated(webhookFrom(uuid, in))}, nil
}

// DecidePutWebhook creates the webhook when the uuid has none (created is
// true) or replaces every attribute of the one it has. On a replace, a
// password or secret header that is absent, empty or all asterisks (the
// redacted value a client read back) keeps its stored value. A replace that
// changes nothing returns no events.
func DecidePutWebhook(s WebhookState, uuid string, in WebhookInput, r WebhookRules) (evs []events.Payload, created bool, err error) {
	if err := ValidateWebhookUUID(uuid); err != nil {
		return nil, false, err
	}
	if err := ValidateWebhook(in, r).OrNil(); err != nil {
		return nil, false, err
	}
	next := webhookFrom(uuid, in)
	if !s.Live {
		return []events.Payload{events.WebhookCreated(next)}, true, nil
	}
	keepSecrets(&next.Request, s.Def.Request)
	if sameWebhook(next, s.Def) {
		return nil, false, nil
	}
	return []events.Payload{events.WebhookUpdated(next)}, false, nil
}

// sameWebhook compares definitions by their JSON, the form the log keeps
// (it compacts bodies and escapes HTML), so a read-back replace is a no-op.
func sameWebhook(a, b events.WebhookDefinition) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

var starred = regexp.MustCompile(`^\**$`)

func keepSecrets(next *events.WebhookRequest, old events.WebhookRequest) {
	if old.Password != "" && starred.MatchString(next.Password) {
		next.Password = old.Password
	}
	if len(next.Headers) == 0 {
		return
	}
	headers := make(map[string]string, len(next.Headers))
	for k, v := range next.Headers {
		if prev, ok := old.Headers[k]; ok && starred.MatchString(v) {
			v = prev
		}
		headers[k] = v
	}
	next.Headers = headers
}

// DecideDeleteWebhook deletes a live webhook.
func DecideDeleteWebhook(s WebhookState, uuid string) ([]events.Payload, error) {
	if !s.Live {
		return nil, NotFound("webhook %s", uuid)
	}
	return []events.Payload{events.WebhookDeleted{UUID: uuid}}, nil
}
