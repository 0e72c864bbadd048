package queries

import (
	"fmt"
	"strings"

	"github.com/pactledger/pactledger/events"
)

// EnvironmentNamer names an environment by uuid, also one deleted since.
type EnvironmentNamer interface {
	EnvironmentName(uuid string) (string, bool)
}

// Summarize returns the one-line, human summary of an event, built from its
// typed payload: "version 1.2.3 of foo deployed to production (instance
// blue), replacing 1.2.2". replaced is the version a DeploymentRecorded
// replaced on its instance ("" when none or unknown); environments are
// named through names, falling back to their uuid. An event type it does
// not know is summarised by its type string.
func Summarize(p events.Payload, replaced string, names EnvironmentNamer) string {
	env := func(uuid string) string {
		if n, ok := names.EnvironmentName(uuid); ok {
			return n
		}
		return uuid
	}
	switch p := p.(type) {
	case events.EnvironmentCreated:
		return fmt.Sprintf("environment %s created%s", p.Name, productionNote(p.Production))
	case events.EnvironmentUpdated:
		return fmt.Sprintf("environment %s updated%s", p.Name, productionNote(p.Production))
	case events.EnvironmentDeleted:
		return fmt.Sprintf("environment %s deleted", p.Name)
	case events.PacticipantCreated:
		return fmt.Sprintf("application %s created", p.Name)
	case events.PacticipantUpdated:
		return fmt.Sprintf("application %s updated", p.Name)
	case events.MainBranchDetected:
		return fmt.Sprintf("main branch of %s set to %s", p.Pacticipant, p.Branch)
	case events.PacticipantDeleted:
		return fmt.Sprintf("application %s deleted", p.Name)
	case events.VersionCreated:
		return fmt.Sprintf("version %s of %s created", p.Number, p.Pacticipant)
	case events.VersionUpdated:
		return fmt.Sprintf("version %s of %s updated", p.Number, p.Pacticipant)
	case events.VersionAddedToBranch:
		return fmt.Sprintf("version %s of %s added to branch %s", p.Number, p.Pacticipant, p.Branch)
	case events.VersionRemovedFromBranch:
		return fmt.Sprintf("version %s of %s removed from branch %s", p.Number, p.Pacticipant, p.Branch)
	case events.VersionTagged:
		return fmt.Sprintf("version %s of %s tagged %s", p.Number, p.Pacticipant, p.Tag)
	case events.VersionTagRemoved:
		return fmt.Sprintf("tag %s removed from version %s of %s", p.Tag, p.Number, p.Pacticipant)
	case events.VersionDeleted:
		return fmt.Sprintf("version %s of %s deleted", p.Number, p.Pacticipant)
	case events.DeploymentRecorded:
		s := fmt.Sprintf("version %s of %s deployed to %s%s", p.Version, p.Pacticipant, env(p.EnvironmentUUID), instanceNote(p.ApplicationInstance))
		if replaced != "" {
			s += ", replacing " + replaced
		}
		return s
	case events.AutoUndeployed:
		return fmt.Sprintf("version %s of %s replaced in %s%s", p.Version, p.Pacticipant, env(p.EnvironmentUUID), instanceNote(p.ApplicationInstance))
	case events.Undeployed:
		return fmt.Sprintf("version %s of %s undeployed from %s%s", p.Version, p.Pacticipant, env(p.EnvironmentUUID), instanceNote(p.ApplicationInstance))
	case events.ReleaseRecorded:
		return fmt.Sprintf("version %s of %s released to %s", p.Version, p.Pacticipant, env(p.EnvironmentUUID))
	case events.ReleaseSupportResumed:
		return fmt.Sprintf("version %s of %s released to %s again (support resumed)", p.Version, p.Pacticipant, env(p.EnvironmentUUID))
	case events.SupportEnded:
		return fmt.Sprintf("support ended for version %s of %s in %s", p.Version, p.Pacticipant, env(p.EnvironmentUUID))
	case events.PactContentStored:
		if p.Parts > 0 {
			return fmt.Sprintf("pact content %s stored (part %d of %d)", shortSHA(p.SHA), p.Part, p.Parts)
		}
		return fmt.Sprintf("pact content %s stored (%d interactions, %d messages)", shortSHA(p.SHA), p.InteractionsCount, p.MessagesCount)
	case events.PactPublished:
		how := "published"
		if p.Merged {
			how = "merged"
		}
		return fmt.Sprintf("pact between %s version %s and %s %s (revision %d, content %s)",
			p.Consumer, p.ConsumerVersion, p.Provider, how, p.Revision, shortSHA(p.SHA))
	case events.PactDeleted:
		return fmt.Sprintf("pact between %s version %s and %s deleted", p.Consumer, p.ConsumerVersion, p.Provider)
	case events.VerificationPublished:
		outcome := "failed"
		if p.Success {
			outcome = "passed"
		}
		return fmt.Sprintf("verification of the pact between %s and %s (content %s) by %s version %s %s (result %d)",
			p.Consumer, p.Provider, shortSHA(p.SHA), p.Provider, p.ProviderVersion, outcome, p.Number)
	case events.WebhookCreated:
		return webhookSummary(p.UUID, p.Description, "created")
	case events.WebhookUpdated:
		return webhookSummary(p.UUID, p.Description, "updated")
	case events.WebhookDeleted:
		return webhookSummary(p.UUID, "", "deleted")
	case events.ProviderContractContentStored:
		return fmt.Sprintf("provider contract content %s stored", shortSHA(p.SHA))
	case events.ProviderContractPublished:
		return fmt.Sprintf("provider contract of %s version %s published (content %s)", p.Provider, p.ProviderVersion, shortSHA(p.SHA))
	case events.ComparisonCompleted:
		outcome := "incompatible"
		if p.Success {
			outcome = "compatible"
		}
		return fmt.Sprintf("pact content %s compared with provider contract %s: %s (%d mismatches)",
			shortSHA(p.PactSHA), shortSHA(p.ContractSHA), outcome, len(p.Mismatches)+p.Truncated)
	case events.WebhookTriggered:
		return fmt.Sprintf("webhook %s triggered by %s (delivery %s)", p.WebhookUUID, p.EventName, p.DeliveryID)
	case events.WebhookAttemptRecorded:
		outcome := "failed"
		if p.Success {
			outcome = "succeeded"
		}
		return fmt.Sprintf("webhook %s delivery %s attempt %d %s (status %d)", p.WebhookUUID, p.DeliveryID, p.Attempt, outcome, p.Status)
	case events.WebhookDeliverySucceeded:
		return fmt.Sprintf("webhook %s delivery %s succeeded after %d attempts", p.WebhookUUID, p.DeliveryID, p.Attempts)
	case events.WebhookDeliveryAbandoned:
		return fmt.Sprintf("webhook %s delivery %s abandoned after %d attempts: %s", p.WebhookUUID, p.DeliveryID, p.Attempts, p.Reason)
	case events.TokenIssued:
		return fmt.Sprintf("token %s (%s) issued with role %s", p.ID, p.Name, p.Role)
	case events.TokenRevoked:
		return fmt.Sprintf("token %s revoked", p.ID)
	case nil:
		return ""
	}
	return p.EventType()
}

func productionNote(production bool) string {
	if production {
		return " (production)"
	}
	return ""
}

// instanceNote names the application instance; the null instance is unnamed.
func instanceNote(instance *string) string {
	if instance == nil {
		return ""
	}
	return " (instance " + *instance + ")"
}

func shortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

func webhookSummary(uuid, description, what string) string {
	if description = strings.TrimSpace(description); description != "" {
		return fmt.Sprintf("webhook %s (%s) %s", uuid, description, what)
	}
	return fmt.Sprintf("webhook %s %s", uuid, what)
}

// versionRef is one application version an event concerns.
type versionRef struct{ pacticipant, version string }

// versionsOf lists the application versions an event concerns: the version
// events' version, a deployment's or release's version, a pact's consumer
// version, a verification's provider version.
func versionsOf(p events.Payload) []versionRef {
	switch p := p.(type) {
	case events.VersionCreated:
		return []versionRef{{p.Pacticipant, p.Number}}
	case events.VersionUpdated:
		return []versionRef{{p.Pacticipant, p.Number}}
	case events.VersionAddedToBranch:
		return []versionRef{{p.Pacticipant, p.Number}}
	case events.VersionRemovedFromBranch:
		return []versionRef{{p.Pacticipant, p.Number}}
	case events.VersionTagged:
		return []versionRef{{p.Pacticipant, p.Number}}
	case events.VersionTagRemoved:
		return []versionRef{{p.Pacticipant, p.Number}}
	case events.VersionDeleted:
		return []versionRef{{p.Pacticipant, p.Number}}
	case events.DeploymentRecorded:
		if p.Replaces != nil { // it also concerns the version it replaced, as an AutoUndeployed did
			return []versionRef{{p.Pacticipant, p.Version}, {p.Replaces.Pacticipant, p.Replaces.Version}}
		}
		return []versionRef{{p.Pacticipant, p.Version}}
	case events.AutoUndeployed:
		return []versionRef{{p.Pacticipant, p.Version}}
	case events.Undeployed:
		return []versionRef{{p.Pacticipant, p.Version}}
	case events.ReleaseRecorded:
		return []versionRef{{p.Pacticipant, p.Version}}
	case events.ReleaseSupportResumed:
		return []versionRef{{p.Pacticipant, p.Version}}
	case events.SupportEnded:
		return []versionRef{{p.Pacticipant, p.Version}}
	case events.PactPublished:
		return []versionRef{{p.Consumer, p.ConsumerVersion}}
	case events.PactDeleted:
		return []versionRef{{p.Consumer, p.ConsumerVersion}}
	case events.VerificationPublished:
		return []versionRef{{p.Provider, p.ProviderVersion}}
	case events.ProviderContractPublished:
		return []versionRef{{p.Provider, p.ProviderVersion}}
	}
	return nil
}

// concernsVersion reports whether the event concerns version number of
// pacticipant (of any application when pacticipant is "").
func concernsVersion(p events.Payload, pacticipant, number string) bool {
	for _, v := range versionsOf(p) {
		if v.version == number && (pacticipant == "" || v.pacticipant == pacticipant) {
			return true
		}
	}
	return false
}
