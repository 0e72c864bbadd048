package main

import (
	"context"

	"github.com/pactledger/pactledger/domain"
)

// deploy is phase C: a main version of this round may go to test and
// staging (null instance) and to production (every instance), with the
// occasional rollback (a new deployment of the previous production
// version) and staging teardown (an undeployment). Mobile applications are
// deployed to test and released to production instead, ending support of
// all but their newest few releases.
func (g *generator) deploy(ctx context.Context, i, r int) error {
	app, st := &g.org.Apps[i], g.state[i]
	if !st.onMain[r] {
		return nil
	}
	if _, ok := st.deployed["test/"]; st.rng.Float64() < pDeployTest || !ok { // the first main version always goes to test
		if err := g.record(ctx, st, app, "test", nil, r); err != nil {
			return err
		}
	}
	if app.Mobile {
		return g.release(ctx, st, app, r)
	}
	if st.rng.Float64() < pDeployStaging {
		if err := g.record(ctx, st, app, "staging", nil, r); err != nil {
			return err
		}
	} else if d, ok := st.deployed["staging/"]; ok && st.rng.Float64() < pUndeploy {
		if err := g.cmd.Undeploy(g.meta(ctx, st), d.id); err != nil {
			return err
		}
		delete(st.deployed, "staging/")
	}
	if st.rng.Float64() >= pDeployProd {
		return nil
	}
	current := -1
	if d, ok := st.deployed["production/"+instanceName(app.Instances[0])]; ok {
		current = d.round
	}
	for _, inst := range app.Instances {
		if err := g.record(ctx, st, app, "production", inst, r); err != nil {
			return err
		}
	}
	if current >= 0 && st.rng.Float64() < pRollback {
		for _, inst := range app.Instances {
			if err := g.record(ctx, st, app, "production", inst, current); err != nil {
				return err
			}
		}
	}
	return nil
}

func instanceName(inst *string) string {
	if inst == nil {
		return ""
	}
	return *inst
}

// record deploys the version of round to an environment instance.
func (g *generator) record(ctx context.Context, st *appState, app *App, env string, inst *string, round int) error {
	ref, err := g.cmd.RecordDeployment(g.meta(ctx, st), domain.VersionKey{Pacticipant: app.Name, Number: st.versions[round]},
		g.envUUID[env], inst)
	if err != nil {
		return err
	}
	st.deployed[env+"/"+instanceName(inst)] = deployment{round: round, id: ref.DeploymentID}
	return nil
}

// release releases a mobile version to production now and then, and ends
// support of the oldest release beyond maxSupported.
func (g *generator) release(ctx context.Context, st *appState, app *App, r int) error {
	if st.rng.Float64() >= pRelease {
		return nil
	}
	ref, _, err := g.cmd.RecordRelease(g.meta(ctx, st), domain.VersionKey{Pacticipant: app.Name, Number: st.versions[r]},
		g.envUUID["production"])
	if err != nil {
		return err
	}
	st.releases, st.released = append(st.releases, ref.ReleaseID), append(st.released, r)
	if len(st.releases) > maxSupported {
		if err := g.cmd.EndSupport(g.meta(ctx, st), st.releases[0]); err != nil {
			return err
		}
		st.releases, st.released = st.releases[1:], st.released[1:]
	}
	return nil
}
