package commands

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// tokenSecretBytes is the entropy of a token's secret: 256 bits.
const tokenSecretBytes = 32

// IssuedToken is a new token. Token is the bearer token with its secret:
// the only time it exists outside the client; the log keeps its hash.
type IssuedToken struct {
	ID, Name, Role, Token string
	// Position is the log position of the TokenIssued event.
	Position uint64
}

// IssueToken issues a bearer token with role under a new id, on the stream
// "token-<id>". An invalid name or role writes nothing.
func (s *Service) IssueToken(ctx context.Context, name, role string) (IssuedToken, error) {
	raw := make([]byte, tokenSecretBytes)
	if _, err := rand.Read(raw); err != nil {
		return IssuedToken{}, fmt.Errorf("commands: token secret: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	id := s.newID()
	stream, err := streamFor(domain.TokenStream(id))
	if err != nil {
		return IssuedToken{}, err
	}
	pos, err := execute(ctx, s, stream, domain.EvolveToken,
		func(st domain.TokenState, _ time.Time) ([]events.Payload, error) {
			return domain.DecideIssueToken(st, domain.IssueToken{ID: id, Name: name, Role: role,
				SecretHash: domain.HashTokenSecret(secret)})
		})
	if err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{ID: id, Name: name, Role: role, Token: domain.FormatToken(id, secret), Position: pos}, nil
}

// RevokeToken revokes the token id: from the moment the read models have
// applied it (before this returns), the token authenticates nobody. An
// unknown id is domain.ErrNotFound.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	stream, err := streamFor(domain.TokenStream(id))
	if err != nil {
		return err
	}
	_, err = execute(ctx, s, stream, domain.EvolveToken,
		func(st domain.TokenState, _ time.Time) ([]events.Payload, error) {
			return domain.DecideRevokeToken(st, id)
		})
	return err
}
