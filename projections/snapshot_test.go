package projections_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// snapshotLog is replayLog plus what it lacks: tags and their removal, a
// branch removal, releases whose support ends and resumes, undeployments,
// split pact content (parts pending, then joined), a deleted pact, version
// and application, and webhooks created, updated and deleted.
func snapshotLog() []events.Envelope {
	out := replayLog(6, 12)
	at := out[len(out)-1].OccurredAt
	add := func(p events.Payload) {
		n := len(out) + 1
		out = append(out, events.Envelope{Type: p.EventType(), Position: uint64(n), StreamVersion: 1,
			OccurredAt: at.Add(time.Duration(n) * time.Millisecond), Data: p})
	}
	byName := func(app string) []events.VersionCreated {
		var vs []events.VersionCreated
		for _, e := range out {
			if v, ok := e.Data.(events.VersionCreated); ok && v.Pacticipant == app {
				vs = append(vs, v)
			}
		}
		return vs
	}
	first := byName("app-000")[0]
	env := "e2109ef4-0565-4b68-99f2-0c112f427698"
	for i, v := range byName("app-001") {
		add(events.VersionTagged{Pacticipant: v.Pacticipant, Number: v.Number, Tag: []string{"prod", "dev"}[i%2]})
	}
	v1 := byName("app-001")
	add(events.VersionTagRemoved{Pacticipant: "app-001", Number: v1[len(v1)-2].Number, Tag: "prod"})
	add(events.VersionRemovedFromBranch{Pacticipant: "app-001", Number: v1[3].Number, Branch: "main"})
	inst := "blue"
	add(events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{DeploymentID: "dep-blue", Pacticipant: "app-002",
		Version: byName("app-002")[1].Number, EnvironmentUUID: env, ApplicationInstance: &inst}})
	add(events.Undeployed{DeploymentRef: events.DeploymentRef{DeploymentID: "dep-blue"}})
	for i, v := range byName("app-003")[:4] {
		ref := events.ReleaseRef{ReleaseID: fmt.Sprintf("rel-%d", i), Pacticipant: v.Pacticipant, Version: v.Number, EnvironmentUUID: env}
		add(events.ReleaseRecorded{ReleaseRef: ref})
		if i%2 == 0 {
			add(events.SupportEnded{ReleaseRef: ref})
		}
	}
	add(events.ReleaseSupportResumed{ReleaseRef: events.ReleaseRef{ReleaseID: "rel-2"}})
	add(events.PactContentStored{SHA: "split", Part: 1, Parts: 2, Chunk: []byte(`{"interactions":`)})
	add(events.PactContentStored{SHA: "pending", Part: 1, Parts: 3, Chunk: []byte(`{"a":`)})
	add(events.PactContentStored{SHA: "split", Part: 2, Parts: 2, Chunk: []byte(`[]}`), InteractionsCount: 0})
	var pact events.PactPublished
	for _, e := range out {
		if p, ok := e.Data.(events.PactPublished); ok && p.Consumer == "app-002" {
			pact = p
		}
	}
	verifiedAt := at.Add(-time.Hour)
	add(events.VerificationPublished{Number: 1000, Consumer: pact.Consumer, Provider: pact.Provider, SHA: pact.SHA,
		ProviderVersion: byName(pact.Provider)[0].Number, Success: true, TestResults: []byte(`{"tests":[]}`),
		Selectors: []byte(`[{"latest":true}]`), VerificationDate: &verifiedAt, WIP: true, Pending: true})
	add(events.PactDeleted{Consumer: first.Pacticipant, Provider: "app-001", ConsumerVersion: first.Number})
	add(events.VersionDeleted{Pacticipant: "app-004", Number: byName("app-004")[2].Number})
	add(events.PacticipantDeleted{Name: "app-005"})
	hook := events.WebhookDefinition{UUID: "hook-1", Enabled: true, Events: []string{"contract_published"},
		Consumer: &events.WebhookPacticipant{Name: "app-000"},
		Request:  events.WebhookRequest{Method: "POST", URL: "https://ci.example.com/hook", Headers: map[string]string{"B": "2", "A": "1"}, Body: []byte(`{"x":1}`)}}
	add(events.WebhookCreated(hook))
	hook.Description = "changed"
	add(events.WebhookUpdated(hook))
	hook.UUID = "hook-2"
	add(events.WebhookCreated(hook))
	add(events.WebhookDeleted{UUID: "hook-1"})
	return out
}

func snapshotModels() []projections.Snapshotter {
	return []projections.Snapshotter{projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts(), projections.NewWebhooks()}
}

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
	fc, rc := full[0].(*projections.Catalog), restored[0].(*projections.Catalog)
	if a, b := fc.VersionsWithTag("app-001", "dev"), rc.VersionsWithTag("app-001", "dev"); len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("versions with tag dev: full %v, restored %v", a, b)
	}
	fv, _ := fc.LatestVersionWithTag("app-001", "prod")
	rv, _ := rc.LatestVersionWithTag("app-001", "prod")
	if fv.Number == "" || fv.Number != rv.Number {
		t.Errorf("latest prod version: full %q, restored %q", fv.Number, rv.Number)
	}
	content, ok := restored[2].(*projections.Contracts).Content("split")
	if !ok || string(content.Content) != `{"interactions":[]}` {
		t.Errorf("split content after restore: %q, %v", content.Content, ok)
	}
	hook, ok := restored[3].(*projections.Webhooks).Webhook("hook-2")
	if !ok || hook.Request.Headers["A"] != "1" || string(hook.Request.Body) != `{"x":1}` {
		t.Errorf("webhook after restore: %+v, %v", hook, ok)
	}
}

// TestSnapshotRestoreRefusesCorruptBytes truncates and alters a snapshot:
// restoring fails with ErrSnapshotCorrupt and leaves the model unchanged.
func TestSnapshotRestoreRefusesCorruptBytes(t *testing.T) {
	src := snapshotModels()
	for _, e := range snapshotLog() {
		for _, m := range src {
			m.Apply(e)
		}
	}
	for i, m := range src {
		good := m.AppendSnapshot(nil)
		for name, bad := range map[string][]byte{
			"truncated":   good[:len(good)*2/3],
			"trailing":    append(slices.Clone(good), 7),
			"new version": append([]byte{99}, good[1:]...),
		} {
			target := snapshotModels()[i]
			target.Apply(events.Envelope{Position: 1, Data: events.PacticipantCreated{Name: "kept"}})
			wantDigest := projections.ReadModelDigest(target)
			err := target.RestoreSnapshot(bad)
			if !errors.Is(err, projections.ErrSnapshotCorrupt) {
				t.Errorf("%s, %s: got %v, want ErrSnapshotCorrupt", m.Name(), name, err)
			}
			if got := projections.ReadModelDigest(target); got != wantDigest {
				t.Errorf("%s, %s: a failed restore changed the model", m.Name(), name)
			}
		}
	}
}

// answers renders what the read models' indexed queries return for every
// application, version and environment the log names: restored indexes
// (left out of the digest) must answer as the replayed ones do.
func answers(ms []projections.Snapshotter, log []events.Envelope) string {
	c, d, k := ms[0].(*projections.Catalog), ms[1].(*projections.Deployments), ms[2].(*projections.Contracts)
	var out []any
	env := "e2109ef4-0565-4b68-99f2-0c112f427698"
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
	for _, cut := range []int{len(log) / 3, len(log) - 12, len(log)} {
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
