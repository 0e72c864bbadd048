package openapicompare

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/pactledger/pactledger/domain"
)

// Engine names identify this engine, its rule set and its mode in
// comparison results (the mode changes results, so it is recorded).
const (
	EngineName         = "pactledger-openapicompare/1 (openapi-pact-comparator rules, default mode)"
	EngineNamePactFlow = "pactledger-openapicompare/1 (openapi-pact-comparator rules, PactFlow compatibility mode)"
)

// DefaultCacheSize is how many parsed specs (with their compiled schemas)
// a Comparator keeps by default.
const DefaultCacheSize = 64

// Options tune a Comparator.
type Options struct {
	// CacheSize bounds the parsed+compiled specs kept, least recently used
	// evicted first; 0 means DefaultCacheSize, negative disables caching.
	CacheSize int
	// PactFlowCompatible turns on, by default, the OPC compatibility
	// switches hosted PactFlow documents as on (swagger-mock-validator
	// behaviour: presence-only Authorization, legacy query parser, complex
	// parameters not validated, ...). Off, the engine follows OPC's own
	// defaults, which its fixtures assert. A document still overrides each
	// switch with info.x-opc-config-<name>.
	PactFlowCompatible bool
}

// Comparator compares consumer pacts with provider OpenAPI documents. It
// implements domain.ContractComparator: safe for concurrent use, a pure
// function of its input, and unusable documents give an unsuccessful
// outcome rather than an error.
type Comparator struct {
	size     int
	defaults config
	engine   string
	mu       sync.Mutex
	specs    map[string]*list.Element
	lru      *list.List
}

var _ domain.ContractComparator = (*Comparator)(nil)

type cacheEntry struct {
	key  string
	spec *spec
	err  error
	once sync.Once
	data []byte
}

// New returns a Comparator with default options.
func New() *Comparator { return NewWithOptions(Options{}) }

// NewWithOptions returns a Comparator with the given options.
func NewWithOptions(opts Options) *Comparator {
	size := opts.CacheSize
	if size == 0 {
		size = DefaultCacheSize
	}
	engine := EngineName
	if opts.PactFlowCompatible {
		engine = EngineNamePactFlow
	}
	return &Comparator{size: size, defaults: defaultConfig(opts.PactFlowCompatible), engine: engine,
		specs: map[string]*list.Element{}, lru: list.New()}
}

// Compare compares in.Pact with in.Contract. The error is non-nil only when
// ctx is done.
func (c *Comparator) Compare(ctx context.Context, in domain.ComparisonInput) (_ domain.ComparisonOutcome, err error) {
	out := domain.ComparisonOutcome{Engine: c.engine, Mismatches: []domain.Mismatch{}}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("openapicompare: internal failure: %v", r)
		}
	}()
	if err := ctx.Err(); err != nil {
		return out, err
	}
	sp, err := c.spec(in)
	if err != nil {
		out.Mismatches = append(out.Mismatches, domain.Mismatch{
			Code:         "spec.unparsable",
			Type:         domain.MismatchError,
			Message:      "The provider contract could not be read as an OpenAPI 3.x or Swagger 2.0 document: " + err.Error(),
			SpecLocation: "[root]",
		})
		return out, nil
	}
	interactions, err := parsePact(in.Pact)
	if err != nil {
		out.Mismatches = append(out.Mismatches, domain.Mismatch{
			Code:         "pact.unparsable",
			Type:         domain.MismatchError,
			Message:      "The pact could not be read: " + err.Error(),
			PactLocation: "[root]",
		})
		return out, nil
	}
	for i := range interactions {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return out, err
			}
		}
		ck := check{spec: sp, in: &interactions[i]}
		ck.run()
		out.Mismatches = append(out.Mismatches, ck.out...)
	}
	out.Success = true
	for _, m := range out.Mismatches {
		if m.Type == domain.MismatchError {
			out.Success = false
			break
		}
	}
	return out, nil
}

// spec returns the parsed contract, from the cache when possible. The cache
// key is the ContractSHA, or a hash of the contract when none is given.
func (c *Comparator) spec(in domain.ComparisonInput) (*spec, error) {
	if c.size < 0 {
		return loadSpec(in.Contract, c.defaults)
	}
	key := in.ContractSHA
	if key == "" {
		sum := sha256.Sum256(in.Contract)
		key = hex.EncodeToString(sum[:])
	}
	c.mu.Lock()
	el, ok := c.specs[key]
	if ok {
		c.lru.MoveToFront(el)
	} else {
		el = c.lru.PushFront(&cacheEntry{key: key, data: in.Contract})
		c.specs[key] = el
		for c.lru.Len() > c.size {
			old := c.lru.Back()
			c.lru.Remove(old)
			delete(c.specs, old.Value.(*cacheEntry).key)
		}
	}
	entry := el.Value.(*cacheEntry)
	c.mu.Unlock()
	entry.once.Do(func() {
		entry.spec, entry.err = loadSpec(entry.data, c.defaults)
		entry.data = nil
	})
	return entry.spec, entry.err
}
