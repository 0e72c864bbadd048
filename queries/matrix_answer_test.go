package queries

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
)

// answerFixture is a history in which the queries take every path that
// writes into an Answer: apps with tags and branches, pacts whose content
// changes, results that pass, fail or are missing, several versions live
// in an environment (one application in more than sixteen, so that the
// selectors, the rows and the caches outgrow their linear searches), and
// applications without integrations.
func answerFixture(seed uint64) *fixture {
	rng := rand.New(rand.NewPCG(seed, 42))
	fx := newFixture().env("production").env("test")
	const apps, versions = 8, 30
	app := func(i int) string { return fmt.Sprintf("app%d", i%apps) }
	for i := range apps - 1 { // the last one integrates with nothing
		for v := 1; v <= versions; v++ {
			n := strconv.Itoa(v)
			fx.branch(app(i), n, "main")
			if v%5 == 0 {
				fx.tag(app(i), n, "prod", "v"+n)
			}
			if v%7 == 0 {
				fx.branch(app(i), n, "feat-"+n)
			}
		}
	}
	fx.version(app(apps-1), "1")
	for i := range apps - 1 {
		for _, p := range []int{i + 1, i + 3} {
			if p%apps == apps-1 {
				continue
			}
			for v := 10; v <= versions; v++ {
				sha := fmt.Sprintf("%s-%s-%d", app(i), app(p), v/4)
				fx.pact(app(i), strconv.Itoa(v), app(p), sha)
				if rng.IntN(3) > 0 {
					fx.verify(app(i), app(p), sha, strconv.Itoa(10+rng.IntN(versions-9)), rng.IntN(5) > 0)
				}
			}
		}
	}
	for i := range apps - 1 {
		fx.deploy(app(i), strconv.Itoa(versions-rng.IntN(5)), "production")
		fx.release(app(i), strconv.Itoa(versions-5-rng.IntN(5)), "production")
		fx.deploy(app(i), strconv.Itoa(versions), "test")
	}
	for k := range 18 { // app2 lives in many instances
		fx.deploy(app(2), strconv.Itoa(11+k), "production", fmt.Sprint("instance", k))
	}
	return fx
}

// answerQuery is one query, answered into an Answer and on its own.
type answerQuery struct {
	name  string
	into  func(MatrixReader, *Answer) error
	fresh func(MatrixReader) (MatrixResult, error)
}

func answerQueries() []answerQuery {
	var out []answerQuery
	cid := func(q CanIDeployQuery) {
		out = append(out, answerQuery{fmt.Sprintf("can-i-deploy %+v", q),
			func(r MatrixReader, a *Answer) error { return CanIDeployInto(r, q, a) },
			func(r MatrixReader) (MatrixResult, error) { return CanIDeploy(r, q) }})
	}
	mx := func(q MatrixQuery) {
		out = append(out, answerQuery{fmt.Sprintf("matrix %+v", q),
			func(r MatrixReader, a *Answer) error { return MatrixInto(r, q, a) },
			func(r MatrixReader) (MatrixResult, error) { return Matrix(r, q) }})
	}
	for i := range 8 {
		app := fmt.Sprint("app", i)
		for _, v := range []string{"30", "12", "999"} {
			cid(CanIDeployQuery{Pacticipant: Str(app), Version: Str(v), Environment: Str("production")})
			cid(CanIDeployQuery{Pacticipant: Str(app), Version: Str(v), Environment: Str("test"),
				Ignore: []Selector{{Pacticipant: fmt.Sprint("app", (i+1)%8)}, {Pacticipant: "nobody"}}})
			cid(CanIDeployQuery{Pacticipant: Str(app), Version: Str(v), To: Str("prod")})
		}
		next := fmt.Sprint("app", (i+1)%8)
		mx(MatrixQuery{Selectors: sels(name(app), name(next)), LatestBy: "cvpv", Limit: ptr(100)})
		mx(MatrixQuery{Selectors: sels(name(app)), Limit: ptr(7)})
		mx(MatrixQuery{Selectors: sels(ver(app, "25")), LatestBy: "cvp", Latest: true, MainBranch: ptr(true)})
		mx(MatrixQuery{Selectors: sels(ver(app, "20"), name(next)), Success: []Outcome{Failed, Unverified},
			Ignore: sels(ver(next, "15"))})
	}
	cid(CanIDeployQuery{Pacticipant: Str("app1"), Version: Str("30")}) // invalid: neither to nor environment
	return out
}

// TestAnswerReuseMatchesFresh answers many queries, one after another in
// three orders, into one Answer (trimmed now and then, as the HTTP pool
// does), and compares each answer with the same query answered on its own:
// nothing of an earlier answer may leak into a later one.
func TestAnswerReuseMatchesFresh(t *testing.T) {
	fx := answerFixture(1)
	qs := answerQueries()
	order := make([]int, 0, 3*len(qs))
	for i := range qs {
		order = append(order, i)
	}
	for i := range qs {
		order = append(order, len(qs)-1-i)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, i := range rng.Perm(len(qs)) {
		order = append(order, i)
	}
	var a Answer
	rows, deployable := 0, 0
	for step, i := range order {
		q := qs[i]
		if step%11 == 10 {
			a.Trim()
		}
		err := q.into(fx, &a)
		want, wantErr := q.fresh(fx)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("step %d, %s: error %v, want %v", step, q.name, err, wantErr)
		}
		if !reflect.DeepEqual(a.MatrixResult, want) {
			t.Fatalf("step %d, %s: the reused Answer differs from a fresh answer:\n got %+v\nwant %+v", step, q.name, a.MatrixResult, want)
		}
		rows += len(want.Rows)
		if want.Deployable != nil {
			deployable++
		}
	}
	if rows < 3*len(order) || deployable == 0 || deployable == len(order) { // the fixture must give varied answers
		t.Fatalf("uninformative fixture: %d rows over %d answers, %d with a verdict", rows, len(order), deployable)
	}
}

// TestCanIDeployIntoAllocatesNothing: once an Answer and the pooled
// scratch have grown to a query's size, answering it again allocates
// nothing (what keeps a can-i-deploy on warm memory).
func TestCanIDeployIntoAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	fx := answerFixture(1)
	var a Answer
	for _, q := range answerQueries() {
		if err := q.into(fx, &a); err != nil {
			continue
		}
		if q.name[:6] != "can-i-" { // the matrix of a whole history grows beyond what is kept
			continue
		}
		if n := testing.AllocsPerRun(50, func() { _ = q.into(fx, &a) }); n != 0 {
			t.Errorf("%s: %v allocations per answer, want 0", q.name, n)
		}
	}
}
