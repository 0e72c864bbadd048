package events

// Token roles, weakest first. A role grants everything the roles before it
// grant.
const (
	RoleRead  = "read"
	RoleWrite = "write"
	RoleAdmin = "admin"
)

// TokenIssued records a bearer token. Only the SHA-256 of the token's
// secret is kept (hex, SecretHash): the secret itself is shown once, to
// whoever issued the token, and never stored.
//
// Hazard: a payload holding the secret would put it in the log for ever;
// keep it that way.
type TokenIssued struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	SecretHash string `json:"secretHash"`
}

// TokenRevoked records that a token no longer authenticates anyone.
type TokenRevoked struct {
	ID string `json:"id"`
}

func (TokenIssued) EventType() string  { return "TokenIssued" }
func (TokenRevoked) EventType() string { return "TokenRevoked" }
