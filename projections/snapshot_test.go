package projections_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

func digests(ms []projections.Snapshotter) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name() + " " + projections.ReadModelDigest(m)
	}
	return out
}

// TestSnapshotPlusTailEqualsFullReplay restores a snapshot taken after
// every few events into fresh read models, applies the rest of the log,
// and compares each model's digest with that of a full replay.
func TestSnapshotPlusTailEqualsFullReplay(t *testing.T) {
	log := snapshotLog()
	full := snapshotModels()
	for _, e := range log {
		for _, m := range full {
			m.Apply(e)
		}
	}
	want := digests(full)
	empty := digests(snapshotModels())
	for i := range want {
		if want[i] == empty[i] {
			t.Fatalf("%s: the full replay has the digest of an empty model", want[i])
		}
	}
	for cut := 0; cut <= len(log); cut += 1 + len(log)/60 {
		before := snapshotModels()
		for _, e := range log[:cut] {
			for _, m := range before {
				m.Apply(e)
			}
		}
		after := snapshotModels()
		for i, m := range after {
			if err := m.RestoreSnapshot(before[i].AppendSnapshot(nil)); err != nil {
				t.Fatalf("cut %d: restore %s: %v", cut, m.Name(), err)
			}
		}
		if got, was := digests(after), digests(before); !slices.Equal(got, was) {
			t.Fatalf("cut %d: restored digests %v, snapshot taken from %v", cut, got, was)
		}
		for _, e := range log[cut:] {
			for _, m := range after {
				m.Apply(e)
			}
		}
		if got := digests(after); !slices.Equal(got, want) {
			t.Fatalf("cut %d of %d: snapshot + tail %v, full replay %v", cut, len(log), got, want)
		}
	}
}

// TestSnapshotRestoredModelsAnswerAlike checks a few queries on a restored
// model, beyond the digest: the tag index order, split content joined
// after the snapshot, and webhooks' headers.
func TestSnapshotRestoredModelsAnswerAlike(t *testing.T) {
	log := snapshotLog()
	cut := slices.IndexFunc(log, func(e events.Envelope) bool {
		p, ok := e.Data.(events.PactContentStored)
		return ok && p.SHA == "split" && p.Part == 2
	})
	full, restored := snapshotModels(), snapshotModels()
	for _, e := range log[:cut] {
		for _, m := range full {
			m.Apply(e)
		}
	}
	for i, m := range restored {
		if err := m.RestoreSnapshot(full[i].AppendSnapshot(nil)); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range log[cut:] {
		for i := range full {
			full[i].Apply(e)
			restored[i].Apply(e)
		}
	}
	fc, rc := full[iCatalog].(*projections.Catalog), restored[iCatalog].(*projections.Catalog)
	if a, b := fc.VersionsWithTag("app-001", "dev"), rc.VersionsWithTag("app-001", "dev"); len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("versions with tag dev: full %v, restored %v", a, b)
	}
	fv, _ := fc.LatestVersionWithTag("app-001", "prod")
	rv, _ := rc.LatestVersionWithTag("app-001", "prod")
	if fv.Number == "" || fv.Number != rv.Number {
		t.Errorf("latest prod version: full %q, restored %q", fv.Number, rv.Number)
	}
	var parts []uint64
	for _, e := range log {
		if p, ok := e.Data.(events.PactContentStored); ok && p.SHA == "split" {
			parts = append(parts, e.Position)
		}
	}
	ref, ok := restored[iContracts].(*projections.Contracts).ContentRef("split")
	if !ok || len(parts) != 2 || !slices.Equal(ref.Positions, parts) || ref.Size != len(`{"interactions":[]}`) {
		t.Errorf("split content after restore: %+v, %v (parts at %v)", ref, ok, parts)
	}
	hook, ok := restored[iWebhooks].(*projections.Webhooks).Webhook("hook-2")
	if !ok || hook.Request.Headers["A"] != "1" || string(hook.Request.Body) != `{"x":1}` {
		t.Errorf("webhook after restore: %+v, %v", hook, ok)
	}
	// Counters kept in Apply (GET /metrics) are not in the encodings: a
	// restore must count them again.
	if a, b := full[iContracts].(*projections.Contracts).Counts(), restored[iContracts].(*projections.Contracts).Counts(); a.Verifications == 0 || !reflect.DeepEqual(a, b) {
		t.Errorf("contract counts: full %+v, restored %+v", a, b)
	}
	if a, b := full[iDeliveries].(*projections.WebhookDeliveries).Counts(), restored[iDeliveries].(*projections.WebhookDeliveries).Counts(); a.Attempts == 0 || a != b {
		t.Errorf("delivery counts: full %+v, restored %+v", a, b)
	}
	if a, b := full[iProviderContracts].(*projections.ProviderContracts).Counts(), restored[iProviderContracts].(*projections.ProviderContracts).Counts(); a.SuccessfulComparisons == 0 || a != b {
		t.Errorf("provider contract counts: full %+v, restored %+v", a, b)
	}
}

// TestSnapshotRestoreRefusesCorruptBytes truncates (at many lengths) and
// alters a snapshot of every model: restoring fails with
// ErrSnapshotCorrupt and leaves the model as it was (models that already
// hold most of the log, so that a partial restore would show).
func TestSnapshotRestoreRefusesCorruptBytes(t *testing.T) {
	log := snapshotLog()
	src, target := snapshotModels(), snapshotModels()
	applyAll(src, log)
	applyAll(target, log[:len(log)-3])
	empty := digests(snapshotModels())
	for i, m := range src {
		good := m.AppendSnapshot(nil)
		bad := map[string][]byte{
			"trailing":    append(slices.Clone(good), 7),
			"new version": append([]byte{99}, good[1:]...),
			"empty":       {},
		}
		for n := 1; n < len(good); n += 1 + len(good)/97 {
			bad[fmt.Sprintf("truncated to %d of %d", n, len(good))] = good[:n]
		}
		wantDigest := projections.ReadModelDigest(target[i])
		if digests(target)[i] == empty[i] {
			t.Fatalf("%s: the target model is empty: the test proves nothing", m.Name())
		}
		for name, bad := range bad {
			err := target[i].RestoreSnapshot(bad)
			if !errors.Is(err, projections.ErrSnapshotCorrupt) {
				t.Errorf("%s, %s: got %v, want ErrSnapshotCorrupt", m.Name(), name, err)
			}
			if got := projections.ReadModelDigest(target[i]); got != wantDigest {
				t.Fatalf("%s, %s: a failed restore changed the model", m.Name(), name)
			}
		}
	}
}

// answers renders what the read models' indexed queries return for every
// application, version and environment the log names: restored indexes
// (left out of the digest) must answer as the replayed ones do.
func answers(ms []projections.Snapshotter, log []events.Envelope) string {
	c, d, k := ms[iCatalog].(*projections.Catalog), ms[iDeployments].(*projections.Deployments), ms[iContracts].(*projections.Contracts)
	out := newModelAnswers(ms, log)
	env := snapshotEnv
	for _, p := range c.Pacticipants() {
		out = append(out, p, c.Versions(p.Name), c.Branches(p.Name))
		for _, tag := range []string{"prod", "dev"} {
			v, _ := c.LatestVersionWithTag(p.Name, tag)
			out = append(out, v, c.VersionsWithTag(p.Name, tag))
		}
		dep, rel := d.LiveVersions(env, p.Name)
		slices.Sort(dep)
		slices.Sort(rel)
		out = append(out, dep, rel, d.DeployedVersions(projections.DeploymentFilter{EnvironmentUUID: env, Pacticipant: p.Name, CurrentOnly: true}),
			d.ReleasedVersions(projections.ReleaseFilter{EnvironmentUUID: env, Pacticipant: p.Name, SupportedOnly: true}))
		withProvider := k.PactsWithProvider(p.Name) // in map order
		slices.SortFunc(withProvider, func(a, b domain.PactKey) int {
			return cmp.Or(cmp.Compare(a.Consumer, b.Consumer), cmp.Compare(a.ConsumerVersion, b.ConsumerVersion))
		})
		out = append(out, k.IntegrationsOfConsumer(p.Name), k.LatestPactsForProvider(p.Name), withProvider)
		for _, v := range c.Versions(p.Name) {
			out = append(out, k.PactsOfConsumerVersion(p.Name, v.Number), k.PactVersionsVerifiedBy(p.Name, v.Number),
				d.DeployedVersions(projections.DeploymentFilter{Pacticipant: p.Name, Version: v.Number}))
		}
	}
	for _, e := range log {
		if p, ok := e.Data.(events.PactPublished); ok {
			key := domain.PactVersionKey{Consumer: p.Consumer, Provider: p.Provider, SHA: p.SHA}
			pv, ok := k.PactVersion(key)
			out = append(out, pv, ok, k.LatestVerificationsByProviderVersion(key), k.Verifications(key))
		}
	}
	b, err := json.Marshal(out) // follows pointers, unlike %v
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestSnapshotRestoredIndexesAnswerAlike compares the indexed queries of
// models restored from a snapshot (plus the tail) with a full replay's.
func TestSnapshotRestoredIndexesAnswerAlike(t *testing.T) {
	log := snapshotLog()
	full := snapshotModels()
	for _, e := range log {
		for _, m := range full {
			m.Apply(e)
		}
	}
	want := answers(full, log)
	at := func(keep func(events.Payload) bool) int {
		return slices.IndexFunc(log, func(e events.Envelope) bool { return keep(e.Data) })
	}
	cuts := []int{len(log) / 3, len(log) - 12, len(log),
		at(func(p events.Payload) bool { _, ok := p.(events.WebhookTriggered); return ok }) + 1,         // one delivery recorded, the rest in the outbox
		at(func(p events.Payload) bool { _, ok := p.(events.WebhookDeliverySucceeded); return ok }) - 1, // a retry scheduled
		at(func(p events.Payload) bool {
			c, ok := p.(events.ProviderContractContentStored)
			return ok && c.Part == 1
		}) + 1, // a split contract pending
		at(func(p events.Payload) bool { _, ok := p.(events.ComparisonCompleted); return ok }) + 1,
		at(func(p events.Payload) bool { c, ok := p.(events.PactContentStored); return ok && c.SHA == "split" }) + 1, // positions no longer dense
	}
	for _, cut := range cuts {
		before, after := snapshotModels(), snapshotModels()
		for _, e := range log[:cut] {
			for _, m := range before {
				m.Apply(e)
			}
		}
		for i, m := range after {
			if err := m.RestoreSnapshot(before[i].AppendSnapshot(nil)); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range log[cut:] {
			for _, m := range after {
				m.Apply(e)
			}
		}
		if got := answers(after, log); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("cut %d: restored models answer differently at byte %d: %.200s\nwant %.200s", cut, i, got[max(0, i-100):], want[max(0, i-100):])
		}
	}
}
