package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// verify is phase B: the provider's version of this round verifies the
// pacts a pacts-for-verification request would select (each consumer's main
// head, its deployed and supported versions, a recent feature branch), once
// per distinct content as the Pact Broker deduplicates them, up to
// verifyPerPV of them, taking consumers in turn. Then, as a
// contract_requiring_verification_published webhook would have them, the
// provider versions deployed anywhere verify each main pact whose content
// is new this round.
func (g *generator) verify(ctx context.Context, i, r int) error {
	app := &g.org.Apps[i]
	if len(app.Consumers) == 0 {
		return nil
	}
	type pick struct{ consumer, slot, round int }
	var perConsumer [][]pick
	for _, c := range app.Consumers {
		cs := g.state[c]
		slot := slices.Index(g.org.Apps[c].Providers, i)
		rounds := []int{cs.mainHead}
		for _, d := range cs.deployed {
			rounds = append(rounds, d.round)
		}
		rounds = append(rounds, cs.released...)
		if cs.feature >= 0 && r-cs.feature < 5 {
			rounds = append(rounds, cs.feature)
		}
		var picks []pick
		for _, cr := range rounds {
			if cr >= 0 && !slices.ContainsFunc(picks, func(p pick) bool { return cs.contentAt[slot][p.round] == cs.contentAt[slot][cr] }) {
				picks = append(picks, pick{c, slot, cr})
			}
		}
		perConsumer = append(perConsumer, picks)
	}
	done := 0
	for depth := 0; done < verifyPerPV; depth++ {
		progressed := false
		for _, picks := range perConsumer {
			if depth >= len(picks) || done >= verifyPerPV {
				continue
			}
			progressed, done = true, done+1
			p := picks[depth]
			if err := g.check(ctx, i, r, p.consumer, p.slot, p.round); err != nil {
				return err
			}
		}
		if !progressed {
			break
		}
	}
	return g.webhookChecks(ctx, i, r)
}

// webhookChecks has the provider versions deployed in any environment
// verify the main pacts whose content changed in round r.
func (g *generator) webhookChecks(ctx context.Context, i, r int) error {
	st := g.state[i]
	var deployed []int
	for _, d := range st.deployed {
		if d.round != r && !slices.Contains(deployed, d.round) {
			deployed = append(deployed, d.round)
		}
	}
	slices.Sort(deployed)
	for _, c := range g.org.Apps[i].Consumers {
		cs := g.state[c]
		slot := slices.Index(g.org.Apps[c].Providers, i)
		if !cs.onMain[r] || r == 0 || cs.contentAt[slot][r] == cs.contentAt[slot][r-1] {
			continue
		}
		for _, pr := range deployed {
			if err := g.check(ctx, i, pr, c, slot, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// check publishes the result of provider i's version of round pr verifying
// consumer c's pact (provider slot) of round cr.
func (g *generator) check(ctx context.Context, i, pr, c, slot, cr int) error {
	app, st, cs := &g.org.Apps[i], g.state[i], g.state[c]
	ok := st.rng.Float64() < pSuccess
	if !cs.onMain[cr] {
		ok = st.rng.Float64() < pFeatureOK
	}
	_, err := g.cmd.PublishVerification(g.meta(ctx, st), domain.PublishVerification{
		Pact: domain.PactVersionKey{Consumer: g.org.Apps[c].Name, Provider: app.Name,
			SHA: cs.shaOf[slot][cs.contentAt[slot][cr]]},
		ProviderVersion: st.versions[pr], Success: ok,
		BuildURL:   fmt.Sprintf("https://ci.example.com/%s/builds/%d", app.Name, pr+1),
		VerifiedBy: &events.VerifiedBy{Implementation: "Pact-Rust", Version: "1.2.5"},
	})
	if err == nil {
		g.checks.Add(1)
	}
	return err
}
