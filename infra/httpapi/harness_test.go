package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/memstore"
)

// broker is a real API over a real log, as serve wires it.
type broker struct {
	t     testing.TB
	url   string
	log   *events.Log
	store events.Store
	svc   *commands.Service // set options before the first request
}

func newBroker(t testing.TB) *broker { return newBrokerOn(t, memstore.New()) }

func newBrokerOn(t testing.TB, store events.Store) *broker {
	t.Helper()
	a := app.Start(store, app.Options{})
	if _, err := a.Commands.SeedEnvironments(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &broker{t: t, url: srv.URL, log: a.Log, store: store, svc: a.Commands}
}

// response is a decoded reply.
type response struct {
	status int
	header http.Header
	raw    string
	json   map[string]any
}

// do sends a request; body may be a string (sent as is) or a value (JSON).
func (b *broker) do(method, path, contentType string, body any) response {
	b.t.Helper()
	var rd io.Reader
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	case []byte:
		rd = bytes.NewReader(v)
	default:
		raw, _ := json.Marshal(v)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.url+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/hal+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.json)
	return out
}

func (b *broker) get(path string) response { return b.do("GET", path, "", nil) }
func (b *broker) post(path string, body any) response {
	return b.do("POST", path, "application/json", body)
}
func (b *broker) put(path string, body any) response {
	return b.do("PUT", path, "application/json", body)
}
func (b *broker) patch(path string, body any) response {
	return b.do("PATCH", path, "application/merge-patch+json", body)
}

// must asserts a status and returns the response.
func (r response) must(t testing.TB, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.raw)
	}
	return r
}

// path walks into decoded JSON: "a.b.0.c".
func (r response) path(p string) any { return dig(r.json, p) }

func (r response) str(p string) string { s, _ := r.path(p).(string); return s }

func dig(v any, p string) any {
	for _, k := range strings.Split(p, ".") {
		switch t := v.(type) {
		case map[string]any:
			v = t[k]
		case []any:
			i := 0
			for _, c := range k {
				i = i*10 + int(c-'0')
			}
			if i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

// head returns the log's head position.
func (b *broker) head() uint64 {
	b.t.Helper()
	h, err := b.store.Head(context.Background())
	if err != nil {
		b.t.Fatal(err)
	}
	return h
}

// eventsOfType lists the log's events of one type.
func (b *broker) eventsOfType(typ string) []events.Envelope {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	head := b.head()
	var out []events.Envelope
	_ = b.log.SubscribeAll(ctx, 0, func(e events.Envelope) error {
		if e.Type == typ {
			out = append(out, e)
		}
		if e.Position >= head {
			cancel()
		}
		return nil
	})
	return out
}

// envUUID finds an environment's uuid by name.
func (b *broker) envUUID(name string) string {
	b.t.Helper()
	r := b.get("/environments?name="+name).must(b.t, 200)
	id := r.str("_embedded.environments.0.uuid")
	if id == "" {
		b.t.Fatalf("no environment %s: %s", name, r.raw)
	}
	return id
}

// version creates a version with PUT.
func (b *broker) version(p, v string) {
	b.t.Helper()
	r := b.put("/pacticipants/"+p+"/versions/"+v, map[string]any{})
	if r.status != 201 && r.status != 200 {
		b.t.Fatalf("create version: %d %s", r.status, r.raw)
	}
}
