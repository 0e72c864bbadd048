package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/memstore"
)

// BenchmarkReadAuth measures GET /environments through the whole handler
// chain without authentication, with a basic-auth user and with an issued
// bearer token.
func BenchmarkReadAuth(b *testing.B) {
	ctx := context.Background()
	a := app.Start(memstore.New(), app.Options{Operations: app.Operations{Auth: httpapi.AuthConfig{
		Users: []httpapi.BasicUser{{Username: "dev", Password: "pw", Role: events.RoleRead}}}}})
	b.Cleanup(a.Close)
	if err := a.WaitReady(ctx); err != nil {
		b.Fatal(err)
	}
	tok, err := a.Commands.IssueToken(ctx, "bench", events.RoleRead)
	if err != nil {
		b.Fatal(err)
	}
	open := app.Start(memstore.New(), app.Options{})
	b.Cleanup(open.Close)
	if err := open.WaitReady(ctx); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		handler http.Handler
		auth    string
	}{{"none", open.Handler, ""}, {"basic", a.Handler, basicAuth("dev", "pw")}, {"token", a.Handler, "Bearer " + tok.Token}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/environments", nil)
				if c.auth != "" {
					req.Header.Set("Authorization", c.auth)
				}
				rec := httptest.NewRecorder()
				c.handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkStrongReads measures GET /environments on the embedded
// JetStream store with and without waiting for the store's head.
func BenchmarkStrongReads(b *testing.B) {
	ctx := context.Background()
	store, err := jetstream.Open(ctx, jetstream.Config{DataDir: b.TempDir(), SyncAlways: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	for _, strong := range []bool{false, true} {
		a := app.Start(store, app.Options{Operations: app.Operations{StrongReads: strong}})
		if err := a.WaitReady(ctx); err != nil {
			b.Fatal(err)
		}
		name := map[bool]string{false: "off", true: "on"}[strong]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				a.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/environments", nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%d", rec.Code)
				}
			}
		})
		a.Close()
	}
}
