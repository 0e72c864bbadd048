package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is one run's figures. The JSON keys up to CPUs are the issue's
// required set; the rest add context. Durations are in the unit their key
// names.
type Result struct {
	Scale               string  `json:"scale"`
	Events              int64   `json:"events"`
	Versions            int64   `json:"versions"`
	CIDQueryP50us       float64 `json:"cid_query_p50_us"`
	CIDQueryP99us       float64 `json:"cid_query_p99_us"`
	CIDHTTPRPS          float64 `json:"cid_http_rps"`
	BaselineHTTPRPS     float64 `json:"baseline_http_rps"`
	CIDHTTPRatio        float64 `json:"cid_http_ratio"`
	DeployHTTPRPS       float64 `json:"deploy_http_rps"`
	DeployHTTPP99ms     float64 `json:"deploy_http_p99_ms"`
	RawAppendRPS        float64 `json:"raw_append_rps"`
	DeployRatio         float64 `json:"deploy_ratio"`
	ReplayEventsPerS    float64 `json:"replay_events_per_s"`
	StartupS            float64 `json:"startup_s"`
	HeapBytesPerVersion float64 `json:"heap_bytes_per_version"`
	GoVersion           string  `json:"go_version"`
	CPUs                int     `json:"cpus"`

	Seed                uint64  `json:"seed"`
	CPUModel            string  `json:"cpu_model"`
	Pacticipants        int     `json:"pacticipants"`
	Integrations        int     `json:"integrations"`
	Verifications       int64   `json:"verifications"`
	VerificationsPerPV  float64 `json:"verifications_per_provider_version"`
	Commands            int64   `json:"generate_commands"`
	GenerateS           float64 `json:"generate_s"`
	CopyTailS           float64 `json:"copy_tail_s"`
	CIDQueries          int     `json:"cid_queries"`
	CIDQueryMaxus       float64 `json:"cid_query_max_us"`
	CIDDeployable       [3]int  `json:"cid_answers_yes_no_unknown"`
	MatrixQueries       int     `json:"matrix_queries"`
	MatrixP50us         float64 `json:"matrix_pair_p50_us"`
	MatrixP99us         float64 `json:"matrix_pair_p99_us"`
	MatrixMaxus         float64 `json:"matrix_pair_max_us"`
	CIDBodyBytes        int     `json:"cid_body_bytes"`
	HTTPClients         int     `json:"http_clients"`
	DeployClients       int     `json:"deploy_clients"`
	Deploys             int     `json:"deploys"`
	DeployHTTPP50ms     float64 `json:"deploy_http_p50_ms"`
	RawAppendP50ms      float64 `json:"raw_append_p50_ms"`
	RawAppendP99ms      float64 `json:"raw_append_p99_ms"`
	StartupMethod       string  `json:"startup_method"`
	ReplayS             float64 `json:"replay_s"`
	HeapBytes           uint64  `json:"heap_bytes"`
	HeapWithServerBytes uint64  `json:"heap_with_server_bytes"`
	ContentBytes        uint64  `json:"pact_content_bytes"`
	RSSBytes            uint64  `json:"rss_bytes"`
	RSSPeakBytes        uint64  `json:"rss_peak_bytes"`
	// StartupFullReplayS is the start-up to ready without a snapshot (the
	// whole log replayed); StartupS is with one.
	StartupFullReplayS          float64 `json:"startup_full_replay_s"`
	SnapshotLoadS               float64 `json:"snapshot_start_s"` // app.Start (loading the snapshot) + CatchUp
	SnapshotBytes               int64   `json:"snapshot_bytes"`
	HeapBytesPerVersionRestored float64 `json:"heap_bytes_per_version_from_snapshot"`
}

// requiredKeys are the JSON keys the issue requires; the test checks them.
var requiredKeys = []string{"scale", "events", "versions", "cid_query_p50_us", "cid_query_p99_us", "cid_http_rps",
	"baseline_http_rps", "cid_http_ratio", "deploy_http_rps", "deploy_http_p99_ms", "raw_append_rps", "deploy_ratio",
	"replay_events_per_s", "startup_s", "heap_bytes_per_version", "go_version", "cpus"}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// quantiles returns the p50, p99 and maximum of samples (sorted in place).
func quantiles(samples []time.Duration) (p50, p99, maxd time.Duration) {
	if len(samples) == 0 {
		return 0, 0, 0
	}
	slices.Sort(samples)
	at := func(q float64) time.Duration { return samples[min(len(samples)-1, int(q*float64(len(samples))))] }
	return at(0.50), at(0.99), samples[len(samples)-1]
}

// writeJSON writes r to path, indented.
func writeJSON(path string, r *Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// target is one goal of the issue at large scale.
func target(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// printTable writes the human-readable report.
func printTable(w io.Writer, r *Result) {
	mb := func(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "\npactbench %s (seed %d): %d pacticipants, %d integrations, %d versions, %d events\n",
		r.Scale, r.Seed, r.Pacticipants, r.Integrations, r.Versions, r.Events)
	fmt.Fprintf(w, "machine: %d CPUs, %s, %s\n\n", r.CPUs, r.CPUModel, r.GoVersion)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	row("measure", "value", "detail", "goal (large)")
	row("-------", "-----", "------", "------------")
	row("setup", fmt.Sprintf("%.1f s", r.GenerateS), fmt.Sprintf("%d commands; copy tail %.1f s; %.1f verifications/provider version",
		r.Commands, r.CopyTailS, r.VerificationsPerPV), "")
	row("can-i-deploy in process", fmt.Sprintf("p50 %.1f µs", r.CIDQueryP50us), fmt.Sprintf("p99 %.1f µs, max %.0f µs over %d; yes/no/unknown %v",
		r.CIDQueryP99us, r.CIDQueryMaxus, r.CIDQueries, r.CIDDeployable), "p99 ≤ 100 µs: "+target(r.CIDQueryP99us <= 100))
	row("/matrix pair in process", fmt.Sprintf("p50 %.1f µs", r.MatrixP50us), fmt.Sprintf("p99 %.1f µs, max %.0f µs over %d",
		r.MatrixP99us, r.MatrixMaxus, r.MatrixQueries), "")
	row("can-i-deploy HTTP", fmt.Sprintf("%.0f req/s", r.CIDHTTPRPS), fmt.Sprintf("%d keep-alive clients; baseline %.0f req/s (static %d B)",
		r.HTTPClients, r.BaselineHTTPRPS, r.CIDBodyBytes), "")
	row("  ratio to baseline", fmt.Sprintf("%.2f", r.CIDHTTPRatio), "", "≥ 0.5: "+target(r.CIDHTTPRatio >= 0.5))
	row("record-deployment HTTP", fmt.Sprintf("%.0f req/s", r.DeployHTTPRPS), fmt.Sprintf("%d clients, %d requests, SyncAlways; p50 %.2f ms, p99 %.2f ms",
		r.DeployClients, r.Deploys, r.DeployHTTPP50ms, r.DeployHTTPP99ms), "")
	row("raw OCC appends", fmt.Sprintf("%.0f /s", r.RawAppendRPS), fmt.Sprintf("one event each, same clients and count; p50 %.2f ms, p99 %.2f ms",
		r.RawAppendP50ms, r.RawAppendP99ms), "")
	row("  ratio to raw", fmt.Sprintf("%.2f", r.DeployRatio), "", "≥ 0.5: "+target(r.DeployRatio >= 0.5))
	row("replay", fmt.Sprintf("%.0f events/s", r.ReplayEventsPerS), fmt.Sprintf("%d events in %.2f s", r.Events, r.ReplayS),
		"≥ 200,000/s: "+target(r.ReplayEventsPerS >= 200_000))
	row("start-up to ready", fmt.Sprintf("%.2f s", r.StartupS), r.StartupMethod, "report if > 10 s: "+target(r.StartupS <= 10))
	row("  without a snapshot", fmt.Sprintf("%.2f s", r.StartupFullReplayS), fmt.Sprintf("whole log replayed; snapshot %s, loaded and tail applied in %.2f s",
		mb(uint64(r.SnapshotBytes)), r.SnapshotLoadS), "")
	row("heap per version", fmt.Sprintf("%.0f B", r.HeapBytesPerVersion), fmt.Sprintf("read models %s (pact content, read from the log on demand: %s); with server %s",
		mb(r.HeapBytes), mb(r.ContentBytes), mb(r.HeapWithServerBytes)), "≤ 1024 B: "+target(r.HeapBytesPerVersion <= 1024))
	row("RSS at ready", mb(r.RSSBytes), "peak "+mb(r.RSSPeakBytes), "")
	tw.Flush()
}
