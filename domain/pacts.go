package domain

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pactledger/pactledger/events"
)

// PactKey names the pact a consumer version holds for a provider.
type PactKey struct{ Consumer, Provider, ConsumerVersion string }

// Check validates the three names as path names.
func (k PactKey) Check() error {
	v := &ValidationError{Kind: ErrInvalid}
	checkName(v, "consumer", k.Consumer, true)
	checkName(v, "provider", k.Provider, true)
	checkName(v, "consumerVersion", k.ConsumerVersion, true)
	return v.OrNil()
}

// Name is the Pact Broker's name of a pact: "Pact between C (v) and P".
func (k PactKey) Name() string {
	return fmt.Sprintf("Pact between %s (%s) and %s", k.Consumer, k.ConsumerVersion, k.Provider)
}

// PactStream is the stream of one consumer version's pact with a provider:
// "pact-<consumer>.<provider>.<consumer version>".
func PactStream(k PactKey) (string, error) {
	return events.StreamID("pact", k.Consumer, k.Provider, k.ConsumerVersion)
}

// ContentStream is the stream that stores one pact content: "content-<sha>".
func ContentStream(sha string) (string, error) { return events.StreamID("content", sha) }

// Pact is the state of a pact stream.
type Pact struct {
	Exists   bool
	SHA      string // content of the latest revision
	Revision int    // the last revision number written; it keeps counting after a deletion
}

// EvolvePact folds one event into s.
func EvolvePact(s Pact, e events.Envelope) Pact {
	switch p := e.Data.(type) {
	case events.PactPublished:
		return Pact{Exists: true, SHA: p.SHA, Revision: p.Revision}
	case events.PactDeleted:
		return Pact{Revision: s.Revision}
	}
	return s
}

// PactConflictError refuses changed content for a consumer version that has
// a pact already (the Pact Broker's allow_dangerous_contract_modification is
// off). It matches ErrConflict.
type PactConflictError struct {
	Key                 PactKey
	ExistingSHA, NewSHA string
}

func (e *PactConflictError) Error() string {
	return fmt.Sprintf("Cannot change the content of the pact for %s version %s and provider %s, as race conditions "+
		"will cause unreliable results for can-i-deploy. Each pact must be published with a unique consumer version "+
		"number. Some Pact libraries generate random data when a concrete value for a type matcher is not specified, "+
		"and this can cause the contract to mutate - ensure you have given example values for all type matchers. "+
		"For more information see https://docs.pact.io/go/versioning", e.Key.Consumer, e.Key.ConsumerVersion, e.Key.Provider)
}
func (e *PactConflictError) Unwrap() error { return ErrConflict }

// PublishPact asks to make content SHA the pact of a consumer version.
type PublishPact struct {
	Key PactKey
	SHA string
	// Merged says that SHA is the existing content merged with new
	// interactions (onConflict: merge, PATCH); a merge may change content.
	Merged bool
	// AllowModification lets changed content replace existing content as a
	// new revision (allow_dangerous_contract_modification).
	AllowModification bool
}

// PactOutcome says what a publication did.
type PactOutcome struct {
	Created bool // the consumer version had no pact for the provider
	Changed bool // a new revision was written (Created included)
}

// CheckPactModification returns a PactConflictError when publishing sha over
// s would change its content and that is not allowed. Commands call it
// before they write anything.
func CheckPactModification(s Pact, k PactKey, sha string, merge, allow bool) error {
	if s.Exists && s.SHA != sha && !merge && !allow {
		return &PactConflictError{Key: k, ExistingSHA: s.SHA, NewSHA: sha}
	}
	return nil
}

// DecidePublishPact publishes a revision. The same content again changes
// nothing; changed content is a PactConflictError unless merged or allowed.
// The content must be stored (content-<sha>) before the events are appended.
func DecidePublishPact(s Pact, c PublishPact) ([]events.Payload, PactOutcome, error) {
	if err := c.Key.Check(); err != nil {
		return nil, PactOutcome{}, err
	}
	if s.Exists && s.SHA == c.SHA {
		return nil, PactOutcome{}, nil
	}
	if err := CheckPactModification(s, c.Key, c.SHA, c.Merged, c.AllowModification); err != nil {
		return nil, PactOutcome{}, err
	}
	ev := events.PactPublished{Consumer: c.Key.Consumer, Provider: c.Key.Provider, ConsumerVersion: c.Key.ConsumerVersion,
		SHA: c.SHA, Revision: s.Revision + 1, Merged: c.Merged && s.Exists}
	return []events.Payload{ev}, PactOutcome{Created: !s.Exists, Changed: true}, nil
}

// DecideDeletePact deletes a consumer version's pact for a provider.
func DecideDeletePact(s Pact, k PactKey) ([]events.Payload, error) {
	if !s.Exists {
		return nil, NotFound("pact for %s version %s and provider %s", k.Consumer, k.ConsumerVersion, k.Provider)
	}
	return []events.Payload{events.PactDeleted{Consumer: k.Consumer, Provider: k.Provider, ConsumerVersion: k.ConsumerVersion}}, nil
}

// PactContent is the state of a content stream.
type PactContent struct {
	Exists bool
	Stored StoredPact
	chunks [][]byte // parts of a split document seen so far
}

// EvolvePactContent folds one event into s, joining a split document when
// its last part arrives. The first complete document wins.
func EvolvePactContent(s PactContent, e events.Envelope) PactContent {
	p, ok := e.Data.(events.PactContentStored)
	if !ok || s.Exists {
		return s
	}
	stored := StoredPact{SHA: p.SHA, Content: p.Content, InteractionsCount: p.InteractionsCount, MessagesCount: p.MessagesCount}
	if p.Parts <= 1 && p.Chunk == nil {
		return PactContent{Exists: true, Stored: stored}
	}
	s.chunks = append(s.chunks, p.Chunk)
	if p.Part >= p.Parts {
		stored.Content = bytesJoin(s.chunks)
		return PactContent{Exists: true, Stored: stored}
	}
	return s
}

func bytesJoin(chunks [][]byte) []byte {
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	out := make([]byte, 0, n)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
}

// Content event sizes: a document up to contentInlineLimit bytes is one
// event; a larger one is split into base64 chunks of contentChunkBytes, each
// well under events.MaxPayloadBytes.
const (
	contentInlineLimit = events.MaxPayloadBytes - 64<<10
	contentChunkBytes  = 4 << 20
)

// DecideStoreContent returns the events that store a document in its
// content stream, or none when the stream holds it already (content is
// addressed by hash and written once).
func DecideStoreContent(s PactContent, p StoredPact) []events.Payload {
	if s.Exists {
		return nil
	}
	ev := events.PactContentStored{SHA: p.SHA, InteractionsCount: p.InteractionsCount, MessagesCount: p.MessagesCount}
	if len(p.Content) <= contentInlineLimit {
		ev.Content = p.Content
		return []events.Payload{ev}
	}
	parts := (len(p.Content) + contentChunkBytes - 1) / contentChunkBytes
	out := make([]events.Payload, 0, parts)
	for i := range parts {
		part := ev
		part.Part, part.Parts = i+1, parts
		part.Chunk = p.Content[i*contentChunkBytes : min((i+1)*contentChunkBytes, len(p.Content))]
		out = append(out, part)
	}
	return out
}

// DescribePactChanges summarises how next differs from prev, by interaction
// and message, for the notice that explains a refused change.
func DescribePactChanges(prev, next PactDocument) string {
	var lines []string
	for _, key := range []string{"interactions", "messages"} {
		before, after := describeItems(prev, key), describeItems(next, key)
		for _, k := range sortedKeys(before) {
			if a, ok := after[k]; !ok {
				lines = append(lines, "- "+before[k].label)
			} else if a.content != before[k].content {
				lines = append(lines, "~ "+before[k].label+" (changed)")
			}
		}
		for _, k := range sortedKeys(after) {
			if _, ok := before[k]; !ok {
				lines = append(lines, "+ "+after[k].label)
			}
		}
	}
	if len(lines) == 0 {
		return "The interactions and messages are the same; other verifiable content (the specification version) differs."
	}
	return "Changes to the interactions and messages of the existing pact (- removed, + added, ~ changed):\n" + strings.Join(lines, "\n")
}

type describedItem struct{ label, content string }

// describeItems indexes a document's items by description and provider
// state.
func describeItems(d PactDocument, key string) map[string]describedItem {
	items, _ := d.list(key)
	out := make(map[string]describedItem, len(items))
	for _, it := range items {
		out[string(mergeKey(it))] = describedItem{label: itemLabel(key, it), content: string(canonicalJSON(withoutID(it)))}
	}
	return out
}

// itemLabel names an interaction: `interaction "get a thing" given "a thing exists"`.
func itemLabel(key string, item any) string {
	obj, _ := item.(map[string]any)
	desc, _ := obj["description"].(string)
	var states []string
	for _, k := range []string{"providerState", "provider_state"} {
		if s, ok := obj[k].(string); ok {
			states = append(states, strconv.Quote(s))
		}
	}
	list, _ := obj["providerStates"].([]any)
	for _, st := range list {
		m, _ := st.(map[string]any)
		if n, ok := m["name"].(string); ok {
			states = append(states, strconv.Quote(n))
		}
	}
	label := strings.TrimSuffix(key, "s") + " " + strconv.Quote(desc)
	if len(states) > 0 {
		label += " given " + strings.Join(states, " and ")
	}
	return label
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
