package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/pactledger/pactledger/commands"
	"github.com/pactledger/pactledger/domain"
	"github.com/pactledger/pactledger/events"
)

// deployment is an application's current deployment on one instance of one
// environment, as the generator remembers it.
type deployment struct {
	round int
	id    string
}

// appState is what the generator remembers of one application. Hazard: the
// rounds run in phases separated by barriers; within a phase only the
// worker of an application writes its state, and other workers read it only
// in a later phase. Each application draws from its own seeded generator,
// so what is generated does not depend on the scheduling of the workers.
type appState struct {
	rng      *rand.Rand
	taken    map[string]bool
	versions []string // by round
	onMain   []bool   // by round
	mainHead int      // round of the latest main version, -1 before one
	feature  int      // round of the latest feature-branch version, -1
	// Per provider slot (the index in App.Providers): the content number
	// of the pact each round published, the current and previous main
	// content, and the SHA of every content number.
	contentAt   [][]int32
	cur, prev   []int
	shaOf       []map[int32]string
	nextContent int
	deployed    map[string]deployment // environment + "/" + instance
	releases    []string              // supported release ids, oldest first
	released    []int                 // their rounds
}

// generator drives the command layer to build the organisation, one round
// (one version of every application) at a time.
type generator struct {
	org     *Org
	cmd     *commands.Service
	workers int
	envUUID map[string]string
	state   []*appState
	ops     atomic.Int64 // commands run
	checks  atomic.Int64 // verification results published
	content atomic.Int64 // bytes of distinct pact content stored
}

func newGenerator(o *Org, cmd *commands.Service, workers int) *generator {
	g := &generator{org: o, cmd: cmd, workers: max(1, workers), envUUID: map[string]string{}}
	for i, a := range o.Apps {
		st := &appState{rng: rand.New(rand.NewPCG(o.Seed, uint64(i)+1)), taken: map[string]bool{},
			mainHead: -1, feature: -1, deployed: map[string]deployment{}}
		for range a.Providers {
			st.contentAt = append(st.contentAt, make([]int32, 0, o.Scale.Versions))
			st.cur, st.prev = append(st.cur, -1), append(st.prev, -1)
			st.shaOf = append(st.shaOf, map[int32]string{})
		}
		g.state = append(g.state, st)
	}
	return g
}

// run creates the environments, then every round: build and publish (A),
// verify (B), deploy and release (C). progress is called after each round.
func (g *generator) run(ctx context.Context, progress func(round int)) error {
	for _, env := range g.org.Envs {
		prod := env == "production"
		id, err := g.cmd.CreateEnvironment(ctx, domain.EnvironmentInput{Name: env, DisplayName: domain.DisplayName(env), Production: &prod})
		if err != nil {
			return fmt.Errorf("create environment %s: %w", env, err)
		}
		g.envUUID[env] = id
	}
	for r := range g.org.Scale.Versions {
		for _, phase := range []func(context.Context, int, int) error{g.build, g.verify, g.deploy} {
			if err := g.parallel(ctx, r, phase); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(r)
		}
	}
	return nil
}

// parallel runs phase for every application on g.workers goroutines and
// returns the first error.
func (g *generator) parallel(ctx context.Context, round int, phase func(context.Context, int, int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, g.workers)
	for range g.workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(g.org.Apps); i = int(next.Add(1) - 1) {
				if err := phase(ctx, i, round); err != nil {
					errs <- fmt.Errorf("%s round %d: %w", g.org.Apps[i].Name, round, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// meta stamps one operation's events as an HTTP request would.
func (g *generator) meta(ctx context.Context, st *appState) context.Context {
	g.ops.Add(1)
	return events.WithMetadata(ctx, events.Metadata{Actor: "pactbench", CorrelationID: fmt.Sprintf("%016x", st.rng.Uint64())})
}

// build is phase A: the application's CI builds version round, on main or
// a feature branch, and publishes its pacts (or, for a pure provider,
// records the version on its branch).
func (g *generator) build(ctx context.Context, i, r int) error {
	app, st := &g.org.Apps[i], g.state[i]
	number := g.org.versionNumber(i, r, st.taken)
	feature := r > 0 && st.rng.Float64() < pFeature
	branch := "main"
	if feature {
		branch, st.feature = fmt.Sprintf("feature/%s-%d", app.Name, r), r
	} else {
		st.mainHead = r
	}
	st.versions, st.onMain = append(st.versions, number), append(st.onMain, !feature)
	buildURL := fmt.Sprintf("https://ci.example.com/%s/builds/%d", app.Name, r+1)
	var tags []string
	if app.LegacyTags {
		tags = []string{branch}
	}
	k := domain.VersionKey{Pacticipant: app.Name, Number: number}
	if len(app.Providers) == 0 {
		ctx := g.meta(ctx, st)
		if _, err := g.cmd.UpsertVersion(ctx, k, domain.VersionUpsert{BuildURL: &buildURL}); err != nil {
			return err
		}
		if _, err := g.cmd.AddVersionToBranch(ctx, k, branch); err != nil {
			return err
		}
		for _, t := range tags {
			if _, err := g.cmd.TagVersion(ctx, k, t); err != nil {
				return err
			}
		}
		return nil
	}
	in := commands.PublishContracts{Pacticipant: app.Name, Version: number, Branch: &branch, BuildURL: &buildURL, Tags: tags}
	for slot, p := range app.Providers {
		c := g.pickContent(st, slot, r, feature)
		st.contentAt[slot] = append(st.contentAt[slot], int32(c))
		doc, err := domain.ParsePact(pactDoc(app.Name, g.org.Apps[p].Name, c))
		if err != nil {
			return err
		}
		in.Contracts = append(in.Contracts, commands.PublishPact{
			Key: domain.PactKey{Consumer: app.Name, Provider: g.org.Apps[p].Name, ConsumerVersion: number}, Doc: doc})
	}
	out, err := g.cmd.PublishContracts(g.meta(ctx, st), in)
	if err != nil {
		return err
	}
	for slot, res := range out.Pacts {
		if _, seen := st.shaOf[slot][st.contentAt[slot][r]]; !seen {
			g.content.Add(int64(len(in.Contracts[slot].Doc.Stored().Content)))
		}
		st.shaOf[slot][st.contentAt[slot][r]] = res.SHA
	}
	return nil
}

// pickContent chooses the content number of a pact: main mostly keeps its
// content, sometimes changes it or reverts to the previous one; a feature
// branch often differs from main.
func (g *generator) pickContent(st *appState, slot, r int, feature bool) int {
	fresh := func() int { st.nextContent++; return st.nextContent - 1 }
	u := st.rng.Float64()
	switch {
	case st.cur[slot] < 0:
		st.cur[slot] = fresh()
	case feature:
		if u < pFeatureChange {
			return fresh()
		}
	case u < pContentChange:
		st.prev[slot], st.cur[slot] = st.cur[slot], fresh()
	case u < pContentChange+pContentRevert && st.prev[slot] >= 0:
		st.prev[slot], st.cur[slot] = st.cur[slot], st.prev[slot]
	}
	return st.cur[slot]
}
