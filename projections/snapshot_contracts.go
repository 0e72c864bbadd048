package projections

import (
	"fmt"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// contractsSnapshotVersion changes whenever the encoding does.
const contractsSnapshotVersion = 1

// AppendSnapshot implements Snapshotter: stored contents by SHA, the parts
// of split contents still being joined, version orders, then each
// integration (by consumer, then provider) with its pacts in consumer
// version order (every revision) and its pact versions by SHA (with their
// results by number). The version-to-pact, verified-by and latest-result
// indexes are derived on restore.
func (c *Contracts) AppendSnapshot(b []byte) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	w := &snapWriter{b: b}
	w.uint(contractsSnapshotVersion)
	w.count(len(c.contents))
	for _, sha := range sortedKeys(c.contents) {
		v := c.contents[sha]
		w.str(v.SHA)
		w.bytes(v.Content)
		w.int(int64(v.InteractionsCount))
		w.int(int64(v.MessagesCount))
		w.time(v.CreatedAt)
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
	w.count(len(c.orders))
	for _, name := range sortedKeys(c.orders) {
		w.str(name)
		w.count(len(c.orders[name]))
		for _, number := range sortedKeys(c.orders[name]) {
			w.str(number)
			w.uint(c.orders[name][number])
		}
	}
	w.count(len(c.byConsumer))
	for _, consumer := range sortedKeys(c.byConsumer) {
		w.str(consumer)
		w.count(len(c.byConsumer[consumer]))
		for _, provider := range sortedKeys(c.byConsumer[consumer]) {
			appendIntegration(w, c.byConsumer[consumer][provider])
		}
	}
	return w.b
}

func appendIntegration(w *snapWriter, ig *integrationRow) {
	w.str(ig.view.Provider)
	w.time(ig.view.CreatedAt)
	w.count(len(ig.byOrder))
	for _, row := range ig.byOrder {
		w.str(row.view.ConsumerVersion)
		w.uint(row.view.ConsumerVersionOrder)
		w.count(len(row.earlier) + 1)
		for _, rev := range row.revisions() {
			w.str(rev.SHA)
			w.int(int64(rev.Revision))
			w.bool(rev.Merged)
			w.time(rev.CreatedAt)
			w.uint(rev.Position)
		}
	}
	w.count(len(ig.pactVersions))
	for _, sha := range sortedKeys(ig.pactVersions) {
		pv := ig.pactVersions[sha]
		w.str(sha)
		w.time(pv.view.CreatedAt)
		for _, set := range []map[string]struct{}{pv.refs, pv.latest} {
			w.count(len(set))
			for _, n := range sortedKeys(set) {
				w.str(n)
			}
		}
		w.count(len(pv.verifications))
		for i := range pv.verifications {
			appendVerification(w, &pv.verifications[i])
		}
	}
}

func appendVerification(w *snapWriter, v *verification) {
	w.int(int64(v.number))
	w.str(v.providerVersion)
	w.bool(v.success)
	w.str(v.buildURL)
	w.bytes(v.testResults())
	w.bool(v.verifiedBy != nil)
	if by := v.verifiedBy; by != nil {
		for _, s := range []string{by.Implementation, by.Version, by.ClientLanguage, by.ClientVersion, by.ClientTestFramework} {
			w.str(s)
		}
	}
	w.time(v.date())
	w.time(v.createdAt)
	w.bool(v.wip)
	w.bool(v.pending)
	w.bytes(v.selectors())
	w.uint(v.position)
}

// RestoreSnapshot implements Snapshotter.
func (c *Contracts) RestoreSnapshot(b []byte) error {
	r := &snapReader{b: b}
	if v := r.uint(); v != contractsSnapshotVersion {
		return fmt.Errorf("%w: contracts encoding %d, want %d", ErrSnapshotCorrupt, v, contractsSnapshotVersion)
	}
	fresh := NewContracts()
	in := fresh.in
	for n := r.count(); n > 0 && r.err == nil; n-- {
		v := &PactContentView{SHA: in.str(r.str()), Content: r.bytes(), InteractionsCount: int(r.int()),
			MessagesCount: int(r.int()), CreatedAt: r.time()}
		fresh.contents[v.SHA] = v
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		sha := r.str()
		for m := r.count(); m > 0 && r.err == nil; m-- {
			p := events.PactContentStored{SHA: r.str(), Content: r.bytes(), InteractionsCount: int(r.int()),
				MessagesCount: int(r.int()), Part: int(r.int()), Parts: int(r.int()), Chunk: r.bytes()}
			fresh.pending[sha] = append(fresh.pending[sha], p)
		}
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		name := in.str(r.str())
		orders := map[string]uint64{}
		for m := r.count(); m > 0 && r.err == nil; m-- {
			orders[in.str(r.str())] = r.uint()
		}
		fresh.orders[name] = orders
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		consumer := in.str(r.str())
		for m := r.count(); m > 0 && r.err == nil; m-- {
			fresh.readIntegration(r, consumer)
		}
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("contracts: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.contents, c.pending, c.byConsumer, c.byProvider = fresh.contents, fresh.pending, fresh.byConsumer, fresh.byProvider
	c.versionPacts, c.pactVersions, c.verifiedBy = fresh.versionPacts, fresh.pactVersions, fresh.verifiedBy
	c.orders, c.in = fresh.orders, fresh.in
	c.tally = verificationTally{} // derived, like the indexes: counted again
	for _, pv := range c.pactVersions {
		for _, v := range pv.verifications {
			c.tally.add(v.success, 1)
		}
	}
	return nil
}

// readIntegration reads one integration into c and rebuilds its indexes.
func (c *Contracts) readIntegration(r *snapReader, consumer string) {
	in := c.in
	provider := in.str(r.str())
	ig := c.integration(consumer, provider, r.time())
	for n := r.count(); n > 0 && r.err == nil; n-- {
		key := domain.PactKey{Consumer: consumer, Provider: provider, ConsumerVersion: in.str(r.str())}
		row := &pactRow{view: PactView{PactKey: key, ConsumerVersionOrder: r.uint()}}
		revisions := r.count()
		if revisions == 0 {
			r.fail("a pact without revisions")
		}
		for m := 0; m < revisions && r.err == nil; m++ {
			if m > 0 {
				row.earlier = append(row.earlier, row.view)
			}
			row.view.SHA, row.view.Revision, row.view.Merged = in.str(r.str()), int(r.int()), r.bool()
			row.view.CreatedAt, row.view.Position = r.time(), r.uint()
		}
		ig.pacts[key.ConsumerVersion] = row
		ig.byOrder = append(ig.byOrder, row)
		vk := versionKey{consumer, key.ConsumerVersion}
		c.versionPacts[vk] = append(c.versionPacts[vk], row)
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		k := domain.PactVersionKey{Consumer: consumer, Provider: provider, SHA: in.str(r.str())}
		pv := &pactVersionRow{view: PactVersionView{PactVersionKey: k, CreatedAt: r.time()},
			refs: map[string]struct{}{}, latest: map[string]struct{}{}, latestByPV: map[string]int32{}}
		for _, set := range []map[string]struct{}{pv.refs, pv.latest} {
			for m := r.count(); m > 0 && r.err == nil; m-- {
				set[in.str(r.str())] = struct{}{}
			}
		}
		for m := r.count(); m > 0 && r.err == nil; m-- {
			v := c.readVerification(r)
			if pv.latestOf(v.providerVersion) == nil {
				vk := versionKey{provider, v.providerVersion}
				c.verifiedBy[vk] = append(c.verifiedBy[vk], pv)
			}
			pv.addResult(v)
		}
		c.pactVersions[k], ig.pactVersions[k.SHA] = pv, pv
	}
}

func (c *Contracts) readVerification(r *snapReader) verification {
	in := c.in
	v := verification{number: int32(r.int()), providerVersion: in.str(r.str()), success: r.bool(),
		buildURL: in.str(r.str())}
	testResults := r.bytes()
	if r.bool() {
		v.verifiedBy = in.verifiedBy(&events.VerifiedBy{Implementation: r.str(), Version: r.str(),
			ClientLanguage: r.str(), ClientVersion: r.str(), ClientTestFramework: r.str()})
	}
	date := r.time()
	v.createdAt, v.wip, v.pending = r.time(), r.bool(), r.bool()
	if date != v.createdAt {
		v.verificationDate = &date
	}
	selectors := r.bytes()
	v.json, v.position = newResultJSON(testResults, selectors), r.uint()
	return v
}

var _ Snapshotter = (*Contracts)(nil)
