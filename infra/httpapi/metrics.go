package httpapi

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/queries"
)

// Observer hears what the API answers, for metrics. Methods must be quick
// and safe for concurrent use.
type Observer interface {
	// ObserveRequest is called once per request. route is the route's
	// template ("/pacticipants/:pacticipant"), or "unmatched" for a request
	// no route matched, so labels stay few.
	ObserveRequest(method, route string, status int, took time.Duration)
	// ObserveCanIDeploy is called once per can-i-deploy answer with its
	// outcome: "yes", "no", "unknown" or "invalid".
	ObserveCanIDeploy(outcome string)
}

// observe reports every request's route, status and duration. It renders
// errors itself (c.Error) so that it sees the status they get.
func (a *API) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if a.cfg.Observer == nil {
			return next(c)
		}
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		a.cfg.Observer.ObserveRequest(c.Request().Method, route, c.Response().Status, time.Since(start))
		return nil
	}
}

// observeCanIDeploy reports a can-i-deploy answer.
func (a *API) observeCanIDeploy(res queries.MatrixResult, err error) {
	if a.cfg.Observer == nil {
		return
	}
	outcome := "unknown"
	switch {
	case err != nil:
		outcome = "invalid"
	case res.Deployable == nil:
	case *res.Deployable:
		outcome = "yes"
	default:
		outcome = "no"
	}
	a.cfg.Observer.ObserveCanIDeploy(outcome)
}
