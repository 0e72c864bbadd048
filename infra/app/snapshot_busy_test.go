package app_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/projections"
)

// recordingComparator refuses to compare: the snapshot tests record their
// comparisons themselves, so no background comparison appends to the log
// while two Apps are compared at one position.
type recordingComparator struct{}

func (recordingComparator) Compare(context.Context, domain.ComparisonInput) (domain.ComparisonOutcome, error) {
	return domain.ComparisonOutcome{}, errors.New("the test records comparisons itself")
}

// createWebhook creates a webhook on pacts and deployments; busy calls it
// first, so that its commands trigger it.
func createWebhook(t *testing.T, a *app.App, from int) {
	t.Helper()
	method, url := "POST", "https://ci.example.com/hook"
	if _, err := a.WebhookCommands.CreateWebhook(context.Background(), domain.WebhookInput{Description: fmt.Sprintf("from %d", from),
		Events: []string{"contract_published", "deployment_recorded"}, Request: &domain.WebhookRequestInput{Method: &method, URL: &url}}); err != nil {
		t.Fatal(err)
	}
}

// busyExtras writes, for versions from..to-1, what busy does not: the
// triggers of createWebhook's webhooks recorded and attempted (retried, succeeded, abandoned; some left in the
// outbox), tokens issued and revoked, provider contracts of API (the
// provider of Web's pacts) and their comparisons with Web's pacts.
func busyExtras(t *testing.T, a *app.App, from, to int) {
	t.Helper()
	ctx := context.Background()
	for v := from; v < to; v++ {
		number := fmt.Sprintf("1.0.%d", v)
		content := fmt.Appendf(nil, "openapi: 3.0.0\ninfo: {title: API, version: '%d'}\npaths: {}\n", v/3)
		res, err := a.Commands.PublishProviderContract(ctx, commands.PublishProviderContract{Provider: "API", Version: number,
			Content: content, ContentType: "application/yaml", Specification: "oas",
			SelfVerification: &events.SelfVerification{Success: v%4 != 1, Content: []byte("report"), ContentType: "text/plain"}})
		if err != nil {
			t.Fatal(err)
		}
		pact, ok := a.Contracts.Pact(domain.PactKey{Consumer: "Web", Provider: "API", ConsumerVersion: number})
		if !ok {
			t.Fatalf("no pact of Web %s", number)
		}
		out := domain.ComparisonOutcome{Success: v%3 != 2, Engine: "test/1"}
		if !out.Success {
			out.Mismatches = []domain.Mismatch{{Code: "response.status.unknown", Type: domain.MismatchError, Message: "no such status", Interaction: "d"}}
		}
		if err := a.Commands.RecordComparison(ctx, domain.ComparisonKey{PactSHA: pact.SHA, ContractSHA: res.SHA}, out, time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if v%3 == 0 {
			tok, err := a.Commands.IssueToken(ctx, "ci "+number, []string{"read", "write", "admin"}[v%9/3])
			if err != nil {
				t.Fatal(err)
			}
			if v%2 == 0 {
				if err := a.Commands.RevokeToken(ctx, tok.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		deliver(t, a, v)
	}
}

// deliver records the triggers of the outbox, but those whose cause's
// position is a multiple of 3 (they stay in the outbox, across snapshots),
// and attempts them as v says.
func deliver(t *testing.T, a *app.App, v int) {
	t.Helper()
	ctx := context.Background()
	for i, tr := range a.WebhookDeliveries.Outbox() {
		if tr.CausePosition%3 == 0 {
			continue
		}
		if err := a.DeliveryCommands.Trigger(ctx, tr.WebhookTriggered); err != nil {
			t.Fatal(err)
		}
		id := tr.DeliveryID
		var err error
		switch (v + i) % 4 {
		case 0: // fails, then succeeds
			if err = a.DeliveryCommands.RecordAttempt(ctx, id, domain.WebhookAttempt{Number: 1, Status: 503, Error: "unavailable"}); err == nil {
				err = a.DeliveryCommands.RecordAttempt(ctx, id, domain.WebhookAttempt{Number: 2, Status: 200, Success: true})
			}
		case 1: // waits for its retry
			err = a.DeliveryCommands.RecordAttempt(ctx, id, domain.WebhookAttempt{Number: 1, Status: 500, Duration: time.Second})
		case 2:
			err = a.DeliveryCommands.Abandon(ctx, id, "webhook disabled")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// modelAnswers renders what the queries of tokens, provider contracts,
// history and webhook deliveries return, for comparing two Apps.
func modelAnswers(t *testing.T, a *app.App) string {
	t.Helper()
	var out []any
	next, pending := a.WebhookDeliveries.NextDue()
	outbox := a.WebhookDeliveries.Outbox() // in cause order; one cause's triggers in any order
	slices.SortFunc(outbox, func(x, y projections.PendingTrigger) int {
		return cmp.Or(cmp.Compare(x.CausePosition, y.CausePosition), cmp.Compare(x.DeliveryID, y.DeliveryID))
	})
	out = append(out, outbox, a.WebhookDeliveries.Due(time.Now().Add(24*time.Hour)), next, pending,
		a.WebhookDeliveries.Matching(func(projections.DeliveryView) bool { return true }), a.Tokens.List())
	for _, c := range a.ProviderContracts.ContractsOf("API") {
		content, _ := a.ProviderContracts.Content(c.SHA)
		out = append(out, c, content, a.ProviderContracts.PactsComparedWith(c.SHA))
		for _, pact := range a.ProviderContracts.PactsComparedWith(c.SHA) {
			cmp, ok := a.ProviderContracts.Comparison(domain.ComparisonKey{PactSHA: pact, ContractSHA: c.SHA})
			out = append(out, cmp, ok, a.ProviderContracts.ContractsComparedWith(pact))
		}
	}
	h := a.History
	out = append(out, h.Head(), h.Events())
	for _, f := range []projections.HistoryFilter{{}, {Pacticipant: "API"}, {Pacticipant: "Web", Environment: "test"},
		{Types: []string{"WebhookTriggered", "TokenRevoked", "ComparisonCompleted"}}} {
		out = append(out, h.Positions(f, 0, 1<<20))
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
