package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
)

// webhookInput decodes a webhook body (POST or PUT). It reports the shape
// of the body (types) with the Pact Broker's dotted keys; the rules
// (required fields, allow-lists, pacticipants) are the domain's. A "uuid"
// in the body is ignored, as in the Pact Broker: the path names it.
func webhookInput(c echo.Context) (domain.WebhookInput, error) {
	b, err := readBody(c, false, mediaJSON)
	if err != nil {
		return domain.WebhookInput{}, err
	}
	in := domain.WebhookInput{
		Consumer: webhookScope(b, "consumer"),
		Provider: webhookScope(b, "provider"),
		Events:   webhookEvents(b),
		Request:  webhookRequest(b),
	}
	if d := b.str("description", false); d != nil {
		in.Description = *d
	}
	switch v := b.fields["enabled"].(type) {
	case nil:
	case bool:
		in.Enabled = &v
	default:
		b.errs.Add("enabled", "must be boolean")
	}
	return in, b.err()
}

// webhookScope decodes "consumer" or "provider": absent or null is any
// pacticipant.
func webhookScope(b *body, key string) *domain.WebhookScopeInput {
	raw := b.fields[key]
	if raw == nil {
		return nil
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		b.errs.Add(key, "must be a hash")
		return nil
	}
	return &domain.WebhookScopeInput{Name: optString(b, obj, key, "name"), Label: optString(b, obj, key, "label")}
}

// optString reads an optional string member of a nested object; null and
// absent are "".
func optString(b *body, obj map[string]any, parent, key string) string {
	switch v := obj[key].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		b.errs.Add(parent+"."+key, "must be a string")
		return ""
	}
}

// webhookEvents decodes "events": nil when absent or null (the default
// applies), else the names in order.
func webhookEvents(b *body) []string {
	raw := b.fields["events"]
	if raw == nil {
		return nil
	}
	list, ok := raw.([]any)
	if !ok {
		b.errs.Add("events", "must be an array")
		return nil
	}
	names := make([]string, 0, len(list))
	for i, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			b.errs.Add("events", fmt.Sprintf("must be a hash (at index %d)", i))
			continue
		}
		switch n := obj["name"].(type) {
		case string:
			names = append(names, n)
		case nil:
			if _, present := obj["name"]; present {
				names = append(names, "")
			} else {
				b.errs.Add("events", fmt.Sprintf("name is missing (at index %d)", i))
			}
		default:
			b.errs.Add("events", fmt.Sprintf("name must be a string (at index %d)", i))
		}
	}
	return names
}

// webhookRequest decodes "request". Absent is nil (the domain reports it
// missing); null or {} is "must be filled".
func webhookRequest(b *body) *domain.WebhookRequestInput {
	raw, present := b.fields["request"]
	if !present {
		return nil
	}
	obj, ok := raw.(map[string]any)
	switch {
	case raw == nil || ok && len(obj) == 0:
		b.errs.Add("request", "must be filled")
		return nil
	case !ok:
		b.errs.Add("request", "must be a hash")
		return nil
	}
	r := &domain.WebhookRequestInput{
		Method:   presentString(b, obj, "method"),
		URL:      presentString(b, obj, "url"),
		Username: optString(b, obj, "request", "username"),
		Password: optString(b, obj, "request", "password"),
		Headers:  webhookHeaders(b, obj["headers"]),
	}
	if body, ok := obj["body"]; ok && body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(body); err != nil {
			b.errs.Add("request.body", "could not be encoded")
		} else {
			r.Body = json.RawMessage(bytes.TrimSpace(buf.Bytes()))
		}
	}
	return r
}

// presentString reads request.method or request.url: nil when absent, ""
// when null.
func presentString(b *body, obj map[string]any, key string) *string {
	v, present := obj[key]
	if !present {
		return nil
	}
	switch s := v.(type) {
	case nil:
		empty := ""
		return &empty
	case string:
		return &s
	default:
		b.errs.Add("request."+key, "must be a string")
		return nil
	}
}

// webhookHeaders decodes request.headers: an object whose values are
// strings (numbers and booleans are taken as their text).
func webhookHeaders(b *body, raw any) map[string]string {
	if raw == nil {
		return nil
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		b.errs.Add("request.headers", "must be a hash")
		return nil
	}
	out := make(map[string]string, len(obj))
	for k, v := range obj {
		switch t := v.(type) {
		case string:
			out[k] = t
		case json.Number, bool:
			out[k] = fmt.Sprint(t)
		default:
			b.errs.Add("request.headers", fmt.Sprintf("%s must be a string", k))
		}
	}
	return out
}
