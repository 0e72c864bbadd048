package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error kinds. Domain errors wrap one of them; the HTTP layer maps each kind
// to a status in one table.
var (
	// ErrInvalid: the request breaks a rule (400).
	ErrInvalid = errors.New("invalid")
	// ErrNotFound: a named resource does not exist (404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the request contradicts what is stored (409).
	ErrConflict = errors.New("conflict")
	// ErrUnprocessable: well-formed but refused by a state rule (422).
	ErrUnprocessable = errors.New("unprocessable")
)

// ValidationError lists messages per field, as the Pact Broker reports them:
// {"errors": {"name": ["cannot contain spaces"]}}. Kind is ErrInvalid or
// ErrUnprocessable.
type ValidationError struct {
	Kind   error
	Fields map[string][]string
}

// Invalid returns a 400 ValidationError with one message.
func Invalid(field, msg string) *ValidationError {
	return &ValidationError{Kind: ErrInvalid, Fields: map[string][]string{field: {msg}}}
}

// Unprocessable returns a 422 ValidationError with one message.
func Unprocessable(field, msg string) *ValidationError {
	return &ValidationError{Kind: ErrUnprocessable, Fields: map[string][]string{field: {msg}}}
}

// Add appends a message for field.
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string][]string{}
	}
	e.Fields[field] = append(e.Fields[field], msg)
}

// OrNil returns e when it holds any message, else nil (typed-nil safe).
// AddFrom copies under field the messages of err when it is a
// *ValidationError; any other error (or nil) adds nothing.
func (e *ValidationError) AddFrom(field string, err error) {
	var ve *ValidationError
	if errors.As(err, &ve) {
		for _, msgs := range ve.Fields {
			for _, m := range msgs {
				e.Add(field, m)
			}
		}
	}
}

func (e *ValidationError) OrNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %s", k, strings.Join(e.Fields[k], ", ")))
	}
	return strings.Join(parts, "; ")
}

func (e *ValidationError) Unwrap() error { return e.Kind }

// NotFoundError names what was not found; it matches ErrNotFound.
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What + " not found" }
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// NotFound returns a NotFoundError for a printf-style description.
func NotFound(format string, args ...any) error {
	return &NotFoundError{What: fmt.Sprintf(format, args...)}
}
