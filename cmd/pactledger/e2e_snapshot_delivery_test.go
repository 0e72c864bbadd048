package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2ESnapshotRestartKeepsPendingDelivery: a webhook delivery whose
// first attempt was refused, with its retry scheduled, survives a restart
// from a read-model snapshot: the restarted server loads the snapshot (not
// a rebuild), sends the retry with the same Idempotency-Key, and the
// deployment that triggered it does not fire again (one delivery, two
// requests in all).
func TestE2ESnapshotRestartKeepsPendingDelivery(t *testing.T) {
	bin := e2eBuild(t)
	recv := newE2EFlakyReceiver(t, 1)
	dir := t.TempDir()
	flags := []string{"--webhook-scheme-allow-list", "http", "--webhook-host-allow-list", "127.0.0.1",
		"--webhook-retry-schedule", "3s 3s"}
	s := e2eServeIn(t, bin, dir, flags...)
	prod := e2eEnvironmentUUID(t, s.e2eServer, "production")
	e2eSend(t, s.e2eServer, http.MethodPost, "/pacticipants", `{"name":"Foo"}`, http.StatusCreated)
	created := e2eSend(t, s.e2eServer, http.MethodPost, "/webhooks", `{"description":"deployments",`+
		`"events":[{"name":"deployment_recorded"}],"request":{"method":"POST","url":"`+recv.URL+`/deployed"}}`, http.StatusCreated)
	hook := e2eStr(created, "uuid")
	e2eDeploy(t, s.e2eServer, "Foo", "1.0.0", prod, "")
	e2eEventually(t, 30*time.Second, "the first, refused attempt", func() bool {
		ds := e2eDeliveries(t, s.e2eServer, hook)
		return len(ds) == 1 && len(e2eList(ds[0], "attempts")) == 1
	})
	if err := s.stop(); err != nil { // SIGTERM saves the snapshot
		t.Fatalf("stop server: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "snapshots", "read-models.snapshot")); err != nil {
		t.Fatalf("no snapshot after a clean shutdown: %v", err)
	}

	s = e2eServeIn(t, bin, dir, flags...)
	if log := s.log(); !strings.Contains(log, "read-model snapshot loaded") || strings.Contains(log, "cannot be snapshotted") {
		t.Fatalf("the restart did not start from the snapshot:\n%s", log)
	}
	e2eEventually(t, 60*time.Second, "the retry to succeed", func() bool {
		ds := e2eDeliveries(t, s.e2eServer, hook)
		return len(ds) == 1 && e2eStr(ds[0], "status") == "succeeded"
	})
	ds := e2eDeliveries(t, s.e2eServer, hook)
	got := recv.requests()
	if len(ds) != 1 || len(got) != 2 || len(e2eList(ds[0], "attempts")) != 2 {
		t.Fatalf("%d deliveries, %d requests, attempts %v; want 1 delivery sent twice", len(ds), len(got), ds)
	}
	if id := e2eStr(ds[0], "deliveryId"); got[0].idempotencyKey != id || got[1].idempotencyKey != id || got[1].attempt != "2" {
		t.Fatalf("requests %+v, delivery %s", got, id)
	}
}
