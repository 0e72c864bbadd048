package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
)

// Media types a request body may have.
const (
	mediaJSON       = "application/json"
	mediaMergePatch = "application/merge-patch+json"
)

// param returns a path parameter, unescaped per segment with '+' kept literal.
func param(c echo.Context, name string) (string, error) {
	raw := c.Param(name)
	v, err := url.PathUnescape(raw)
	if err != nil {
		return "", domain.Invalid(name, "is not a valid URL path segment")
	}
	return v, nil
}

// params returns several path parameters, each checked to be a single-line,
// non-blank name.
func params(c echo.Context, names ...string) ([]string, error) {
	out := make([]string, len(names))
	for i, n := range names {
		v, err := param(c, n)
		if err != nil {
			return nil, err
		}
		if err := domain.CheckPathName(n, v); err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// body is a decoded JSON object with typed, Pact Broker-worded accessors.
// Each accessor records a message in errs instead of failing at once, so a
// request gets every problem in one answer.
type body struct {
	fields map[string]any
	errs   *domain.ValidationError
}

// readBody checks the content type against allowed, then decodes a JSON
// object. An empty body is an empty object when emptyOK.
func readBody(c echo.Context, emptyOK bool, allowed ...string) (*body, error) {
	r := c.Request()
	raw, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, fmt.Errorf("%w: the limit is %d bytes", errTooLarge, tooBig.Limit)
	}
	if err != nil {
		return nil, domain.Invalid("body", "could not be read")
	}
	b := &body{fields: map[string]any{}, errs: &domain.ValidationError{Kind: domain.ErrInvalid}}
	empty := len(bytes.TrimSpace(raw)) == 0
	if ct := r.Header.Get(echo.HeaderContentType); ct != "" || !empty {
		if err := checkMediaType(ct, allowed); err != nil {
			return nil, err
		}
	}
	if empty {
		if emptyOK {
			return b, nil
		}
		return nil, domain.Invalid("body", "is missing")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		msg := "invalid JSON"
		if err != nil {
			msg = err.Error()
		}
		return nil, domain.Invalid("body", "Error parsing JSON - "+msg)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, domain.Invalid("body", "must be a JSON object")
	}
	b.fields = obj
	return b, nil
}

func checkMediaType(header string, allowed []string) error {
	mt, _, err := mime.ParseMediaType(header)
	if header == "" || err != nil {
		mt = ""
	}
	for _, a := range allowed {
		if mt == a {
			return nil
		}
	}
	return fmt.Errorf("%w: %q; use %s", errUnsupportedMedia, header, strings.Join(allowed, " or "))
}

func (b *body) has(key string) bool { _, ok := b.fields[key]; return ok }

// str reads a string field. It returns nil when absent or null.
func (b *body) str(key string, required bool) *string {
	v, ok := b.fields[key]
	switch s := v.(type) {
	case string:
		return &s
	case nil:
		if required && !ok {
			b.errs.Add(key, "is missing")
		} else if required {
			b.errs.Add(key, "must be filled")
		}
	default:
		b.errs.Add(key, "must be a string")
	}
	return nil
}

// boolean reads a true/false field. It returns nil when absent.
func (b *body) boolean(key string, required bool) *bool {
	v, ok := b.fields[key]
	switch t := v.(type) {
	case bool:
		return &t
	case nil:
		if required && !ok {
			b.errs.Add(key, "is missing")
		} else if required {
			b.errs.Add(key, "must be one of: true, false")
		}
	default:
		b.errs.Add(key, "must be one of: true, false")
	}
	return nil
}

// scalarString reads a field that the Pact Broker converts to a string
// (numbers and booleans are accepted). It returns nil when absent or null.
func (b *body) scalarString(key string) *string {
	switch t := b.fields[key].(type) {
	case nil:
		return nil
	case string:
		return &t
	case json.Number, bool:
		s := fmt.Sprint(t)
		return &s
	default:
		b.errs.Add(key, "must be a string")
		return nil
	}
}

// err returns the collected validation errors, or nil.
func (b *body) err() error { return b.errs.OrNil() }
