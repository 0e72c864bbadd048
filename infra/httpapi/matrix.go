package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/queries"
)

// matrixRoutes registers the matrix and every can-i-deploy variant. They all
// answer with the same JSON (reference §7.3), with explicit nulls.
func (a *API) matrixRoutes(e *echo.Echo) {
	e.GET("/matrix", a.matrix)
	e.GET("/matrix/provider/:provider/consumer/:consumer", a.matrixForIntegration)
	e.GET("/can-i-deploy", a.canIDeploy)
	e.GET("/pacticipants/:pacticipant/latest-version/:tag/can-i-deploy/to/:to", a.canIDeployTagToTag)
	e.GET("/pacticipants/:pacticipant/branches/:branch/latest-version/can-i-deploy/to-environment/:environment",
		a.canIDeployBranchToEnvironment)
}

// matrixError renders a query validation error as the broker does: an
// array of messages for /matrix, a field map for /can-i-deploy.
func matrixError(c echo.Context, err error) error {
	var qe *queries.QueryError
	if errors.As(err, &qe) {
		return hal(c, http.StatusBadRequest, map[string]any{"errors": qe.Body()})
	}
	return err
}

// matrixAsOf is asOf, skipping the parse of the query string (which the
// handler parses its own way) when it cannot name at= or position=: it has
// neither word, nor a percent-escape that could spell one.
func (a *API) matrixAsOf(c echo.Context) (*API, error) {
	if raw := c.Request().URL.RawQuery; !strings.Contains(raw, "at") && !strings.Contains(raw, "position") && !strings.Contains(raw, "%") {
		return a, nil
	}
	return a.asOf(c)
}

// answer renders a matrix result, or its error. The body is appended into
// a pooled buffer (appendMatrix); echo's indented rendering (debug mode or
// ?pretty) still goes through MatrixJSON and encoding/json. Either is
// written before it returns: res may alias a pooled queries.Answer.
func (a *API) answer(c echo.Context, res queries.MatrixResult, err error) error {
	if err != nil {
		return matrixError(c, err)
	}
	if c.Echo().Debug || strings.Contains(c.Request().URL.RawQuery, "pretty") && c.QueryParams().Has("pretty") {
		return hal(c, http.StatusOK, MatrixJSON(res, func(segments ...string) string { return a.href(c, segments...) }))
	}
	bp := matrixBuffers.Get().(*[]byte)
	b := appendMatrix((*bp)[:0], res, a.base(c))
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, halContentType)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	err = c.Blob(http.StatusOK, halContentType, b) // the writer does not keep b
	if cap(b) <= maxPooledMatrixBuffer {
		*bp = b
		matrixBuffers.Put(bp)
	}
	return err
}

// answers pools the Answers of /matrix and /can-i-deploy: a request's
// answer is built in memory an earlier one warmed, and a can-i-deploy of
// usual size allocates nothing for it. An Answer goes back (trimmed) once
// its body is written: nothing keeps the result beyond the handler (the
// observer reads the verdict only; the body is a copy).
var answers = sync.Pool{New: func() any { return new(queries.Answer) }}

func takeAnswer() *queries.Answer { return answers.Get().(*queries.Answer) }

func putAnswer(ans *queries.Answer) {
	ans.Trim()
	answers.Put(ans)
}

func (a *API) matrix(c echo.Context) error {
	a, err := a.matrixAsOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	q, err := ParseMatrixQuery(c.Request().URL.RawQuery)
	if err != nil {
		return matrixError(c, err)
	}
	ans := takeAnswer()
	defer putAnswer(ans)
	err = queries.MatrixInto(a.cfg.Matrix, q, ans)
	return a.answer(c, ans.MatrixResult, err)
}

func (a *API) matrixForIntegration(c echo.Context) error {
	a, err := a.matrixAsOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	ps, err := params(c, "provider", "consumer")
	if err != nil {
		return err
	}
	q, err := ParseMatrixQuery(c.Request().URL.RawQuery)
	if err != nil {
		return matrixError(c, err)
	}
	res, err := queries.MatrixForIntegration(a.cfg.Matrix, ps[1], ps[0], q)
	return a.answer(c, res, err)
}

func (a *API) canIDeploy(c echo.Context) error {
	a, err := a.matrixAsOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	q, err := ParseCanIDeployQuery(c.Request().URL.RawQuery)
	if err != nil {
		return matrixError(c, err)
	}
	ans := takeAnswer()
	defer putAnswer(ans)
	err = queries.CanIDeployInto(a.cfg.Matrix, q, ans)
	a.observeCanIDeploy(ans.MatrixResult, err)
	return a.answer(c, ans.MatrixResult, err)
}

func (a *API) canIDeployTagToTag(c echo.Context) error {
	a, err := a.matrixAsOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	ps, err := params(c, "pacticipant", "tag", "to")
	if err != nil {
		return err
	}
	res, err := queries.CanIDeployTagToTag(a.cfg.Matrix, ps[0], ps[1], ps[2])
	a.observeCanIDeploy(res, err)
	return a.answer(c, res, err)
}

func (a *API) canIDeployBranchToEnvironment(c echo.Context) error {
	a, err := a.matrixAsOf(c) // at= or position=: the read models as they were then
	if err != nil {
		return err
	}
	ps, err := params(c, "pacticipant", "branch", "environment")
	if err != nil {
		return err
	}
	res, err := queries.CanIDeployBranchToEnvironment(a.cfg.Matrix, ps[0], ps[1], ps[2])
	a.observeCanIDeploy(res, err)
	return a.answer(c, res, err)
}
