package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/projections"
)

// tokensPath is the token admin collection. The Pact Broker has no such
// API; the path stays out of its way.
const tokensPath = "/admin/tokens"

// tokenRoutes registers the token admin API (roleAdmin, see routeRoles).
func (a *API) tokenRoutes(e *echo.Echo) {
	if a.cfg.Tokens == nil {
		return
	}
	e.GET(tokensPath, a.listTokens)
	e.POST(tokensPath, a.issueToken)
	e.DELETE(tokensPath+"/:id", a.revokeToken)
}

// tokenJSON shows a token without its secret or hash.
type tokenJSON struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Role      string  `json:"role"`
	IssuedAt  string  `json:"issuedAt,omitempty"`
	IssuedBy  string  `json:"issuedBy,omitempty"`
	Revoked   bool    `json:"revoked"`
	RevokedAt *string `json:"revokedAt,omitempty"`
	// Token is the bearer token, present only in the answer to its issue.
	Token string `json:"token,omitempty"`
	Links Links  `json:"_links"`
}

func (a *API) tokenJSON(c echo.Context, t projections.TokenView) tokenJSON {
	out := tokenJSON{ID: t.ID, Name: t.Name, Role: t.Role, IssuedAt: timestamp(t.IssuedAt), IssuedBy: t.IssuedBy,
		Revoked: t.Revoked, Links: Links{"self": Link{Href: a.href(c, "admin", "tokens", t.ID)}}}
	if t.Revoked {
		out.RevokedAt = timestampPtr(&t.RevokedAt)
	}
	return out
}

func (a *API) listTokens(c echo.Context) error {
	list := []tokenJSON{}
	for _, t := range a.cfg.Tokens.List() {
		list = append(list, a.tokenJSON(c, t))
	}
	return hal(c, http.StatusOK, map[string]any{"_embedded": map[string]any{"tokens": list},
		"_links": Links{"self": Link{Title: "Tokens", Href: a.href(c, "admin", "tokens")}}})
}

// issueToken creates a token from {"name": …, "role": "read"|"write"|"admin"}
// and answers 201 with the bearer token: the only time it is shown.
func (a *API) issueToken(c echo.Context) error {
	b, err := readBody(c, false, mediaJSON)
	if err != nil {
		return err
	}
	name, role := b.str("name", true), b.str("role", true)
	if err := b.err(); err != nil {
		return err
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	issued, err := a.cfg.Commands.IssueToken(ctx, *name, *role)
	if err != nil {
		return err
	}
	view, ok := a.cfg.Tokens.Token(issued.ID)
	if !ok { // applied before IssueToken returned; keep the answer whole anyway
		view = projections.TokenView{ID: issued.ID, Name: issued.Name, Role: issued.Role, IssuedAt: time.Now()}
	}
	out := a.tokenJSON(c, view)
	out.Token = issued.Token
	c.Response().Header().Set("Cache-Control", "no-store")
	return created(c, out.Links["self"].(Link).Href, out)
}

func (a *API) revokeToken(c echo.Context) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	if _, ok := a.cfg.Tokens.Token(id); !ok {
		return domain.NotFound("token %s", id)
	}
	ctx, cancel := a.writeContext(c)
	defer cancel()
	if err := a.cfg.Commands.RevokeToken(ctx, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
