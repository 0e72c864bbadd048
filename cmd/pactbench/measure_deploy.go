package main

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pactledger/pactledger/events"
	"github.com/pactledger/pactledger/infra/jetstream"
	"github.com/pactledger/pactledger/projections"
)

// deployRequest is one POST of record-deployment.
type deployRequest struct{ path, body string }

func deployPath(app, version, envUUID string) string {
	return "/pacticipants/" + url.PathEscape(app) + "/versions/" + url.PathEscape(version) +
		"/deployed-versions/environment/" + envUUID
}

// deployRequests draws about n deployments from the seed, as a list per
// client. Each client owns some application instances that are deployed in
// an environment (no two clients share a deployment stream) and, on each in
// turn, deploys one of the application's last fifty main versions, then
// deploys the version that was there before again. So every request writes
// (a DeploymentRecorded that replaces the one before) to a stream with its real
// history, and the run leaves what is deployed where as it found it: a
// -reuse run answers can-i-deploy as a fresh one would.
func deployRequests(o *Org, ds *dataset, d *projections.Deployments, seed uint64, n, clients int) [][]deployRequest {
	rng := rand.New(rand.NewPCG(seed, 0x646570))
	type slot struct {
		app, env, current string
		inst              *string
		idx               int
	}
	var slots []slot
	for i, a := range o.Apps {
		for _, env := range o.Envs {
			for _, rec := range d.DeployedVersions(projections.DeploymentFilter{EnvironmentUUID: ds.EnvUUID[env], Pacticipant: a.Name, CurrentOnly: true}) {
				slots = append(slots, slot{a.Name, env, rec.Version, rec.ApplicationInstance, i})
			}
		}
	}
	rng.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	out := make([][]deployRequest, min(clients, len(slots)))
	for k := 0; k < (n+1)/2; k++ {
		sl := slots[k%len(slots)]
		c := k % len(slots) % len(out)
		numbers, onMain := ds.Numbers[sl.idx], ds.OnMain[sl.idx]
		r := len(numbers) - 1 - rng.IntN(min(50, len(numbers)))
		for r > 0 && (!onMain[r] || numbers[r] == sl.current) {
			r--
		}
		body := "{}"
		if sl.inst != nil {
			body = fmt.Sprintf(`{"applicationInstance":%q}`, *sl.inst)
		}
		out[c] = append(out[c],
			deployRequest{deployPath(sl.app, numbers[r], ds.EnvUUID[sl.env]), body},
			deployRequest{deployPath(sl.app, sl.current, ds.EnvUUID[sl.env]), body})
	}
	return out
}

// fanOut runs each client's jobs in order on a goroutine of its own, timing
// each, and returns the latencies and the wall time. A client stops at its
// first error (the first error is returned) and, when stopAt is set, at the
// first job with an index divisible by step that would start after stopAt.
func fanOut[J any](perClient [][]J, stopAt time.Time, step int, job func(J) error) ([]time.Duration, time.Duration, error) {
	lats := make([][]time.Duration, len(perClient))
	errs := make([]error, len(perClient))
	var wg sync.WaitGroup
	start := time.Now()
	for c, jobs := range perClient {
		wg.Go(func() {
			for k, j := range jobs {
				t := time.Now()
				if !stopAt.IsZero() && k%step == 0 && t.After(stopAt) {
					return
				}
				if errs[c] = job(j); errs[c] != nil {
					return
				}
				lats[c] = append(lats[c], time.Since(t))
			}
		})
	}
	wg.Wait()
	return slices.Concat(lats...), time.Since(start), errors.Join(errs...)
}

// measureDeploy posts record-deployments over HTTP to the application on
// the durable store, for at most budget (a client stops between a deploy
// and its restore only), then, in the same run, appends as many single
// events with exact expected versions (OCC) from as many goroutines to a
// fresh store with the same configuration (embedded JetStream, SyncAlways),
// each goroutine on streams of its own.
func measureDeploy(ctx context.Context, api http.Handler, reqs [][]deployRequest, budget time.Duration, res *Result) error {
	srv, err := serveLoopback(api)
	if err != nil {
		return err
	}
	defer srv.Close()
	client := newClient(len(reqs))
	defer client.CloseIdleConnections()
	lat, wall, err := fanOut(reqs, time.Now().Add(budget), 2, func(r deployRequest) error {
		resp, err := client.Post(srv.base+r.path, "application/json", strings.NewReader(r.body))
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("POST %s: status %d: %s", r.path, resp.StatusCode, b)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record-deployment: %w", err)
	}
	if len(lat) == 0 {
		return errors.New("record-deployment: no application is deployed anywhere, or the budget ended before one request")
	}
	p50, p99, _ := quantiles(lat)
	res.DeployClients, res.Deploys = len(reqs), len(lat)
	res.DeployHTTPRPS, res.DeployHTTPP50ms, res.DeployHTTPP99ms = float64(len(lat))/wall.Seconds(), ms(p50), ms(p99)

	raw, err := rawAppends(ctx, len(lat), len(reqs))
	if err != nil {
		return fmt.Errorf("raw appends: %w", err)
	}
	p50, p99, _ = quantiles(raw.lat)
	res.RawAppendRPS, res.RawAppendP50ms, res.RawAppendP99ms = float64(len(raw.lat))/raw.wall.Seconds(), ms(p50), ms(p99)
	res.DeployRatio = res.DeployHTTPRPS / res.RawAppendRPS
	return nil
}

type timings struct {
	lat  []time.Duration
	wall time.Duration
}

// rawAppends appends n DeploymentRecorded-sized events, one per append,
// from clients goroutines, to a new SyncAlways store in a temporary
// directory that it removes afterwards.
func rawAppends(ctx context.Context, n, clients int) (timings, error) {
	dir, err := tempDir("pactbench-raw-")
	if err != nil {
		return timings{}, err
	}
	defer removeAll(dir)
	s, err := jetstream.Open(ctx, jetstream.Config{DataDir: dir, SyncAlways: true})
	if err != nil {
		return timings{}, err
	}
	defer s.Close()
	// Each client appends to streams of its own, in turn, so no two appends
	// race on a stream and every expected version is exact.
	const streamsPerClient = 20
	jobs := make([][]int, clients)
	for i := range n {
		jobs[i%clients] = append(jobs[i%clients], i%clients*streamsPerClient+i/clients%streamsPerClient)
	}
	versions := make([]uint64, clients*streamsPerClient)
	data := []byte(`{"deploymentId":"` + newID() + `","pacticipant":"orders-001","version":"1a2b3c4",` +
		`"environmentUuid":"` + newID() + `"}`)
	lat, wall, err := fanOut(jobs, time.Time{}, 1, func(k int) error {
		rec := events.Record{Type: "DeploymentRecorded", OccurredAt: time.Now().UTC(),
			Meta: events.Metadata{Actor: "pactbench", CorrelationID: newID()}, Data: data}
		_, _ = crand.Read(rec.ID[:])
		rec.ID[6], rec.ID[8] = rec.ID[6]&0x0f|0x40, rec.ID[8]&0x3f|0x80 // version 4, RFC 4122 variant
		_, err := s.Append(ctx, fmt.Sprintf("deployment-bench-%d", k), events.Exact(versions[k]), rec)
		versions[k]++
		return err
	})
	return timings{lat, wall}, err
}
