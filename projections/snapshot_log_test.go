package projections_test

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// The read models of a snapshot test, in runner order: webhook deliveries
// first (they derive triggers from the others' state before each event).
const (
	iDeliveries = iota
	iCatalog
	iDeployments
	iContracts
	iWebhooks
	iTokens
	iProviderContracts
	iHistory
)

func snapshotModels() []projections.Snapshotter {
	catalog, deployments, contracts, webhooks := projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts(), projections.NewWebhooks()
	return []projections.Snapshotter{
		projections.NewWebhookDeliveries("https://broker.example.com", webhooks, catalog, deployments, contracts),
		catalog, deployments, contracts, webhooks,
		projections.NewTokens(), projections.NewProviderContracts(), projections.NewHistory(),
	}
}

func applyAll(ms []projections.Snapshotter, log []events.Envelope) {
	for _, e := range log {
		for _, m := range ms {
			m.Apply(e)
		}
	}
}

// snapshotEnv is the environment of replayLog.
const snapshotEnv = "e2109ef4-0565-4b68-99f2-0c112f427698"

// logBuilder appends events with ids (webhook deliveries are named after
// their cause's id), increasing times and positions.
type logBuilder struct {
	out []events.Envelope
	at  time.Time
	gap uint64 // added to every position from now on: positions that are not dense (KurrentDB)
}

func (b *logBuilder) addMeta(p events.Payload, meta events.Metadata, at time.Time) {
	n := len(b.out) + 1
	b.out = append(b.out, events.Envelope{ID: uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "event-%d", n)),
		Type: p.EventType(), Position: uint64(n) + b.gap, StreamVersion: 1, OccurredAt: at, Meta: meta, Data: p})
}

func (b *logBuilder) add(p events.Payload) {
	b.addMeta(p, events.Metadata{}, b.at.Add(time.Duration(len(b.out)+1)*time.Millisecond))
}

// outbox returns the triggers derived from the log so far and not recorded.
func (b *logBuilder) outbox() []projections.PendingTrigger {
	ms := snapshotModels()
	applyAll(ms, b.out)
	return ms[iDeliveries].(*projections.WebhookDeliveries).Outbox()
}

func (b *logBuilder) versionsOf(app string) []events.VersionCreated {
	var vs []events.VersionCreated
	for _, e := range b.out {
		if v, ok := e.Data.(events.VersionCreated); ok && v.Pacticipant == app {
			vs = append(vs, v)
		}
	}
	return vs
}

func (b *logBuilder) lastPactOf(consumer string) events.PactPublished {
	var pact events.PactPublished
	for _, e := range b.out {
		if p, ok := e.Data.(events.PactPublished); ok && p.Consumer == consumer {
			pact = p
		}
	}
	return pact
}

// snapshotLog is replayLog plus what it lacks: tags and their removal, a
// branch removal, releases whose support ends and resumes, undeployments,
// split pact content (parts pending, then joined), a deleted pact, version
// and application, webhooks created, updated and deleted; a webhook that
// fires on deployments, releases, pacts and verifications, with its
// triggers recorded, attempted, retried, succeeded and abandoned (and one
// left in the outbox); tokens issued and revoked; provider contracts (one
// content split, one left pending), republished, compared, and dropped
// with their version and application; environments renamed and a name
// reused; an event whose time steps back; and positions that stop being
// dense half-way.
func snapshotLog() []events.Envelope {
	b := &logBuilder{}
	for _, e := range replayLog(6, 12) {
		b.addMeta(e.Data, e.Meta, e.OccurredAt)
	}
	b.at = b.out[len(b.out)-1].OccurredAt
	first := b.versionsOf("app-000")[0]
	env := snapshotEnv
	b.add(events.WebhookCreated{UUID: "hook-all", Enabled: true, Description: "every event",
		Events: []string{"contract_published", "contract_requiring_verification_published", "provider_verification_published",
			"deployment_recorded", "deployment_undeployed", "release_recorded", "release_support_ended"},
		Request: events.WebhookRequest{Method: "POST", URL: "https://ci.example.com/all"}})
	b.add(events.EnvironmentCreated{UUID: "env-staging-1", Name: "staging"})
	b.add(events.EnvironmentUpdated{UUID: "env-staging-1", Name: "stage"})
	b.add(events.EnvironmentCreated{UUID: "env-staging-2", Name: "staging"})
	for i, v := range b.versionsOf("app-001") {
		b.add(events.VersionTagged{Pacticipant: v.Pacticipant, Number: v.Number, Tag: []string{"prod", "dev"}[i%2]})
	}
	v1 := b.versionsOf("app-001")
	b.add(events.VersionTagRemoved{Pacticipant: "app-001", Number: v1[len(v1)-2].Number, Tag: "prod"})
	b.add(events.VersionRemovedFromBranch{Pacticipant: "app-001", Number: v1[3].Number, Branch: "main"})
	inst := "blue"
	b.add(events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{DeploymentID: "dep-blue", Pacticipant: "app-002",
		Version: b.versionsOf("app-002")[1].Number, EnvironmentUUID: env, ApplicationInstance: &inst}})
	b.add(events.Undeployed{DeploymentRef: events.DeploymentRef{DeploymentID: "dep-blue", Pacticipant: "app-002",
		Version: b.versionsOf("app-002")[1].Number, EnvironmentUUID: env, ApplicationInstance: &inst}})
	for i, v := range b.versionsOf("app-003")[:4] {
		ref := events.ReleaseRef{ReleaseID: fmt.Sprintf("rel-%d", i), Pacticipant: v.Pacticipant, Version: v.Number, EnvironmentUUID: env}
		b.add(events.ReleaseRecorded{ReleaseRef: ref})
		if i%2 == 0 {
			b.add(events.SupportEnded{ReleaseRef: ref})
		}
	}
	b.add(events.ReleaseSupportResumed{ReleaseRef: events.ReleaseRef{ReleaseID: "rel-2"}})
	addDeliveries(b)
	addTokensAndContracts(b)
	b.gap = 1000 // from here on, positions are not dense
	b.add(events.PactContentStored{SHA: "split", Part: 1, Parts: 2, Chunk: []byte(`{"interactions":`)})
	b.add(events.PactContentStored{SHA: "pending", Part: 1, Parts: 3, Chunk: []byte(`{"a":`)})
	b.add(events.PactContentStored{SHA: "split", Part: 2, Parts: 2, Chunk: []byte(`[]}`), InteractionsCount: 0})
	pact := b.lastPactOf("app-002")
	verifiedAt := b.at.Add(-time.Hour)
	b.add(events.VerificationPublished{Number: 1000, Consumer: pact.Consumer, Provider: pact.Provider, SHA: pact.SHA,
		ProviderVersion: b.versionsOf(pact.Provider)[0].Number, Success: true, TestResults: []byte(`{"tests":[]}`),
		Selectors: []byte(`[{"latest":true}]`), VerificationDate: &verifiedAt, WIP: true, Pending: true})
	b.addMeta(events.PacticipantUpdated{Name: "app-003", DisplayName: "App 3", MainBranch: "main"},
		events.Metadata{}, b.at.Add(-time.Minute)) // a writer's clock stepped back
	b.add(events.PactDeleted{Consumer: first.Pacticipant, Provider: "app-001", ConsumerVersion: first.Number})
	b.add(events.VersionDeleted{Pacticipant: "app-004", Number: b.versionsOf("app-004")[2].Number})
	b.add(events.PacticipantDeleted{Name: "app-005"})
	b.add(events.EnvironmentDeleted{UUID: "env-staging-2", Name: "staging"})
	hook := events.WebhookDefinition{UUID: "hook-1", Enabled: true, Events: []string{"contract_published"},
		Consumer: &events.WebhookPacticipant{Name: "app-000"},
		Request:  events.WebhookRequest{Method: "POST", URL: "https://ci.example.com/hook", Headers: map[string]string{"B": "2", "A": "1"}, Body: []byte(`{"x":1}`)}}
	b.add(events.WebhookCreated(hook))
	hook.Description = "changed"
	b.add(events.WebhookUpdated(hook))
	hook.UUID = "hook-2"
	b.add(events.WebhookCreated(hook))
	b.add(events.WebhookDeleted{UUID: "hook-1"})
	return b.out
}

// addDeliveries publishes a pact (more triggers), then records every
// trigger derived so far but the last, and attempts them: one succeeds on
// its second attempt, one is abandoned, one waits for a retry and the
// rest were never attempted.
func addDeliveries(b *logBuilder) {
	pact := b.lastPactOf("app-000")
	pact.SHA, pact.Revision = fmt.Sprintf("%040x", 77), pact.Revision+1
	b.add(events.PactContentStored{SHA: pact.SHA, Content: []byte(`{"interactions":[{"description":"new"}]}`)})
	b.add(pact)
	pending := b.outbox()
	if len(pending) < 6 {
		panic(fmt.Sprintf("the log derives %d triggers, want at least 6", len(pending)))
	}
	for _, t := range pending[:len(pending)-1] {
		b.add(t.WebhookTriggered)
	}
	retry := b.at.Add(time.Hour)
	attempt := func(t projections.PendingTrigger, n int, ok bool, next *time.Time) {
		b.add(events.WebhookAttemptRecorded{DeliveryID: t.DeliveryID, WebhookUUID: t.WebhookUUID, Attempt: n, Status: map[bool]int{true: 200, false: 503}[ok],
			Success: ok, Error: map[bool]string{false: "unavailable"}[ok], DurationMillis: int64(10 * n), NextAttemptAt: next})
	}
	attempt(pending[0], 1, false, &retry)
	attempt(pending[0], 2, true, nil)
	b.add(events.WebhookDeliverySucceeded{DeliveryID: pending[0].DeliveryID, WebhookUUID: pending[0].WebhookUUID, Attempts: 2})
	attempt(pending[1], 1, false, nil)
	b.add(events.WebhookDeliveryAbandoned{DeliveryID: pending[1].DeliveryID, WebhookUUID: pending[1].WebhookUUID, Attempts: 1, Reason: "retries exhausted"})
	attempt(pending[2], 1, false, &retry)
}

// addTokensAndContracts issues and revokes tokens, and publishes provider
// contracts with comparisons.
func addTokensAndContracts(b *logBuilder) {
	admin := events.Metadata{Actor: "admin", CorrelationID: "c-1"}
	for i, role := range []string{"admin", "write", "read"} {
		b.addMeta(events.TokenIssued{ID: fmt.Sprintf("tok-%d", i), Name: "token " + role, Role: role, SecretHash: fmt.Sprintf("%064x", i+1)},
			admin, b.at.Add(time.Duration(len(b.out))*time.Millisecond))
	}
	b.add(events.TokenRevoked{ID: "tok-1"})
	b.add(events.ProviderContractContentStored{SHA: "oas-1", ContentType: "application/yaml", Content: []byte("openapi: 3.0.0\n")})
	b.add(events.ProviderContractContentStored{SHA: "oas-2", ContentType: "application/json", Part: 1, Parts: 2, Chunk: []byte(`{"openapi":`)})
	b.add(events.ProviderContractContentStored{SHA: "oas-3", Part: 1, Parts: 3, Chunk: []byte(`{"ope`)}) // stays pending
	b.add(events.ProviderContractContentStored{SHA: "oas-2", ContentType: "application/json", Part: 2, Parts: 2, Chunk: []byte(`"3.0.0"}`)})
	self := &events.SelfVerification{Success: true, Content: []byte("all passed"), ContentType: "text/plain", Format: "text", Verifier: "dredd", VerifierVersion: "14"}
	publish := func(provider string, v int, sha string, rev int, sv *events.SelfVerification) {
		b.add(events.ProviderContractPublished{Provider: provider, ProviderVersion: b.versionsOf(provider)[v].Number, SHA: sha,
			ContentType: "application/yaml", Specification: "oas", Revision: rev, SelfVerification: sv})
	}
	publish("app-001", 0, "oas-1", 1, self)
	publish("app-001", 1, "oas-2", 1, nil)
	publish("app-001", 2, "oas-1", 1, &events.SelfVerification{Success: false})
	publish("app-001", 0, "oas-2", 2, self) // a new revision: oas-1 is held by version 2 only
	publish("app-004", 2, "oas-1", 1, self) // its version is deleted later
	publish("app-005", 0, "oas-2", 1, self) // its application is deleted later
	pacts := []string{b.lastPactOf("app-000").SHA, b.lastPactOf("app-004").SHA}
	compared := b.at.Add(-2 * time.Hour)
	b.add(events.ComparisonCompleted{PactSHA: pacts[0], ContractSHA: "oas-1", Success: false, Engine: "openapicompare/1",
		ComparedAt: compared, Duration: 3 * time.Millisecond, Truncated: 2,
		Mismatches: []events.ComparisonMismatch{{Code: "response.status.unknown", Type: "error", Message: "no 404", Interaction: "get",
			PactLocation: "[root].interactions[0]", PactValue: []byte(`{"status":404}`), SpecLocation: "[root].paths", SpecPathName: "/pets", SpecPathMethod: "get"}}})
	b.add(events.ComparisonCompleted{PactSHA: pacts[0], ContractSHA: "oas-2", Success: true, Engine: "openapicompare/1", ComparedAt: compared})
	b.add(events.ComparisonCompleted{PactSHA: pacts[1], ContractSHA: "oas-1", Success: true, ComparedAt: compared, Mismatches: []events.ComparisonMismatch{}})
	b.add(events.ComparisonCompleted{PactSHA: pacts[0], ContractSHA: "oas-1", Success: true}) // a rival's duplicate: ignored
}
