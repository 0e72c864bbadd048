package app

import (
	"context"
	"testing"
	"time"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/infra/memstore"
)

// stuckComparator never finishes on its own.
type stuckComparator struct{}

func (stuckComparator) Compare(ctx context.Context, _ domain.ComparisonInput) (domain.ComparisonOutcome, error) {
	<-ctx.Done()
	return domain.ComparisonOutcome{}, ctx.Err()
}

func TestAComparisonThatTimesOutIsRecordedAsFailed(t *testing.T) {
	a := Start(memstore.New(), Options{Comparator: stuckComparator{}})
	a.comparisons.timeout = 20 * time.Millisecond // before any work: the workers read it only when comparing
	defer a.Close()
	ctx := context.Background()
	pact, _ := domain.ParsePact([]byte(`{"consumer":{"name":"Foo"},"provider":{"name":"Bar"},"interactions":[]}`))
	if _, err := a.Commands.PublishPact(ctx, commands.PublishPact{Key: domain.PactKey{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1"}, Doc: pact}); err != nil {
		t.Fatal(err)
	}
	res, err := a.Commands.PublishProviderContract(ctx, commands.PublishProviderContract{Provider: "Bar", Version: "2",
		Content: []byte("openapi: 3.0.0\n"), Specification: "oas"})
	if err != nil {
		t.Fatal(err)
	}
	k := domain.ComparisonKey{PactSHA: pact.SHA(), ContractSHA: res.SHA}
	a.comparisons.Request(k)
	for i := 0; ; i++ {
		if c, ok := a.ProviderContracts.Comparison(k); ok {
			if c.Success || len(c.Mismatches) != 1 || c.Mismatches[0].Code != timeoutCode {
				t.Fatalf("recorded %+v", c.ComparisonCompleted)
			}
			return
		}
		if i == 1000 {
			t.Fatal("a stuck comparison was never recorded")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
