package domain

import (
	"bytes"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

func TestDecidePublishProviderContract(t *testing.T) {
	key := ProviderContractKey{Provider: "Bar", Version: "2.0.0"}
	passed := &events.SelfVerification{Success: true, Content: []byte("ok"), Format: "text", Verifier: "dredd"}
	failed := &events.SelfVerification{Success: false, Content: []byte("1 failed"), Format: "text", Verifier: "dredd"}
	published := func(sha string, rev int, sv *events.SelfVerification) events.ProviderContractPublished {
		return events.ProviderContractPublished{Provider: "Bar", ProviderVersion: "2.0.0", SHA: sha, ContentType: "application/yaml",
			Specification: "oas", Revision: rev, SelfVerification: sv}
	}
	cmd := func(sha string, sv *events.SelfVerification) PublishProviderContract {
		return PublishProviderContract{Key: key, SHA: sha, ContentType: "application/yaml", Specification: "oas", SelfVerification: sv}
	}
	cases := []struct {
		name    string
		given   []events.Payload
		when    PublishProviderContract
		then    []events.Payload
		outcome ProviderContractOutcome
		err     error
	}{
		{"first publication", nil, cmd("s1", passed), []events.Payload{published("s1", 1, passed)}, ProviderContractOutcome{Created: true}, nil},
		{"same content and evidence again writes nothing", []events.Payload{published("s1", 1, passed)}, cmd("s1", passed), nil, ProviderContractOutcome{}, nil},
		{"changed content is a new revision", []events.Payload{published("s1", 1, passed)}, cmd("s2", passed),
			[]events.Payload{published("s2", 2, passed)}, ProviderContractOutcome{Changed: true}, nil},
		{"changed self-verification is a new revision", []events.Payload{published("s1", 1, passed)}, cmd("s1", failed),
			[]events.Payload{published("s1", 2, failed)}, ProviderContractOutcome{Changed: true}, nil},
		{"dropping the self-verification is a change", []events.Payload{published("s1", 1, passed)}, cmd("s1", nil),
			[]events.Payload{published("s1", 2, nil)}, ProviderContractOutcome{Changed: true}, nil},
		{"another specification is refused", nil, PublishProviderContract{Key: key, SHA: "s1", Specification: "asyncapi"}, nil, ProviderContractOutcome{}, ErrInvalid},
		{"no content is refused", nil, PublishProviderContract{Key: key, Specification: "oas"}, nil, ProviderContractOutcome{}, ErrInvalid},
		{"a self-verification report over the limit is refused", nil, cmd("s1", &events.SelfVerification{Content: make([]byte, MaxSelfVerificationBytes+1)}),
			nil, ProviderContractOutcome{}, ErrInvalid},
		{"a blank provider version is refused", nil, PublishProviderContract{Key: ProviderContractKey{Provider: "Bar", Version: " "}, SHA: "s1", Specification: "oas"},
			nil, ProviderContractOutcome{}, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			evs, out, err := DecidePublishProviderContract(fold(EvolveProviderContract, tc.given...), tc.when)
			wantErr(t, err, tc.err)
			sameEvents(t, evs, tc.then)
			if out != tc.outcome {
				t.Fatalf("outcome = %+v, want %+v", out, tc.outcome)
			}
		})
	}
}

func TestContractContentIsStoredOnceAndSplitWhenLarge(t *testing.T) {
	small := []byte("openapi: 3.0.0\n")
	evs := DecideStoreContractContent(ContractContent{}, "s", "application/yaml", small)
	sameEvents(t, evs, []events.Payload{events.ProviderContractContentStored{SHA: "s", ContentType: "application/yaml", Content: small}})
	if again := DecideStoreContractContent(fold(EvolveContractContent, evs...), "s", "application/yaml", small); len(again) != 0 {
		t.Fatalf("stored twice: %v", again)
	}

	large := bytes.Repeat([]byte("x"), contractInlineLimit+contentChunkBytes+10)
	parts := DecideStoreContractContent(ContractContent{}, "big", "application/json", large)
	if len(parts) != 3 {
		t.Fatalf("parts = %d, want 3", len(parts))
	}
	half := fold(EvolveContractContent, parts[:2]...)
	if half.Exists {
		t.Fatal("content exists before its last part")
	}
	whole := fold(EvolveContractContent, parts...)
	if !whole.Exists || !bytes.Equal(whole.Content, large) || whole.ContentType != "application/json" {
		t.Fatalf("joined content differs (exists=%v, %d bytes)", whole.Exists, len(whole.Content))
	}
}

func TestDecideRecordComparison(t *testing.T) {
	k := ComparisonKey{PactSHA: "p", ContractSHA: "c"}
	mismatch := Mismatch{Code: "response.status.unknown", Type: MismatchError, Message: "Response status code not defined in spec file: 418",
		Interaction: "a teapot", PactLocation: "[root].interactions[0].response.status"}
	failedOutcome := ComparisonOutcome{Success: false, Mismatches: []Mismatch{mismatch}, Engine: "test/1"}
	completed := events.ComparisonCompleted{PactSHA: "p", ContractSHA: "c", Success: false, Engine: "test/1", ComparedAt: t0,
		Duration: time.Millisecond, Mismatches: []events.ComparisonMismatch{events.ComparisonMismatch(mismatch)}}
	cases := []struct {
		name  string
		given []events.Payload
		when  ComparisonOutcome
		then  []events.Payload
	}{
		{"the first result is recorded", nil, failedOutcome, []events.Payload{completed}},
		{"a second result (a racing replica) writes nothing", []events.Payload{completed}, ComparisonOutcome{Success: true}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sameEvents(t, DecideRecordComparison(fold(EvolveComparison, tc.given...), k, tc.when, time.Millisecond, t0), tc.then)
		})
	}

	many := ComparisonOutcome{Mismatches: make([]Mismatch, MaxStoredMismatches+5)}
	ev := DecideRecordComparison(Comparison{}, k, many, 0, t0)[0].(events.ComparisonCompleted)
	if len(ev.Mismatches) != MaxStoredMismatches || ev.Truncated != 5 {
		t.Fatalf("kept %d, truncated %d", len(ev.Mismatches), ev.Truncated)
	}
	if got := MismatchesOf(completed.Mismatches); len(got) != 1 || got[0].Message != mismatch.Message {
		t.Fatalf("round trip: %+v", got)
	}
}
