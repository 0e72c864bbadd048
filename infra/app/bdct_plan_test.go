package app

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/infra/memstore"
)

func TestPreGenerationTargetsDeployedMainAndRecentBranchHeads(t *testing.T) {
	a := Start(memstore.New(), Options{})
	defer a.Close()
	ctx := context.Background()
	if _, err := a.Commands.SeedEnvironments(ctx); err != nil {
		t.Fatal(err)
	}
	onBranch := func(v, branch string) {
		if _, err := a.Commands.AddVersionToBranch(ctx, domain.VersionKey{Pacticipant: "Bar", Number: v}, branch); err != nil {
			t.Fatal(err)
		}
	}
	onBranch("1", "main")
	onBranch("2", "main") // the head of main
	onBranch("3", "feature-a")
	onBranch("4", "feature-a") // the head of feature-a
	if _, err := a.Commands.UpsertVersion(ctx, domain.VersionKey{Pacticipant: "Bar", Number: "5"}, domain.VersionUpsert{}); err != nil {
		t.Fatal(err)
	}
	prod, _ := a.Catalog.EnvironmentByName("production")
	if _, err := a.Commands.RecordDeployment(ctx, domain.VersionKey{Pacticipant: "Bar", Number: "1"}, prod.UUID, nil); err != nil {
		t.Fatal(err)
	}
	p := a.comparisons
	sorted := func() []string { v := p.targetVersions("Bar"); slices.Sort(v); return v }
	if got := sorted(); !slices.Equal(got, []string{"1", "2", "4"}) {
		t.Fatalf("targets now: %v, want deployed 1, main head 2, recent feature head 4", got)
	}
	p.now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
	if got := sorted(); !slices.Equal(got, []string{"1", "2"}) {
		t.Fatalf("targets in 31 days: %v, want the feature branch dropped (older than the default 30 days)", got)
	}
	p.recentDays = 60
	if got := sorted(); !slices.Equal(got, []string{"1", "2", "4"}) {
		t.Fatalf("targets in 31 days with 60 recent days: %v", got)
	}
}
