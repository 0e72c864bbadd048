package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pactledger/pactledger/events"
)

func mustParse(t *testing.T, raw string) PactDocument {
	t.Helper()
	d, err := ParsePact([]byte(raw))
	if err != nil {
		t.Fatalf("parse %s: %v", raw, err)
	}
	return d
}

const (
	pactA = `{"consumer":{"name":"Foo"},"provider":{"name":"Bar"},
		"interactions":[{"description":"a","request":{"method":"GET","path":"/a"},"response":{"status":200}},
		                {"description":"b","providerState":"b exists","request":{"method":"GET","path":"/b"},"response":{"status":200,"body":{"n":1.50}}}],
		"metadata":{"pactSpecification":{"version":"2.0.0"}}}`
	// pactA with other names, key order, interaction order and metadata.
	pactAReordered = `{"metadata":{"pactRust":{"models":"1.2"},"pactSpecification":{"version":"2.0.0"}},
		"interactions":[{"response":{"body":{"n":1.50},"status":200},"providerState":"b exists","description":"b","request":{"path":"/b","method":"GET"}},
		                {"_id":"stale","request":{"path":"/a","method":"GET"},"description":"a","response":{"status":200}}],
		"provider":{"name":"Other"},"consumer":{"name":"Someone"},"_links":{"self":{"href":"x"}},"createdAt":"2020-01-01"}`
	pactB = `{"consumer":{"name":"Foo"},"provider":{"name":"Bar"},
		"interactions":[{"description":"a","request":{"method":"GET","path":"/a"},"response":{"status":404}}],
		"metadata":{"pactSpecification":{"version":"2.0.0"}}}`
)

func TestPactSHA(t *testing.T) {
	base := mustParse(t, pactA).SHA()
	cases := []struct {
		name string
		doc  string
		same bool
	}{
		{"key order, interaction order, names, other metadata, _id and broker keys are ignored", pactAReordered, true},
		{"the number text counts", strings.Replace(pactA, "1.50", "1.5", 1), false},
		{"changed interaction content", pactB, false},
		{"the specification version counts", strings.Replace(pactA, `"2.0.0"`, `"3.0.0"`, 1), false},
		{"the specification version under its other names", strings.Replace(pactA, `"pactSpecification":{"version":"2.0.0"}`,
			`"pactSpecificationVersion":"2.0.0"`, 1), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustParse(t, tc.doc).SHA(); (got == base) != tc.same {
				t.Fatalf("sha %s vs %s, want same=%v", got, base, tc.same)
			}
		})
	}
	noItems1 := mustParse(t, `{"consumer":{"name":"A"},"provider":{"name":"B"}}`).SHA()
	noItems2 := mustParse(t, `{"consumer":{"name":"C"},"provider":{"name":"B"}}`).SHA()
	if noItems1 == noItems2 || len(noItems1) != 40 {
		t.Fatal("a pact without interactions or messages is hashed whole, names included")
	}
}

func TestParsePactRejectsWhatIsNotAnObject(t *testing.T) {
	for raw, want := range map[string]error{`[1]`: ErrPactNotObject, `{"a":`: ErrPactNotJSON, `{} {}`: ErrPactNotJSON, ``: ErrPactNotJSON} {
		if _, err := ParsePact([]byte(raw)); !errors.Is(err, want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v, want %v", raw, err, want)
		}
	}
	d := mustParse(t, pactA)
	if n, ok := d.PacticipantName("consumer"); !ok || n != "Foo" {
		t.Fatalf("consumer name %q %v", n, ok)
	}
	if _, ok := mustParse(t, `{}`).PacticipantName("provider"); ok {
		t.Fatal("no provider name")
	}
}

func TestStoredPactHasDeterministicIDs(t *testing.T) {
	a, b := mustParse(t, pactA).Stored(), mustParse(t, pactAReordered).Stored()
	if a.SHA != b.SHA || a.InteractionsCount != 2 || a.MessagesCount != 0 {
		t.Fatalf("stored: %s %d %d", a.SHA, a.InteractionsCount, a.MessagesCount)
	}
	var doc struct {
		Interactions []struct {
			ID          string `json:"_id"`
			Description string `json:"description"`
		} `json:"interactions"`
		Links any `json:"_links"`
	}
	ids := map[string]string{}
	for _, s := range []StoredPact{a, b} {
		if err := json.Unmarshal(s.Content, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Links != nil {
			t.Fatal("broker keys are not stored")
		}
		for _, it := range doc.Interactions {
			if len(it.ID) != 40 || (ids[it.Description] != "" && ids[it.Description] != it.ID) {
				t.Fatalf("interaction %s: _id %q (seen %q)", it.Description, it.ID, ids[it.Description])
			}
			ids[it.Description] = it.ID
		}
	}
	if again := mustParse(t, string(a.Content)); again.SHA() != a.SHA {
		t.Fatal("stored content must hash like the published document")
	}
}

func key() PactKey { return PactKey{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1"} }

func published(sha string, revision int) events.PactPublished {
	return events.PactPublished{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1", SHA: sha, Revision: revision}
}

func TestDecidePublishPact(t *testing.T) {
	deleted := events.PactDeleted{Consumer: "Foo", Provider: "Bar", ConsumerVersion: "1"}
	mergedRev := published("s2", 2)
	mergedRev.Merged = true
	cases := []struct {
		name    string
		given   []events.Payload
		when    PublishPact
		then    []events.Payload
		outcome PactOutcome
		err     error
	}{
		{"first publication is revision 1", nil, PublishPact{Key: key(), SHA: "s1"},
			[]events.Payload{published("s1", 1)}, PactOutcome{Created: true, Changed: true}, nil},
		{"the same content again changes nothing", []events.Payload{published("s1", 1)}, publishOf("s1", false, false),
			nil, PactOutcome{}, nil},
		{"changed content is refused", []events.Payload{published("s1", 1)}, publishOf("s2", false, false),
			nil, PactOutcome{}, ErrConflict},
		{"changed content is a new revision when allowed", []events.Payload{published("s1", 1)}, publishOf("s2", false, true),
			[]events.Payload{published("s2", 2)}, PactOutcome{Changed: true}, nil},
		{"a merge is a new revision", []events.Payload{published("s1", 1)}, publishOf("s2", true, false),
			[]events.Payload{mergedRev}, PactOutcome{Changed: true}, nil},
		{"a merge into nothing is a plain first publication", nil, publishOf("s2", true, false),
			[]events.Payload{published("s2", 1)}, PactOutcome{Created: true, Changed: true}, nil},
		{"after a deletion any content is new, revisions keep counting", []events.Payload{published("s1", 1), deleted},
			publishOf("s2", false, false), []events.Payload{published("s2", 2)}, PactOutcome{Created: true, Changed: true}, nil},
		{"a blank version is invalid", nil, PublishPact{Key: PactKey{Consumer: "Foo", Provider: "Bar", ConsumerVersion: " "}, SHA: "s"},
			nil, PactOutcome{}, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, outcome, err := DecidePublishPact(fold(EvolvePact, tc.given...), tc.when)
			wantErr(t, err, tc.err)
			sameEvents(t, got, tc.then)
			if outcome != tc.outcome {
				t.Fatalf("outcome %+v, want %+v", outcome, tc.outcome)
			}
		})
	}
	var conflict *PactConflictError
	_, _, err := DecidePublishPact(fold(EvolvePact, events.Payload(published("s1", 1))), publishOf("s2", false, false))
	if !errors.As(err, &conflict) || conflict.ExistingSHA != "s1" || !strings.HasPrefix(err.Error(), "Cannot change the content of the pact for Foo version 1 and provider Bar") {
		t.Fatalf("conflict error: %v", err)
	}
	if _, err := DecideDeletePact(Pact{}, key()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleting nothing: %v", err)
	}
}

// publishOf is a publication of sha for key().
func publishOf(sha string, merged, allow bool) PublishPact {
	return PublishPact{Key: key(), SHA: sha, Merged: merged, AllowModification: allow}
}

func TestMergePacts(t *testing.T) {
	base := mustParse(t, pactA)
	extra := mustParse(t, `{"interactions":[
		{"description":"a","request":{"method":"GET","path":"/a"},"response":{"status":200},"_id":"x"},
		{"description":"c","request":{"method":"GET","path":"/c"},"response":{"status":200}}]}`)
	merged, err := MergePacts(base, extra)
	if err != nil {
		t.Fatal(err)
	}
	if s := merged.Stored(); s.InteractionsCount != 3 || merged.SHA() == base.SHA() {
		t.Fatalf("merged: %d interactions", s.InteractionsCount)
	}
	if n, _ := merged.PacticipantName("consumer"); n != "Foo" {
		t.Fatal("a merge keeps the base's names")
	}
	again, err := MergePacts(merged, extra)
	if err != nil || again.SHA() != merged.SHA() {
		t.Fatalf("merging the same interactions again changes nothing: %v", err)
	}
	_, err = MergePacts(base, mustParse(t, pactB))
	var mc *MergeConflictError
	if !errors.As(err, &mc) || !errors.Is(err, ErrConflict) || mc.Description != "a" {
		t.Fatalf("same description and state with other content: %v", err)
	}
	diff := DescribePactChanges(base, mustParse(t, pactB))
	if !strings.Contains(diff, `~ interaction "a" (changed)`) || !strings.Contains(diff, `- interaction "b" given "b exists"`) {
		t.Fatalf("diff:\n%s", diff)
	}
}

func TestContentIsStoredOnceAndSplitWhenLarge(t *testing.T) {
	small := mustParse(t, pactA).Stored()
	evs := DecideStoreContent(PactContent{}, small)
	if len(evs) != 1 {
		t.Fatalf("%d events for a small document", len(evs))
	}
	st := fold(EvolvePactContent, evs...)
	if !st.Exists || !bytes.Equal(st.Stored.Content, small.Content) || DecideStoreContent(st, small) != nil {
		t.Fatal("a stored document is not stored again")
	}
	big := StoredPact{SHA: "big", Content: bytes.Repeat([]byte("x"), contentInlineLimit+contentChunkBytes+1), InteractionsCount: 1}
	parts := DecideStoreContent(PactContent{}, big)
	if len(parts) != 3 {
		t.Fatalf("%d parts, want 3", len(parts))
	}
	for _, p := range parts {
		raw, _ := json.Marshal(p)
		if len(raw) > events.MaxPayloadBytes {
			t.Fatalf("a part encodes to %d bytes", len(raw))
		}
	}
	half := fold(EvolvePactContent, parts[:2]...)
	if half.Exists {
		t.Fatal("a document exists only when its last part is in")
	}
	whole := fold(EvolvePactContent, parts...)
	if !whole.Exists || !bytes.Equal(whole.Stored.Content, big.Content) || whole.Stored.InteractionsCount != 1 {
		t.Fatal("the parts join into the document")
	}
}

func TestDecidePublishVerification(t *testing.T) {
	pv := PactVersionKey{Consumer: "Foo", Provider: "Bar", SHA: "s1"}
	ok := PublishVerification{Pact: pv, ProviderVersion: "2", Success: true, BuildURL: "https://ci/1"}
	result := func(n int) events.VerificationPublished {
		return events.VerificationPublished{Number: n, Consumer: "Foo", Provider: "Bar", SHA: "s1", ProviderVersion: "2", Success: true, BuildURL: "https://ci/1"}
	}
	cases := []struct {
		name   string
		given  []events.Payload
		when   PublishVerification
		then   []events.Payload
		number int
		err    error
	}{
		{"the first result is number 1", nil, ok, []events.Payload{result(1)}, 1, nil},
		{"numbers count per pact version", []events.Payload{result(1), result(2)}, ok, []events.Payload{result(3)}, 3, nil},
		{"a blank provider version", nil, PublishVerification{Pact: pv, ProviderVersion: " "}, nil, 0, ErrInvalid},
		{"a relative build URL", nil, PublishVerification{Pact: pv, ProviderVersion: "2", BuildURL: "ci/1"}, nil, 0, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, n, err := DecidePublishVerification(fold(EvolveVerifications, tc.given...), tc.when)
			wantErr(t, err, tc.err)
			sameEvents(t, got, tc.then)
			if n != tc.number {
				t.Fatalf("number %d, want %d", n, tc.number)
			}
		})
	}
}
