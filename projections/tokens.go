package projections

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
)

// TokenView is one bearer token as the read model holds it.
//
// SecretHash is for authentication only; never render it.
type TokenView struct {
	ID, Name, Role string
	SecretHash     string
	IssuedAt       time.Time
	IssuedBy       string // the actor of the TokenIssued event
	Revoked        bool
	RevokedAt      time.Time
	Order          uint64 // log position of its issue: listings follow it
}

// Tokens is the read model of bearer tokens, revoked ones included (the
// admin listing shows them). Methods are safe for concurrent use and return
// copies.
type Tokens struct {
	mu   sync.RWMutex
	byID map[string]TokenView
}

// NewTokens returns an empty read model.
func NewTokens() *Tokens { return &Tokens{byID: map[string]TokenView{}} }

// Name implements Projector.
func (*Tokens) Name() string { return "tokens" }

// ApplyBatch implements BatchApplier: Apply for each event (most events
// return before locking).
func (t *Tokens) ApplyBatch(batch []events.Envelope) {
	for _, e := range batch {
		t.Apply(e)
	}
}

// Apply implements Projector.
func (t *Tokens) Apply(e events.Envelope) {
	switch p := e.Data.(type) {
	case events.TokenIssued:
		t.mu.Lock()
		t.byID[p.ID] = TokenView{ID: p.ID, Name: p.Name, Role: p.Role, SecretHash: p.SecretHash,
			IssuedAt: e.OccurredAt, IssuedBy: e.Meta.Actor, Order: e.Position}
		t.mu.Unlock()
	case events.TokenRevoked:
		t.mu.Lock()
		if v, ok := t.byID[p.ID]; ok {
			v.Revoked, v.RevokedAt = true, e.OccurredAt
			t.byID[p.ID] = v
		}
		t.mu.Unlock()
	}
}

// Token returns the token id, revoked or not.
func (t *Tokens) Token(id string) (TokenView, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	v, ok := t.byID[strings.ToLower(id)]
	return v, ok
}

// List returns every token in the order they were issued.
func (t *Tokens) List() []TokenView {
	t.mu.RLock()
	out := make([]TokenView, 0, len(t.byID))
	for _, v := range t.byID {
		out = append(out, v)
	}
	t.mu.RUnlock()
	slices.SortFunc(out, func(a, b TokenView) int { return cmp.Compare(a.Order, b.Order) })
	return out
}
