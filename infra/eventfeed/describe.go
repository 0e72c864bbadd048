// Package eventfeed is the public face of pactledger's log for subscribers:
// the NATS subject scheme, the JSON document each event is published as
// (with secrets redacted), and the filters of the server-sent-events feed.
// The NATS forwarder (infra/natsforward) and GET /events (infra/httpapi)
// both use it, so a subscriber sees the same document on either.
package eventfeed

import (
	"strings"

	"github.com/pactledger/pactledger/events"
)

// SubjectPrefix starts every forwarded subject. It differs from the event
// store's own prefix (pactledger.store), so the forwarded stream and the
// store's stream never capture each other's subjects.
const SubjectPrefix = "pactledger.events"

// Facts is what subscribers may select an event by.
type Facts struct {
	// Entity and Action are the subject's first two tokens after the prefix,
	// e.g. "deployment" and "recorded". Both are lower snake case.
	Entity, Action string
	// Keys are the names the subject ends with, in order, before encoding,
	// e.g. the environment's name and the pacticipant's. Position-dependent
	// names (environments) are resolved before this is built.
	Keys []string
	// Pacticipants are the applications the event is about (a consumer and
	// a provider for pacts and verifications, else one or none).
	Pacticipants []string
	// Environment is the environment's name for deployment, release and
	// environment events, else "".
	Environment string
}

// Subject is the NATS subject of the event: SubjectPrefix, entity, action,
// then each key encoded with events.EncodeName. Every key is one token, so
// "pactledger.events.deployment.recorded.production.*" selects every
// deployment to production and "pactledger.events.deployment.>" every
// deployment event.
func (f Facts) Subject() string {
	var b strings.Builder
	b.WriteString(SubjectPrefix)
	b.WriteByte('.')
	b.WriteString(f.Entity)
	b.WriteByte('.')
	b.WriteString(f.Action)
	for _, k := range f.Keys {
		b.WriteByte('.')
		if k == "" {
			b.WriteString("=") // never a valid EncodeName output, never an empty token
			continue
		}
		b.WriteString(events.EncodeName(k))
	}
	return b.String()
}

// EnvironmentNamer returns the name an environment had when the event at
// position was appended, or "" when unknown.
type EnvironmentNamer func(uuid string, position uint64) string

// Describe maps every event type pactledger writes to its facts. An
// unknown type (a newer writer) gets entity "other" and its type as the
// action, so it is still forwarded.
func Describe(e events.Envelope, envName EnvironmentNamer) Facts {
	env := func(uuid string) string {
		if n := envName(uuid, e.Position); n != "" {
			return n
		}
		return uuid
	}
	one := func(entity, action string, p string, keys ...string) Facts {
		f := Facts{Entity: entity, Action: action, Keys: keys}
		if p != "" {
			f.Pacticipants = []string{p}
		}
		return f
	}
	placed := func(entity, action, p, envUUID string) Facts {
		n := env(envUUID)
		return Facts{Entity: entity, Action: action, Keys: []string{n, p}, Pacticipants: []string{p}, Environment: n}
	}
	pair := func(entity, action, consumer, provider string) Facts {
		return Facts{Entity: entity, Action: action, Keys: []string{consumer, provider}, Pacticipants: []string{consumer, provider}}
	}
	environment := func(action, name string) Facts {
		return Facts{Entity: "environment", Action: action, Keys: []string{name}, Environment: name}
	}
	switch p := e.Data.(type) {
	case events.EnvironmentCreated:
		return environment("created", p.Name)
	case events.EnvironmentUpdated:
		return environment("updated", p.Name)
	case events.EnvironmentDeleted:
		return environment("deleted", p.Name)
	case events.PacticipantCreated:
		return one("pacticipant", "created", p.Name, p.Name)
	case events.PacticipantUpdated:
		return one("pacticipant", "updated", p.Name, p.Name)
	case events.MainBranchDetected:
		return one("pacticipant", "main_branch_detected", p.Pacticipant, p.Pacticipant)
	case events.PacticipantDeleted:
		return one("pacticipant", "deleted", p.Name, p.Name)
	case events.VersionCreated:
		return one("version", "created", p.Pacticipant, p.Pacticipant, p.Number)
	case events.VersionUpdated:
		return one("version", "updated", p.Pacticipant, p.Pacticipant, p.Number)
	case events.VersionAddedToBranch:
		return one("version", "added_to_branch", p.Pacticipant, p.Pacticipant, p.Number)
	case events.VersionRemovedFromBranch:
		return one("version", "removed_from_branch", p.Pacticipant, p.Pacticipant, p.Number)
	case events.VersionTagged:
		return one("version", "tagged", p.Pacticipant, p.Pacticipant, p.Number)
	case events.VersionTagRemoved:
		return one("version", "tag_removed", p.Pacticipant, p.Pacticipant, p.Number)
	case events.VersionDeleted:
		return one("version", "deleted", p.Pacticipant, p.Pacticipant, p.Number)
	case events.DeploymentRecorded:
		return placed("deployment", "recorded", p.Pacticipant, p.EnvironmentUUID)
	case events.AutoUndeployed:
		return placed("deployment", "auto_undeployed", p.Pacticipant, p.EnvironmentUUID)
	case events.Undeployed:
		return placed("deployment", "undeployed", p.Pacticipant, p.EnvironmentUUID)
	case events.ReleaseRecorded:
		return placed("release", "recorded", p.Pacticipant, p.EnvironmentUUID)
	case events.ReleaseSupportResumed:
		return placed("release", "support_resumed", p.Pacticipant, p.EnvironmentUUID)
	case events.SupportEnded:
		return placed("release", "support_ended", p.Pacticipant, p.EnvironmentUUID)
	case events.PactContentStored:
		return one("content", "stored", "", p.SHA)
	case events.PactPublished:
		return pair("pact", "published", p.Consumer, p.Provider)
	case events.PactDeleted:
		return pair("pact", "deleted", p.Consumer, p.Provider)
	case events.VerificationPublished:
		return pair("verification", "published", p.Consumer, p.Provider)
	case events.WebhookCreated:
		return one("webhook", "created", "", p.UUID)
	case events.WebhookUpdated:
		return one("webhook", "updated", "", p.UUID)
	case events.WebhookDeleted:
		return one("webhook", "deleted", "", p.UUID)
	case events.WebhookTriggered:
		return one("webhook_delivery", "triggered", "", p.WebhookUUID, p.DeliveryID)
	case events.WebhookAttemptRecorded:
		return one("webhook_delivery", "attempt_recorded", "", p.WebhookUUID, p.DeliveryID)
	case events.WebhookDeliverySucceeded:
		return one("webhook_delivery", "succeeded", "", p.WebhookUUID, p.DeliveryID)
	case events.WebhookDeliveryAbandoned:
		return one("webhook_delivery", "abandoned", "", p.WebhookUUID, p.DeliveryID)
	case events.ProviderContractContentStored:
		return one("contract_content", "stored", "", p.SHA)
	case events.ProviderContractPublished:
		return one("provider_contract", "published", p.Provider, p.Provider, p.ProviderVersion)
	case events.ComparisonCompleted:
		return one("comparison", "completed", "", p.PactSHA, p.ContractSHA)
	case events.TokenIssued:
		return one("token", "issued", "", p.ID)
	case events.TokenRevoked:
		return one("token", "revoked", "", p.ID)
	}
	return Facts{Entity: "other", Action: events.EncodeName(e.Type)}
}
