package projections

import (
	"encoding/json"
	"fmt"
)

// webhooksSnapshotVersion changes whenever the encoding does.
const webhooksSnapshotVersion = 1

// AppendSnapshot implements Snapshotter: the webhooks by uuid, each
// definition as its event JSON (maps with sorted keys).
//
// Hazard: a snapshot holds webhook secrets in plain text, as the log does;
// the snapshot file gets the data directory's permissions.
func (w *Webhooks) AppendSnapshot(b []byte) []byte {
	w.mu.RLock()
	defer w.mu.RUnlock()
	sw := &snapWriter{b: b}
	sw.uint(webhooksSnapshotVersion)
	sw.count(len(w.byUUID))
	for _, id := range sortedKeys(w.byUUID) {
		v := w.byUUID[id]
		def, _ := json.Marshal(v.WebhookDefinition) // plain JSON values: cannot fail
		sw.bytes(def)
		sw.time(v.CreatedAt)
		sw.time(v.UpdatedAt)
		sw.uint(v.Order)
	}
	return sw.b
}

// RestoreSnapshot implements Snapshotter.
func (w *Webhooks) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != webhooksSnapshotVersion {
		return fmt.Errorf("%w: webhooks encoding %d, want %d", ErrSnapshotCorrupt, v, webhooksSnapshotVersion)
	}
	byUUID := map[string]*WebhookView{}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		v := &WebhookView{}
		if err := json.Unmarshal(r.bytes(), &v.WebhookDefinition); err != nil && r.err == nil {
			r.fail("webhook definition")
		}
		v.CreatedAt, v.UpdatedAt, v.Order = r.time(), r.time(), r.uint()
		byUUID[v.UUID] = v
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.byUUID = byUUID
	return nil
}

var _ Snapshotter = (*Webhooks)(nil)
