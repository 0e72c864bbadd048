package app_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// streamReads counts reads of deployment and release streams.
type streamReads struct {
	events.Store
	reads atomic.Int64
}

func (s *streamReads) ReadStream(ctx context.Context, stream string) ([]events.Record, error) {
	if strings.HasPrefix(stream, "deployment-") || strings.HasPrefix(stream, "release-") {
		s.reads.Add(1)
	}
	return s.Store.ReadStream(ctx, stream)
}

// TestARestartedAppDeploysWithoutReadingTheStream: after a restart (an
// empty state cache), recording and ending deployments, and ending a
// release's support, start from the deployments read model instead of reading the stream, and decide as a
// read would. (A no-op decided on a seed is checked with a read on a store
// without a version check, like memstore: commands/seeds_test.go.)
func TestARestartedAppDeploysWithoutReadingTheStream(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	first := app.Start(store, app.Options{})
	if err := first.Runner.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Commands.SeedEnvironments(ctx); err != nil {
		t.Fatal(err)
	}
	env, _ := first.Catalog.EnvironmentByName("production")
	for _, n := range []string{"1", "2", "3"} {
		k := domain.VersionKey{Pacticipant: "Web", Number: n}
		if _, err := first.Commands.AddVersionToBranch(ctx, k, "main"); err != nil {
			t.Fatal(err)
		}
	}
	old, err := first.Commands.RecordDeployment(ctx, domain.VersionKey{Pacticipant: "Web", Number: "1"}, env.UUID, nil)
	if err != nil {
		t.Fatal(err)
	}
	release, _, err := first.Commands.RecordRelease(ctx, domain.VersionKey{Pacticipant: "Web", Number: "1"}, env.UUID)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	counting := &streamReads{Store: store}
	a := app.Start(counting, app.Options{})
	defer a.Close()
	if err := a.Runner.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	two, err := a.Commands.RecordDeployment(ctx, domain.VersionKey{Pacticipant: "Web", Number: "2"}, env.UUID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if replaced, _ := a.Deployments.DeployedVersion(old.DeploymentID); replaced.CurrentlyDeployed() || replaced.UndeployedAt == nil {
		t.Fatalf("the replaced record is still current: %+v", replaced)
	}
	if n := counting.reads.Load(); n != 0 {
		t.Fatalf("%d reads of the deployment stream, want 0 (seeded from the read model)", n)
	}
	a2 := app.Start(counting, app.Options{}) // another restart: an undeployment, seeded
	defer a2.Close()
	if err := a2.Runner.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a2.Commands.Undeploy(ctx, two.DeploymentID); err != nil {
		t.Fatal(err)
	}
	if err := a2.Commands.EndSupport(ctx, release.ReleaseID); err != nil {
		t.Fatal(err)
	}
	if rec, _ := a2.Deployments.ReleasedVersion(release.ReleaseID); rec.CurrentlySupported() {
		t.Fatalf("release still supported: %+v", rec)
	}
	if n := counting.reads.Load(); n != 0 {
		t.Fatalf("%d reads of the deployment or release stream, want 0", n)
	}
	if rec, _ := a2.Deployments.DeployedVersion(two.DeploymentID); rec.CurrentlyDeployed() {
		t.Fatalf("undeployed record still current: %+v", rec)
	}
}
