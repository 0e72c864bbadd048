package projections

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"unsafe"

	"github.com/pactledger/pactledger/events"
)

// contractsSnapshotVersion changes whenever the encoding does. 2: the
// compact model (symbols, compressed content).
const contractsSnapshotVersion = 2

// AppendSnapshot implements Snapshotter: the symbol table (every string
// the model has numbered, in number order, so that a restore numbers them
// alike and the rest can refer to them by number), stored contents as
// compressed, the parts of split contents still being joined, versions and
// their orders, verifier details, then each integration (by consumer, then
// provider symbol) with its pacts in consumer version order (every
// revision) and its pact versions by SHA symbol (with the consumer
// versions that hold them and their results by number). The version lists
// and latest-result indexes are derived on restore.
func (c *Contracts) AppendSnapshot(b []byte) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	w := &snapWriter{b: b}
	w.uint(contractsSnapshotVersion)
	w.count(c.syms.len() - 1)
	for id := 1; id < c.syms.len(); id++ {
		w.str(c.syms.str(uint32(id)))
	}
	w.count(len(c.contents))
	for _, sha := range sortedKeys(c.contents) {
		v := c.contents[sha]
		w.uint(uint64(sha))
		w.bool(v.raw)
		w.uint(uint64(v.size))
		w.bytes(v.data)
		w.int(int64(v.interactions))
		w.int(int64(v.messages))
		w.int(int64(v.createdAt))
	}
	w.count(len(c.pending))
	for _, sha := range sortedKeys(c.pending) {
		w.str(sha)
		w.count(len(c.pending[sha]))
		for _, p := range c.pending[sha] {
			w.str(p.SHA)
			w.bytes(p.Content)
			w.int(int64(p.InteractionsCount))
			w.int(int64(p.MessagesCount))
			w.int(int64(p.Part))
			w.int(int64(p.Parts))
			w.bytes(p.Chunk)
		}
	}
	w.count(len(c.versions))
	for _, k := range sortedKeys(c.versions) {
		w.uint(k)
		w.uint(c.vers[c.versions[k]].order)
	}
	w.count(len(c.verifier.list) - 1)
	for _, by := range c.verifier.list[1:] {
		for _, s := range []string{by.Implementation, by.Version, by.ClientLanguage, by.ClientVersion, by.ClientTestFramework} {
			w.str(s)
		}
	}
	igs := c.sortedIntegrations()
	w.count(len(igs))
	for _, ig := range igs {
		c.appendIntegration(w, ig)
	}
	return w.b
}

func (c *Contracts) sortedIntegrations() []*integrationRow {
	var out []*integrationRow
	for _, byProvider := range c.ints {
		out = slices.AppendSeq(out, maps.Values(byProvider))
	}
	slices.SortFunc(out, func(a, b *integrationRow) int {
		return cmp.Or(cmp.Compare(a.consumer, b.consumer), cmp.Compare(a.provider, b.provider))
	})
	return out
}

func (c *Contracts) appendIntegration(w *snapWriter, ig *integrationRow) {
	w.uint(uint64(ig.consumer))
	w.uint(uint64(ig.provider))
	w.int(int64(ig.createdAt))
	w.count(len(ig.byOrder))
	for _, id := range ig.byOrder {
		p := &c.pacts[id]
		w.uint(uint64(p.number))
		w.uint(p.order)
		earlier := c.earlier[id]
		w.count(len(earlier) + 1)
		for _, rev := range append(slices.Clip(earlier), p.rev) {
			w.uint(uint64(rev.sha))
			w.int(int64(rev.revision()))
			w.bool(rev.merged())
			w.int(int64(rev.createdAt))
			w.uint(rev.position)
		}
	}
	pvs := slices.SortedFunc(slices.Values(ig.pvs), func(a, b int32) int { return cmp.Compare(c.pvs[a].key.sha, c.pvs[b].key.sha) })
	w.count(len(pvs))
	for _, pvid := range pvs {
		pv := &c.pvs[pvid]
		w.uint(uint64(pv.key.sha))
		w.int(int64(pv.createdAt))
		w.count(len(pv.refs))
		for _, id := range pv.refs {
			w.uint(uint64(c.pacts[id].number))
		}
		w.count(len(pv.results))
		for i := range pv.results {
			c.appendVerification(w, pv.key, &pv.results[i])
		}
	}
}

func (c *Contracts) appendVerification(w *snapWriter, k pvKey, v *verification) {
	w.int(int64(v.number))
	w.uint(uint64(v.providerVersion))
	w.uint(uint64(v.buildURL))
	w.uint(uint64(c.verifierOf(k, v)))
	w.int(int64(v.createdAt))
	w.uint(v.position)
	w.uint(uint64(v.flags))
	x := c.extra(k, v)
	w.timePtr(x.verificationDate)
	w.bytes(x.testResults)
	w.bytes(x.selectors)
}

// RestoreSnapshot implements Snapshotter.
func (c *Contracts) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != contractsSnapshotVersion {
		return fmt.Errorf("%w: contracts encoding %d, want %d", ErrSnapshotCorrupt, v, contractsSnapshotVersion)
	}
	fresh := NewContracts()
	fresh.restore(r)
	if err := r.done(); err != nil {
		return fmt.Errorf("contracts: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.contractsState = fresh.contractsState
	return nil
}

func (c *Contracts) restore(r *snapReader) {
	for n := r.count(); n > 0 && r.err == nil; n-- {
		b := r.take(r.uint())
		if id := c.syms.add(unsafe.String(unsafe.SliceData(b), len(b))); int(id) != c.syms.len()-1 {
			r.fail("a repeated symbol")
		}
	}
	sym := func() uint32 {
		id := r.uint()
		if id >= uint64(c.syms.len()) {
			r.fail("an unknown symbol")
			return 0
		}
		return uint32(id)
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		sha := sym()
		sc := storedContent{raw: r.bool(), size: int32(r.uint()), data: r.bytes()}
		sc.interactions, sc.messages, sc.createdAt = int32(r.int()), int32(r.int()), stamp(r.int())
		c.contents[sha] = sc
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		sha := r.str()
		for m := r.count(); m > 0 && r.err == nil; m-- {
			p := events.PactContentStored{SHA: r.str(), Content: r.bytes(), InteractionsCount: int(r.int()),
				MessagesCount: int(r.int()), Part: int(r.int()), Parts: int(r.int()), Chunk: r.bytes()}
			c.pending[sha] = append(c.pending[sha], p)
		}
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		k := r.uint()
		if uint64(uint32(k)) >= uint64(c.syms.len()) || k>>32 >= uint64(c.syms.len()) {
			r.fail("an unknown symbol")
		}
		c.vers[c.version(uint32(k>>32), uint32(k))].order = r.uint()
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		by := events.VerifiedBy{Implementation: r.str(), Version: r.str(), ClientLanguage: r.str(), ClientVersion: r.str(), ClientTestFramework: r.str()}
		c.verifier.add(&by)
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		c.readIntegration(r, sym)
	}
	for _, pv := range c.pvs {
		for i := range pv.results {
			c.tally.add(pv.results[i].success(), 1)
		}
	}
}

// readIntegration reads one integration into c and rebuilds its indexes.
func (c *Contracts) readIntegration(r *snapReader, sym func() uint32) {
	consumer, provider := sym(), sym()
	ig := c.integration(consumer, provider, stamp(r.int()))
	byNumber := map[uint32]int32{}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		number := sym()
		vid := c.version(consumer, number)
		if c.pactIn(vid, provider) >= 0 {
			r.fail("a repeated pact")
			return
		}
		id := c.newPact(vid, pactRec{consumer: consumer, provider: provider, number: number, order: r.uint()})
		revisions := r.count()
		if revisions == 0 {
			r.fail("a pact without revisions")
		}
		for m := 0; m < revisions && r.err == nil; m++ {
			if m > 0 {
				c.earlier[id] = append(c.earlier[id], c.pacts[id].rev)
			}
			sha, revision, merged, at := sym(), int(r.int()), r.bool(), stamp(r.int())
			c.pacts[id].rev = newRev(r.uint(), at, sha, revision, merged)
		}
		ig.byOrder = append(ig.byOrder, id)
		byNumber[number] = id
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		pvid := c.newPV(pvRec{key: pvKey{consumer, provider, sym()}, createdAt: stamp(r.int())})
		ig.pvs = append(ig.pvs, pvid)
		pv := &c.pvs[pvid]
		for m := r.count(); m > 0 && r.err == nil; m-- {
			id, ok := byNumber[sym()]
			if !ok {
				r.fail("a pact version held by no pact")
				return
			}
			pv.refs = append(pv.refs, id)
		}
		for m := r.count(); m > 0 && r.err == nil; m-- {
			v := c.readVerification(r, sym, pv.key)
			if pv.latestOf(v.providerVersion) == nil {
				c.link(c.version(provider, v.providerVersion), pvid)
			}
			pv.addResult(v)
		}
	}
}

func (c *Contracts) readVerification(r *snapReader, sym func() uint32, k pvKey) verification {
	v := verification{number: int32(r.int()), providerVersion: sym(), buildURL: sym()}
	by := r.uint()
	v.createdAt, v.position, v.flags = stamp(r.int()), r.uint(), uint8(r.uint())&^resultExtra
	if by >= uint64(len(c.verifier.list)) {
		r.fail("unknown verifier details")
		by = 0
	}
	x := extraPart{verificationDate: r.timePtr(), testResults: r.bytes(), selectors: r.bytes()}
	c.setVerifiedBy(&v, &x, uint32(by))
	c.addExtra(k, &v, x)
	return v
}

var _ Snapshotter = (*Contracts)(nil)
