package queries

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Benchmark size: 300 applications × 2000 versions (600,000 versions in the
// catalog). Each consumes 3 providers and is consumed by 3 consumers (about
// 6 integrations each); the last 100 versions of every consumer publish
// pacts (90,000 publications, content changing every 10 versions), each
// pact content is verified by 10 provider versions (90,000 results, every
// 7th failing). Production holds 2 deployed instances and 1 release per
// application, test the latest version.
const (
	benchApps     = 300
	benchVersions = 2000
	benchWithPact = 100
)

var (
	benchOnce   sync.Once
	benchReader *fakeReader
)

func benchApp(i int) string { return fmt.Sprintf("app%03d", (i+benchApps)%benchApps) }

func benchProviders(i int) []string {
	return []string{benchApp(i + 1), benchApp(i + 7), benchApp(i + 31)}
}

func buildBenchReader() *fakeReader {
	f := newFakeReader()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var pos uint64
	tick := func() (uint64, time.Time) { pos++; return pos, start.Add(time.Duration(pos) * time.Second) }
	for i := 0; i < benchApps; i++ {
		app := benchApp(i)
		f.pacticipants[app] = PacticipantInfo{Name: app, MainBranch: "main"}
		for v := 1; v <= benchVersions; v++ {
			order, at := tick()
			f.addVersion(app, strconv.Itoa(v), order, at)
		}
		var onMain []string
		for v := benchVersions - benchWithPact + 1; v <= benchVersions; v++ {
			n := strconv.Itoa(v)
			info := f.versions[versionKey{app, n}]
			info.Branches = []BranchMembership{{Name: "main", Head: v == benchVersions}}
			f.versions[versionKey{app, n}] = info
			onMain = append(onMain, n)
		}
		f.onBranch[versionKey{app, "main"}], f.heads[versionKey{app, "main"}] = onMain, strconv.Itoa(benchVersions)
	}
	for i := 0; i < benchApps; i++ {
		c := benchApp(i)
		for _, p := range benchProviders(i) {
			for v := benchVersions - benchWithPact + 1; v <= benchVersions; v++ {
				block := (v - 1) / 10
				sha := fmt.Sprintf("%s-%s-%d", c, p, block)
				order, at := tick()
				f.addPact(Pact{Consumer: c, Provider: p, ConsumerVersion: strconv.Itoa(v), SHA: sha, Revision: 1, CreatedAt: at, Order: order})
				if v%10 == 0 { // the last version of a block: its content gets verified
					for k := 0; k < 10; k++ {
						order, at := tick()
						pv := strconv.Itoa(block*10 + 1 + k)
						f.addVerification(c, p, sha, Verification{ProviderVersion: pv, Number: k + 1, Success: (k+i)%7 != 0,
							CreatedAt: at, ExecutedAt: at, Order: order})
					}
				}
			}
		}
	}
	for _, env := range []string{"production", "test"} {
		_, at := tick()
		f.envs[env] = EnvironmentInfo{UUID: "uuid-" + env, Name: env, DisplayName: env, Production: env == "production", CreatedAt: at, UpdatedAt: at}
	}
	for i := 0; i < benchApps; i++ {
		app := benchApp(i)
		f.inEnv[versionKey{app, "production"}] = [2][]string{{"1995", "1998"}, {"1990"}}
		f.inEnv[versionKey{app, "test"}] = [2][]string{{strconv.Itoa(benchVersions)}, nil}
		for _, n := range []string{"1990", "1995", "1998"} {
			f.currentEnvs[versionKey{app, n}] = []EnvironmentInfo{f.envs["production"]}
		}
	}
	return f
}

func benchmarkReader(b *testing.B) *fakeReader {
	benchOnce.Do(func() { benchReader = buildBenchReader() })
	b.ResetTimer()
	return benchReader
}

// BenchmarkCanIDeploy: can-i-deploy app150 2000 to production (cvpv): 6
// integrations, 3 versions of each integrated application in the target.
func BenchmarkCanIDeploy(b *testing.B) {
	r := benchmarkReader(b)
	q := CanIDeployQuery{Pacticipant: Str("app150"), Version: Str("2000"), Environment: Str("production")}
	res, err := CanIDeploy(r, q)
	if err != nil || len(res.Rows) == 0 || len(res.Integrations) != 6 {
		b.Fatalf("unexpected answer: %v, %d rows, %d integrations", err, len(res.Rows), len(res.Integrations))
	}
	b.ReportAllocs()
	var a Answer // as a server's handler does: one Answer, used again
	for b.Loop() {
		if err := CanIDeployInto(r, q, &a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanIDeployToTagLatest: the CLI's single-selector shape without an
// environment (latest=true, latestby cvp).
func BenchmarkCanIDeployLatest(b *testing.B) {
	r := benchmarkReader(b)
	q := MatrixQuery{Selectors: sels(ver("app042", "1995")), LatestBy: "cvp", Latest: true, Limit: ptr(100)}
	b.ReportAllocs()
	var a Answer
	for b.Loop() {
		if err := MatrixInto(r, q, &a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanIMergeMainBranch: can-i-merge for a main-branch version
// (mainBranch=true, latest=true, latestby cvp).
func BenchmarkCanIMergeMainBranch(b *testing.B) {
	r := benchmarkReader(b)
	q := MatrixQuery{Selectors: sels(ver("app007", "2000")), LatestBy: "cvp", Latest: true, MainBranch: ptr(true), Limit: ptr(100)}
	b.ReportAllocs()
	var a Answer
	for b.Loop() {
		if err := MatrixInto(r, q, &a); err != nil {
			b.Fatal(err)
		}
	}
}
