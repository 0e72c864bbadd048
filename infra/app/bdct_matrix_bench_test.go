package app

import (
	"context"
	"testing"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/infra/memstore"
)

// BenchmarkLatestVerificationMiss measures the matrix reader's hot path for
// a pact version a provider version has no result for (the unknown rows of
// can-i-deploy), for a provider without contracts, with and without the
// bi-directional lookups: what BDCT adds to every pact-only query.
func BenchmarkLatestVerificationMiss(b *testing.B) {
	a := Start(memstore.New(), Options{})
	defer a.Close()
	pact, _ := domain.ParsePact([]byte(`{"consumer":{"name":"Foo"},"provider":{"name":"Bar"},"interactions":[]}`))
	if _, err := a.Commands.PublishPact(context.Background(), commands.PublishPact{
		Key: domain.PactKey{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1"}, Doc: pact}); err != nil {
		b.Fatal(err)
	}
	sha := pact.SHA()
	with := a.Matrix.(matrixReader)
	without := matrixReader{View: with.View}
	for _, r := range []struct {
		name string
		m    matrixReader
	}{{"without-bdct", without}, {"with-bdct", with}} {
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				if _, ok := r.m.LatestVerification("Foo", "Bar", sha, "9"); ok {
					b.Fatal("a result appeared")
				}
			}
		})
	}
}
