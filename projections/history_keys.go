package projections

import "github.com/pactledger/pactledger/events"

// historyKeys are the applications (at most two) and the environment an
// event concerns: what GET /history filters on. A value, so that indexing an
// event allocates nothing.
type historyKeys struct {
	pacticipants [2]string
	n            int
	environment  string // uuid
}

func one(p string) historyKeys { return historyKeys{pacticipants: [2]string{p}, n: 1} }

func inEnvironment(p, env string) historyKeys {
	return historyKeys{pacticipants: [2]string{p}, n: 1, environment: env}
}

func environment(uuid string) historyKeys { return historyKeys{environment: uuid} }

// keysOf returns what an event concerns.
func keysOf(p events.Payload) historyKeys {
	switch p := p.(type) {
	case events.EnvironmentCreated:
		return environment(p.UUID)
	case events.EnvironmentUpdated:
		return environment(p.UUID)
	case events.EnvironmentDeleted:
		return environment(p.UUID)
	case events.PacticipantCreated:
		return one(p.Name)
	case events.PacticipantUpdated:
		return one(p.Name)
	case events.MainBranchDetected:
		return one(p.Pacticipant)
	case events.PacticipantDeleted:
		return one(p.Name)
	case events.VersionCreated:
		return one(p.Pacticipant)
	case events.VersionUpdated:
		return one(p.Pacticipant)
	case events.VersionAddedToBranch:
		return one(p.Pacticipant)
	case events.VersionRemovedFromBranch:
		return one(p.Pacticipant)
	case events.VersionTagged:
		return one(p.Pacticipant)
	case events.VersionTagRemoved:
		return one(p.Pacticipant)
	case events.VersionDeleted:
		return one(p.Pacticipant)
	case events.DeploymentRecorded:
		return inEnvironment(p.Pacticipant, p.EnvironmentUUID)
	case events.AutoUndeployed:
		return inEnvironment(p.Pacticipant, p.EnvironmentUUID)
	case events.Undeployed:
		return inEnvironment(p.Pacticipant, p.EnvironmentUUID)
	case events.ReleaseRecorded:
		return inEnvironment(p.Pacticipant, p.EnvironmentUUID)
	case events.ReleaseSupportResumed:
		return inEnvironment(p.Pacticipant, p.EnvironmentUUID)
	case events.SupportEnded:
		return inEnvironment(p.Pacticipant, p.EnvironmentUUID)
	case events.PactPublished:
		return pair(p.Consumer, p.Provider)
	case events.PactDeleted:
		return pair(p.Consumer, p.Provider)
	case events.VerificationPublished:
		return pair(p.Consumer, p.Provider)
	case events.WebhookCreated:
		return webhookPacticipants(events.WebhookDefinition(p))
	case events.WebhookUpdated:
		return webhookPacticipants(events.WebhookDefinition(p))
	case events.ProviderContractPublished:
		return one(p.Provider)
	case events.WebhookTriggered:
		if p.Consumer != "" || p.Provider != "" {
			return pair(p.Consumer, p.Provider)
		}
		return one(p.Pacticipant)
	}
	return historyKeys{}
}

func pair(consumer, provider string) historyKeys {
	if consumer == provider {
		return one(consumer)
	}
	return historyKeys{pacticipants: [2]string{consumer, provider}, n: 2}
}

func webhookPacticipants(d events.WebhookDefinition) historyKeys {
	var k historyKeys
	for _, p := range []*events.WebhookPacticipant{d.Consumer, d.Provider} {
		if p != nil && p.Name != "" && (k.n == 0 || k.pacticipants[0] != p.Name) {
			k.pacticipants[k.n] = p.Name
			k.n++
		}
	}
	return k
}
