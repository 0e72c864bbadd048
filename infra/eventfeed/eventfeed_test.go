package eventfeed_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/eventfeed"
	"github.com/pactledger/pactledger/infra/memstore"
)

func noNames(string, uint64) string { return "" }

// TestEveryEventTypeHasASubject: each registered payload type maps to its
// own entity and action (never the fallback), and its subject is a valid
// NATS subject even for names with spaces, dots and wildcards.
func TestEveryEventTypeHasASubject(t *testing.T) {
	reg := events.NewDefaultRegistry()
	seen := map[string]string{}
	for _, typ := range reg.Types() {
		// Every string field gets an awkward name.
		_, p, err := reg.Decode(typ, []byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(p)
		var fields map[string]any
		_ = json.Unmarshal(raw, &fields)
		for k, v := range fields {
			if s, ok := v.(string); ok {
				if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
					continue // a time field stays a time
				}
				fields[k] = "a b.c*>"
			}
		}
		raw, _ = json.Marshal(fields)
		_, p, err = reg.Decode(typ, raw)
		if err != nil {
			t.Fatal(err)
		}
		f := eventfeed.Describe(events.Envelope{Type: typ, Data: p, Position: 1}, noNames)
		if f.Entity == "other" {
			t.Errorf("%s has no subject mapping", typ)
		}
		key := f.Entity + "." + f.Action
		if other, dup := seen[key]; dup {
			t.Errorf("%s and %s share %s", typ, other, key)
		}
		seen[key] = typ
		subject := f.Subject()
		for _, tok := range strings.Split(subject, ".") {
			if tok == "" || tok == "*" || tok == ">" || strings.ContainsAny(tok, " \t\r\n") {
				t.Errorf("%s: subject %q has an invalid token %q", typ, subject, tok)
			}
		}
	}
}

func TestDeploymentSubjectNamesEnvironmentAndPacticipant(t *testing.T) {
	e := events.Envelope{Type: "DeploymentRecorded", Position: 9, Data: events.DeploymentRecorded{DeploymentRef: events.DeploymentRef{
		DeploymentID: "d", Pacticipant: "Foo Service", Version: "1.0.0", EnvironmentUUID: "env-1"}}}
	names := func(uuid string, pos uint64) string {
		if uuid == "env-1" && pos == 9 {
			return "prod.eu"
		}
		return ""
	}
	f := eventfeed.Describe(e, names)
	if got, want := f.Subject(), "pactledger.events.deployment.recorded.prod=2Eeu.Foo=20Service"; got != want {
		t.Fatalf("subject %s, want %s", got, want)
	}
	if f.Environment != "prod.eu" || len(f.Pacticipants) != 1 || f.Pacticipants[0] != "Foo Service" {
		t.Fatalf("facts %+v", f)
	}
	filter := eventfeed.Filter{Types: []string{"DeploymentRecorded"}, Pacticipant: "Foo Service", Environment: "prod.eu"}
	if !filter.Matches(e.Type, f) {
		t.Fatal("the filter of its own facts does not match")
	}
	for _, other := range []eventfeed.Filter{{Types: []string{"Undeployed"}}, {Pacticipant: "Bar"}, {Environment: "test"}} {
		if other.Matches(e.Type, f) {
			t.Fatalf("filter %+v matches", other)
		}
	}
}

func TestMessagesRedactWebhookSecrets(t *testing.T) {
	def := events.WebhookDefinition{UUID: "w", Request: events.WebhookRequest{Method: "POST", URL: "https://x",
		Password: "s3cret", Headers: map[string]string{"Authorization": "Bearer s3cret", "X-Other": "shown"}}}
	for _, p := range []events.Payload{events.WebhookCreated(def), events.WebhookUpdated(def)} {
		e := events.Envelope{ID: uuid.New(), Type: p.EventType(), Data: p}
		m, err := eventfeed.NewMessage(e, eventfeed.Describe(e, noNames))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(m.Data), "s3cret") || !strings.Contains(string(m.Data), "shown") {
			t.Fatalf("%s: %s", p.EventType(), m.Data)
		}
	}
	if def.Request.Password != "s3cret" {
		t.Fatal("redaction changed the event itself")
	}
}

// TestEnvironmentNamesFollowRenames: an event is named with the name its
// environment had at the event's position.
func TestEnvironmentNamesFollowRenames(t *testing.T) {
	ctx := context.Background()
	log := events.NewLog(memstore.New(), events.NewDefaultRegistry())
	put := func(p events.Payload) uint64 {
		pos, err := log.Append(ctx, domain.EnvironmentsStream, events.Any, events.Envelope{ID: uuid.New(), OccurredAt: time.Now(), Data: p})
		if err != nil {
			t.Fatal(err)
		}
		return pos
	}
	names := eventfeed.NewEnvironmentNames(log)
	created := put(events.EnvironmentCreated{UUID: "u1", Name: "staging"})
	if got := names.Name("u1", created+1); got != "staging" {
		t.Fatalf("name %q, want staging", got)
	}
	renamed := put(events.EnvironmentUpdated{UUID: "u1", Name: "uat"})
	if got := names.Name("u1", renamed-1); got != "staging" {
		t.Fatalf("before the rename: %q, want staging", got)
	}
	if got := names.Name("u1", renamed+1); got != "uat" {
		t.Fatalf("after the rename: %q, want uat", got)
	}
	if got := names.Name("unknown", renamed); got != "" {
		t.Fatalf("unknown environment: %q", got)
	}
}
