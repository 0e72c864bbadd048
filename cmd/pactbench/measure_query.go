package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"time"

	"github.com/pactledger/pactledger/infra/httpapi"
	"github.com/pactledger/pactledger/queries"
)

// cidRequest is one can-i-deploy question: may this version of this
// application go to that environment?
type cidRequest struct{ Pacticipant, Version, Environment string }

// RawQuery is the request's /can-i-deploy query string.
func (q cidRequest) RawQuery() string {
	return url.Values{"pacticipant": {q.Pacticipant}, "version": {q.Version}, "environment": {q.Environment}}.Encode()
}

// cidRequests draws n realistic requests from the seed: any application;
// mostly one of its ten newest main versions (a pipeline about to deploy),
// sometimes an older main version (a redeploy or rollback) or a recent
// feature-branch version; test, staging or production.
func cidRequests(o *Org, ds *dataset, seed uint64, n int) []cidRequest {
	rng := rand.New(rand.NewPCG(seed, 0x636964))
	out := make([]cidRequest, 0, n)
	for len(out) < n {
		a := rng.IntN(len(o.Apps))
		numbers, onMain := ds.Numbers[a], ds.OnMain[a]
		last := len(numbers) - 1
		var r int
		switch u := rng.Float64(); {
		case u < 0.7:
			r = last - rng.IntN(min(10, len(numbers)))
		case u < 0.9:
			r = rng.IntN(len(numbers))
		default:
			r = last - rng.IntN(min(5, len(numbers)))
		}
		if u := rng.Float64(); u < 0.9 && !onMain[r] { // mostly main versions
			for r > 0 && !onMain[r] {
				r--
			}
		}
		env := o.Envs[rng.IntN(len(o.Envs))]
		out = append(out, cidRequest{o.Apps[a].Name, numbers[r], env})
	}
	return out
}

// measureCID times can-i-deploy in process, one request at a time, after a
// short warm-up, and counts the answers. Like the HTTP handler, it answers
// into one queries.Answer, used again by every request.
func measureCID(m queries.MatrixReader, reqs []cidRequest, res *Result) error {
	warm := min(500, len(reqs))
	samples := make([]time.Duration, 0, len(reqs))
	var ans queries.Answer
	for i, q := range append(reqs[:warm:warm], reqs...) {
		cq := queries.CanIDeployQuery{Pacticipant: queries.Str(q.Pacticipant), Version: queries.Str(q.Version),
			Environment: queries.Str(q.Environment)}
		start := time.Now()
		err := queries.CanIDeployInto(m, cq, &ans)
		d := time.Since(start)
		if err != nil {
			return fmt.Errorf("can-i-deploy %+v: %w", q, err)
		}
		if i < warm {
			continue
		}
		samples = append(samples, d)
		switch {
		case ans.Deployable == nil:
			res.CIDDeployable[2]++
		case *ans.Deployable:
			res.CIDDeployable[0]++
		default:
			res.CIDDeployable[1]++
		}
	}
	p50, p99, mx := quantiles(samples)
	res.CIDQueries, res.CIDQueryP50us, res.CIDQueryP99us, res.CIDQueryMaxus = len(samples), us(p50), us(p99), us(mx)
	return nil
}

// measureMatrix times /matrix for random integrations, parsed as the HTTP
// API parses "?q[][pacticipant]=C&q[][pacticipant]=P&latestby=cvpv" (the
// default limit of 100 rows applies): the pair matrix of the broker's UI.
func measureMatrix(m queries.MatrixReader, o *Org, seed uint64, n int, res *Result) error {
	rng := rand.New(rand.NewPCG(seed, 0x6d6174))
	var pairs [][2]string
	for _, a := range o.Apps {
		for _, p := range a.Providers {
			pairs = append(pairs, [2]string{a.Name, o.Apps[p].Name})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	samples := make([]time.Duration, 0, n)
	for i := range n + min(50, n) {
		pair := pairs[rng.IntN(len(pairs))]
		raw := "q[][pacticipant]=" + url.QueryEscape(pair[0]) + "&q[][pacticipant]=" + url.QueryEscape(pair[1]) + "&latestby=cvpv"
		start := time.Now()
		q, err := httpapi.ParseMatrixQuery(raw)
		if err == nil {
			_, err = queries.Matrix(m, q)
		}
		d := time.Since(start)
		if err != nil {
			return fmt.Errorf("matrix %s: %w", raw, err)
		}
		if i >= min(50, n) {
			samples = append(samples, d)
		}
	}
	p50, p99, mx := quantiles(samples)
	res.MatrixQueries, res.MatrixP50us, res.MatrixP99us, res.MatrixMaxus = len(samples), us(p50), us(p99), us(mx)
	return nil
}
