package projections

import (
	"cmp"
	"slices"

	"github.com/pactledger/pactledger/domain"
)

// The rows of Contracts. None holds a pointer except the slices of a pact
// version and an integration, so the big slices (versions, pacts, links)
// are not marked by the garbage collector at all. Ids are indexes; -1 is
// none. A freed slot is zeroed and its index reused.

// versionRec is an application version: its order, and the heads of the
// lists of pacts it holds (as consumer) and of pact versions it has
// results for (as provider).
type versionRec struct {
	order    uint64 // log position of its VersionCreated; 0 when none was seen
	pacts    int32  // first pact (pactRec.next), by provider name
	verified int32  // first link
}

func verKey(pacticipant, number uint32) uint64 { return uint64(pacticipant)<<32 | uint64(number) }

// pactRev is one revision of a pact, in 24 bytes.
type pactRev struct {
	position  uint64
	createdAt stamp
	sha       uint32
	revm      int32 // revision<<1 | 1 if merged
}

// newRev packs a revision. Hazard: revision numbers beyond ±2^30 do not
// fit (they count a pact's publications).
func newRev(position uint64, createdAt stamp, sha uint32, revision int, merged bool) pactRev {
	m := int32(0)
	if merged {
		m = 1
	}
	return pactRev{position: position, createdAt: createdAt, sha: sha, revm: int32(revision)<<1 | m}
}

func (r *pactRev) revision() int { return int(r.revm >> 1) }
func (r *pactRev) merged() bool  { return r.revm&1 != 0 }

// pactRec is a consumer version's pact for a provider, with its latest
// revision; earlier ones are in Contracts.earlier.
type pactRec struct {
	rev                        pactRev
	order                      uint64 // the consumer version's, when the pact was first published
	consumer, provider, number uint32
	next                       int32 // the consumer version's next pact
}

// pvKey is a pact version: consumer, provider and SHA symbols.
type pvKey struct{ consumer, provider, sha uint32 }

// pvRec is a pact version.
type pvRec struct {
	key       pvKey
	createdAt stamp
	// refs are the pacts that hold the content in some revision, by
	// consumer version order; the pact version lives while there are any.
	refs    []int32
	results []verification // by number
	latest  []latestRef    // each provider version's latest result, by provider version symbol
}

// latestRef is a provider version's latest result in a pact version: the
// provider version's symbol beside the result's index, so that a search of
// the index reads the index alone and not a result record per probe (each
// a cache miss on a large model).
type latestRef struct {
	providerVersion uint32
	result          int32 // index in results
}

// verifiedLink is an entry in a provider version's list of the pact
// versions it has results for.
type verifiedLink struct{ pv, next int32 }

type integrationRow struct {
	consumer, provider uint32
	createdAt          stamp
	byOrder            []int32 // pacts, by consumer version order, oldest first
	pvs                []int32 // pact versions, in no order
}

// version returns the index of a version, making it (with order 0).
func (c *Contracts) version(pacticipant, number uint32) int32 {
	k := verKey(pacticipant, number)
	if vid, ok := c.versions[k]; ok {
		return vid
	}
	rec := versionRec{pacts: -1, verified: -1}
	vid := takeRow(&c.vers, &c.free.vers, rec)
	c.versions[k] = vid
	return vid
}

// versionOf returns the index of a version, or -1.
func (c *Contracts) versionOf(pacticipant, number string) int32 {
	p, ok1 := c.syms.id(pacticipant)
	n, ok2 := c.syms.id(number)
	if !ok1 || !ok2 {
		return -1
	}
	if vid, ok := c.versions[verKey(p, n)]; ok {
		return vid
	}
	return -1
}

// pactIn returns a version's pact for a provider, or -1.
func (c *Contracts) pactIn(vid int32, provider uint32) int32 {
	for id := c.vers[vid].pacts; id >= 0; id = c.pacts[id].next {
		if c.pacts[id].provider == provider {
			return id
		}
	}
	return -1
}

// pactOf returns a consumer version's pact for a provider, or -1.
func (c *Contracts) pactOf(consumer, version, provider string) int32 {
	vid := c.versionOf(consumer, version)
	prov, ok := c.syms.id(provider)
	if vid < 0 || !ok {
		return -1
	}
	return c.pactIn(vid, prov)
}

// newPact stores a pact and links it into its version's list, which is
// kept by provider name.
func (c *Contracts) newPact(vid int32, rec pactRec) int32 {
	id := takeRow(&c.pacts, &c.free.pacts, rec)
	name := c.syms.str(rec.provider)
	at := &c.vers[vid].pacts
	for *at >= 0 && c.syms.str(c.pacts[*at].provider) < name {
		at = &c.pacts[*at].next
	}
	c.pacts[id].next, *at = *at, id
	return id
}

// unlinkPact removes a pact from its version's list and frees it.
func (c *Contracts) unlinkPact(id int32) {
	p := c.pacts[id]
	if vid, ok := c.versions[verKey(p.consumer, p.number)]; ok {
		for at := &c.vers[vid].pacts; *at >= 0; at = &c.pacts[*at].next {
			if *at == id {
				*at = p.next
				break
			}
		}
	}
	delete(c.earlier, id)
	c.pacts[id] = pactRec{}
	c.free.pacts = append(c.free.pacts, id)
}

// byConsumerOrder orders pacts by their consumer versions' order, then
// number.
func (c *Contracts) byConsumerOrder(a, b int32) int {
	pa, pb := &c.pacts[a], &c.pacts[b]
	return cmp.Or(cmp.Compare(pa.order, pb.order), cmp.Compare(c.syms.str(pa.number), c.syms.str(pb.number)))
}

// insertByOrder inserts pact id into a list kept by consumer order.
func (c *Contracts) insertByOrder(list []int32, id int32) []int32 {
	i, _ := slices.BinarySearchFunc(list, id, c.byConsumerOrder)
	return slices.Insert(list, i, id)
}

func containsID(list []int32, id int32) bool { return slices.Contains(list, id) }

func removeID(list []int32, id int32) []int32 {
	if i := slices.Index(list, id); i >= 0 {
		return slices.Delete(list, i, i+1)
	}
	return list
}

func (c *Contracts) newPV(rec pvRec) int32 {
	id := takeRow(&c.pvs, &c.free.pvs, rec)
	c.pvIndex[rec.key] = id
	return id
}

// pvOf returns a pact version's index, or -1.
func (c *Contracts) pvOf(k domain.PactVersionKey) int32 {
	consumer, ok1 := c.syms.id(k.Consumer)
	provider, ok2 := c.syms.id(k.Provider)
	sha, ok3 := c.syms.id(k.SHA)
	if !ok1 || !ok2 || !ok3 {
		return -1
	}
	if id, ok := c.pvIndex[pvKey{consumer, provider, sha}]; ok {
		return id
	}
	return -1
}

func (c *Contracts) pvKeyOf(k pvKey) domain.PactVersionKey {
	return domain.PactVersionKey{Consumer: c.syms.str(k.consumer), Provider: c.syms.str(k.provider), SHA: c.syms.str(k.sha)}
}

// link adds a pact version to a provider version's list.
func (c *Contracts) link(vid, pv int32) {
	l := verifiedLink{pv: pv, next: c.vers[vid].verified}
	c.vers[vid].verified = takeRow(&c.links, &c.free.links, l)
}

// unlink removes a pact version from a provider version's list.
func (c *Contracts) unlink(vid, pv int32) {
	for at := &c.vers[vid].verified; *at >= 0; at = &c.links[*at].next {
		if id := *at; c.links[id].pv == pv {
			*at = c.links[id].next
			c.links[id] = verifiedLink{}
			c.free.links = append(c.free.links, id)
			return
		}
	}
}

// integration returns the pair's row, creating it.
func (c *Contracts) integration(consumer, provider uint32, at stamp) *integrationRow {
	if row := c.ints[consumer][provider]; row != nil {
		return row
	}
	row := &integrationRow{consumer: consumer, provider: provider, createdAt: at}
	if c.ints[consumer] == nil {
		c.ints[consumer] = map[uint32]*integrationRow{}
	}
	if c.byProv[provider] == nil {
		c.byProv[provider] = map[uint32]*integrationRow{}
	}
	c.ints[consumer][provider], c.byProv[provider][consumer] = row, row
	return row
}

// integrationOf returns a pair's row, or nil.
func (c *Contracts) integrationOf(consumer, provider string) *integrationRow {
	cons, ok1 := c.syms.id(consumer)
	prov, ok2 := c.syms.id(provider)
	if !ok1 || !ok2 {
		return nil
	}
	return c.ints[cons][prov]
}

// revView expands a revision of pact p.
func (c *Contracts) revView(p *pactRec, r *pactRev) PactView {
	return PactView{
		PactKey: domain.PactKey{Consumer: c.syms.str(p.consumer), Provider: c.syms.str(p.provider), ConsumerVersion: c.syms.str(p.number)},
		SHA:     c.syms.str(r.sha), Revision: r.revision(), Merged: r.merged(), ConsumerVersionOrder: p.order,
		CreatedAt: r.createdAt.time(), Position: r.position,
	}
}

func (c *Contracts) pactView(id int32) PactView {
	p := &c.pacts[id]
	return c.revView(p, &p.rev)
}

// revisions returns every revision of a pact, oldest first.
func (c *Contracts) revisions(id int32) []PactView {
	p := &c.pacts[id]
	earlier := c.earlier[id]
	out := make([]PactView, 0, len(earlier)+1)
	for i := range earlier {
		out = append(out, c.revView(p, &earlier[i]))
	}
	return append(out, c.revView(p, &p.rev))
}
