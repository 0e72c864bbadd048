package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestE2EEventsFeedResumesWithLastEventID reads GET /events of a real
// server: filtered by type and pacticipant, disconnected, resumed with
// Last-Event-ID after more deployments, with heartbeats while idle,
// redacted webhook secrets, and a graceful shutdown with a stream open.
func TestE2EEventsFeedResumesWithLastEventID(t *testing.T) {
	bin := e2eBuild(t)
	s := e2eServeIn(t, bin, t.TempDir(), "--events-heartbeat", "200ms")
	prod := e2eEnvironmentUUID(t, s.e2eServer, "production")
	e2eSend(t, s.e2eServer, http.MethodPost, "/pacticipants", `{"name":"Foo"}`, http.StatusCreated)
	e2eSend(t, s.e2eServer, http.MethodPost, "/pacticipants", `{"name":"Bar"}`, http.StatusCreated)
	e2eDeploy(t, s.e2eServer, "Foo", "1.0.0", prod, "")
	e2eDeploy(t, s.e2eServer, "Bar", "9.0.0", prod, "") // filtered out by pacticipant
	e2eDeploy(t, s.e2eServer, "Foo", "2.0.0", prod, "")

	const feed = "/events?type=DeploymentRecorded,AutoUndeployed&pacticipant=Foo"
	ch, closeFeed := sseOpen(t, s.e2eServer, feed, "")
	var first []sseEvent
	for range 2 {
		first = append(first, sseNext(t, ch, 10*time.Second))
	}
	closeFeed()
	wantFirst := []struct{ event, version, replaces string }{{"DeploymentRecorded", "1.0.0", ""}, {"DeploymentRecorded", "2.0.0", "1.0.0"}}
	for i, e := range first {
		var doc struct {
			Subject, Environment string
			Data                 struct {
				Pacticipant, Version string
				Replaces             struct{ Version string }
			}
		}
		if err := json.Unmarshal([]byte(e.data), &doc); err != nil {
			t.Fatalf("event %d: %v: %s", i, err, e.data)
		}
		if e.event != wantFirst[i].event || doc.Data.Version != wantFirst[i].version || doc.Data.Pacticipant != "Foo" ||
			doc.Data.Replaces.Version != wantFirst[i].replaces ||
			doc.Environment != "production" || !strings.HasPrefix(doc.Subject, "pactledger.events.deployment.") {
			t.Fatalf("event %d: %s %s, want %v", i, e.event, e.data, wantFirst[i])
		}
	}
	last := first[len(first)-1].id

	// While disconnected: one more deployment of Foo, one of Bar.
	e2eDeploy(t, s.e2eServer, "Foo", "3.0.0", prod, "")
	e2eDeploy(t, s.e2eServer, "Bar", "9.1.0", prod, "")
	ch, closeFeed = sseOpen(t, s.e2eServer, feed, last)
	defer closeFeed()
	resumed := []sseEvent{sseNext(t, ch, 10*time.Second)}
	lastPos, _ := strconv.ParseUint(last, 10, 64)
	for _, e := range resumed {
		pos, err := strconv.ParseUint(e.id, 10, 64)
		if err != nil || pos <= lastPos {
			t.Fatalf("resumed with event id %q, after Last-Event-ID %s", e.id, last)
		}
	}
	if resumed[0].event != "DeploymentRecorded" || !strings.Contains(resumed[0].data, `"version":"3.0.0"`) ||
		!strings.Contains(resumed[0].data, `"replaces":{"deploymentId":`) || !strings.Contains(resumed[0].data, `"version":"2.0.0"`) {
		t.Fatalf("resumed events: %+v", resumed)
	}
	// Idle: heartbeats only.
	heartbeat := false
	for !heartbeat {
		select {
		case e := <-ch:
			if e.comment == "" {
				t.Fatalf("unexpected event after the resumed ones: %+v", e)
			}
			heartbeat = e.comment == "heartbeat"
		case <-time.After(10 * time.Second):
			t.Fatal("no heartbeat on an idle feed")
		}
	}

	// A webhook's secrets never reach the feed.
	e2eSend(t, s.e2eServer, http.MethodPost, "/webhooks", `{"events":[{"name":"deployment_recorded"}],"request":{"method":"POST",`+
		`"url":"https://hooks.example.org/x","password":"s3cret","username":"ci","headers":{"Authorization":"Bearer s3cret"}}}`, http.StatusCreated)
	hooks, closeHooks := sseOpen(t, s.e2eServer, "/events?type=WebhookCreated", "")
	defer closeHooks()
	created := sseNext(t, hooks, 10*time.Second)
	if strings.Contains(created.data, "s3cret") || !strings.Contains(created.data, `"password":"**********"`) {
		t.Fatalf("WebhookCreated on the feed is not redacted: %s", created.data)
	}

	// A bad resume point is a client error.
	resp, err := http.Get(s.URL + "/events?after=yesterday")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("GET /events?after=yesterday: %d, want 400", resp.StatusCode)
	}

	// Shutdown with streams open: they end and the server exits 0.
	if err := s.stop(); err != nil {
		t.Fatalf("server exit with open event streams: %v", err)
	}
	for e := range ch {
		if e.comment == "" {
			t.Fatalf("event after shutdown: %+v", e)
		}
	}
}
