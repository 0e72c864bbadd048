package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/projections"
)

// Provider states of the Ruby client's V2 pact with the Pact Broker, set up
// through pactledger's commands as the Pact Broker's own harness sets them up
// (spec/service_consumers/shared_provider_states.rb, written from reading it;
// summary in the API notes §11.5).
//
// The commands are run by a second commands.Service over the application's
// log and read models (the same events the HTTP API would write), for two
// things app.Start's Service cannot do:
//   - fixed uuids: the pact names environments and a deployed version by uuid,
//     and the commands take no uuid; this Service's id source hands out the
//     uuid the state needs (ids.next) before the command that mints one.
//   - revised pacts: the Ruby states "revise" a pact (replace a consumer
//     version's content); this Service allows contract modification, the
//     HTTP API's keeps the default.

// conformanceUUIDs are the fixed uuids the pact expects.
const (
	envUUIDTest16926   = "16926ef3-590f-4e3f-838e-719717aa88c9"
	envUUIDTestCB632   = "cb632df3-0a0d-4227-aac3-60114dd36479"
	deployedUUIDFF3A   = "ff3adecf-cfc5-4653-a4e3-f1861092f8e0"
	versionSHA5556     = "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30"
	pricingServiceRepo = "git@git.realestate.com.au:business-systems/pricing-service"
	webhookUUID696C    = "696c5f93-1b7f-44bc-8d03-59440fcaa9a0"
)

// errStateUnsupported marks a state pactledger cannot set up yet.
var errStateUnsupported = errors.New("provider state cannot be set up")

// fixedIDs is a Service's id source: queued ids first, then random ones.
type fixedIDs struct {
	mu    sync.Mutex
	queue []string
}

func (f *fixedIDs) next(ids ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue = append(f.queue, ids...)
}

func (f *fixedIDs) newID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queue) == 0 {
		return uuid.NewString()
	}
	id := f.queue[0]
	f.queue = f.queue[1:]
	return id
}

// stateLookups joins the read models into what commands need, as app does.
type stateLookups struct {
	*projections.Catalog
	*projections.Deployments
	*projections.Contracts
}

// PacticipantExists implements commands.PacticipantChecker.
func (l stateLookups) PacticipantExists(name string) bool {
	_, ok := l.Catalog.Pacticipant(name)
	return ok
}

// stateBuilder sets up provider states in one application.
type stateBuilder struct {
	ctx      context.Context
	svc      *commands.Service
	webhooks *commands.Webhooks
	ids      *fixedIDs
	serial   int // makes each pact's content unique
	err      error
}

func newStateBuilder(ctx context.Context, a *app.App) *stateBuilder {
	ids := &fixedIDs{}
	look := stateLookups{a.Catalog, a.Deployments, a.Contracts}
	svc := commands.New(a.Log, a.Runner, look, nil, ids.newID)
	svc.AllowContractModification = true
	return &stateBuilder{ctx: ctx, svc: svc, webhooks: svc.Webhooks(a.WebhookCommands.Policy(), look), ids: ids}
}

// fail keeps the first error; later steps are skipped.
func (b *stateBuilder) fail(step string, err error) {
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("%s: %w", step, err)
	}
}

func (b *stateBuilder) pacticipant(name string, repositoryURL string) *stateBuilder {
	if b.err != nil {
		return b
	}
	var patch domain.PacticipantPatch
	if repositoryURL != "" {
		patch.RepositoryURL = &repositoryURL
	}
	b.fail("create pacticipant "+name, b.svc.CreatePacticipant(b.ctx, name, patch))
	return b
}

func (b *stateBuilder) version(pacticipant, number string) *stateBuilder {
	if b.err != nil {
		return b
	}
	_, err := b.svc.UpsertVersion(b.ctx, domain.VersionKey{Pacticipant: pacticipant, Number: number}, domain.VersionUpsert{})
	b.fail("create version "+pacticipant+" "+number, err)
	return b
}

func (b *stateBuilder) tag(pacticipant, number, tag string) *stateBuilder {
	if b.err != nil {
		return b
	}
	_, err := b.svc.TagVersion(b.ctx, domain.VersionKey{Pacticipant: pacticipant, Number: number}, tag)
	b.fail("tag "+pacticipant+" "+number+" "+tag, err)
	return b
}

func (b *stateBuilder) branch(pacticipant, number, branch string) *stateBuilder {
	if b.err != nil {
		return b
	}
	_, err := b.svc.AddVersionToBranch(b.ctx, domain.VersionKey{Pacticipant: pacticipant, Number: number}, branch)
	b.fail("branch "+pacticipant+" "+number+" "+branch, err)
	return b
}

// environment creates an environment as the Ruby TestDataBuilder does:
// display name the camel-cased name, not production. An empty id is random.
func (b *stateBuilder) environment(name, id string, contacts ...events.Contact) *stateBuilder {
	if b.err != nil {
		return b
	}
	if id != "" {
		b.ids.next(id)
	}
	no := false
	got, err := b.svc.CreateEnvironment(b.ctx, domain.EnvironmentInput{
		Name: name, DisplayName: camelCase(name), Production: &no, Contacts: contacts,
	})
	if err == nil && id != "" && got != id {
		err = fmt.Errorf("created with uuid %s, want %s", got, id)
	}
	b.fail("create environment "+name, err)
	return b
}

func camelCase(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func (b *stateBuilder) deploy(pacticipant, number, environmentUUID, id string, instance *string) *stateBuilder {
	if b.err != nil {
		return b
	}
	b.ids.next(id)
	ref, err := b.svc.RecordDeployment(b.ctx, domain.VersionKey{Pacticipant: pacticipant, Number: number}, environmentUUID, instance)
	if err == nil && ref.DeploymentID != id {
		err = fmt.Errorf("recorded as %s, want %s", ref.DeploymentID, id)
	}
	b.fail("deploy "+pacticipant+" "+number, err)
	return b
}

// webhook creates a webhook with a fixed uuid for consumer and provider, as
// the Ruby TestDataBuilder's create_webhook: POST to https://example.org on
// contract_content_changed.
func (b *stateBuilder) webhook(uuid, consumer, provider string) *stateBuilder {
	if b.err != nil {
		return b
	}
	method, target := "POST", "https://example.org"
	_, err := b.webhooks.PutWebhook(b.ctx, uuid, domain.WebhookInput{
		Consumer: &domain.WebhookScopeInput{Name: consumer}, Provider: &domain.WebhookScopeInput{Name: provider},
		Request: &domain.WebhookRequestInput{Method: &method, URL: &target},
	})
	b.fail("create webhook "+uuid, err)
	return b
}

// Pact contents as the Ruby TestDataBuilder makes them. The SHA of a pact
// covers only what affects verification (its interactions and pact
// specification version) when it has interactions, and the whole document
// otherwise; so, as in the Ruby states:
//   - defaultPact content (no interactions, spec 4.0, a random field) has the
//     same SHA in every pact of a consumer and provider;
//   - revisedContent (no interactions key, a random field) has a SHA of its
//     own every time;
//   - randomPact content (one interaction with a random path) too.
const (
	defaultPact    = `{"consumer":{"name":%q},"provider":{"name":%q},"interactions":[],"metadata":{"pactSpecification":{"version":"4.0"}},"random":%d}`
	revisedContent = `{"consumer":{"name":%q},"provider":{"name":%q},"random":%d}`
	randomPact     = `{"consumer":{"name":%q},"provider":{"name":%q},"interactions":[{"description":"a request","request":{"method":"GET","path":"/things/%d"},"response":{"status":200}}]}`
)

// publish publishes content (one of the formats above) as consumer
// version's pact with provider and returns its SHA. A consumer version that
// has a pact gets a new revision (this Service allows it).
func (b *stateBuilder) publish(format, consumer, version, provider string) string {
	if b.err != nil {
		return ""
	}
	b.serial++
	doc, err := domain.ParsePact(fmt.Appendf(nil, format, consumer, provider, b.serial))
	if err != nil {
		b.fail("pact content", err)
		return ""
	}
	res, err := b.svc.PublishPact(b.ctx, commands.PublishPact{
		Key: domain.PactKey{Consumer: consumer, Provider: provider, ConsumerVersion: version}, Doc: doc,
	})
	b.fail(fmt.Sprintf("publish pact %s %s -> %s", consumer, version, provider), err)
	return res.SHA
}

// pact is Ruby's create_pact: the default content.
func (b *stateBuilder) pact(consumer, version, provider string) string {
	return b.publish(defaultPact, consumer, version, provider)
}

// revisedPact is Ruby's create_pact followed by revise_pact: the pact's
// content is then replaced by content of a SHA of its own.
func (b *stateBuilder) revisedPact(consumer, version, provider string) string {
	b.pact(consumer, version, provider)
	return b.publish(revisedContent, consumer, version, provider)
}

func (b *stateBuilder) verify(consumer, provider, sha, providerVersion string, success bool) *stateBuilder {
	if b.err != nil {
		return b
	}
	_, err := b.svc.PublishVerification(b.ctx, domain.PublishVerification{
		Pact:            domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: sha},
		ProviderVersion: providerVersion, Success: success,
		TestResults: []byte(`{"some":"results"}`),
	})
	b.fail(fmt.Sprintf("verify %s %s by %s %s", consumer, sha, provider, providerVersion), err)
	return b
}

// conformanceStates maps each provider state of the pact to its setup. The
// empty state (an interaction without one) and the states the Ruby harness
// treats as no-ops set nothing up: the application is fresh either way.
var conformanceStates = map[string]func(b *stateBuilder){
	"": nil,

	// No-ops in the Ruby harness (shared_noop_provider_states).
	"the pacticipant relations are present":                                                nil,
	"the pb:environments relation exists in the index resource":                            nil,
	"the pb:latest-tagged-version relation exists in the index resource":                   nil,
	"the pb:latest-version relation exists in the index resource":                          nil,
	"the pb:pacticipant-branch relation exists in the index resource":                      nil,
	"the pb:pacticipant-version and pb:environments relations exist in the index resource": nil,
	"the pb:publish-contracts relations exists in the index resource":                      nil,
	"the 'Pricing Service' does not exist in the pact-broker":                              nil,
	"no pact between Condor and the Pricing Service exists":                                nil,
	"'Condor' does not exist in the pact-broker":                                           nil,

	"an environment with name test and UUID 16926ef3-590f-4e3f-838e-719717aa88c9 exists": func(b *stateBuilder) {
		b.environment("test", envUUIDTest16926)
	},
	"an environment with name test exists": func(b *stateBuilder) {
		b.environment("test", "")
	},
	"an environment exists": func(b *stateBuilder) {
		b.environment("test", "", events.Contact{Name: "foo", Details: map[string]any{"emailAddress": "foo@bar.com"}})
	},
	"an version is deployed to environment with UUID 16926ef3-590f-4e3f-838e-719717aa88c9 with target customer-1": func(b *stateBuilder) {
		instance := "customer-1"
		b.environment("test", envUUIDTest16926).
			pacticipant("Foo", "").version("Foo", versionSHA5556).
			deploy("Foo", versionSHA5556, envUUIDTest16926, deployedUUIDFF3A, &instance)
	},
	"a currently deployed version exists": func(b *stateBuilder) {
		b.environment("test", envUUIDTestCB632).
			pacticipant("Foo", "").version("Foo", versionSHA5556).
			deploy("Foo", versionSHA5556, envUUIDTestCB632, deployedUUIDFF3A, nil)
	},
	"version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for deployment": func(b *stateBuilder) {
		b.pacticipant("Foo", "").version("Foo", versionSHA5556).environment("test", envUUIDTestCB632)
	},
	"version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for release": func(b *stateBuilder) {
		b.environment("test", envUUIDTestCB632).pacticipant("Foo", "").version("Foo", versionSHA5556)
	},
	"version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with 2 environments that aren't test available for deployment": func(b *stateBuilder) {
		b.pacticipant("Foo", "").version("Foo", versionSHA5556).environment("prod", "").environment("dev", "")
	},

	"a pacticipant with name Foo exists": func(b *stateBuilder) {
		b.pacticipant("Foo", "")
	},
	"a branch named main exists for pacticipant Foo": func(b *stateBuilder) {
		b.pacticipant("Foo", "").branch("Foo", "1", "main")
	},
	"the 'Pricing Service' already exists in the pact-broker": func(b *stateBuilder) {
		b.pacticipant("Pricing Service", pricingServiceRepo).version("Pricing Service", "1.3.0")
	},
	"the 'Pricing Service' and 'Condor' already exist in the pact-broker": func(b *stateBuilder) {
		b.pacticipant("Condor", "").pacticipant("Pricing Service", "")
	},
	"'Condor' exists in the pact-broker": func(b *stateBuilder) {
		b.pacticipant("Condor", "").version("Condor", "1.3.0")
	},
	"'Condor' exists in the pact-broker with version 1.3.0, tagged with 'prod'": func(b *stateBuilder) {
		b.pacticipant("Condor", "").version("Condor", "1.3.0").tag("Condor", "1.3.0", "prod")
	},
	"'Condor' exists in the pact-broker with the latest tagged 'production' version 1.2.3": func(b *stateBuilder) {
		b.pacticipant("Condor", "").version("Condor", "1.2.3").tag("Condor", "1.2.3", "production").version("Condor", "2.0.0")
	},
	"'Condor' exists in the pact-broker with the latest version 1.2.3": func(b *stateBuilder) {
		b.pacticipant("Condor", "").version("Condor", "1.0.0").version("Condor", "1.2.3")
	},

	"a pact between Condor and the Pricing Service exists":                                                                           condorPact(false, pricingServiceRepo),
	"the 'Pricing Service' and 'Condor' already exist in the pact-broker, and Condor already has a pact published for version 1.3.0": condorPact(false, pricingServiceRepo),
	"a latest pact between Condor and the Pricing Service exists":                                                                    condorPact(false, ""),
	"a pact between Condor and the Pricing Service exists for the production version of Condor":                                      condorPact(true, ""),
	"tagged as prod pact between Condor and the Pricing Service exists":                                                              condorPact(true, ""),

	"the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6":       verifiedTwiceThenAgain("Foo"),
	"the pact for Foo Thing version 1.2.3 has been verified by Bar version 4.5.6": verifiedTwiceThenAgain("Foo Thing"),
	"the pact for Foo version 1.2.3 and 1.2.4 has been verified by Bar version 4.5.6": func(b *stateBuilder) {
		b.verify("Foo", "Bar", b.revisedPact("Foo", "1.2.3", "Bar"), "4.5.6", true)
		b.verify("Foo", "Bar", b.revisedPact("Foo", "1.2.4", "Bar"), "4.5.6", true)
	},
	"the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6, and 1.2.4 unsuccessfully by 9.9.9": func(b *stateBuilder) {
		b.verify("Foo", "Bar", b.revisedPact("Foo", "1.2.3", "Bar"), "4.5.6", true)
		b.verify("Foo", "Bar", b.revisedPact("Foo", "1.2.4", "Bar"), "9.9.9", false)
	},
	"the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 with tag prod, and 1.2.4 unsuccessfully by 9.9.9": func(b *stateBuilder) {
		b.verify("Foo", "Bar", b.revisedPact("Foo", "1.2.3", "Bar"), "4.5.6", true).tag("Bar", "4.5.6", "prod")
		b.verify("Foo", "Bar", b.revisedPact("Foo", "1.2.4", "Bar"), "9.9.9", false)
	},
	"the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6 and version 5.6.7": func(b *stateBuilder) {
		sha := b.revisedPact("Foo", "1.2.3", "Bar")
		b.verify("Foo", "Bar", sha, "4.5.6", true).verify("Foo", "Bar", sha, "5.6.7", true)
	},
	"the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 (tagged prod) and version 5.6.7": func(b *stateBuilder) {
		sha := b.pact("Foo", "1.2.3", "Bar")
		b.verify("Foo", "Bar", sha, "4.5.6", true).tag("Bar", "4.5.6", "prod").verify("Foo", "Bar", sha, "5.6.7", true)
	},
	"provider Bar version 4.5.6 has a successful verification for Foo version 1.2.3 tagged prod and a failed verification for version 3.4.5 tagged prod": func(b *stateBuilder) {
		b.pacticipant("Foo", "").pacticipant("Bar", "").version("Foo", "1.2.3").tag("Foo", "1.2.3", "prod")
		b.verify("Foo", "Bar", b.pact("Foo", "1.2.3", "Bar"), "4.5.6", true)
		b.version("Foo", "3.4.5").tag("Foo", "3.4.5", "prod")
		b.verify("Foo", "Bar", b.publish(randomPact, "Foo", "3.4.5", "Bar"), "4.5.6", false)
	},

	"a webhook with the uuid 696c5f93-1b7f-44bc-8d03-59440fcaa9a0 exists": func(b *stateBuilder) {
		b.pacticipant("Condor", "").pacticipant("Pricing Service", "").
			webhook(webhookUUID696C, "Condor", "Pricing Service")
	},
}

// condorPact: Condor version 1.3.0 (tagged prod if asked) has a pact with the
// Pricing Service (created with repositoryURL when given, as the Ruby
// create_pricing_service does).
func condorPact(prod bool, repositoryURL string) func(b *stateBuilder) {
	return func(b *stateBuilder) {
		b.pacticipant("Condor", "").version("Condor", "1.3.0")
		if prod {
			b.tag("Condor", "1.3.0", "prod")
		}
		b.pacticipant("Pricing Service", repositoryURL)
		b.pact("Condor", "1.3.0", "Pricing Service")
	}
}

// verifiedTwiceThenAgain: consumer 1.2.3's pact with Bar, revised, verified
// by Bar 4.5.6 and then 7.8.9; consumer 2.0.0's pact, revised, verified by
// Bar 4.5.6.
func verifiedTwiceThenAgain(consumer string) func(b *stateBuilder) {
	return func(b *stateBuilder) {
		sha := b.revisedPact(consumer, "1.2.3", "Bar")
		b.verify(consumer, "Bar", sha, "4.5.6", true).verify(consumer, "Bar", sha, "7.8.9", true)
		b.verify(consumer, "Bar", b.revisedPact(consumer, "2.0.0", "Bar"), "4.5.6", true)
	}
}
