package projections

import (
	"slices"
)

// dropPact removes a pact, the pact versions only it referenced (with their
// results) and, with its last pact, the integration.
func (c *Contracts) dropPact(id int32) {
	p := c.pacts[id]
	shas := []uint32{p.rev.sha}
	for _, r := range c.earlier[id] {
		if !slices.Contains(shas, r.sha) {
			shas = append(shas, r.sha)
		}
	}
	ig := c.ints[p.consumer][p.provider]
	for _, sha := range shas {
		if pvid, ok := c.pvIndex[pvKey{p.consumer, p.provider, sha}]; ok {
			pv := &c.pvs[pvid]
			pv.refs = removeID(pv.refs, id)
			if len(pv.refs) == 0 {
				c.dropPactVersion(pvid, ig)
			}
		}
	}
	c.unlinkPact(id)
	if ig == nil {
		return
	}
	ig.byOrder = removeID(ig.byOrder, id)
	if len(ig.byOrder) == 0 {
		delete(c.ints[p.consumer], p.provider)
		delete(c.byProv[p.provider], p.consumer)
		if len(c.ints[p.consumer]) == 0 {
			delete(c.ints, p.consumer)
		}
		if len(c.byProv[p.provider]) == 0 {
			delete(c.byProv, p.provider)
		}
	}
}

// dropPactVersion removes a pact version and its results.
func (c *Contracts) dropPactVersion(pvid int32, ig *integrationRow) {
	pv := &c.pvs[pvid]
	for i := range pv.results {
		c.tally.add(pv.results[i].success(), -1)
		c.dropExtra(pv.key, &pv.results[i])
	}
	for _, l := range pv.latest {
		if vid, ok := c.versions[verKey(pv.key.provider, l.providerVersion)]; ok {
			c.unlink(vid, pvid)
		}
	}
	delete(c.pvIndex, pv.key)
	if ig != nil {
		ig.pvs = removeID(ig.pvs, pvid)
	}
	c.pvs[pvid] = pvRec{}
	c.free.pvs = append(c.free.pvs, pvid)
}

// dropVersion removes what a deleted version took part in (its pacts as
// consumer and its results as provider), then the version.
func (c *Contracts) dropVersion(pacticipant, number string) {
	vid := c.versionOf(pacticipant, number)
	if vid < 0 {
		return
	}
	for c.vers[vid].pacts >= 0 { // dropPact unlinks the head
		c.dropPact(c.vers[vid].pacts)
	}
	num, _ := c.syms.id(number)
	for l := c.vers[vid].verified; l >= 0; {
		pv, next := &c.pvs[c.links[l].pv], c.links[l].next
		pv.results = slices.DeleteFunc(pv.results, func(v verification) bool {
			if v.providerVersion != num {
				return false
			}
			c.tally.add(v.success(), -1)
			c.dropExtra(pv.key, &v)
			return true
		})
		pv.reindex()
		c.links[l] = verifiedLink{}
		c.free.links = append(c.free.links, l)
		l = next
	}
	pacticipantID, _ := c.syms.id(pacticipant)
	delete(c.versions, verKey(pacticipantID, num))
	c.vers[vid] = versionRec{}
	c.free.vers = append(c.free.vers, vid)
}

// dropPacticipant removes every pact and result an application takes part
// in, as consumer or provider, and its versions. It walks all versions: an
// application is rarely deleted.
func (c *Contracts) dropPacticipant(name string) {
	id, ok := c.syms.id(name)
	if !ok {
		return
	}
	var pacts []int32
	for _, ig := range c.ints[id] {
		pacts = append(pacts, ig.byOrder...)
	}
	for _, ig := range c.byProv[id] {
		pacts = append(pacts, ig.byOrder...)
	}
	slices.Sort(pacts)
	for _, pid := range slices.Compact(pacts) {
		c.dropPact(pid)
	}
	var numbers []string
	for k := range c.versions {
		if uint32(k>>32) == id {
			numbers = append(numbers, c.syms.str(uint32(k)))
		}
	}
	for _, n := range numbers {
		c.dropVersion(name, n)
	}
}
