package domain

import (
	"fmt"
	"strings"
	"time"

	"github.com/pactledger/pactledger/events"
)

// MaxStoredMismatches bounds the mismatches one ComparisonCompleted keeps,
// so the event stays far below the store's payload limit whatever the
// documents; the rest are counted in Truncated. The outcome (success) is
// always exact.
const MaxStoredMismatches = 2000

// ComparisonKey names one comparison: a pact content and a provider
// contract content. Version pairs with the same contents share it.
type ComparisonKey struct{ PactSHA, ContractSHA string }

// ComparisonStream is "comparison-<pact sha>.<contract sha>".
func ComparisonStream(k ComparisonKey) (string, error) {
	return events.StreamID("comparison", k.PactSHA, k.ContractSHA)
}

// Comparison is the state of a comparison stream.
type Comparison struct {
	Completed bool
	Result    events.ComparisonCompleted
}

// EvolveComparison folds one event into s; the first result wins.
func EvolveComparison(s Comparison, e events.Envelope) Comparison {
	if p, ok := e.Data.(events.ComparisonCompleted); ok && !s.Completed {
		return Comparison{Completed: true, Result: p}
	}
	return s
}

// DecideRecordComparison records an outcome computed for k, or nothing when
// the stream holds a result already: comparisons are pure functions of the
// two contents, so whichever replica stored one first stored the answer.
func DecideRecordComparison(s Comparison, k ComparisonKey, out ComparisonOutcome, took time.Duration, now time.Time) []events.Payload {
	if s.Completed {
		return nil
	}
	ev := events.ComparisonCompleted{PactSHA: k.PactSHA, ContractSHA: k.ContractSHA, Success: out.Success,
		Engine: out.Engine, ComparedAt: now, Duration: took}
	for i, m := range out.Mismatches {
		if i == MaxStoredMismatches {
			ev.Truncated = len(out.Mismatches) - i
			break
		}
		ev.Mismatches = append(ev.Mismatches, events.ComparisonMismatch(m))
	}
	return []events.Payload{ev}
}

// MismatchesOf converts stored mismatches back to the domain's type.
func MismatchesOf(ms []events.ComparisonMismatch) []Mismatch {
	out := make([]Mismatch, len(ms))
	for i, m := range ms {
		out[i] = Mismatch(m)
	}
	return out
}

// DescribeMismatch words a mismatch for a developer: the interaction (and
// its provider state), what the pact sends (request codes) or expects
// (response codes) and where, and what the spec allows and where. Values
// are shown as JSON, shortened past 200 characters.
func DescribeMismatch(m Mismatch) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s — interaction %q", m.Type, m.Code, m.Interaction)
	if m.State != "" && m.State != "[none]" {
		fmt.Fprintf(&b, " given %q", m.State)
	}
	b.WriteString(": ")
	b.WriteString(m.Message)
	verb := "sends"
	if strings.HasPrefix(m.Code, "response.") {
		verb = "expects"
	}
	if m.PactLocation != "" || len(m.PactValue) > 0 {
		fmt.Fprintf(&b, "\n    the pact %s: %s", verb, shortJSON(m.PactValue))
		if m.PactLocation != "" {
			fmt.Fprintf(&b, " (at %s)", m.PactLocation)
		}
	}
	if m.SpecLocation != "" || len(m.SpecValue) > 0 || m.SpecPathName != "" {
		b.WriteString("\n    the spec allows: ")
		switch {
		case len(m.SpecValue) > 0:
			b.WriteString(shortJSON(m.SpecValue))
		case m.SpecPathName != "":
			b.WriteString(strings.ToUpper(m.SpecPathMethod) + " " + m.SpecPathName)
		default:
			b.WriteString("nothing that matches")
		}
		if m.SpecLocation != "" {
			fmt.Fprintf(&b, " (at %s)", m.SpecLocation)
		}
	}
	return b.String()
}

func shortJSON(v []byte) string {
	if len(v) == 0 {
		return "(nothing)"
	}
	s := string(v)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
