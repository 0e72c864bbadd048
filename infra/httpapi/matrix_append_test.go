package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"testing"
	"time"

	"github.com/pactledger/pactledger/queries"
)

// TestAppendMatrixMatchesEncodingJSON renders generated answers both ways:
// appendMatrix must write exactly what encoding/json's Encoder writes for
// MatrixJSON (the body the CLI reads), for every shape of row: unverified,
// verified, comparisons (pending, without a provider version), ignored,
// with and without branches, environments (display name, updates) and tags,
// and names that need path or JSON escaping.
func TestAppendMatrixMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	names := []string{"Foo", "bar-service", "with space", "a/b", "ünïcödé", "x&y", `q"uote`, "<html>", "tab\there", "line\u2028sep", "", "%41", "a?b#c"}
	pick := func() string { return names[rng.IntN(len(names))] }
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	when := func() time.Time {
		if rng.IntN(10) == 0 {
			return time.Time{}
		}
		return t0.Add(time.Duration(rng.IntN(1e6)) * time.Second).In(time.FixedZone("X", 3600*rng.IntN(3)))
	}
	details := func() *queries.VersionDetails {
		d := &queries.VersionDetails{Number: pick() + fmt.Sprint(rng.IntN(100))}
		for range rng.IntN(3) {
			d.Branches = append(d.Branches, queries.BranchMembership{Name: pick(), Head: rng.IntN(2) == 0})
		}
		for range rng.IntN(3) {
			created := when()
			updated := created
			switch rng.IntN(3) {
			case 1:
				updated = when()
			case 2:
				updated = time.Time{}
			}
			d.Environments = append(d.Environments, queries.EnvironmentInfo{UUID: fmt.Sprintf("uuid-%d", rng.IntN(9)), Name: pick(),
				DisplayName: pick(), Production: rng.IntN(2) == 0, CreatedAt: created, UpdatedAt: updated})
		}
		for range rng.IntN(3) {
			d.Tags = append(d.Tags, queries.RowTag{Name: pick(), Latest: rng.IntN(2) == 0})
		}
		return d
	}
	for trial := range 300 {
		var res queries.MatrixResult
		switch trial % 3 {
		case 1:
			yes := true
			res.Deployable = &yes
		case 2:
			no := false
			res.Deployable = &no
		}
		for range rng.IntN(4) {
			res.Reasons = append(res.Reasons, queries.Reason{Type: queries.NoticeError, Text: "reason " + pick()})
		}
		res.Counts = queries.Counts{Success: rng.IntN(5), Failed: rng.IntN(5), Unknown: rng.IntN(5)}
		if rng.IntN(2) == 0 {
			n := rng.IntN(5)
			res.Counts.Ignored = &n
		}
		for range rng.IntN(6) {
			row := queries.Row{Consumer: pick(), Provider: pick(), ConsumerVersion: *details(), Ignored: rng.IntN(4) == 0,
				Pact: queries.RowPact{SHA: fmt.Sprintf("%040x", rng.Uint64()), Revision: 1, CreatedAt: when()}}
			if rng.IntN(3) > 0 {
				v := queries.Verification{Number: 1 + rng.IntN(20), Success: rng.IntN(2) == 0, ExecutedAt: when(), Kind: queries.ResultKind(rng.IntN(2)),
					Pending: rng.IntN(4) == 0}
				row.Verification = &v
				if rng.IntN(8) > 0 {
					row.ProviderVersion = details()
					row.Verification.ProviderVersion = row.ProviderVersion.Number
				}
			}
			res.Rows = append(res.Rows, row)
		}
		// A base URL with a byte JSON escapes takes the hrefs' slow path.
		for _, base := range []string{"http://example.org", "http://h.example/a&b<c>"} {
			href := func(segments ...string) string {
				u := base
				for _, s := range segments {
					u += "/" + url.PathEscape(s)
				}
				return u
			}
			var want bytes.Buffer
			if err := json.NewEncoder(&want).Encode(MatrixJSON(res, href)); err != nil {
				t.Fatal(err)
			}
			if got := appendMatrix(nil, res, base); !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("trial %d, base %s:\ngot  %s\nwant %s", trial, base, got, want.Bytes())
			}
		}
	}
}

// TestAppendTimestampMatchesFormat holds the hand-written timestamp writer
// equal to timestamp (Time.Format), in every zone and at the edges of the
// four-digit years it writes itself.
func TestAppendTimestampMatchesFormat(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	times := []time.Time{{}, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 0, 30, 0, 0, time.FixedZone("X", 3600))}
	for range 2000 {
		times = append(times, time.Unix(rng.Int64N(1<<38)-1<<37, rng.Int64N(1e9)).In(time.FixedZone("Y", 60*(rng.IntN(1500)-750))))
	}
	for _, tm := range times {
		if got, want := string(appendTimestamp(nil, tm)), timestamp(tm); got != want {
			t.Fatalf("appendTimestamp(%v) = %s, want %s", tm, got, want)
		}
	}
}

// BenchmarkMatrixRender renders a typical can-i-deploy answer (six rows)
// through MatrixJSON and encoding/json, and through appendMatrix.
func BenchmarkMatrixRender(b *testing.B) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	version := func(n string) queries.VersionDetails {
		return queries.VersionDetails{Number: n, Branches: []queries.BranchMembership{{Name: "main", Head: true}},
			Environments: []queries.EnvironmentInfo{{UUID: "5d2e8e2b-4e8f-4a3c-9f3e-2f0e6f0b1a2c", Name: "production", DisplayName: "Production",
				Production: true, CreatedAt: t0, UpdatedAt: t0}}}
	}
	var res queries.MatrixResult
	for i := range 6 {
		cv, pv := version(fmt.Sprintf("1.0.%d", i)), version(fmt.Sprintf("2.0.%d", i))
		res.Rows = append(res.Rows, queries.Row{Consumer: "checkout-service", Provider: fmt.Sprintf("provider-%d", i), ConsumerVersion: cv,
			ProviderVersion: &pv, Pact: queries.RowPact{SHA: fmt.Sprintf("%040x", i), CreatedAt: t0},
			Verification: &queries.Verification{ProviderVersion: pv.Number, Number: 3, Success: true, ExecutedAt: t0}})
	}
	res.Reasons = []queries.Reason{{Type: queries.NoticeSuccess, Text: "All required verification results are published and successful"}}
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for range b.N {
			buf.Reset()
			if err := json.NewEncoder(&buf).Encode(MatrixJSON(res, exampleHref)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for range b.N {
			buf = appendMatrix(buf[:0], res, "http://example.org")
		}
	})
}
