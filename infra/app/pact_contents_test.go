package app

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/infra/memstore"
	"github.com/pactledger/pactledger/projections"
)

// appendContent writes content events to a content stream, as
// commands.storeContent does.
func appendContent(t testing.TB, log *events.Log, sha string, expected events.ExpectedVersion, ps ...events.PactContentStored) {
	t.Helper()
	stream, _ := domain.ContentStream(sha)
	envs := make([]events.Envelope, len(ps))
	for i, p := range ps {
		envs[i] = events.Envelope{ID: uuid.New(), OccurredAt: time.Now(), Data: p}
	}
	if _, err := log.Append(context.Background(), stream, expected, envs...); err != nil {
		t.Fatal(err)
	}
}

func jetstreamStore(t testing.TB) events.Store {
	s, err := jetstream.Open(context.Background(), jetstream.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestPactContentsReadFromTheLog stores whole and split content (its parts
// apart in the log, another document between them) in real stores, and
// reads it back through the read model's refs: byte for byte, then from
// the cache; unknown content is not found.
func TestPactContentsReadFromTheLog(t *testing.T) {
	mem := memstore.New()
	stores := map[string]func(testing.TB) events.Store{
		"memstore":                    func(testing.TB) events.Store { return mem },
		"a store without point reads": func(testing.TB) events.Store { return scanOnly{memstore.New()} },
		"jetstream":                   jetstreamStore,
	}
	whole := []byte(`{"consumer":{"name":"Foo"},"interactions":[{"description":"a"}]}`)
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			a := Start(open(t), Options{})
			defer a.Close()
			appendVersions(t, a.Log, "foo", 5)
			appendContent(t, a.Log, "split", events.NoStream,
				events.PactContentStored{SHA: "split", Part: 1, Parts: 2, Chunk: []byte(`{"interactions":`)})
			appendContent(t, a.Log, "whole", events.NoStream,
				events.PactContentStored{SHA: "whole", Content: whole, InteractionsCount: 1})
			appendVersions(t, a.Log, "bar", 20)
			appendContent(t, a.Log, "split", events.Any,
				events.PactContentStored{SHA: "split", Part: 2, Parts: 2, Chunk: []byte(`[]}`), MessagesCount: 2})
			if err := a.Runner.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			for sha, want := range map[string]string{"whole": string(whole), "split": `{"interactions":[]}`} {
				for _, read := range []string{"from the log", "from the cache"} {
					v, ok, err := a.contents.Content(ctx, sha)
					if err != nil || !ok || string(v.Content) != want || v.SHA != sha {
						t.Fatalf("%s %s: %q %v %v", sha, read, v.Content, ok, err)
					}
				}
			}
			if v, _, _ := a.contents.Content(ctx, "split"); v.MessagesCount != 2 || v.CreatedAt.IsZero() {
				t.Fatalf("split content's details: %+v", v)
			}
			if a.contents.cache.bytes() < len(whole) {
				t.Fatalf("the cache holds %d bytes after reading %d", a.contents.cache.bytes(), len(whole))
			}
			if v, ok, err := a.contents.Content(ctx, "never-stored"); ok || err != nil {
				t.Fatalf("unknown content: %+v %v %v", v, ok, err)
			}
		})
	}
}

// fixedRefs answers every SHA with one ref.
type fixedRefs projections.PactContentRef

func (f fixedRefs) ContentRef(string) (projections.PactContentRef, bool) {
	return projections.PactContentRef(f), true
}

// TestPactContentsRefusesRefsThatMissTheLog checks a ref that points at
// something else (a snapshot from another log) is an error, not content.
func TestPactContentsRefusesRefsThatMissTheLog(t *testing.T) {
	log := events.NewLog(memstore.New(), events.NewDefaultRegistry())
	appendVersions(t, log, "foo", 3)
	appendContent(t, log, "x", events.NoStream, events.PactContentStored{SHA: "x", Content: []byte(`{}`)})
	for name, ref := range map[string]projections.PactContentRef{
		"another event":    {SHA: "x", Positions: []uint64{2}, Size: 2},
		"another size":     {SHA: "x", Positions: []uint64{4}, Size: 3},
		"beyond the log":   {SHA: "x", Positions: []uint64{9}, Size: 2},
		"another document": {SHA: "y", Positions: []uint64{4}, Size: 2},
		"no positions":     {SHA: "x", Positions: []uint64{}, Size: 2},
	} {
		s := &pactContents{refs: fixedRefs(ref), log: contentReader{log}, cache: newContentCache(1 << 20)}
		if v, ok, err := s.Content(context.Background(), ref.SHA); err == nil {
			t.Errorf("%s: read %q %v without an error", name, v.Content, ok)
		}
	}
	s := &pactContents{refs: fixedRefs{SHA: "x", Positions: []uint64{4}, Size: 2}, log: contentReader{log}, cache: newContentCache(1 << 20)}
	if v, ok, err := s.Content(context.Background(), "x"); err != nil || !ok || string(v.Content) != `{}` {
		t.Fatalf("the right ref: %q %v %v", v.Content, ok, err)
	}
}

// TestContentCacheStaysWithinItsBound fills the cache past its bound and
// checks it holds at most the bound, drops the least recently used first,
// and keeps no document larger than a quarter of the bound.
func TestContentCacheStaysWithinItsBound(t *testing.T) {
	const bound = 64 << 10
	c := newContentCache(bound)
	doc := func(i int) projections.PactContentView {
		return projections.PactContentView{SHA: fmt.Sprintf("sha-%03d", i), Content: bytes.Repeat([]byte("x"), 4000)}
	}
	for i := range 100 {
		c.put(doc(i))
		if _, ok := c.get("sha-000"); !ok { // kept in use: never the least recent
			t.Fatalf("after %d puts the document in use was dropped", i+1)
		}
		if c.bytes() > bound {
			t.Fatalf("after %d puts the cache holds %d bytes, over %d", i+1, c.bytes(), bound)
		}
	}
	if _, ok := c.get("sha-001"); ok {
		t.Fatal("an old unused document survived 100 puts of 4 KB in 64 KiB")
	}
	if v, ok := c.get("sha-099"); !ok || len(v.Content) != 4000 {
		t.Fatal("the latest document is not cached")
	}
	if c.bytes() < bound-2*entryBytes(doc(0)) {
		t.Fatalf("the cache holds only %d of %d bytes", c.bytes(), bound)
	}
	c.put(projections.PactContentView{SHA: "huge", Content: []byte(strings.Repeat("y", bound/4))})
	if _, ok := c.get("huge"); ok {
		t.Fatal("a document over a quarter of the bound was cached")
	}
}

// BenchmarkPactContentRead reads a 10 KB pact out of 2,000 on embedded
// JetStream: cold (no cache: a point read, decode and fold each time) and
// warm (cached).
func BenchmarkPactContentRead(b *testing.B) {
	s, err := jetstream.Open(context.Background(), jetstream.Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	a := Start(s, Options{})
	b.Cleanup(a.Close)
	const docs = 2000
	body := `{"consumer":{"name":"Foo"},"provider":{"name":"Bar"},"interactions":[` +
		strings.Repeat(`{"description":"a request","request":{"method":"GET","path":"/things/1"},"response":{"status":200}},`, 100) + `{}]}`
	for i := range docs {
		sha := fmt.Sprintf("sha-%04d", i)
		appendContent(b, a.Log, sha, events.NoStream, events.PactContentStored{SHA: sha, Content: []byte(strings.Replace(body, "Foo", sha, 1))})
	}
	if err := a.Runner.CatchUp(context.Background()); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		cache int
	}{{"cold", 0}, {"warm", DefaultContentCacheBytes}} {
		b.Run(bc.name, func(b *testing.B) {
			svc := newPactContents(a.Log, a.Contracts, bc.cache)
			ctx := context.Background()
			i := 0
			for b.Loop() {
				sha := fmt.Sprintf("sha-%04d", i%docs*7%docs)
				if bc.name == "warm" {
					sha = fmt.Sprintf("sha-%04d", i%64)
				}
				i++
				if v, ok, err := svc.Content(ctx, sha); err != nil || !ok || len(v.Content) < len(body) {
					b.Fatalf("%s: %v %v", sha, ok, err)
				}
			}
		})
	}
}
