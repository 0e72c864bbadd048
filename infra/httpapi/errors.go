package httpapi

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

var (
	errInternal         = errors.New("internal error")
	errUnsupportedMedia = errors.New("unsupported media type")
	errTooLarge         = errors.New("request body too large")
	errUnavailable      = errors.New("unavailable")
)

// notFoundBody is the Pact Broker's body for every 404.
const notFoundBody = "The requested document was not found on this server."

// statusTable maps error kinds to statuses. It is the only place that does.
var statusTable = []struct {
	kind   error
	status int
}{
	{domain.ErrNotFound, http.StatusNotFound},
	{domain.ErrInvalid, http.StatusBadRequest},
	{domain.ErrConflict, http.StatusConflict},
	{domain.ErrUnprocessable, http.StatusUnprocessableEntity},
	{events.ErrPayloadTooLarge, http.StatusRequestEntityTooLarge},
	{errTooLarge, http.StatusRequestEntityTooLarge},
	{errUnsupportedMedia, http.StatusUnsupportedMediaType},
	{errUnauthenticated, http.StatusUnauthorized},
	{errBadCredentials, http.StatusUnauthorized},
	{errForbidden, http.StatusForbidden},
	{events.ErrConflict, http.StatusServiceUnavailable}, // retries exhausted: the CLI retries 503
	{projections.ErrWaitTimeout, http.StatusServiceUnavailable},
	{errUnavailable, http.StatusServiceUnavailable},
}

// handleError renders every error as the Pact Broker does:
// {"errors": {field: [msg]}} for validation, {"error": msg} otherwise.
// Internal details are logged, never sent.
func (a *API) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := a.describe(err, c)
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	// Validation errors are HAL, as the Pact Broker sends them; its other
	// errors (Webmachine's 404, 415, …) are plain JSON.
	contentType := "application/json;charset=utf-8"
	if m, ok := body.(map[string]any); ok && m["errors"] != nil {
		contentType = halContentType
	}
	c.Response().Header().Set(echo.HeaderContentType, contentType)
	_ = c.JSON(status, body)
}

func (a *API) describe(err error, c echo.Context) (int, any) {
	var he *echo.HTTPError
	if errors.As(err, &he) { // echo's own: unknown route, wrong method
		switch he.Code {
		case http.StatusNotFound:
			return http.StatusNotFound, map[string]string{"error": notFoundBody}
		case http.StatusMethodNotAllowed:
			return he.Code, map[string]string{"error": "Method Not Allowed"}
		case http.StatusRequestEntityTooLarge:
			return he.Code, map[string]string{"error": "Request Entity Too Large"}
		}
		if he.Code < 500 {
			return he.Code, map[string]any{"error": http.StatusText(he.Code)}
		}
	}
	status := http.StatusInternalServerError
	for _, row := range statusTable {
		if errors.Is(err, row.kind) {
			status = row.status
			break
		}
	}
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve):
		return status, map[string]any{"errors": ve.Fields}
	case status == http.StatusNotFound:
		return status, map[string]string{"error": notFoundBody}
	case status >= 500:
		a.log.ErrorContext(c.Request().Context(), "request failed", "error", err,
			"method", c.Request().Method, "path", c.Request().URL.Path)
		if status == http.StatusInternalServerError {
			return status, map[string]string{"error": "An internal error occurred; see the server log"}
		}
		return status, map[string]string{"error": "The service is busy; try again"}
	default:
		return status, map[string]string{"error": err.Error()}
	}
}
