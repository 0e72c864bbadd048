package projections

import (
	"fmt"

	"github.com/pactledger/pactledger/events"
)

// webhookDeliveriesSnapshotVersion changes whenever the encoding does.
const webhookDeliveriesSnapshotVersion = 1

// AppendSnapshot implements Snapshotter: the deliveries by id, each with
// its trigger, status, attempts and next attempt time (the retry
// schedule), and the outbox by delivery id (triggers derived and not yet
// recorded).
//
// Restoring never re-fires a webhook: triggers are derived only from the
// events the runner applies, and after a restore it applies only the log
// after the snapshot, with the other read models restored to the same
// position (so each tail event is matched against the state just before
// it, as in a full replay). The outbox carries over, so a trigger derived
// before the snapshot and not recorded yet is still recorded once; a
// WebhookTriggered in the tail removes it as it would in a full replay.
func (w *WebhookDeliveries) AppendSnapshot(b []byte) []byte {
	w.mu.RLock()
	defer w.mu.RUnlock()
	sw := &snapWriter{b: b}
	sw.uint(webhookDeliveriesSnapshotVersion)
	sw.count(len(w.deliveries))
	for _, id := range sortedKeys(w.deliveries) {
		d := w.deliveries[id]
		appendTrigger(sw, d.WebhookTriggered)
		sw.time(d.TriggeredAt)
		sw.str(d.Status)
		sw.str(d.Reason)
		sw.count(len(d.Attempts))
		for _, a := range d.Attempts {
			appendAttempt(sw, a)
		}
		sw.time(d.NextAttemptAt)
		sw.uint(d.Order)
	}
	sw.count(len(w.outbox))
	for _, id := range sortedKeys(w.outbox) {
		t := w.outbox[id]
		appendTrigger(sw, t.WebhookTriggered)
		sw.time(t.CauseAt)
	}
	return sw.b
}

func appendTrigger(w *snapWriter, t events.WebhookTriggered) {
	for _, s := range []string{t.DeliveryID, t.WebhookUUID, t.EventName, t.CauseEventID} {
		w.str(s)
	}
	w.uint(t.CausePosition)
	for _, s := range []string{t.Consumer, t.Provider, t.Pacticipant, t.ConsumerVersion, t.PactSHA} {
		w.str(s)
	}
	w.int(int64(t.VerificationNumber))
	w.bool(t.Params != nil)
	w.count(len(t.Params))
	for _, k := range sortedKeys(t.Params) {
		w.str(k)
		w.str(t.Params[k])
	}
}

func appendAttempt(w *snapWriter, a DeliveryAttemptView) {
	w.str(a.DeliveryID)
	w.str(a.WebhookUUID)
	w.int(int64(a.Attempt))
	w.int(int64(a.Status))
	w.bool(a.Success)
	w.str(a.Error)
	w.int(a.DurationMillis)
	w.timePtr(a.NextAttemptAt)
	w.time(a.At)
}

// RestoreSnapshot implements Snapshotter. It wakes whoever waits on
// Changed, as the pending deliveries may be due.
func (w *WebhookDeliveries) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != webhookDeliveriesSnapshotVersion {
		return fmt.Errorf("%w: webhook deliveries encoding %d, want %d", ErrSnapshotCorrupt, v, webhookDeliveriesSnapshotVersion)
	}
	deliveries, outbox := map[string]*DeliveryView{}, map[string]PendingTrigger{}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		d := &DeliveryView{WebhookTriggered: readTrigger(r)}
		d.TriggeredAt, d.Status, d.Reason = r.time(), r.str(), r.str()
		switch d.Status {
		case DeliveryPending, DeliverySucceeded, DeliveryAbandoned:
		default:
			r.fail("delivery status")
		}
		for k := r.count(); k > 0 && r.err == nil; k-- {
			d.Attempts = append(d.Attempts, readAttempt(r))
		}
		d.NextAttemptAt, d.Order = r.time(), r.uint()
		deliveries[d.DeliveryID] = d
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		t := PendingTrigger{WebhookTriggered: readTrigger(r), CauseAt: r.time()}
		if deliveries[t.DeliveryID] != nil {
			r.fail("a recorded delivery in the outbox")
		}
		outbox[t.DeliveryID] = t
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("webhook deliveries: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.deliveries, w.outbox = deliveries, outbox
	w.attempts = 0 // derived (counts.go): counted again
	for _, d := range deliveries {
		w.attempts += len(d.Attempts)
	}
	close(w.changed)
	w.changed = make(chan struct{})
	return nil
}

func readTrigger(r *snapReader) events.WebhookTriggered {
	t := events.WebhookTriggered{DeliveryID: r.str(), WebhookUUID: r.str(), EventName: r.str(), CauseEventID: r.str(),
		CausePosition: r.uint(), Consumer: r.str(), Provider: r.str(), Pacticipant: r.str(), ConsumerVersion: r.str(),
		PactSHA: r.str(), VerificationNumber: int(r.int())}
	hasParams := r.bool()
	n := r.count()
	if hasParams {
		t.Params = make(map[string]string, n)
	}
	for ; n > 0 && r.err == nil; n-- {
		k := r.str()
		if t.Params == nil {
			r.fail("parameters of none")
			break
		}
		t.Params[k] = r.str()
	}
	return t
}

func readAttempt(r *snapReader) DeliveryAttemptView {
	a := DeliveryAttemptView{WebhookAttemptRecorded: events.WebhookAttemptRecorded{DeliveryID: r.str(), WebhookUUID: r.str(),
		Attempt: int(r.int()), Status: int(r.int()), Success: r.bool(), Error: r.str(), DurationMillis: r.int(),
		NextAttemptAt: r.timePtr()}}
	a.At = r.time()
	return a
}

var _ Snapshotter = (*WebhookDeliveries)(nil)
