package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// AuthConfig is who may call the API. With no user and no admin token,
// authentication is off and every request is served as "anonymous" (serve
// then listens on loopback only).
type AuthConfig struct {
	// Users are the basic-auth accounts (the Pact Broker's read-write and
	// read-only users), each with its role.
	Users []BasicUser
	// AdminToken, when set, is a bearer token with roleAdmin: the bootstrap
	// credential that issues the first tokens.
	AdminToken string
	// AllowPublicRead serves roleRead routes to requests without
	// credentials (PACT_BROKER_ALLOW_PUBLIC_READ).
	AllowPublicRead bool
	// PublicHeartbeat serves the heartbeat and readiness routes to requests
	// without credentials (PACT_BROKER_PUBLIC_HEARTBEAT).
	PublicHeartbeat bool
}

// BasicUser is one basic-auth account.
type BasicUser struct {
	Username, Password, Role string
}

// Enabled reports whether requests must authenticate.
func (c AuthConfig) Enabled() bool { return len(c.Users) > 0 || c.AdminToken != "" }

// TokenSource finds issued bearer tokens; projections.Tokens implements it.
type TokenSource interface {
	Token(id string) (projections.TokenView, bool)
}

// principal is an authenticated caller. Name becomes the actor of the events
// its requests cause, so it never holds a secret.
type principal struct {
	Name, Role string
}

var (
	errUnauthenticated = errors.New("authentication required: send a bearer token or basic-auth credentials")
	errBadCredentials  = errors.New("the credentials are not valid")
	errForbidden       = errors.New("forbidden")
)

// authChallenge is the WWW-Authenticate header of every 401: both schemes
// are accepted.
const authChallenge = `Basic realm="pactledger", Bearer realm="pactledger"`

// publicWhenHeartbeatIsPublic are the routes PublicHeartbeat opens.
var publicWhenHeartbeatIsPublic = map[string]bool{
	"GET " + heartbeatPath: true,
	"GET " + readyPath:     true,
}

// authorize is the middleware that authenticates the caller, checks its
// role against routeRoles, and stamps the principal as the actor of the
// request's events. It runs after routing, so c.Path() is the route's
// template. It fails closed: a registered route missing from routeRoles is
// refused to everyone while authentication is on.
func (a *API) authorize(next echo.HandlerFunc) echo.HandlerFunc {
	auth := a.cfg.Auth
	return func(c echo.Context) error {
		if !auth.Enabled() {
			return next(c)
		}
		r := c.Request()
		route := r.Method + " " + c.Path()
		needs, declared := a.roleFor(r.Method, c.Path())
		p, presented, err := a.authenticate(r.Header.Get(echo.HeaderAuthorization))
		switch {
		case presented && err != nil:
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, authChallenge)
			return err
		case !presented && (auth.AllowPublicRead && needs == roleRead || auth.PublicHeartbeat && publicWhenHeartbeatIsPublic[route]):
			return next(c)
		case !presented:
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, authChallenge)
			return errUnauthenticated
		case !declared:
			a.log.ErrorContext(r.Context(), "route has no role in routeRoles; refused", "route", route)
			return errForbidden
		case !domain.RoleGrants(p.Role, needs):
			return errForbidden
		}
		meta := events.MetadataFrom(r.Context())
		meta.Actor = p.Name
		c.SetRequest(r.WithContext(events.WithMetadata(r.Context(), meta)))
		return next(c)
	}
}

// roleFor is the role a request needs. HEAD and OPTIONS on a matched path,
// and requests that match no route (404, 405), need roleRead; declared is
// false for a registered route missing from routeRoles (fail closed).
func (a *API) roleFor(method, path string) (role string, declared bool) {
	if path == "" {
		return roleRead, true
	}
	if role, ok := routeRoles[method+" "+path]; ok {
		return role, true
	}
	if method == http.MethodHead || method == http.MethodOptions {
		return roleRead, true
	}
	for _, r := range a.echo.Routes() { // rare: a 405, or a route someone forgot
		if r.Method == method && r.Path == path {
			return "", false
		}
	}
	return roleRead, true
}

// RouteRole is the role routeRoles declares for a registered route, for
// the authorization matrix test.
func RouteRole(method, path string) (string, bool) {
	role, ok := routeRoles[method+" "+path]
	return role, ok
}

// authenticate checks an Authorization header. presented is false when
// there is none; err is errBadCredentials for credentials that match no
// one. Every comparison of a secret runs in constant time.
func (a *API) authenticate(header string) (p principal, presented bool, err error) {
	if header == "" {
		return principal{}, false, nil
	}
	scheme, cred, _ := strings.Cut(header, " ")
	cred = strings.TrimSpace(cred)
	switch strings.ToLower(scheme) {
	case "basic":
		raw, decodeErr := base64.StdEncoding.DecodeString(cred)
		user, pass, ok := strings.Cut(string(raw), ":")
		if decodeErr != nil || !ok {
			return principal{}, true, errBadCredentials
		}
		if u, ok := a.basicUser(user, pass); ok {
			return principal{Name: "user:" + u.Username, Role: u.Role}, true, nil
		}
	case "bearer":
		if p, ok := a.bearer(cred); ok {
			return p, true, nil
		}
	}
	return principal{}, true, errBadCredentials
}

// basicUser finds the account with these credentials. It compares against
// every account, hashes first so lengths leak nothing.
func (a *API) basicUser(username, password string) (BasicUser, bool) {
	var found BasicUser
	ok := false
	for _, u := range a.cfg.Auth.Users {
		if secretEqual(username, u.Username)&secretEqual(password, u.Password) == 1 && !ok {
			found, ok = u, true
		}
	}
	return found, ok
}

// bearer authenticates the admin token or an issued, unrevoked token.
func (a *API) bearer(token string) (principal, bool) {
	if admin := a.cfg.Auth.AdminToken; admin != "" && secretEqual(token, admin) == 1 {
		return principal{Name: "admin-token", Role: roleAdmin}, true
	}
	id, secret, ok := domain.ParseToken(token)
	if !ok || a.cfg.Tokens == nil {
		return principal{}, false
	}
	t, ok := a.cfg.Tokens.Token(id)
	if !ok || t.Revoked || !domain.SecretMatches(secret, t.SecretHash) {
		return principal{}, false
	}
	return principal{Name: "token:" + t.Name, Role: t.Role}, true
}

// secretEqual is 1 when a and b are equal, in time that depends on neither.
func secretEqual(a, b string) int {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:])
}
