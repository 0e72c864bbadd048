package domain

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
)

// Errors of ParsePact. Both are client mistakes (ErrInvalid).
var (
	ErrPactNotJSON   = fmt.Errorf("%w: pact content could not be parsed as JSON", ErrInvalid)
	ErrPactNotObject = fmt.Errorf("%w: pact content is not a JSON object", ErrInvalid)
)

// brokerKeys are the top-level keys the broker adds when it serves a pact.
// They are dropped on the way in, so a pact fetched from a broker and
// published again is the same pact.
var brokerKeys = []string{"_links", "createdAt"}

// PactDocument is a pact as published: one JSON object, decoded with
// numbers kept exactly as written. It is immutable: methods that change a
// document return a new one that shares the unchanged parts.
type PactDocument struct {
	fields map[string]any
}

// ParsePact decodes a pact document. It fails with ErrPactNotJSON or
// ErrPactNotObject.
func ParsePact(raw []byte) (PactDocument, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return PactDocument{}, fmt.Errorf("%w: %v", ErrPactNotJSON, err)
	}
	if dec.More() {
		return PactDocument{}, fmt.Errorf("%w: data after the document", ErrPactNotJSON)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return PactDocument{}, ErrPactNotObject
	}
	return NewPactDocument(obj), nil
}

// NewPactDocument makes a document of a decoded JSON object whose numbers
// were decoded as json.Number (as ParsePact decodes). The document takes obj
// over: the caller must not use it afterwards.
func NewPactDocument(obj map[string]any) PactDocument {
	for _, k := range brokerKeys {
		delete(obj, k)
	}
	return PactDocument{fields: obj}
}

// PacticipantName returns "<role>.name" (role is "consumer" or "provider")
// and whether the document names one. A non-string name is returned as its
// JSON, so that it never matches a real name.
func (d PactDocument) PacticipantName(role string) (string, bool) {
	obj, _ := d.fields[role].(map[string]any)
	switch n := obj["name"].(type) {
	case nil:
		return "", false
	case string:
		return n, true
	default:
		return string(canonicalJSON(n)), true
	}
}

// list returns the "interactions" or "messages" array, if it is one.
func (d PactDocument) list(key string) ([]any, bool) {
	l, ok := d.fields[key].([]any)
	return l, ok
}

// specificationVersion finds the pact specification version in the
// metadata under any of the names pact libraries have used.
func (d PactDocument) specificationVersion() any {
	meta, _ := d.fields["metadata"].(map[string]any)
	for _, k := range []string{"pactSpecification", "pact-specification"} {
		if m, ok := meta[k].(map[string]any); ok && m["version"] != nil {
			return m["version"]
		}
	}
	return meta["pactSpecificationVersion"]
}

// SHA is the pact's content hash: SHA-1 (hex) of the canonical JSON of
// {"interactions", "messages", "pact_specification_version"}, with every
// object's keys sorted, the interactions and messages each sorted by their
// canonical JSON and their "_id"s left out. Names, metadata and the order of
// keys and interactions therefore do not change it, so pacts that only
// differ there share a pact version (and its verification results). A pact
// with neither interactions nor messages is hashed whole.
func (d PactDocument) SHA() string {
	var verifiable any = d.fields
	interactions, hasI := d.list("interactions")
	messages, hasM := d.list("messages")
	if hasI || hasM {
		m := map[string]any{}
		if hasI {
			m["interactions"] = sortedCanonical(interactions)
		}
		if hasM {
			m["messages"] = sortedCanonical(messages)
		}
		if v := d.specificationVersion(); v != nil {
			m["pact_specification_version"] = v
		}
		verifiable = m
	}
	sum := sha1.Sum(canonicalJSON(verifiable))
	return hex.EncodeToString(sum[:])
}

// sortedCanonical returns the items' canonical JSON (without "_id"), sorted.
func sortedCanonical(items []any) []json.RawMessage {
	out := make([]json.RawMessage, len(items))
	for i, it := range items {
		out[i] = canonicalJSON(withoutID(it))
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i], out[j]) < 0 })
	return out
}

func withoutID(item any) any {
	obj, ok := item.(map[string]any)
	if !ok || obj["_id"] == nil {
		return item
	}
	cp := make(map[string]any, len(obj))
	for k, v := range obj {
		if k != "_id" {
			cp[k] = v
		}
	}
	return cp
}

// interactionID is an interaction's "_id": SHA-1 of its canonical JSON
// without "_id", as the Pact Broker computes it. Equal interactions get
// equal ids in every pact, so results can be followed across pact versions.
func interactionID(item any) string {
	sum := sha1.Sum(canonicalJSON(withoutID(item)))
	return hex.EncodeToString(sum[:])
}

// canonicalJSON encodes v with sorted keys (maps encode that way) and
// without HTML escaping. Decoded documents always encode.
func canonicalJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// StoredPact is a pact document as the broker stores it.
type StoredPact struct {
	SHA               string
	Content           json.RawMessage // compact, keys sorted, HTML-escaped, "_id" on every interaction and message
	InteractionsCount int
	MessagesCount     int
}

// Stored returns the document ready to store: every interaction and message
// object gets its "_id" (replacing any given), and the JSON is compact with
// sorted keys. HTML characters are escaped, so the event that carries the
// content is no larger than the content itself.
func (d PactDocument) Stored() StoredPact {
	doc := make(map[string]any, len(d.fields))
	for k, v := range d.fields {
		doc[k] = v
	}
	out := StoredPact{SHA: d.SHA()}
	for _, key := range []string{"interactions", "messages"} {
		items, ok := d.list(key)
		if !ok {
			continue
		}
		withIDs := make([]any, len(items))
		for i, it := range items {
			withIDs[i] = it
			if obj, ok := it.(map[string]any); ok {
				cp := make(map[string]any, len(obj)+1)
				for k, v := range obj {
					cp[k] = v
				}
				cp["_id"] = interactionID(obj)
				withIDs[i] = cp
			}
		}
		doc[key] = withIDs
		if key == "interactions" {
			out.InteractionsCount = len(items)
		} else {
			out.MessagesCount = len(items)
		}
	}
	out.Content, _ = json.Marshal(doc)
	return out
}

// MergeConflictError says that a merge met two different interactions with
// the same description and provider state. It matches ErrConflict.
type MergeConflictError struct{ Description string }

func (e *MergeConflictError) Error() string {
	return fmt.Sprintf("the interaction %q differs from the interaction with the same description and provider state in the existing pact", e.Description)
}
func (e *MergeConflictError) Unwrap() error { return ErrConflict }

// MergePacts adds addition's interactions and messages to base (onConflict:
// merge, PATCH). An item with the description and provider state of one in
// base must equal it (ignoring "_id") and is then skipped; if it differs the
// merge fails with a MergeConflictError. Other items are appended. Every
// other key of base (names, metadata) is kept.
func MergePacts(base, addition PactDocument) (PactDocument, error) {
	merged := make(map[string]any, len(base.fields))
	for k, v := range base.fields {
		merged[k] = v
	}
	for _, key := range []string{"interactions", "messages"} {
		extra, ok := addition.list(key)
		if !ok {
			continue
		}
		items, _ := base.list(key)
		out := append([]any(nil), items...)
		for _, it := range extra {
			same, err := findSame(items, it)
			if err != nil {
				return PactDocument{}, err
			}
			if !same {
				out = append(out, it)
			}
		}
		merged[key] = out
	}
	return PactDocument{fields: merged}, nil
}

// findSame reports whether items hold an item equal to it; it fails when one
// has its description and provider state but different content.
func findSame(items []any, it any) (bool, error) {
	key := mergeKey(it)
	want := canonicalJSON(withoutID(it))
	for _, cur := range items {
		if !bytes.Equal(mergeKey(cur), key) {
			continue
		}
		if bytes.Equal(canonicalJSON(withoutID(cur)), want) {
			return true, nil
		}
		obj, _ := it.(map[string]any)
		desc, _ := obj["description"].(string)
		return false, &MergeConflictError{Description: desc}
	}
	return false, nil
}

// mergeKey is an item's description and provider state, as JSON.
func mergeKey(item any) []byte {
	obj, _ := item.(map[string]any)
	var state any
	for _, k := range []string{"provider_state", "providerState", "providerStates"} {
		if obj[k] != nil {
			state = obj[k]
			break
		}
	}
	return canonicalJSON([]any{obj["description"], state})
}
