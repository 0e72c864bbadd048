package projections

import (
	"slices"

	"github.com/pactledger/pactledger/events"
)

// HistoryKeys returns the applications and the environment uuids an event
// concerns: the ones GET /history filters on.
func HistoryKeys(p events.Payload) (pacticipants, environmentUUIDs []string) {
	switch p := p.(type) {
	case events.EnvironmentCreated:
		return nil, []string{p.UUID}
	case events.EnvironmentUpdated:
		return nil, []string{p.UUID}
	case events.EnvironmentDeleted:
		return nil, []string{p.UUID}
	case events.PacticipantCreated:
		return []string{p.Name}, nil
	case events.PacticipantUpdated:
		return []string{p.Name}, nil
	case events.MainBranchDetected:
		return []string{p.Pacticipant}, nil
	case events.PacticipantDeleted:
		return []string{p.Name}, nil
	case events.VersionCreated:
		return []string{p.Pacticipant}, nil
	case events.VersionUpdated:
		return []string{p.Pacticipant}, nil
	case events.VersionAddedToBranch:
		return []string{p.Pacticipant}, nil
	case events.VersionRemovedFromBranch:
		return []string{p.Pacticipant}, nil
	case events.VersionTagged:
		return []string{p.Pacticipant}, nil
	case events.VersionTagRemoved:
		return []string{p.Pacticipant}, nil
	case events.VersionDeleted:
		return []string{p.Pacticipant}, nil
	case events.DeploymentRecorded:
		return []string{p.Pacticipant}, []string{p.EnvironmentUUID}
	case events.AutoUndeployed:
		return []string{p.Pacticipant}, []string{p.EnvironmentUUID}
	case events.Undeployed:
		return []string{p.Pacticipant}, []string{p.EnvironmentUUID}
	case events.ReleaseRecorded:
		return []string{p.Pacticipant}, []string{p.EnvironmentUUID}
	case events.ReleaseSupportResumed:
		return []string{p.Pacticipant}, []string{p.EnvironmentUUID}
	case events.SupportEnded:
		return []string{p.Pacticipant}, []string{p.EnvironmentUUID}
	case events.PactPublished:
		return pair(p.Consumer, p.Provider), nil
	case events.PactDeleted:
		return pair(p.Consumer, p.Provider), nil
	case events.VerificationPublished:
		return pair(p.Consumer, p.Provider), nil
	case events.WebhookCreated:
		return webhookPacticipants(events.WebhookDefinition(p)), nil
	case events.WebhookUpdated:
		return webhookPacticipants(events.WebhookDefinition(p)), nil
	}
	return nil, nil
}

func pair(consumer, provider string) []string {
	if consumer == provider {
		return []string{consumer}
	}
	return []string{consumer, provider}
}

func webhookPacticipants(d events.WebhookDefinition) []string {
	var out []string
	for _, p := range []*events.WebhookPacticipant{d.Consumer, d.Provider} {
		if p != nil && p.Name != "" && !slices.Contains(out, p.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}
