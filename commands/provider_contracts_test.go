package commands

import (
	"context"
	"errors"
	"testing"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

func TestARacingReplicasComparisonIsKeptAndNothingIsWrittenTwice(t *testing.T) {
	k := domain.ComparisonKey{PactSHA: "p1", ContractSHA: "c1"}
	store := &occStore{streams: map[string][]events.Record{}}
	store.rival = rivalWrites(events.ComparisonCompleted{PactSHA: "p1", ContractSHA: "c1", Success: true, Engine: "rival"})
	svc := New(events.NewLog(store, events.NewDefaultRegistry()), nil, yes{}, nil, nil)
	if err := svc.RecordComparison(context.Background(), k, domain.ComparisonOutcome{Success: true, Engine: "mine"}, 0); err != nil {
		t.Fatalf("losing the race must not be an error: %v", err)
	}
	stream, _ := domain.ComparisonStream(k)
	recs := store.streams[stream]
	if len(recs) != 1 || store.appends != 2 {
		t.Fatalf("stream holds %d events after %d appends; want the rival's only, after one refused attempt", len(recs), store.appends)
	}
	log := events.NewLog(store, events.NewDefaultRegistry())
	envs, _ := log.ReadStream(context.Background(), stream)
	if got := envs[0].Data.(events.ComparisonCompleted).Engine; got != "rival" {
		t.Fatalf("kept %q", got)
	}
}

func TestPublishProviderContractStoresContentOnceAndRefusesBadInputBeforeWriting(t *testing.T) {
	store := &occStore{streams: map[string][]events.Record{}}
	svc := New(events.NewLog(store, events.NewDefaultRegistry()), nil, yes{}, nil, nil)
	ctx := context.Background()
	branch := "main"
	in := PublishProviderContract{Provider: "Bar", Version: "2.0.0", Branch: &branch, Tags: []string{"dev"},
		Content: []byte("openapi: 3.0.0\n"), ContentType: "application/yaml", Specification: "oas",
		SelfVerification: &events.SelfVerification{Success: true}}
	res, err := svc.PublishProviderContract(ctx, in)
	if err != nil || !res.Created || res.SHA != domain.ContractSHA(in.Content) {
		t.Fatalf("first publication: %+v, %v", res, err)
	}
	contentStream, _ := domain.ContractContentStream(res.SHA)
	contractStream, _ := domain.ProviderContractStream(domain.ProviderContractKey{Provider: "Bar", Version: "2.0.0"})
	if len(store.streams[contentStream]) != 1 || len(store.streams[contractStream]) != 1 {
		t.Fatalf("content %d, contract %d events", len(store.streams[contentStream]), len(store.streams[contractStream]))
	}
	in.Version = "2.0.1"
	if _, err := svc.PublishProviderContract(ctx, in); err != nil {
		t.Fatal(err)
	}
	if len(store.streams[contentStream]) != 1 {
		t.Fatal("the same content was stored twice")
	}

	before := store.appends
	bad := in
	bad.Version, bad.Specification = "3", "asyncapi"
	_, err = svc.PublishProviderContract(ctx, bad)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields["contract"]) != 1 || store.appends != before {
		t.Fatalf("bad specification: %v, %d appends", err, store.appends-before)
	}
	huge := in
	huge.Version, huge.SelfVerification = "4", &events.SelfVerification{Content: make([]byte, domain.MaxSelfVerificationBytes+1)}
	if _, err := svc.PublishProviderContract(ctx, huge); !errors.Is(err, domain.ErrInvalid) || store.appends != before {
		t.Fatalf("oversized self-verification report: %v, %d appends", err, store.appends-before)
	}
}
