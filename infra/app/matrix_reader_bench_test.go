package app

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/projections"
	"github.com/pactledger/pactledger/queries"
)

// benchModels applies a synthetic log to real read models: apps
// applications with versions versions each on main; each consumes the
// next two, with content changing every fifth version; every provider
// version verifies the latest pact of each consumer; every second version
// is deployed to production.
func benchModels(apps, versions int) matrixReader { return buildBenchModels(apps, versions, false) }

// buildBenchModels is benchModels; with replace, each deployment replaces
// the application's previous one (AutoUndeployed), as deployments to one
// instance do, so that production holds one version per application.
func buildBenchModels(apps, versions int, replace bool) matrixReader {
	c, d, k := projections.NewCatalog(), projections.NewDeployments(), projections.NewContracts()
	pos := uint64(0)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	add := func(p events.Payload) {
		pos++
		e := events.Envelope{Type: p.EventType(), Position: pos, OccurredAt: at.Add(time.Duration(pos) * time.Second), Data: p}
		c.Apply(e)
		d.Apply(e)
		k.Apply(e)
	}
	name := func(i int) string { return fmt.Sprintf("app-%03d", (i+apps)%apps) }
	sha := func(c, p, v int) string { return fmt.Sprintf("%040x", c*1_000_000+p*1000+v/5) }
	env := "e2109ef4-0565-4b68-99f2-0c112f427698"
	add(events.EnvironmentCreated{UUID: env, Name: "production", DisplayName: "Production"})
	for i := range apps {
		add(events.PacticipantCreated{Name: name(i)})
		add(events.MainBranchDetected{Pacticipant: name(i), Branch: "main"})
	}
	for v := range versions {
		for i := range apps {
			n := fmt.Sprintf("%d.0.%d", i, v)
			add(events.VersionCreated{Pacticipant: name(i), Number: n})
			add(events.VersionAddedToBranch{Pacticipant: name(i), Number: n, Branch: "main"})
			for _, p := range []int{i + 1, i + 2} {
				add(events.PactPublished{Consumer: name(i), Provider: name(p), ConsumerVersion: n, SHA: sha(i, p%apps, v), Revision: 1})
			}
		}
		for i := range apps {
			for _, cns := range []int{i - 1, i - 2} {
				add(events.VerificationPublished{Number: v + 1, Consumer: name(cns), Provider: name(i), SHA: sha((cns+apps)%apps, i, v),
					ProviderVersion: fmt.Sprintf("%d.0.%d", i, v), Success: v%7 != 0, VerifiedBy: &events.VerifiedBy{Implementation: "Pact-Rust"}})
			}
			if v%2 == 0 {
				ref := events.DeploymentRef{DeploymentID: fmt.Sprintf("d-%d-%d", i, v),
					Pacticipant: name(i), Version: fmt.Sprintf("%d.0.%d", i, v), EnvironmentUUID: env}
				add(events.DeploymentRecorded{DeploymentRef: ref})
				if replace && v >= 2 {
					old := events.DeploymentRef{DeploymentID: fmt.Sprintf("d-%d-%d", i, v-2),
						Pacticipant: name(i), Version: fmt.Sprintf("%d.0.%d", i, v-2), EnvironmentUUID: env}
					add(events.AutoUndeployed{DeploymentRef: old, ReplacedBy: ref.DeploymentID})
				}
			}
		}
	}
	return matrixReader{View: projections.NewView(c, d, k)} // no bi-directional results
}

// BenchmarkMatrixPair resolves /matrix for one consumer-provider pair over
// 200 versions each (latestby=cvpv) through the matrix reader on real read
// models: an op is one query.
func BenchmarkMatrixPair(b *testing.B) {
	m := benchModels(20, 200)
	benchMatrixPair(b, m)
}

// BenchmarkCanIDeployReader asks can-i-deploy to production for a recent
// version through the matrix reader on real read models.
func BenchmarkCanIDeployReader(b *testing.B) {
	m := benchModels(20, 200)
	q := queries.CanIDeployQuery{Pacticipant: queries.Str("app-003"), Version: queries.Str("3.0.190"), Environment: queries.Str("production")}
	var a queries.Answer
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := queries.CanIDeployInto(m, q, &a); err != nil {
			b.Fatal(err)
		}
	}
}

var (
	mediumOnce   sync.Once
	mediumModels matrixReader
)

// mediumCanIDeployQueries builds the medium models once and returns the
// 1,000 queries BenchmarkCanIDeployMedium describes.
func mediumCanIDeployQueries() []queries.CanIDeployQuery {
	const apps, versions = 100, 500
	mediumOnce.Do(func() { mediumModels = buildBenchModels(apps, versions, true) })
	rng := rand.New(rand.NewPCG(7, 7))
	qs := make([]queries.CanIDeployQuery, 1000)
	for i := range qs {
		a, v := rng.IntN(apps), versions-1-rng.IntN(10)
		if rng.IntN(10) < 3 {
			v = rng.IntN(versions)
		}
		qs[i] = queries.CanIDeployQuery{Pacticipant: queries.Str(fmt.Sprintf("app-%03d", a)),
			Version: queries.Str(fmt.Sprintf("%d.0.%d", a, v)), Environment: queries.Str("production")}
	}
	return qs
}

// BenchmarkCanIDeployMedium asks can-i-deploy to production for 1,000
// versions drawn as cmd/pactbench draws them (mostly one of an
// application's ten newest, sometimes any) on real read models of medium
// size (100 applications × 500 versions, one deployed version each): an
// op is one query.
func BenchmarkCanIDeployMedium(b *testing.B) {
	qs := mediumCanIDeployQueries()
	var a queries.Answer                      // as the HTTP handler does: one Answer, used again
	var r queries.MatrixReader = mediumModels // converted once, as the handler's configuration holds it
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := queries.CanIDeployInto(r, qs[i%len(qs)], &a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatrixPairMedium is BenchmarkMatrixPair on the medium models
// (500 versions each, the default limit of 100 rows).
func BenchmarkMatrixPairMedium(b *testing.B) {
	mediumOnce.Do(func() { mediumModels = buildBenchModels(100, 500, true) })
	benchMatrixPair(b, mediumModels)
}

// benchMatrixPair resolves the pair /matrix of app-003 and app-004
// (latestby=cvpv) on m: an op is one query.
func benchMatrixPair(b *testing.B, m matrixReader) {
	q, err := httpapi.ParseMatrixQuery("q[][pacticipant]=app-003&q[][pacticipant]=app-004&latestby=cvpv")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := queries.Matrix(m, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanIDeployHTTPMedium serves the requests of
// BenchmarkCanIDeployMedium through the HTTP API (routing, middleware, the
// query and the JSON answer) into a recorder: an op is one request.
func BenchmarkCanIDeployHTTPMedium(b *testing.B) {
	const apps, versions = 100, 500
	mediumOnce.Do(func() { mediumModels = buildBenchModels(apps, versions, true) })
	h := httpapi.New(httpapi.Config{Catalog: mediumModels.Catalog, Deployments: mediumModels.Deployments,
		Contracts: mediumModels.Contracts, Matrix: mediumModels})
	rng := rand.New(rand.NewPCG(7, 7))
	reqs := make([]*http.Request, 1000)
	for i := range reqs {
		a, v := rng.IntN(apps), versions-1-rng.IntN(10)
		if rng.IntN(10) < 3 {
			v = rng.IntN(versions)
		}
		reqs[i] = httptest.NewRequest(http.MethodGet, fmt.Sprintf("/can-i-deploy?pacticipant=app-%03d&version=%d.0.%d&environment=production", a, a, v), nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, reqs[i%len(reqs)])
		if w.Code != http.StatusOK {
			b.Fatalf("%d: %s", w.Code, w.Body)
		}
	}
}
