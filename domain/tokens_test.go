package domain

import (
	"strings"
	"testing"

	"github.com/pactledger/pactledger/events"
)

const tokenID = "0b8f3c52-7d5e-4a43-9a43-6f1d0d7c1e2a"

func TestDecideIssueToken(t *testing.T) {
	hash := HashTokenSecret("secret")
	issued := events.TokenIssued{ID: tokenID, Name: "ci", Role: events.RoleWrite, SecretHash: hash}
	cases := []struct {
		name    string
		given   []events.Payload
		when    IssueToken
		then    []events.Payload
		wantErr error
	}{
		{"a new token", nil, IssueToken{ID: tokenID, Name: " ci ", Role: "write", SecretHash: hash},
			[]events.Payload{issued}, nil},
		{"a blank name", nil, IssueToken{ID: tokenID, Name: " ", Role: "write", SecretHash: hash}, nil, ErrInvalid},
		{"an unknown role", nil, IssueToken{ID: tokenID, Name: "ci", Role: "owner", SecretHash: hash}, nil, ErrInvalid},
		{"a hash that is not SHA-256", nil, IssueToken{ID: tokenID, Name: "ci", Role: "read", SecretHash: "secret"}, nil, ErrInvalid},
		{"an id in use", []events.Payload{issued}, IssueToken{ID: tokenID, Name: "ci", Role: "read", SecretHash: hash}, nil, ErrConflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecideIssueToken(fold(EvolveToken, c.given...), c.when)
			wantErr(t, err, c.wantErr)
			sameEvents(t, got, c.then)
		})
	}
}

func TestDecideRevokeToken(t *testing.T) {
	issued := events.TokenIssued{ID: tokenID, Name: "ci", Role: events.RoleRead, SecretHash: HashTokenSecret("x")}
	cases := []struct {
		name    string
		given   []events.Payload
		then    []events.Payload
		wantErr error
	}{
		{"an issued token", []events.Payload{issued}, []events.Payload{events.TokenRevoked{ID: tokenID}}, nil},
		{"a revoked token again changes nothing", []events.Payload{issued, events.TokenRevoked{ID: tokenID}}, nil, nil},
		{"an unknown token", nil, nil, ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecideRevokeToken(fold(EvolveToken, c.given...), tokenID)
			wantErr(t, err, c.wantErr)
			sameEvents(t, got, c.then)
		})
	}
}

func TestTokenFormatAndSecret(t *testing.T) {
	token := FormatToken(tokenID, "abc_-def")
	id, secret, ok := ParseToken(token)
	if !ok || id != tokenID || secret != "abc_-def" {
		t.Fatalf("ParseToken(%q) = %q, %q, %v", token, id, secret, ok)
	}
	for _, bad := range []string{"", "plt_", "abc", "plt_" + tokenID, "plt_" + tokenID + "_", "plt_" + strings.Repeat("x", 36) + "-abc"} {
		if _, _, ok := ParseToken(bad); ok {
			t.Errorf("ParseToken(%q) accepted", bad)
		}
	}
	if !SecretMatches("abc_-def", HashTokenSecret("abc_-def")) || SecretMatches("abc_-deg", HashTokenSecret("abc_-def")) {
		t.Error("SecretMatches does not tell a right secret from a wrong one")
	}
}

func TestRoleGrants(t *testing.T) {
	cases := []struct {
		role, needs string
		want        bool
	}{
		{"read", "read", true}, {"read", "write", false}, {"write", "read", true}, {"write", "admin", false},
		{"admin", "write", true}, {"admin", "admin", true}, {"", "read", false}, {"admin", "", false}, {"root", "read", false},
	}
	for _, c := range cases {
		if got := RoleGrants(c.role, c.needs); got != c.want {
			t.Errorf("RoleGrants(%q, %q) = %v, want %v", c.role, c.needs, got, c.want)
		}
	}
}
