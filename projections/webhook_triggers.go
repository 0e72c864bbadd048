package projections

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// triggerDeriver turns one log event into the webhook triggers it causes.
// It reads the other read models, which hold the state just before the
// event (see WebhookDeliveries).
//
// Which event fires which webhook event:
//
//   - PactPublished: contract_published; contract_content_changed when
//     the pair's latest pact had other content, or none.
//
//   - VerificationPublished: provider_verification_published, and
//     provider_verification_succeeded or _failed.
//
//   - DeploymentRecorded: deployment_recorded; Undeployed (explicit):
//     deployment_undeployed (a replaced deployment is reported as
//     replacedVersionNumber of the new one, from its Replaces or, in older
//     logs, the current deployment just before it; the AutoUndeployed of
//     older logs fires nothing).
//
//   - ReleaseRecorded and ReleaseSupportResumed: release_recorded;
//     SupportEnded: release_support_ended.
//
//   - PactPublished also: contract_requiring_verification_published, once
//     per provider version that has not verified the content (see
//     requiringVerification).
type triggerDeriver struct {
	baseURL     string
	webhooks    *Webhooks
	catalog     *Catalog
	deployments *Deployments
	contracts   *Contracts
}

func (d triggerDeriver) derive(e events.Envelope) []events.WebhookTriggered {
	if d.webhooks == nil || !d.webhooks.anyEnabled() {
		return nil
	}
	switch p := e.Data.(type) {
	case events.PactPublished:
		return d.pactPublished(e, p)
	case events.VerificationPublished:
		return d.verificationPublished(e, p)
	case events.DeploymentRecorded:
		return d.forPacticipant(e, "deployment_recorded", p.Pacticipant, func() map[string]string {
			params := d.deploymentParams(p.DeploymentRef)
			if p.Replaces != nil {
				params[domain.ParamReplacedVersionNumber] = p.Replaces.Version
			} else if prev, ok := d.deployments.CurrentDeployment(p.Pacticipant, p.EnvironmentUUID, p.ApplicationInstance); ok &&
				prev.DeploymentID != p.DeploymentID {
				params[domain.ParamReplacedVersionNumber] = prev.Version
			}
			return params
		})
	case events.Undeployed:
		return d.forPacticipant(e, "deployment_undeployed", p.Pacticipant, func() map[string]string { return d.deploymentParams(p.DeploymentRef) })
	case events.ReleaseRecorded:
		return d.forPacticipant(e, "release_recorded", p.Pacticipant, func() map[string]string { return d.releaseParams(p.ReleaseRef) })
	case events.ReleaseSupportResumed:
		return d.forPacticipant(e, "release_recorded", p.Pacticipant, func() map[string]string { return d.releaseParams(p.ReleaseRef) })
	case events.SupportEnded:
		return d.forPacticipant(e, "release_support_ended", p.Pacticipant, func() map[string]string { return d.releaseParams(p.ReleaseRef) })
	}
	return nil
}

func (d triggerDeriver) pactPublished(e events.Envelope, p events.PactPublished) []events.WebhookTriggered {
	params := func() map[string]string {
		params := d.versionParams(p.Consumer, p.ConsumerVersion, "consumer")
		params[domain.ParamConsumerName], params[domain.ParamProviderName] = p.Consumer, p.Provider
		params[domain.ParamPactURL] = d.pactURL(p.Consumer, p.Provider, p.SHA)
		return params
	}
	scope := func(t *events.WebhookTriggered) {
		t.Consumer, t.Provider, t.ConsumerVersion, t.PactSHA = p.Consumer, p.Provider, p.ConsumerVersion, p.SHA
	}
	out := d.forPair(e, "contract_published", p.Consumer, p.Provider, params, scope)
	if prev, ok := d.contracts.LatestPact(p.Consumer, p.Provider); !ok || prev.SHA != p.SHA {
		out = append(out, d.forPair(e, "contract_content_changed", p.Consumer, p.Provider, params, scope)...)
	}
	return append(out, d.requiringVerification(e, p, params, scope)...)
}

func (d triggerDeriver) verificationPublished(e events.Envelope, p events.VerificationPublished) []events.WebhookTriggered {
	result := "provider_verification_failed"
	if p.Success {
		result = "provider_verification_succeeded"
	}
	params := func() map[string]string { return d.verificationParams(p) }
	scope := func(t *events.WebhookTriggered) {
		t.Consumer, t.Provider, t.PactSHA, t.VerificationNumber = p.Consumer, p.Provider, p.SHA, p.Number
	}
	out := d.forPair(e, "provider_verification_published", p.Consumer, p.Provider, params, scope)
	return append(out, d.forPair(e, result, p.Consumer, p.Provider, params, scope)...)
}

func (d triggerDeriver) verificationParams(p events.VerificationPublished) map[string]string {
	params := d.versionParams(p.Provider, p.ProviderVersion, "provider")
	if versions := d.contracts.ConsumerVersionsWithLatestSHA(domain.PactVersionKey{Consumer: p.Consumer, Provider: p.Provider, SHA: p.SHA}); len(versions) > 0 {
		for k, v := range d.versionParams(p.Consumer, versions[len(versions)-1], "consumer") {
			if k != domain.ParamBuildURL {
				params[k] = v
			}
		}
	}
	params[domain.ParamConsumerName], params[domain.ParamProviderName] = p.Consumer, p.Provider
	params[domain.ParamPactURL] = d.pactURL(p.Consumer, p.Provider, p.SHA)
	params[domain.ParamVerificationResultURL] = params[domain.ParamPactURL] + "/verification-results/" + strconv.Itoa(p.Number)
	if p.BuildURL != "" {
		params[domain.ParamBuildURL] = p.BuildURL
	}
	status := [4]string{"failure", "FAILED", "failed", "failed"}
	if p.Success {
		status = [4]string{"success", "SUCCESSFUL", "succeeded", "success"}
	}
	params[domain.ParamGithubVerificationStatus], params[domain.ParamBitbucketVerificationStatus] = status[0], status[1]
	params[domain.ParamAzureDevOpsVerification], params[domain.ParamGitlabVerificationStatus] = status[2], status[3]
	return params
}

// versionParams are a version's number, tags, branch and build URL, under
// the consumer's or provider's parameter names.
func (d triggerDeriver) versionParams(pacticipant, number, side string) map[string]string {
	params := map[string]string{}
	v, _ := d.catalog.Version(pacticipant, number)
	names := func(ms []Membership) string {
		out := make([]string, len(ms))
		for i, m := range ms {
			out[i] = m.Name
		}
		return strings.Join(out, ", ")
	}
	branch := ""
	if len(v.Branches) > 0 {
		branch = v.Branches[len(v.Branches)-1].Name
	}
	if side == "consumer" {
		params[domain.ParamConsumerVersionNumber] = number
		params[domain.ParamConsumerVersionTags] = names(v.Tags)
		params[domain.ParamConsumerVersionBranch] = branch
	} else {
		params[domain.ParamProviderVersionNumber] = number
		params[domain.ParamProviderVersionTags] = names(v.Tags)
		params[domain.ParamProviderVersionBranch] = branch
	}
	params[domain.ParamBuildURL] = v.BuildURL
	return params
}

func (d triggerDeriver) pactURL(consumer, provider, sha string) string {
	return strings.TrimRight(d.baseURL, "/") + "/pacts/provider/" + url.PathEscape(provider) +
		"/consumer/" + url.PathEscape(consumer) + "/pact-version/" + sha
}

func (d triggerDeriver) placeParams(pacticipant, version, environmentUUID string) map[string]string {
	params := d.versionParams(pacticipant, version, "")
	delete(params, domain.ParamProviderVersionNumber)
	delete(params, domain.ParamProviderVersionTags)
	delete(params, domain.ParamProviderVersionBranch)
	params[domain.ParamPacticipantName], params[domain.ParamVersionNumber] = pacticipant, version
	params[domain.ParamEnvironmentUUID] = environmentUUID
	if env, ok := d.catalog.Environment(environmentUUID); ok {
		params[domain.ParamEnvironmentName] = env.Name
		params[domain.ParamEnvironmentProduction] = strconv.FormatBool(env.Production)
	}
	return params
}

func (d triggerDeriver) deploymentParams(r events.DeploymentRef) map[string]string {
	params := d.placeParams(r.Pacticipant, r.Version, r.EnvironmentUUID)
	params[domain.ParamDeploymentID] = r.DeploymentID
	params[domain.ParamApplicationInstance] = ""
	if r.ApplicationInstance != nil {
		params[domain.ParamApplicationInstance] = *r.ApplicationInstance
	}
	params[domain.ParamReplacedVersionNumber] = ""
	return params
}

func (d triggerDeriver) releaseParams(r events.ReleaseRef) map[string]string {
	params := d.placeParams(r.Pacticipant, r.Version, r.EnvironmentUUID)
	params[domain.ParamReleaseID] = r.ReleaseID
	return params
}

// forPair triggers the webhooks of a consumer-provider event.
func (d triggerDeriver) forPair(e events.Envelope, event, consumer, provider string, params func() map[string]string,
	scope func(*events.WebhookTriggered)) []events.WebhookTriggered {
	hooks := d.webhooks.Triggered(event, consumer, provider, nil, nil)
	return d.triggers(e, event, hooks, params, scope)
}

// forPacticipant triggers the webhooks of a deployment or release event:
// a webhook fires when it names no pacticipant, or when either side it
// names (consumer or provider) is the deployed application.
func (d triggerDeriver) forPacticipant(e events.Envelope, event, pacticipant string, params func() map[string]string) []events.WebhookTriggered {
	hooks := d.webhooks.filter(func(v *WebhookView) bool {
		if !v.Enabled || !slices.Contains(v.Events, event) {
			return false
		}
		return v.Consumer == nil && v.Provider == nil ||
			v.Consumer != nil && sideMatches(v.Consumer, pacticipant, nil) ||
			v.Provider != nil && sideMatches(v.Provider, pacticipant, nil)
	})
	return d.triggers(e, event, hooks, params, func(t *events.WebhookTriggered) { t.Pacticipant = pacticipant })
}

// triggers makes one trigger per webhook that existed before e. The
// parameters are computed only when a webhook fires (most events trigger
// none, and rebuilds apply every event).
func (d triggerDeriver) triggers(e events.Envelope, event string, hooks []WebhookView, lazy func() map[string]string,
	scope func(*events.WebhookTriggered)) []events.WebhookTriggered {
	return d.triggersFor(e, event, "", hooks, lazy, scope)
}

// triggersFor is triggers with a discriminator: one event may trigger a
// webhook several times (once per provider version), each its own delivery.
func (d triggerDeriver) triggersFor(e events.Envelope, event, discriminator string, hooks []WebhookView,
	lazy func() map[string]string, scope func(*events.WebhookTriggered)) []events.WebhookTriggered {
	var out []events.WebhookTriggered
	var params map[string]string
	for _, h := range hooks {
		if h.Order >= e.Position {
			continue
		}
		if params == nil {
			params = lazy()
		}
		p := make(map[string]string, len(params)+1)
		for k, v := range params {
			p[k] = v
		}
		p[domain.ParamEventName] = event
		idEvent := event
		if discriminator != "" {
			idEvent += "\x00" + discriminator
		}
		t := events.WebhookTriggered{DeliveryID: domain.WebhookDeliveryID(h.UUID, idEvent, e.ID.String()),
			WebhookUUID: h.UUID, EventName: event, CauseEventID: e.ID.String(), CausePosition: e.Position, Params: p}
		scope(&t)
		out = append(out, t)
	}
	return out
}

// anyEnabled reports whether any webhook is enabled: the cheap test that
// lets a rebuild skip trigger derivation while there is none.
func (w *Webhooks) anyEnabled() bool {
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, v := range w.byUUID {
		if v.Enabled {
			return true
		}
	}
	return false
}
