package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// halContentType is the type of every HAL response.
const halContentType = "application/hal+json;charset=utf-8"

// Link is one HAL link.
type Link struct {
	Href      string `json:"href"`
	Title     string `json:"title,omitempty"`
	Name      string `json:"name,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// Links is a HAL _links object; values are Link, []Link or maps.
type Links map[string]any

// base returns the href prefix: the configured base URL, or the request's
// scheme and host.
func (a *API) base(c echo.Context) string {
	if a.cfg.BaseURL != "" {
		return strings.TrimRight(a.cfg.BaseURL, "/")
	}
	r := c.Request()
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

// href joins the base URL and path segments, escaping each segment so that
// names with spaces, slashes or unicode survive the round trip.
func (a *API) href(c echo.Context, segments ...string) string {
	var b strings.Builder
	b.WriteString(a.base(c))
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// template is an href with {placeholders} left as they are.
func (a *API) template(c echo.Context, path string) string { return a.base(c) + path }

// selfHref is the URL the client asked for, query included.
func (a *API) selfHref(c echo.Context) string {
	u := a.base(c) + c.Request().URL.EscapedPath()
	if q := c.Request().URL.RawQuery; q != "" {
		u += "?" + q
	}
	return u
}

// timestamp renders a time as the Pact Broker does: UTC with a +00:00 offset.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

// updatedAt returns the timestamp of u, or nil when it equals created
// (the Pact Broker leaves updatedAt out then).
func updatedAt(created, u time.Time) *string {
	if u.Equal(created) || u.IsZero() {
		return nil
	}
	s := timestamp(u)
	return &s
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// hal writes a HAL+JSON response.
func hal(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, halContentType)
	if status == http.StatusNoContent {
		return c.NoContent(status)
	}
	return c.JSON(status, v)
}

// created writes 201 with a Location header.
func created(c echo.Context, location string, v any) error {
	c.Response().Header().Set(echo.HeaderLocation, location)
	return hal(c, http.StatusCreated, v)
}

// escape escapes one path segment.
func escape(s string) string { return url.PathEscape(s) }

// timestampPtr renders an optional time; nil stays nil (and is left out).
func timestampPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timestamp(*t)
	return &s
}
