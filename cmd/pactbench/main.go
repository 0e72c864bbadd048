// Command pactbench measures pactledger on a synthetic organisation.
//
// It generates the organisation through the command layer (see setup and
// NewOrg), leaves it in an embedded JetStream data directory, and measures
// in one run: can-i-deploy and /matrix in process; can-i-deploy over HTTP
// against a static baseline; durable record-deployment over HTTP against
// raw OCC appends on the same store configuration (SyncAlways); replay and
// start-up of a fresh process on the data; and the heap and RSS it then
// holds. It prints a table and, with -out, writes the figures as JSON.
//
//	go run ./cmd/pactbench -scale medium -out medium.json
//
// The organisation (applications, integrations, version numbers, branches,
// pact contents, which versions verify, deploy and release what) and every
// request the measurements send are a function of -scale and -seed. Record
// ids and timestamps are not, and with more than one -gen-workers the order
// of the applications' events within a round varies between runs.
//
// Nothing here asserts a timing. The figures depend on the machine and on
// what else runs on it; the table says which goals of the large scale each
// run meets. The data directory is removed at the end unless -keep is given;
// a kept directory also holds the measurement's record-deployments (each
// one undone by a second one, so what is deployed where is unchanged), and
// -reuse measures it again without generating.
//
// -profile DIR writes CPU profiles of generation, replay (in the child),
// queries, HTTP and deployments, and a heap profile of the read models;
// read them with go tool pprof -top.
package main

import (
	"context"
	crand "crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/pactledger/pactledger/infra/app"
	"github.com/pactledger/pactledger/infra/jetstream"
)

// config is one run's settings; the flags fill it.
type config struct {
	Scale         Scale
	Seed          uint64
	Out           string
	DataDir       string // "" means a new temporary directory
	Keep          bool
	Reuse         bool   // measure a kept data directory again instead of generating
	ProfileDir    string // write CPU and heap profiles here
	GenWorkers    int
	GenMemLimit   int64         // soft memory limit while generating, bytes; 0 for none
	Queries       int           // in-process can-i-deploy requests
	MatrixQueries int           // in-process /matrix requests
	HTTPClients   int           // concurrent keep-alive can-i-deploy clients
	HTTPDuration  time.Duration // per side (can-i-deploy and baseline)
	DeployClients int
	Deploys       int           // record-deployments over HTTP, and as many raw appends
	DeployBudget  time.Duration // stop the record-deployments after this long
}

func main() {
	if dir := os.Getenv(loadEnv); dir != "" {
		if err := runLoadChild(dir, os.Getenv(snapshotEnv) == "true", profiler{os.Getenv(profileEnv)}); err != nil {
			fmt.Fprintln(os.Stderr, "pactbench load:", err)
			os.Exit(1)
		}
		return
	}
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "pactbench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "pactbench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("pactbench", flag.ContinueOnError)
	scale := fs.String("scale", "small", "organisation size: small (20×100), medium (100×500) or large (300×2,000)")
	apps := fs.Int("apps", 0, "override the number of pacticipants of the scale")
	versions := fs.Int("versions", 0, "override the number of versions per pacticipant of the scale")
	var c config
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the organisation and of the requests")
	fs.StringVar(&c.Out, "out", "", "write the figures as JSON to this file")
	fs.StringVar(&c.DataDir, "data-dir", "", "data directory for the generated store; it must not hold events (default: a new temporary directory)")
	fs.BoolVar(&c.Keep, "keep", false, "keep the data directory (with a description of the data, for -reuse)")
	fs.BoolVar(&c.Reuse, "reuse", false, "measure the data a -keep run left in -data-dir again, without generating (for iterating; implies -keep)")
	fs.StringVar(&c.ProfileDir, "profile", "", "write CPU profiles of each phase and heap profiles to this directory")
	fs.IntVar(&c.GenWorkers, "gen-workers", 3, "concurrent generator workers")
	genMiB := fs.Int64("gen-mem-limit-mib", 10<<10, "soft memory limit (MiB) while generating, so that large scale fits a shared machine; 0 for none")
	fs.IntVar(&c.Queries, "queries", 10_000, "in-process can-i-deploy requests")
	fs.IntVar(&c.MatrixQueries, "matrix-queries", 1_000, "in-process /matrix requests for a pacticipant pair")
	fs.IntVar(&c.HTTPClients, "http-clients", 32, "concurrent keep-alive can-i-deploy clients")
	fs.DurationVar(&c.HTTPDuration, "http-duration", 10*time.Second, "load time of can-i-deploy and of the baseline, each")
	fs.IntVar(&c.DeployClients, "deploy-clients", 16, "concurrent record-deployment clients (and raw appenders)")
	fs.IntVar(&c.Deploys, "deploys", 2_000, "record-deployments over HTTP, and as many raw appends")
	fs.DurationVar(&c.DeployBudget, "deploy-budget", 60*time.Second, "stop the record-deployments after this long (the raw appends match their count)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	sc, ok := scales[*scale]
	if !ok {
		return c, fmt.Errorf("-scale %q: want small, medium or large", *scale)
	}
	if *apps > 0 || *versions > 0 {
		sc.Name = "custom"
		sc.Apps, sc.Versions = orDefault(*apps, sc.Apps), orDefault(*versions, sc.Versions)
	}
	if sc.Apps < 2 || sc.Versions < 1 || c.Queries < 1 || c.Deploys < 1 || c.HTTPClients < 1 || c.DeployClients < 1 {
		return c, errors.New("need at least 2 pacticipants, 1 version, 1 query, 1 deploy and 1 client")
	}
	if c.Reuse && c.DataDir == "" {
		return c, errors.New("-reuse needs -data-dir")
	}
	c.Keep = c.Keep || c.Reuse
	c.GenMemLimit = *genMiB << 20
	c.Scale = sc
	return c, nil
}

func orDefault(override, def int) int {
	if override > 0 {
		return override
	}
	return def
}

// run performs one benchmark run and reports it on out (progress on logw).
func run(ctx context.Context, cfg config, out, logw io.Writer) (*Result, error) {
	res := &Result{Scale: cfg.Scale.Name, Seed: cfg.Seed, GoVersion: runtime.Version(), CPUs: runtime.NumCPU(),
		CPUModel: cpuModel(), Pacticipants: cfg.Scale.Apps}
	dir, made := cfg.DataDir, false
	if dir == "" {
		var err error
		if dir, err = tempDir("pactbench-"); err != nil {
			return nil, err
		}
		made = true
	}
	if !cfg.Keep {
		defer func() {
			if made {
				removeAll(dir)
			} else {
				removeAll(filepath.Join(dir, "nats"))
				removeAll(snapshotDir(dir))
			}
		}()
	} else {
		defer fmt.Fprintln(logw, "data kept in", dir)
	}
	o := NewOrg(cfg.Scale, cfg.Seed)
	fmt.Fprintf(logw, "pactbench: %s, %d pacticipants × %d versions, %d integrations, data in %s\n",
		cfg.Scale.Name, cfg.Scale.Apps, cfg.Scale.Versions, o.Integrations(), dir)
	prof := profiler{cfg.ProfileDir}
	var ds *dataset
	var err error
	if cfg.Reuse {
		ds, err = loadDataset(dir, cfg.Scale, cfg.Seed)
	} else {
		err = prof.cpu("generate", func() (err error) {
			ds, err = setup(ctx, o, dir, cfg.GenWorkers, cfg.GenMemLimit, prof, logw)
			return err
		})
		if err == nil && cfg.Keep {
			err = saveDataset(dir, cfg.Scale, cfg.Seed, ds)
		}
	}
	if err != nil {
		return nil, err
	}
	res.Events, res.Versions, res.Integrations, res.Commands = ds.Events, ds.Versions, ds.Integrations, ds.Commands
	res.Verifications, res.ContentBytes = ds.Verifications, ds.ContentBytes
	res.GenerateS, res.CopyTailS = ds.Generate.Seconds(), ds.Copy.Seconds()
	if ds.ProviderVersions > 0 {
		res.VerificationsPerPV = float64(ds.Verifications) / float64(ds.ProviderVersions)
	}
	fmt.Fprintf(logw, "  generated %d events with %d commands in %s (copy tail %s)\n",
		ds.Events, ds.Commands, ds.Generate.Round(time.Millisecond), ds.Copy.Round(time.Millisecond))
	runtime.GC()
	debug.FreeOSMemory()

	fmt.Fprintln(logw, "  start-up, replay and memory (fresh process)")
	if err := measureLoad(ctx, dir, ds.Versions, cfg.ProfileDir, res); err != nil {
		return nil, err
	}
	store, err := jetstream.Open(ctx, jetstream.Config{DataDir: dir, SyncAlways: true})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	a := app.Start(store, app.Options{})
	defer a.Close()
	if err := a.Runner.CatchUp(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintln(logw, "  can-i-deploy and /matrix in process")
	reqs := cidRequests(o, ds, cfg.Seed, cfg.Queries)
	runtime.GC()
	if err := prof.cpu("query", func() error {
		return errors.Join(measureCID(a.Matrix, reqs, res), measureMatrix(a.Matrix, o, cfg.Seed, cfg.MatrixQueries, res))
	}); err != nil {
		return nil, err
	}
	fmt.Fprintln(logw, "  can-i-deploy over HTTP against the baseline")
	runtime.GC()
	if err := prof.cpu("http", func() error { return measureHTTP(ctx, a.Handler, reqs, cfg.HTTPClients, cfg.HTTPDuration, res) }); err != nil {
		return nil, err
	}
	fmt.Fprintln(logw, "  durable record-deployment over HTTP against raw appends")
	deploys := deployRequests(o, ds, a.Deployments, cfg.Seed, cfg.Deploys, cfg.DeployClients)
	runtime.GC()
	if err := prof.cpu("deploy", func() error { return measureDeploy(ctx, a.Handler, deploys, cfg.DeployBudget, res) }); err != nil {
		return nil, err
	}
	printTable(out, res)
	if cfg.Out != "" {
		if err := writeJSON(cfg.Out, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// tempDir makes a new directory under $TMPDIR.
func tempDir(prefix string) (string, error) { return os.MkdirTemp("", prefix) }

// removeAll removes a directory the run made; failures are reported only.
func removeAll(dir string) {
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "pactbench: remove", dir+":", err)
	}
}

// newID returns a random version-4 UUID string.
func newID() string {
	var b [16]byte
	_, _ = crand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// cpuModel is the first "model name" of /proc/cpuinfo, or GOARCH.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}
