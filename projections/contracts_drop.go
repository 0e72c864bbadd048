package projections

import (
	"slices"
)

// dropPact removes a consumer version's pact for a provider, the pact
// versions only it referenced (with their results) and, with its last pact,
// the integration.
func (c *Contracts) dropPact(row *pactRow) {
	k := row.view.PactKey
	for _, rev := range row.revisions() {
		pvk := rev.PactVersionKey()
		if pv := c.pactVersions[pvk]; pv != nil {
			delete(pv.refs, k.ConsumerVersion)
			delete(pv.latest, k.ConsumerVersion)
			if len(pv.refs) == 0 {
				c.dropPactVersion(pv)
			}
		}
	}
	vk := versionKey{k.Consumer, k.ConsumerVersion}
	c.versionPacts[vk] = slices.DeleteFunc(c.versionPacts[vk], func(r *pactRow) bool { return r == row })
	if len(c.versionPacts[vk]) == 0 {
		delete(c.versionPacts, vk)
	}
	ig := c.byConsumer[k.Consumer][k.Provider]
	if ig == nil {
		return
	}
	delete(ig.pacts, k.ConsumerVersion)
	ig.byOrder = slices.DeleteFunc(ig.byOrder, func(r *pactRow) bool { return r == row })
	if len(ig.pacts) == 0 {
		delete(c.byConsumer[k.Consumer], k.Provider)
		delete(c.byProvider[k.Provider], k.Consumer)
		if len(c.byConsumer[k.Consumer]) == 0 {
			delete(c.byConsumer, k.Consumer)
		}
		if len(c.byProvider[k.Provider]) == 0 {
			delete(c.byProvider, k.Provider)
		}
	}
}

// dropPactVersion removes a pact version and its results.
func (c *Contracts) dropPactVersion(pv *pactVersionRow) {
	k := pv.view.PactVersionKey
	for _, v := range pv.verifications {
		c.tally.add(v.success, -1)
	}
	for providerVersion := range pv.latestByPV {
		vk := versionKey{k.Provider, providerVersion}
		c.verifiedBy[vk] = slices.DeleteFunc(c.verifiedBy[vk], func(r *pactVersionRow) bool { return r == pv })
		if len(c.verifiedBy[vk]) == 0 {
			delete(c.verifiedBy, vk)
		}
	}
	delete(c.pactVersions, k)
	if ig := c.byConsumer[k.Consumer][k.Provider]; ig != nil {
		delete(ig.pactVersions, k.SHA)
	}
}

// dropVersion removes what a deleted version took part in: its pacts as
// consumer and its results as provider.
func (c *Contracts) dropVersion(pacticipant, number string) {
	vk := versionKey{pacticipant, number}
	for _, row := range slices.Clone(c.versionPacts[vk]) { // dropPact edits the list
		c.dropPact(row)
	}
	for _, pv := range c.verifiedBy[vk] {
		for _, v := range pv.verifications {
			if v.providerVersion == number {
				c.tally.add(v.success, -1)
			}
		}
		pv.dropResultsOf(number)
	}
	delete(c.verifiedBy, vk)
}

// dropPacticipant removes every pact and result an application takes part
// in, as consumer or provider.
func (c *Contracts) dropPacticipant(name string) {
	var rows []*pactRow
	for _, ig := range c.byConsumer[name] {
		rows = append(rows, ig.byOrder...)
	}
	for _, ig := range c.byProvider[name] {
		rows = append(rows, ig.byOrder...)
	}
	for _, row := range rows {
		if c.pactOf(row.view.Consumer, row.view.ConsumerVersion, row.view.Provider) == row {
			c.dropPact(row)
		}
	}
	for number := range c.orders[name] {
		c.dropVersion(name, number)
	}
	delete(c.orders, name)
}
