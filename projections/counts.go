package projections

import "time"

// Count accessors for the Pact Broker's /metrics resource. Each read model
// answers under its own read lock, from counters kept in Apply or from one
// pass over an index (applications, pacts, pact versions,
// environment × application pairs); none walks every version, every
// verification result or the event log. Counts of different read models
// may be a few events apart when events are applied meanwhile.

// CatalogCounts are the catalog's sizes.
type CatalogCounts struct {
	Environments, Pacticipants, Versions int
	// Tags counts tag memberships (a tag on two versions counts twice);
	// DistinctTags counts tag names; DistinctTagsPerPacticipant counts
	// (application, tag name) pairs.
	Tags, DistinctTags, DistinctTagsPerPacticipant int
}

// Counts walks the applications and their tag indexes: O(applications +
// distinct tags per application).
func (c *Catalog) Counts() CatalogCounts {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := CatalogCounts{Environments: len(c.environments), Pacticipants: len(c.pacticipants)}
	names := map[uint32]struct{}{}
	for _, row := range c.pacticipants {
		out.Versions += len(row.index)
		out.DistinctTagsPerPacticipant += len(row.tags)
		for tag, ti := range row.tags {
			out.Tags += len(row.tgs[ti].versions)
			names[tag] = struct{}{}
		}
	}
	out.DistinctTags = len(names)
	return out
}

// ContractCounts are the sizes of the pacts read model.
type ContractCounts struct {
	Integrations int
	// PactPublications counts every revision of every pact the read model
	// holds; First/LastPublication are the times of the oldest and newest
	// of them (zero when there is none).
	PactPublications                  int
	FirstPublication, LastPublication time.Time
	PactVersions                      int
	// RevisionsPerConsumerVersion maps a number of revisions (summed over
	// a consumer version's providers) to how many consumer versions have
	// it.
	RevisionsPerConsumerVersion map[int]int
	// Verifications and SuccessfulVerifications come from counters kept in
	// Apply; First/LastVerification are the times of the oldest and newest
	// result (zero when there is none).
	Verifications, SuccessfulVerifications int
	FirstVerification, LastVerification    time.Time
	// VerificationsPerPactVersion maps a number of results to how many pact
	// versions have it (pact versions without results are left out).
	VerificationsPerPactVersion map[int]int
}

// verificationTally counts the verification results the Contracts read
// model holds. Every place that adds or drops a result updates it, so a
// count is O(1); TestContractCountsAgreeWithARecount checks it against a
// recount.
type verificationTally struct{ all, successful int }

func (t *verificationTally) add(success bool, sign int) {
	t.all += sign
	if success {
		t.successful += sign
	}
}

// Counts walks the pacts (each consumer version's pact per provider) and
// the pact versions: O(pacts + pact versions), never the results. It holds
// the read lock for about 0.25 ms per 10,000 pacts
// (BenchmarkContractCounts).
func (c *Contracts) Counts() ContractCounts {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := ContractCounts{PactVersions: len(c.pvIndex), RevisionsPerConsumerVersion: map[int]int{},
		VerificationsPerPactVersion: map[int]int{}, Verifications: c.tally.all, SuccessfulVerifications: c.tally.successful}
	var first, last uint64
	for _, byProvider := range c.ints {
		out.Integrations += len(byProvider)
		// A consumer with one provider has one pact per consumer version;
		// with more, its pacts are grouped by consumer version.
		var perVersion map[uint32]int
		if len(byProvider) > 1 {
			perVersion = map[uint32]int{}
		}
		for _, ig := range byProvider {
			for _, id := range ig.byOrder {
				row, earlier := &c.pacts[id], c.earlier[id]
				n := len(earlier) + 1
				out.PactPublications += n
				if perVersion != nil {
					perVersion[row.number] += n
				} else {
					out.RevisionsPerConsumerVersion[n]++
				}
				oldest := row.rev
				if len(earlier) > 0 {
					oldest = earlier[0]
				}
				if first == 0 || oldest.position < first {
					first, out.FirstPublication = oldest.position, oldest.createdAt.time()
				}
				if row.rev.position > last {
					last, out.LastPublication = row.rev.position, row.rev.createdAt.time()
				}
			}
		}
		for _, n := range perVersion {
			out.RevisionsPerConsumerVersion[n]++
		}
	}
	first, last = 0, 0
	for _, pvid := range c.pvIndex {
		pv := &c.pvs[pvid]
		n := len(pv.results)
		if n == 0 {
			continue
		}
		out.VerificationsPerPactVersion[n]++
		// Results are appended in log order, so each pact version's first
		// and last are its oldest and newest.
		if v := pv.results[0]; first == 0 || v.position < first {
			first, out.FirstVerification = v.position, v.createdAt.time()
		}
		if v := pv.results[n-1]; v.position > last {
			last, out.LastVerification = v.position, v.createdAt.time()
		}
	}
	return out
}

// DeploymentCounts are the sizes of the deployments read model.
type DeploymentCounts struct {
	Deployed, CurrentlyDeployed, Released, CurrentlySupported int
}

// Counts walks the live index: O(environments × applications with
// records there).
func (d *Deployments) Counts() DeploymentCounts {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := DeploymentCounts{Deployed: d.depIDs.n, Released: d.relIDs.n}
	for _, g := range d.groups {
		out.CurrentlyDeployed += len(g.liveDeps)
		out.CurrentlySupported += len(g.liveRels)
	}
	return out
}

// Count is the number of webhooks.
func (w *Webhooks) Count() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return len(w.byUUID)
}

// DeliveryCounts are the sizes of the webhook delivery log.
type DeliveryCounts struct {
	// Triggered counts recorded deliveries (WebhookTriggered); Attempts
	// counts their recorded attempts, from a counter kept in Apply
	// (deliveries are never dropped).
	Triggered, Attempts int
}

// Counts is O(1).
func (w *WebhookDeliveries) Counts() DeliveryCounts {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return DeliveryCounts{Triggered: len(w.deliveries), Attempts: w.attempts}
}

// ProviderContractCounts are the sizes of the bi-directional read model.
type ProviderContractCounts struct {
	// Contracts counts provider versions holding a contract; SelfVerified
	// those whose own tests passed.
	Contracts, SelfVerified int
	// Comparisons counts completed comparisons (one per pact content and
	// contract content); SuccessfulComparisons, from a counter kept in
	// Apply (comparisons are never dropped), those without an error.
	Comparisons, SuccessfulComparisons int
}

// Counts walks the provider contracts: O(provider versions with a
// contract).
func (m *ProviderContracts) Counts() ProviderContractCounts {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := ProviderContractCounts{Comparisons: len(m.comparisons), SuccessfulComparisons: m.successfulComparisons}
	for _, versions := range m.byVersion {
		out.Contracts += len(versions)
		for _, v := range versions {
			if v.SelfVerified() {
				out.SelfVerified++
			}
		}
	}
	return out
}
