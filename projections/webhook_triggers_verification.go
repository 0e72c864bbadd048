package projections

import (
	"strings"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// requiringVerification is contract_requiring_verification_published, as
// the Pact Broker fires it: on a publication, one trigger per provider
// version that has not verified this content yet, among the head of the
// provider's main branch and every version deployed or released (and
// supported) in an environment; with providerVersionNumber,
// providerVersionBranch and providerVersionDescriptions ("latest from main
// branch", "deployed in production", …).
func (d triggerDeriver) requiringVerification(e events.Envelope, p events.PactPublished, params func() map[string]string,
	scope func(*events.WebhookTriggered)) []events.WebhookTriggered {
	const event = "contract_requiring_verification_published"
	hooks := d.webhooks.Triggered(event, p.Consumer, p.Provider, nil, nil)
	if len(hooks) == 0 {
		return nil
	}
	var order []string
	why := map[string][]string{}
	add := func(version, description string) {
		if _, seen := why[version]; !seen {
			order = append(order, version)
		}
		why[version] = append(why[version], description)
	}
	if pv, ok := d.catalog.Pacticipant(p.Provider); ok && pv.MainBranch != "" {
		if head, ok := d.catalog.BranchHead(p.Provider, pv.MainBranch); ok {
			add(head, "latest from main branch")
		}
	}
	for _, env := range d.catalog.Environments() {
		deployed, released := d.deployments.LiveVersions(env.UUID, p.Provider)
		for _, v := range deployed {
			add(v, "deployed in "+env.Name)
		}
		for _, v := range released {
			add(v, "released in "+env.Name)
		}
	}
	key := domain.PactVersionKey{Consumer: p.Consumer, Provider: p.Provider, SHA: p.SHA}
	var out []events.WebhookTriggered
	for _, version := range order {
		if _, verified := d.contracts.LatestVerificationFor(key, version); verified {
			continue
		}
		withProvider := func() map[string]string {
			m := params()
			for k, v := range d.versionParams(p.Provider, version, "provider") {
				if k != domain.ParamBuildURL {
					m[k] = v
				}
			}
			m[domain.ParamProviderVersionDescriptions] = strings.Join(why[version], ", ")
			return m
		}
		out = append(out, d.triggersFor(e, event, version, hooks, withProvider, scope)...)
	}
	return out
}
