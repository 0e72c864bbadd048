package projections

import (
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

func TestTokensReadModel(t *testing.T) {
	tk := NewTokens()
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	apply := func(pos uint64, actor string, p events.Payload) {
		tk.Apply(events.Envelope{Type: p.EventType(), Position: pos, OccurredAt: at.Add(time.Duration(pos) * time.Minute),
			Meta: events.Metadata{Actor: actor}, Data: p})
	}
	apply(1, "admin-token", events.TokenIssued{ID: "b", Name: "ci", Role: events.RoleWrite, SecretHash: "h1"})
	apply(2, "user:ops", events.TokenIssued{ID: "a", Name: "dev", Role: events.RoleRead, SecretHash: "h2"})
	apply(3, "admin-token", events.TokenRevoked{ID: "b"})
	apply(4, "admin-token", events.TokenRevoked{ID: "unknown"})

	list := tk.List()
	if len(list) != 2 || list[0].ID != "b" || list[1].ID != "a" {
		t.Fatalf("List = %+v, want b then a (issue order)", list)
	}
	b, ok := tk.Token("B") // ids are matched case-insensitively, as uuids
	if !ok || !b.Revoked || !b.RevokedAt.Equal(at.Add(3*time.Minute)) || b.IssuedBy != "admin-token" || b.SecretHash != "h1" {
		t.Errorf("token b = %+v, %v", b, ok)
	}
	if a, _ := tk.Token("a"); a.Revoked || a.IssuedBy != "user:ops" || a.Role != events.RoleRead {
		t.Errorf("token a = %+v", a)
	}
	if _, ok := tk.Token("unknown"); ok {
		t.Error("a revocation of an unknown token created it")
	}
}
