package projections

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pactledger/pactledger/events"
)

// refHistory is the straightforward history index the compact one must
// agree with: every event kept whole, every query a walk of all of them.
type refHistory struct {
	envs     []events.Envelope
	maxTimes []int64 // running maximum of OccurredAt
	envUUIDs map[string][]string
}

func (r *refHistory) apply(e events.Envelope) {
	t := e.OccurredAt.UnixNano()
	if n := len(r.maxTimes); n > 0 {
		t = max(t, r.maxTimes[n-1])
	}
	r.envs, r.maxTimes = append(r.envs, e), append(r.maxTimes, t)
	switch p := e.Data.(type) {
	case events.EnvironmentCreated:
		if !slices.Contains(r.envUUIDs[p.Name], p.UUID) {
			r.envUUIDs[p.Name] = append(r.envUUIDs[p.Name], p.UUID)
		}
	case events.EnvironmentUpdated:
		if !slices.Contains(r.envUUIDs[p.Name], p.UUID) {
			r.envUUIDs[p.Name] = append(r.envUUIDs[p.Name], p.UUID)
		}
	}
}

func (r *refHistory) positions(f HistoryFilter, after uint64, limit int) []uint64 {
	uuids := r.envUUIDs[f.Environment]
	for _, e := range r.envs {
		if keysOf(e.Data).environment == f.Environment {
			uuids = []string{f.Environment} // a uuid with events wins
		}
	}
	var out []uint64
	for i, e := range r.envs {
		k := keysOf(e.Data)
		switch {
		case e.Position <= after,
			!f.From.IsZero() && r.maxTimes[i] < unixNanos(f.From),
			!f.To.IsZero() && r.maxTimes[i] > unixNanos(f.To),
			len(f.Types) > 0 && !slices.Contains(f.Types, e.Type),
			f.Pacticipant != "" && !slices.Contains(k.pacticipants[:k.n], f.Pacticipant),
			f.Environment != "" && (k.environment == "" || !slices.Contains(uuids, k.environment)):
			continue
		}
		if out = append(out, e.Position); len(out) == limit {
			break
		}
	}
	return out
}

func (r *refHistory) positionAt(t time.Time) uint64 {
	var p uint64
	for i, e := range r.envs {
		if r.maxTimes[i] <= unixNanos(t) {
			p = e.Position
		}
	}
	return p
}

var (
	refApps  = []string{"alpha", "beta", "gamma", "delta"}
	refUUIDs = []string{"u1", "u2", "u3", "u4"}
	refNames = []string{"prod", "test", "stage"}
)

// randomEvent returns a payload concerning a few random applications and
// environments.
func randomEvent(rng *rand.Rand) events.Payload {
	app, other := refApps[rng.IntN(len(refApps))], refApps[rng.IntN(len(refApps))]
	env := refUUIDs[rng.IntN(len(refUUIDs))]
	ref := events.DeploymentRef{DeploymentID: "d", Pacticipant: app, Version: "1", EnvironmentUUID: env}
	switch rng.IntN(9) {
	case 0:
		return events.EnvironmentCreated{UUID: env, Name: refNames[rng.IntN(len(refNames))]}
	case 1:
		return events.EnvironmentUpdated{UUID: env, Name: refNames[rng.IntN(len(refNames))]}
	case 2:
		return events.PactPublished{Consumer: app, Provider: other, ConsumerVersion: "1"} // app == other at times
	case 3:
		return events.VerificationPublished{Consumer: other, Provider: app, ProviderVersion: "1"}
	case 4:
		return events.DeploymentRecorded{DeploymentRef: ref}
	case 5:
		return events.AutoUndeployed{DeploymentRef: ref}
	case 6:
		return events.PactContentStored{SHA: "x"}
	case 7:
		return events.EnvironmentDeleted{UUID: env}
	}
	return events.VersionCreated{Pacticipant: app, Number: "1"}
}

// randomLog returns n events whose times step by nothing, nanoseconds,
// milliseconds, back, or by decades, at dense or sparse positions (or
// dense ones that turn sparse).
func randomLog(rng *rand.Rand, n int) []events.Envelope {
	sparseFrom := []int{n + 1, 0, rng.IntN(n + 1)}[rng.IntN(3)]
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(1 << 40)))
	var pos uint64
	log := make([]events.Envelope, n)
	for i := range log {
		pos++
		if i >= sparseFrom {
			pos += uint64(rng.IntN(3)) * uint64(rng.Int64N(1<<40)+1) / 1000
		}
		switch rng.IntN(6) {
		case 0:
			if rng.IntN(4) == 0 { // a huge gap, within UnixNano's range over 3,000 events
				at = at.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			}
			// else the same time
		case 1:
			at = at.Add(time.Duration(rng.IntN(1000)))
		case 2:
			at = at.Add(time.Duration(rng.IntN(10_000_000)))
		case 3:
			at = at.Add(-time.Duration(rng.Int64N(int64(time.Hour)))) // a clock that steps back
		default:
			at = at.Add(time.Duration(rng.Int64N(int64(time.Minute))))
		}
		p := randomEvent(rng)
		log[i] = events.Envelope{Type: p.EventType(), Position: pos, OccurredAt: at, Data: p}
	}
	return log
}

// randomFilter picks one value or none of every filter, unknown ones too,
// and a time range around the log's times.
func randomFilter(rng *rand.Rand, log []events.Envelope) HistoryFilter {
	var f HistoryFilter
	pick := func(vs ...string) string { return vs[rng.IntN(len(vs))] }
	if rng.IntN(2) == 0 {
		f.Pacticipant = pick(append(refApps, "nobody")...)
	}
	if rng.IntN(2) == 0 {
		f.Environment = pick(append(append([]string{"nowhere"}, refUUIDs...), refNames...)...)
	}
	for range rng.IntN(3) {
		f.Types = append(f.Types, pick("VersionCreated", "PactPublished", "DeploymentRecorded", "EnvironmentCreated", "Nope"))
	}
	someTime := func() time.Time {
		if len(log) == 0 {
			return time.Unix(0, rng.Int64())
		}
		return log[rng.IntN(len(log))].OccurredAt.Add(time.Duration(rng.IntN(3) - 1))
	}
	if rng.IntN(2) == 0 {
		f.From = someTime()
	}
	if rng.IntN(2) == 0 {
		f.To = someTime()
	}
	return f
}

// The compact index answers every filter combination, page and time
// search as the straightforward walk does, also after a snapshot restore
// and when events are applied after the restore.
func TestHistoryMatchesReference(t *testing.T) {
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 7))
		n := []int{0, 1, 63, 64, 65, rng.IntN(3000)}[seed%6]
		log := randomLog(rng, n)
		ref := &refHistory{envUUIDs: map[string][]string{}}
		h := NewHistory()
		cut := rng.IntN(n + 1)
		for _, e := range log[:cut] {
			ref.apply(e)
			h.Apply(e)
		}
		restored := NewHistory()
		if err := restored.RestoreSnapshot(h.AppendSnapshot(nil)); err != nil {
			t.Fatalf("seed %d: restore: %v", seed, err)
		}
		for _, e := range log[cut:] {
			ref.apply(e)
			h.Apply(e)
			restored.Apply(e)
		}
		again := NewHistory()
		if err := again.RestoreSnapshot(h.AppendSnapshot(nil)); err != nil {
			t.Fatalf("seed %d: restore: %v", seed, err)
		}
		for name, idx := range map[string]*History{"applied": h, "restored midway": restored, "restored": again} {
			checkAgainstReference(t, fmt.Sprintf("seed %d, %s", seed, name), rng, idx, ref)
		}
		if ReadModelDigest(again) != ReadModelDigest(h) || ReadModelDigest(restored) != ReadModelDigest(h) {
			t.Fatalf("seed %d: a restored index encodes differently", seed)
		}
	}
}

func checkAgainstReference(t *testing.T, name string, rng *rand.Rand, h *History, ref *refHistory) {
	t.Helper()
	log := ref.envs
	if h.Events() != len(log) {
		t.Fatalf("%s: %d events, want %d", name, h.Events(), len(log))
	}
	var head uint64
	if len(log) > 0 {
		head = log[len(log)-1].Position
	}
	if h.Head() != head {
		t.Fatalf("%s: head %d, want %d", name, h.Head(), head)
	}
	for range 300 {
		f := randomFilter(rng, log)
		var after uint64
		if len(log) > 0 && rng.IntN(2) == 0 {
			after = log[rng.IntN(len(log))].Position - uint64(rng.IntN(2))
		}
		limit := []int{1, 3, 100, 1 << 20}[rng.IntN(4)]
		if got, want := h.Positions(f, after, limit), ref.positions(f, after, limit); !slices.Equal(got, want) {
			t.Fatalf("%s: Positions(%+v, %d, %d) = %v, want %v", name, f, after, limit, got, want)
		}
		at := randomFilter(rng, log).From
		if got, want := h.PositionAt(at), ref.positionAt(at); got != want {
			t.Fatalf("%s: PositionAt(%s) = %d, want %d", name, at, got, want)
		}
		next, ok := h.Next(after)
		want := ref.positions(HistoryFilter{}, after, 1)
		if ok != (len(want) == 1) || ok && next != want[0] {
			t.Fatalf("%s: Next(%d) = %d %v, want %v", name, after, next, ok, want)
		}
	}
}

// A sequence reads back, searches and seeks as the plain slice it stands
// for, across blocks, with equal values and huge steps.
func TestSeqMatchesSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 63, 64, 65, 129, 1000} {
		var s seq
		var want []uint64
		v := uint64(rng.IntN(10))
		for range n {
			v += []uint64{0, 1, uint64(rng.IntN(300)), uint64(rng.Int64N(1 << 52))}[rng.IntN(4)]
			s.push(v)
			want = append(want, v)
		}
		if got := s.values(); !slices.Equal(got, want) && n > 0 {
			t.Fatalf("n=%d: values differ", n)
		}
		for range 200 {
			q := uint64(rng.Int64N(int64(v) + 2))
			if len(want) > 0 && rng.IntN(2) == 0 {
				q = want[rng.IntN(len(want))]
			}
			i, _ := slices.BinarySearch(want, q)
			if got := s.search(q); got != i {
				t.Fatalf("n=%d: search(%d) = %d, want %d", n, q, got, i)
			}
			if i < n && s.at(i) != want[i] {
				t.Fatalf("n=%d: at(%d) = %d, want %d", n, i, s.at(i), want[i])
			}
		}
		c := seqCursor{s: &s}
		c.seek(0)
		for i := 0; i < n; i += 1 + rng.IntN(100) {
			c.advance(i)
			if c.v != want[i] {
				t.Fatalf("n=%d: advance(%d) = %d, want %d", n, i, c.v, want[i])
			}
		}
		decoded, err := decodeSeq(s.n, s.firsts, s.data, false)
		if err != nil || !slices.Equal(decoded.offs, s.offs) || decoded.last != s.last {
			t.Fatalf("n=%d: decoded %v", n, err)
		}
	}
}

// A snapshot whose sequences are cut short or do not increase is refused.
func TestHistorySnapshotRefusesBadSequences(t *testing.T) {
	h := historyFixture([]uint64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100})
	b := h.AppendSnapshot(nil)
	for cut := 1; cut < len(b); cut += 3 {
		if err := NewHistory().RestoreSnapshot(b[:cut]); err == nil {
			t.Fatalf("a snapshot cut at %d of %d bytes restored", cut, len(b))
		}
	}
	var s seq
	for _, v := range []uint64{1, 2, 2, 3} {
		s.push(v)
	}
	if _, err := decodeSeq(s.n, s.firsts, s.data, true); err == nil {
		t.Fatal("a repeated ordinal decoded")
	}
	if _, err := decodeSeq(s.n+1, s.firsts, s.data, false); err == nil {
		t.Fatal("a sequence short of a step decoded")
	}
}
