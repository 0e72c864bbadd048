package httpapi

import (
	"encoding/base64"
	"strconv"
	"strings"
	"sync"

	"github.com/pactledger/pactledger/queries"
)

// appendMatrix appends the JSON of MatrixJSON(res, href) as encoding/json's
// Encoder writes it (HTML-safe escaping, a trailing newline), where href
// joins base and the path-escaped segments as API.href does. It writes the
// bytes directly instead of building MatrixBody's maps of links and
// reflecting over them: can-i-deploy answers are rendered on every
// pipeline run. TestAppendMatrixMatchesEncodingJSON holds the two equal,
// byte for byte; a change to MatrixBody or MatrixJSON must be made here too.
func appendMatrix(b []byte, res queries.MatrixResult, base string) []byte {
	w := matrixWriter{b: b, base: base, basePlain: plainJSON(base)}
	w.body(res)
	return append(w.b, '\n')
}

// linkStart opens {"self":{"href":"<base> for a self link whose path
// follows: literal runs such as "/pacticipants" through raw (they need no
// escaping), names through segment. It returns where the href starts, for
// linkEnd.
func (w *matrixWriter) linkStart() int {
	w.raw(`{"self":{"href":`)
	return w.hrefStart()
}

// linkEnd closes the href begun at start and the link: [,"title":…]
// [,"name":…]}} (Link's omitempty fields left out when empty).
func (w *matrixWriter) linkEnd(start int, title, name string) {
	w.hrefEnd(start)
	if title != "" {
		w.raw(`,"title":`)
		w.str(title)
	}
	if name != "" {
		w.raw(`,"name":`)
		w.str(name)
	}
	w.raw(`}}`)
}

func (w *matrixWriter) body(res queries.MatrixResult) {
	w.raw(`{"summary":{"deployable":`)
	if res.Deployable == nil {
		w.raw("null")
	} else {
		w.boolean(*res.Deployable)
	}
	w.raw(`,"reason":`)
	w.reason(res.Reasons)
	w.raw(`,"success":`)
	w.integer(res.Counts.Success)
	w.raw(`,"failed":`)
	w.integer(res.Counts.Failed)
	w.raw(`,"unknown":`)
	w.integer(res.Counts.Unknown)
	if res.Counts.Ignored != nil {
		w.raw(`,"ignored":`)
		w.integer(*res.Counts.Ignored)
	}
	w.raw(`},"notices":[`)
	for i, r := range res.Reasons {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"type":`)
		w.str(string(r.Type))
		w.raw(`,"text":`)
		w.str(r.Text)
		w.raw("}")
	}
	w.raw(`],"matrix":[`)
	for i := range res.Rows {
		if i > 0 {
			w.raw(",")
		}
		w.row(&res.Rows[i])
	}
	w.raw("]}")
}

// reason appends the reason texts joined by "\n" as one JSON string,
// escaping text by text; a text with a byte only encoding/json escapes
// sends the joined string through escaped.
func (w *matrixWriter) reason(rs []queries.Reason) {
	start := len(w.b)
	w.b = append(w.b, '"')
	for i, r := range rs {
		if i > 0 {
			w.b = append(w.b, '\\', 'n')
		}
		if !w.shortEscaped(r.Text) {
			w.b = w.b[:start]
			w.escaped(joinReasons(rs))
			return
		}
	}
	w.b = append(w.b, '"')
}

// joinReasons joins the reason texts with "\n".
func joinReasons(rs []queries.Reason) string {
	var sb strings.Builder
	for i, r := range rs {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(r.Text)
	}
	return sb.String()
}

func (w *matrixWriter) row(row *queries.Row) {
	w.raw(`{"consumer":`)
	w.party(row.Consumer, &row.ConsumerVersion)
	w.raw(`,"provider":`)
	w.party(row.Provider, row.ProviderVersion)
	w.raw(`,"pact":{"createdAt":`)
	w.timestamp(row.Pact.CreatedAt)
	w.raw(`,"_links":`)
	l := w.linkStart()
	w.raw("/pacts/provider")
	w.segment(row.Provider)
	w.raw("/consumer")
	w.segment(row.Consumer)
	w.raw("/version")
	w.segment(row.ConsumerVersion.Number)
	w.linkEnd(l, "", "")
	w.raw(`},"verificationResult":`)
	switch v := row.Verification; {
	case v == nil, v.Kind == queries.ResultComparison && (v.Pending || row.ProviderVersion == nil):
		w.raw("null")
	default:
		w.raw(`{"success":`)
		w.boolean(v.Success)
		w.raw(`,"verifiedAt":`)
		w.timestamp(v.ExecutedAt)
		w.raw(`,"_links":`)
		if v.Kind == queries.ResultComparison {
			l := w.linkStart()
			w.raw("/contracts/provider")
			w.segment(row.Provider)
			w.raw("/version")
			w.segment(row.ProviderVersion.Number)
			w.raw("/consumer")
			w.segment(row.Consumer)
			w.raw("/pact-version")
			w.segment(row.Pact.SHA)
			w.raw("/verification-results")
			w.linkEnd(l, "", "")
		} else {
			w.verificationLinks(row, v.Number)
		}
		w.raw("}")
	}
	if row.Ignored {
		w.raw(`,"ignored":true`)
	}
	w.raw("}")
}

// verificationLinks appends the self link of a verification result:
// MatrixJSON's href("pacts", "provider", …, "metadata",
// consumerVersionMetadata(…), "verification-results", number), with the
// metadata and number segments written in place (base64url and digits
// need no escaping).
func (w *matrixWriter) verificationLinks(row *queries.Row, number int) {
	l := w.linkStart()
	w.raw("/pacts/provider")
	w.segment(row.Provider)
	w.raw("/consumer")
	w.segment(row.Consumer)
	w.raw("/pact-version")
	w.segment(row.Pact.SHA)
	w.raw("/metadata/")
	w.b = appendConsumerVersionMetadata(w.b, row.ConsumerVersion.Number)
	w.raw("/verification-results/")
	w.b = strconv.AppendInt(w.b, int64(number), 10)
	w.linkEnd(l, "", "")
}

// appendConsumerVersionMetadata appends consumerVersionMetadata(number),
// encoding from a stack buffer when the number is short.
func appendConsumerVersionMetadata(b []byte, number string) []byte {
	var buf [96]byte
	plain := append(buf[:0], "cvn="...)
	plain = appendWWWForm(plain, number)
	return base64.RawURLEncoding.AppendEncode(b, plain)
}

func (w *matrixWriter) party(name string, v *queries.VersionDetails) {
	w.raw(`{"name":`)
	w.str(name)
	w.raw(`,"version":`)
	if v == nil {
		w.raw("null")
	} else {
		w.version(name, v)
	}
	w.raw(`,"_links":`)
	l := w.linkStart()
	w.raw("/pacticipants")
	w.segment(name)
	w.linkEnd(l, "", "")
	w.raw("}")
}

func (w *matrixWriter) version(pacticipant string, v *queries.VersionDetails) {
	w.raw(`{"number":`)
	w.str(v.Number)
	w.raw(`,"branch":`)
	if n := len(v.Branches); n > 0 {
		w.str(v.Branches[n-1].Name)
	} else {
		w.raw("null")
	}
	start := len(w.b)
	w.raw(`,"branches":[`)
	for i, br := range v.Branches {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"name":`)
		w.str(br.Name)
		w.raw(`,"latest":`)
		w.boolean(br.Head)
		w.raw(`,"_links":`)
		l := w.linkStart()
		w.raw("/pacticipants")
		w.segment(pacticipant)
		w.raw("/branches")
		w.segment(br.Name)
		w.raw("/versions")
		w.segment(v.Number)
		w.linkEnd(l, "Branch version", br.Name)
		w.raw("}")
	}
	w.raw("]")
	// branchVersions is the same list again.
	branches := w.b[start+len(`,"branches":`):]
	w.raw(`,"branchVersions":`)
	w.b = append(w.b, branches...)
	w.raw(`,"environments":[`)
	for i, e := range v.Environments {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"uuid":`)
		w.str(e.UUID)
		w.raw(`,"name":`)
		w.str(e.Name)
		if e.DisplayName != "" {
			w.raw(`,"displayName":`)
			w.str(e.DisplayName)
		}
		w.raw(`,"production":`)
		w.boolean(e.Production)
		if !e.UpdatedAt.Equal(e.CreatedAt) && !e.UpdatedAt.IsZero() { // updatedAt's rule
			w.raw(`,"updatedAt":`)
			w.timestamp(e.UpdatedAt)
		}
		w.raw(`,"createdAt":`)
		w.timestamp(e.CreatedAt)
		w.raw(`,"_links":`)
		l := w.linkStart()
		w.raw("/environments")
		w.segment(e.UUID)
		w.linkEnd(l, "Environment", e.Name)
		w.raw("}")
	}
	w.raw(`],"_links":`)
	l := w.linkStart()
	w.raw("/pacticipants")
	w.segment(pacticipant)
	w.raw("/versions")
	w.segment(v.Number)
	w.linkEnd(l, "", "")
	w.raw(`,"tags":[`)
	for i, t := range v.Tags {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"name":`)
		w.str(t.Name)
		w.raw(`,"latest":`)
		w.boolean(t.Latest)
		w.raw(`,"_links":`)
		l := w.linkStart()
		w.raw("/pacticipants")
		w.segment(pacticipant)
		w.raw("/versions")
		w.segment(v.Number)
		w.raw("/tags")
		w.segment(t.Name)
		w.linkEnd(l, "", "")
		w.raw("}")
	}
	w.raw("]}")
}

// matrixBuffers recycles the buffers matrix answers are rendered into.
var matrixBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// maxPooledMatrixBuffer bounds what goes back to the pool, so that one
// huge /matrix answer does not stay allocated.
const maxPooledMatrixBuffer = 1 << 20
