package projections

import "fmt"

// tokensSnapshotVersion changes whenever the encoding does.
const tokensSnapshotVersion = 1

// AppendSnapshot implements Snapshotter: the tokens by id, revoked ones
// included.
//
// Hazard: a snapshot holds the tokens' secret hashes, as the log does; the
// snapshot file gets the data directory's permissions.
func (t *Tokens) AppendSnapshot(b []byte) []byte {
	t.mu.RLock()
	defer t.mu.RUnlock()
	w := &snapWriter{b: b}
	w.uint(tokensSnapshotVersion)
	w.count(len(t.byID))
	for _, id := range sortedKeys(t.byID) {
		v := t.byID[id]
		for _, s := range []string{v.ID, v.Name, v.Role, v.SecretHash, v.IssuedBy} {
			w.str(s)
		}
		w.time(v.IssuedAt)
		w.bool(v.Revoked)
		w.time(v.RevokedAt)
		w.uint(v.Order)
	}
	return w.b
}

// RestoreSnapshot implements Snapshotter.
func (t *Tokens) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != tokensSnapshotVersion {
		return fmt.Errorf("%w: tokens encoding %d, want %d", ErrSnapshotCorrupt, v, tokensSnapshotVersion)
	}
	byID := map[string]TokenView{}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		v := TokenView{ID: r.str(), Name: r.str(), Role: r.str(), SecretHash: r.str(), IssuedBy: r.str()}
		v.IssuedAt, v.Revoked, v.RevokedAt, v.Order = r.time(), r.bool(), r.time(), r.uint()
		if _, dup := byID[v.ID]; dup {
			r.fail("token listed twice")
		}
		byID[v.ID] = v
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("tokens: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byID = byID
	return nil
}

var _ Snapshotter = (*Tokens)(nil)
