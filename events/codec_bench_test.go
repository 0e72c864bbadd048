package events_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

// codecCases are the payloads that dominate a broker's log (the pactbench
// organisations have, per version: 1 VersionCreated, 1 VersionAddedToBranch,
// 2.5 PactPublished, 4-5 VerificationPublished, about 1 DeploymentRecorded
// and AutoUndeployed; PactContentStored for one pact in ten), with realistic
// field sizes: git-SHA version numbers, 40-hex content SHAs, uuids, CI URLs.
func codecCases() []events.Payload {
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	ref := events.DeploymentRef{DeploymentID: "6f28d182-e229-4b3a-a82d-caf96ffeab26", Pacticipant: "orders-000",
		Version: "1a2b3c4", EnvironmentUUID: "e2109ef4-0565-4b68-99f2-0c112f427698"}
	sha := "4f1c0d9a3b7e2a61c8f05d3e9b1a7c2d6e8f0a1b"
	content := `{"consumer":{"name":"orders-000"},"interactions":[` +
		strings.Repeat(`{"_id":"0123456789abcdef0123456789abcdef01234567","description":"a request for resource 1","providerState":"billing-001 has resource 1","request":{"headers":{"Accept":"application/json"},"method":"GET","path":"/api/v1/resources/1"},"response":{"body":{"id":1,"name":"resource-1"},"headers":{"Content-Type":"application/json"},"status":200}},`, 3) +
		`{}],"metadata":{"pactSpecification":{"version":"2.0.0"}},"provider":{"name":"billing-001"}}`
	return []events.Payload{
		events.VersionCreated{Pacticipant: "orders-000", Number: "1a2b3c4", BuildURL: "https://ci.example.com/orders-000/builds/1234"},
		events.VersionAddedToBranch{Pacticipant: "orders-000", Number: "1a2b3c4", Branch: "main"},
		events.PactPublished{Consumer: "orders-000", Provider: "billing-001", ConsumerVersion: "1a2b3c4", SHA: sha, Revision: 1},
		events.VerificationPublished{Number: 17, Consumer: "orders-000", Provider: "billing-001", SHA: sha, ProviderVersion: "9f8e7d6",
			Success: true, BuildURL: "https://ci.example.com/billing-001/builds/987",
			VerifiedBy: &events.VerifiedBy{Implementation: "Pact-Rust", Version: "1.2.5"}, VerificationDate: &at},
		events.DeploymentRecorded{DeploymentRef: ref},
		events.AutoUndeployed{DeploymentRef: ref, ReplacedBy: "0c2d9a51-5b8f-4a2e-9a0e-2f1d3c4b5a69"},
		events.PactContentStored{SHA: sha, Content: json.RawMessage(content), InteractionsCount: 3},
	}
}

// BenchmarkRegistryEncode measures Registry.Encode per payload type; B/s is
// JSON bytes produced.
func BenchmarkRegistryEncode(b *testing.B) {
	r := events.NewDefaultRegistry()
	for _, p := range codecCases() {
		data, err := r.Encode(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(p.EventType(), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Encode(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRegistryDecode measures Registry.Decode (upcaster lookup, then
// JSON into a new payload value) per payload type; B/s is JSON bytes read.
// Replay decodes every event once, so ns/op here bounds replay speed.
func BenchmarkRegistryDecode(b *testing.B) {
	r := events.NewDefaultRegistry()
	for _, p := range codecCases() {
		data, err := r.Encode(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(p.EventType(), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := r.Decode(p.EventType(), data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLogDecodeMix decodes records (Record → Envelope, as replay and
// every command's stream read do) in the mix of a pactbench log: per 16
// events 1 VersionCreated, 1 VersionAddedToBranch, 4 PactPublished, 7
// VerificationPublished, 1 DeploymentRecorded, 1 AutoUndeployed and, as a
// stand-in for a content every tenth pact, one more PactPublished. An op is
// one event.
func BenchmarkLogDecodeMix(b *testing.B) {
	r := events.NewDefaultRegistry()
	log := events.NewLog(nil, r)
	recs := decodeMixRecords(b, r)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := log.Decode(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// decodeMixRecords encodes the mix BenchmarkLogDecodeMix describes.
func decodeMixRecords(b *testing.B, r *events.Registry) []events.Record {
	cases := codecCases()
	weights := []int{1, 1, 5, 7, 1, 1, 0}
	var recs []events.Record
	for i, p := range cases {
		data, err := r.Encode(p)
		if err != nil {
			b.Fatal(err)
		}
		for range weights[i] {
			recs = append(recs, events.Record{Type: p.EventType(), Stream: fmt.Sprintf("stream-%d", i),
				StreamVersion: 3, Position: uint64(len(recs) + 1), OccurredAt: time.Now().UTC(), Data: data})
		}
	}
	return recs
}

// BenchmarkDecoderMix is BenchmarkLogDecodeMix through one Decoder, as a
// subscription decodes: repeated plain strings come from its cache.
func BenchmarkDecoderMix(b *testing.B) {
	r := events.NewDefaultRegistry()
	dec := events.NewLog(nil, r).NewDecoder()
	recs := decodeMixRecords(b, r)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := dec.Decode(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
