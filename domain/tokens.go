package domain

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/pactledger/pactledger/events"
)

// TokenPrefix starts every bearer token pactledger issues, so that secret
// scanners and people recognise one.
const TokenPrefix = "plt_"

// uuidLen is the length of a token id (a canonical uuid).
const uuidLen = 36

// TokenStream names the stream of one token.
func TokenStream(id string) (string, error) { return events.StreamID("token", id) }

// Roles lists the roles, weakest first; each grants what the ones before it
// grant.
var Roles = []string{events.RoleRead, events.RoleWrite, events.RoleAdmin}

// roleRank is a role's place in Roles, or -1 for an unknown role.
func roleRank(role string) int {
	for i, r := range Roles {
		if r == role {
			return i
		}
	}
	return -1
}

// RoleGrants reports whether a principal holding role may do what needs
// requires. An unknown role grants nothing and an unknown need is granted
// to nobody (fail closed).
func RoleGrants(role, needs string) bool {
	have, want := roleRank(role), roleRank(needs)
	return have >= 0 && want >= 0 && have >= want
}

// FormatToken joins a token's id and secret into the bearer token a client
// sends: TokenPrefix, the id, "_", the secret.
func FormatToken(id, secret string) string { return TokenPrefix + id + "_" + secret }

// ParseToken splits a bearer token made by FormatToken. ok is false for
// anything else (another broker's token, say).
func ParseToken(token string) (id, secret string, ok bool) {
	rest, found := strings.CutPrefix(token, TokenPrefix)
	if !found || len(rest) < uuidLen+2 || rest[uuidLen] != '_' {
		return "", "", false
	}
	return rest[:uuidLen], rest[uuidLen+1:], true
}

// HashTokenSecret is the hash a TokenIssued event keeps instead of the
// secret: hex SHA-256. Secrets are 256 random bits, so a plain hash is
// enough (no salt, no key stretching).
func HashTokenSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SecretMatches reports, in time independent of where they differ, whether
// secret hashes to hash.
func SecretMatches(secret, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashTokenSecret(secret)), []byte(hash)) == 1
}

// TokenState is the state of one token stream.
type TokenState struct {
	Issued  bool
	Revoked bool
	Token   events.TokenIssued
}

// EvolveToken folds one event into s.
func EvolveToken(s TokenState, e events.Envelope) TokenState {
	switch p := e.Data.(type) {
	case events.TokenIssued:
		return TokenState{Issued: true, Token: p}
	case events.TokenRevoked:
		s.Revoked = true
	}
	return s
}

// IssueToken asks for a new token. SecretHash is HashTokenSecret of a secret
// the caller made and shows once.
type IssueToken struct {
	ID, Name, Role, SecretHash string
}

// maxTokenName bounds a token's name.
const maxTokenName = 200

// DecideIssueToken validates the request; a stream that already holds a
// token is a conflict (ids are never reused).
func DecideIssueToken(s TokenState, c IssueToken) ([]events.Payload, error) {
	var ve ValidationError
	ve.Kind = ErrInvalid
	switch name := strings.TrimSpace(c.Name); {
	case name == "":
		ve.Add("name", "cannot be blank")
	case utf8.RuneCountInString(name) > maxTokenName || !utf8.ValidString(name):
		ve.Add("name", "must be valid UTF-8 of at most 200 characters")
	}
	if roleRank(c.Role) < 0 {
		ve.Add("role", "must be one of "+strings.Join(Roles, ", "))
	}
	if b, err := hex.DecodeString(c.SecretHash); err != nil || len(b) != sha256.Size {
		ve.Add("secretHash", "must be a hex SHA-256")
	}
	if err := ve.OrNil(); err != nil {
		return nil, err
	}
	if s.Issued {
		return nil, &ValidationError{Kind: ErrConflict, Fields: map[string][]string{"id": {"a token with this id exists"}}}
	}
	return []events.Payload{events.TokenIssued{ID: c.ID, Name: strings.TrimSpace(c.Name),
		Role: c.Role, SecretHash: c.SecretHash}}, nil
}

// DecideRevokeToken revokes a token; revoking a revoked token changes
// nothing.
func DecideRevokeToken(s TokenState, id string) ([]events.Payload, error) {
	switch {
	case !s.Issued:
		return nil, NotFound("token %s", id)
	case s.Revoked:
		return nil, nil
	}
	return []events.Payload{events.TokenRevoked{ID: id}}, nil
}
