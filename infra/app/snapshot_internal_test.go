package app

import (
	"log/slog"
	"testing"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/memstore"
	"github.com/pactledger/pactledger/projections"
)

// opaque is a read model that cannot be snapshotted.
type opaque struct{ applied int }

func (*opaque) Name() string            { return "opaque" }
func (o *opaque) Apply(events.Envelope) { o.applied++ }

// TestSnapshotsOffWhenAReadModelCannotBeSnapshotted: a snapshot without one
// of the runner's models would make that model skip the events before it,
// so such a runner neither loads nor saves snapshots.
func TestSnapshotsOffWhenAReadModelCannotBeSnapshotted(t *testing.T) {
	dir := t.TempDir()
	store := memstore.New()
	log := events.NewLog(store, events.NewDefaultRegistry())
	catalog := projections.NewCatalog()
	a := &App{Log: log, ReadModels: ReadModels{Catalog: catalog}, snap: &snapshots{opts: SnapshotOptions{Dir: dir, Every: 1}, logger: slog.New(slog.DiscardHandler)}}
	a.Runner = projections.NewRunner(log, nil, catalog, &opaque{})
	if err := writeSnapshotFile(dir, snapshot{position: 1, lastEvent: uuid.New(),
		models: []namedModel{{"catalog", catalog.AppendSnapshot(nil)}}}.encode()); err != nil {
		t.Fatal(err)
	}
	if pos, _ := a.restoreSnapshot(store); pos != 0 || a.snap.opts.Dir != "" {
		t.Fatalf("restored at %d with snapshots %+v; want a rebuild from 0 and snapshots off", pos, a.snap.opts)
	}
	if err := a.SaveSnapshot(); err != nil {
		t.Fatal(err)
	}
	if pos, _, err := SnapshotDigests(dir); err != nil || pos != 1 {
		t.Fatalf("the snapshot file changed: at %d, %v", pos, err)
	}
}

// TestRestoreModelsAllOrNothing: when a later model's encoding is corrupt,
// the models restored before it are put back as they were.
func TestRestoreModelsAllOrNothing(t *testing.T) {
	full := projections.NewCatalog()
	full.Apply(events.Envelope{Position: 1, Data: events.PacticipantCreated{Name: "Foo"}})
	catalog, deployments := projections.NewCatalog(), projections.NewDeployments()
	empty := ReadModelDigests(catalog, deployments)
	err := restoreModels([]projections.Snapshotter{catalog, deployments},
		[]namedModel{{"catalog", full.AppendSnapshot(nil)}, {"deployments", []byte{1, 200}}})
	if err == nil {
		t.Fatal("a corrupt deployments encoding was restored")
	}
	if got := ReadModelDigests(catalog, deployments); got["catalog"] != empty["catalog"] || got["deployments"] != empty["deployments"] {
		t.Fatalf("after a failed restore: %v, want the empty models %v", got, empty)
	}
	if _, ok := catalog.Pacticipant("Foo"); ok {
		t.Fatal("the catalog kept the snapshot's application")
	}
}
