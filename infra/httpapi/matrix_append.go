package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

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

type matrixWriter struct {
	b    []byte
	base string
	// basePlain is plainJSON(base), decided once per answer; unplain, in
	// the href being written, is set by a segment url.PathEscape changed.
	// Either sends the href through the JSON re-encoding check.
	basePlain, unplain bool
}

func (w *matrixWriter) raw(s string) { w.b = append(w.b, s...) }

// str appends s as a JSON string. Plain ASCII (the usual names, numbers and
// URLs) is copied as it is; anything else goes through encoding/json so
// that escaping matches exactly.
func (w *matrixWriter) str(s string) {
	if !plainJSON(s) {
		w.escaped(s)
		return
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

// escaped appends s as a JSON string, escaping as encoding/json does: the
// short escapes of quotes, backslashes and line breaks (reason texts are
// joined by newlines) here, anything rarer through encoding/json itself.
func (w *matrixWriter) escaped(s string) {
	start := len(w.b)
	w.b = append(w.b, '"')
	if !w.shortEscaped(s) {
		w.b = w.b[:start]
		q, _ := json.Marshal(s) // a string always marshals
		w.b = append(w.b, q...)
		return
	}
	w.b = append(w.b, '"')
}

// shortEscaped appends s with the short escapes, without quotes. It
// returns false, having appended part of s, at the first byte that needs
// encoding/json (other controls, <, >, &, non-ASCII).
func (w *matrixWriter) shortEscaped(s string) bool {
	for i := 0; i < len(s); i++ {
		if jsonPlain[s[i]] { // copy the run of plain bytes at once
			j := i + 1
			for j < len(s) && jsonPlain[s[j]] {
				j++
			}
			w.b = append(w.b, s[i:j]...)
			i = j - 1
			continue
		}
		switch c := s[i]; c {
		case '"', '\\':
			w.b = append(w.b, '\\', c)
		case '\n':
			w.b = append(w.b, '\\', 'n')
		case '\r':
			w.b = append(w.b, '\\', 'r')
		case '\t':
			w.b = append(w.b, '\\', 't')
		default:
			return false
		}
	}
	return true
}

func (w *matrixWriter) boolean(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *matrixWriter) integer(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// timestamp appends timestamp(t) as a JSON string (only digits, T, :, +
// and - occur in it).
func (w *matrixWriter) timestamp(t time.Time) {
	w.b = append(w.b, '"')
	w.b = appendTimestamp(w.b, t)
	w.b = append(w.b, '"')
}

// appendTimestamp appends timestamp(t) without parsing the layout on every
// call as Time.AppendFormat does; years outside 0..9999, which the layout
// writes differently, go through AppendFormat.
func appendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, "2006-01-02T15:04:05+00:00")
	}
	hour, minute, second := t.Clock()
	b = append(b, byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-')
	b = append(b, byte('0'+month/10), byte('0'+month%10), '-', byte('0'+day/10), byte('0'+day%10), 'T')
	b = append(b, byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':')
	b = append(b, byte('0'+second/10), byte('0'+second%10))
	return append(b, "+00:00"...)
}

// href appends the JSON string of API.href's URL for the segments, built
// in place.
func (w *matrixWriter) href(segments ...string) {
	start := w.hrefStart()
	for _, s := range segments {
		w.segment(s)
	}
	w.hrefEnd(start)
}

// hrefStart opens an href: the quote and the base. It returns where the
// href starts, for hrefEnd.
func (w *matrixWriter) hrefStart() int {
	start := len(w.b)
	w.b = append(w.b, '"')
	w.b = append(w.b, w.base...)
	w.unplain = false
	return start
}

// segment appends "/" and the path-escaped s. A segment that neither
// url.PathEscape nor JSON changes (the usual names and numbers) is copied
// as it is; any other is escaped by url.PathEscape and marks the href for
// hrefEnd's check.
func (w *matrixWriter) segment(s string) {
	w.b = append(w.b, '/')
	for i := 0; i < len(s); i++ {
		if !pathPlain[s[i]] {
			w.b = append(w.b, url.PathEscape(s)...)
			w.unplain = true
			return
		}
	}
	w.b = append(w.b, s...)
}

// hrefEnd closes the href begun at start. An href with a byte JSON escapes
// (e.g. "&", which url.PathEscape keeps) is re-encoded as a JSON string.
func (w *matrixWriter) hrefEnd(start int) {
	if (w.unplain || !w.basePlain) && !plainJSON(w.b[start+1:]) {
		u := string(w.b[start+1:])
		w.b = w.b[:start]
		w.str(u)
		return
	}
	w.b = append(w.b, '"')
}

// pathPlain holds the bytes that url.PathEscape leaves as they are and
// encoding/json copies as they are.
var pathPlain = func() (t [256]bool) {
	for c := range 0x80 {
		s := string(rune(c))
		t[c] = url.PathEscape(s) == s && plainJSON(s)
	}
	return t
}()

// jsonPlain holds the bytes encoding/json copies into a string as they are.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// plainJSON reports whether encoding/json copies s as it is.
func plainJSON[S string | []byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if !jsonPlain[s[i]] {
			return false
		}
	}
	return true
}

// selfLinks appends {"self":{"href":…[,"title":…][,"name":…]}} (Link's
// omitempty fields left out when empty).
func (w *matrixWriter) selfLinks(title, name string, segments ...string) {
	w.raw(`{"self":{"href":`)
	w.href(segments...)
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
	w.selfLinks("", "", "pacts", "provider", row.Provider, "consumer", row.Consumer, "version", row.ConsumerVersion.Number)
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
			w.selfLinks("", "", "contracts", "provider", row.Provider, "version", row.ProviderVersion.Number, "consumer", row.Consumer,
				"pact-version", row.Pact.SHA, "verification-results")
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
	w.raw(`{"self":{"href":`)
	start := w.hrefStart()
	w.segment("pacts")
	w.segment("provider")
	w.segment(row.Provider)
	w.segment("consumer")
	w.segment(row.Consumer)
	w.segment("pact-version")
	w.segment(row.Pact.SHA)
	w.segment("metadata")
	w.b = append(w.b, '/')
	w.b = appendConsumerVersionMetadata(w.b, row.ConsumerVersion.Number)
	w.segment("verification-results")
	w.b = append(w.b, '/')
	w.b = strconv.AppendInt(w.b, int64(number), 10)
	w.hrefEnd(start)
	w.raw(`}}`)
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
	w.selfLinks("", "", "pacticipants", name)
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
		w.selfLinks("Branch version", br.Name, "pacticipants", pacticipant, "branches", br.Name, "versions", v.Number)
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
		w.selfLinks("Environment", e.Name, "environments", e.UUID)
		w.raw("}")
	}
	w.raw(`],"_links":`)
	w.selfLinks("", "", "pacticipants", pacticipant, "versions", v.Number)
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
		w.selfLinks("", "", "pacticipants", pacticipant, "versions", v.Number, "tags", t.Name)
		w.raw("}")
	}
	w.raw("]}")
}

// matrixBuffers recycles the buffers matrix answers are rendered into.
var matrixBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// maxPooledMatrixBuffer bounds what goes back to the pool, so that one
// huge /matrix answer does not stay allocated.
const maxPooledMatrixBuffer = 1 << 20
