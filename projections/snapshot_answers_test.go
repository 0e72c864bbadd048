package projections_test

import (
	"slices"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/projections"
)

// newModelAnswers renders what the queries of webhook deliveries, tokens,
// provider contracts and history return for everything the log names
// (answers adds the other models').
func newModelAnswers(ms []projections.Snapshotter, log []events.Envelope) []any {
	w := ms[iDeliveries].(*projections.WebhookDeliveries)
	tk := ms[iTokens].(*projections.Tokens)
	pc := ms[iProviderContracts].(*projections.ProviderContracts)
	h := ms[iHistory].(*projections.History)
	var out []any
	next, pending := w.NextDue()
	out = append(out, w.Outbox(), w.Due(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)), next, pending,
		w.Matching(func(projections.DeliveryView) bool { return true }), w.ForWebhook("hook-all"))
	tok, ok := tk.Token("TOK-0")
	out = append(out, tk.List(), tok, ok)
	apps := []string{"app-000", "app-001", "app-002", "app-003", "app-004", "app-005"}
	for _, app := range apps {
		out = append(out, pc.HasContracts(app), pc.ContractsOf(app))
		for _, sha := range []string{"oas-1", "oas-2", "oas-3"} {
			vs := pc.VersionsWithContract(app, sha)
			slices.Sort(vs)
			out = append(out, vs)
		}
	}
	for _, sha := range []string{"oas-1", "oas-2", "oas-3"} {
		c, ok := pc.Content(sha)
		out = append(out, c, ok, pc.PactsComparedWith(sha))
	}
	for _, e := range log {
		if c, isComparison := e.Data.(events.ComparisonCompleted); isComparison {
			v, ok := pc.Comparison(domain.ComparisonKey{PactSHA: c.PactSHA, ContractSHA: c.ContractSHA})
			out = append(out, v, ok, pc.ContractsComparedWith(c.PactSHA))
		}
	}
	out = append(out, h.Head(), h.Events())
	filters := []projections.HistoryFilter{{}, {Types: []string{"WebhookTriggered", "TokenIssued", "ProviderContractPublished", "Nope"}}}
	for _, app := range apps {
		filters = append(filters, projections.HistoryFilter{Pacticipant: app}, projections.HistoryFilter{Pacticipant: app, Environment: "test"})
	}
	for _, env := range []string{"test", "staging", "stage", "env-staging-1", "env-staging-2", snapshotEnv} {
		filters = append(filters, projections.HistoryFilter{Environment: env})
		name, ok := h.EnvironmentName(env)
		out = append(out, name, ok)
	}
	for i := 0; i < len(log); i += 1 + len(log)/20 {
		e := log[i]
		filters = append(filters, projections.HistoryFilter{From: e.OccurredAt, To: e.OccurredAt.Add(time.Second)})
		next, ok := h.Next(e.Position)
		out = append(out, h.PositionAt(e.OccurredAt), next, ok, h.Positions(projections.HistoryFilter{}, e.Position, 7))
	}
	for _, f := range filters {
		out = append(out, h.Positions(f, 0, 1<<20))
	}
	for _, typ := range []string{"ComparisonCompleted", "WebhookDeliveryAbandoned", "Nope"} {
		out = append(out, h.KnownType(typ))
	}
	return out
}
