package jetstream

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// sameParse checks parseTime against time.Parse(time.RFC3339Nano, ...) on
// one input: the same error-ness and, without an error, the same instant,
// representation and location once made UTC (as toRecord does).
func sameParse(t *testing.T, in string) {
	t.Helper()
	want, werr := time.Parse(time.RFC3339Nano, in)
	got, gerr := parseTime([]byte(in))
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%q: parseTime error %v, time.Parse error %v", in, gerr, werr)
	}
	if werr == nil && got.UTC() != want.UTC() {
		t.Fatalf("%q: parseTime %v, time.Parse %v", in, got, want)
	}
}

func TestParseTimeMatchesTimeParse(t *testing.T) {
	for _, in := range []string{
		"2026-11-27T10:11:12Z", "2026-11-27T10:11:12.1Z", "2026-11-27T10:11:12.123456789Z",
		"2026-11-27T10:11:12.000000001Z", "2024-02-29T23:59:59.5Z", "2023-02-29T00:00:00Z",
		"2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z",
		"2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
		"2026-01-01T00:00:00+02:00", "2026-01-01T00:00:00.5-07:30", "2026-01-01 00:00:00Z", "0000-01-01T00:00:00Z",
		"9999-12-31T23:59:59.999999999Z", "+026-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "", "Z",
		"2026-01-01T00:00:00z", "2026-01-01T00:00:00.12a4Z", "２026-01-01T00:00:00Z",
	} {
		sameParse(t, in)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		at := time.Unix(rng.Int64N(1<<36)-1<<35, rng.Int64N(1e9)).UTC()
		if rng.IntN(3) == 0 {
			at = at.Truncate(time.Duration(rng.Int64N(int64(time.Second))) + 1)
		}
		sameParse(t, at.Format(time.RFC3339Nano))
	}
}

func FuzzParseTime(f *testing.F) {
	f.Add("2026-11-27T10:11:12.123456789Z")
	f.Add("2024-02-29T23:59:59Z")
	f.Add("2026-01-01T00:00:00+02:00")
	f.Fuzz(func(t *testing.T, in string) { sameParse(t, in) })
}

// sameHeaders checks parseRawHeaders against nats.DecodeHeadersMsg on one
// header block: both reject it, or every header a record uses has the same
// value (absent and empty alike, as Header.Get gives) and the same status
// and description.
func sameHeaders(t *testing.T, block []byte) {
	t.Helper()
	want, werr := nats.DecodeHeadersMsg(block)
	got, gerr := parseRawHeaders(block)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%q: parseRawHeaders error %v, DecodeHeadersMsg error %v", block, gerr, werr)
	}
	if werr != nil {
		return
	}
	for key, v := range map[string][]byte{
		hdrMsgID: got.msgID, hdrType: got.typ, hdrVersion: got.version, hdrOccurredAt: got.occurredAt,
		hdrCorrelation: got.correlation, hdrCausation: got.causation, hdrActor: got.actor, "Status": got.status,
		"Description": got.description,
	} {
		if w := want.Get(key); string(v) != w {
			t.Fatalf("%q: %s is %q, DecodeHeadersMsg has %q", block, key, v, w)
		}
	}
}

func TestParseRawHeadersMatchesNats(t *testing.T) {
	for _, block := range []string{
		"NATS/1.0\r\n\r\n",
		"NATS/1.0\r\nNats-Msg-Id: 6f1c\r\nPactledger-Type: A%20B\r\nPactledger-Version: 3\r\n\r\n",
		"NATS/1.0\r\nPactledger-Actor:\t \tme \r\nPactledger-Actor: second\r\n\r\n",
		"NATS/1.0\r\nPactledger-Actor:\r\nPactledger-Type: x:y\r\n\r\n",
		"NATS/1.0\npactledger-type: lower\nPactledger-Type: upper\n\n",
		"NATS/1.0 404 No Messages\r\n\r\n",
		"NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 5\r\n\r\n",
		"NATS/1.0 408 Requests Pending\r\n\r\n", "NATS/1.0  408   Requests  Pending \r\n\r\n",
		"NATS/1.0 40\r\n\r\n",
		"NATS/1.1\r\n\r\n", "NATS/1.0\r\nno colon\r\n\r\n", "NATS/1.0\r\n: empty key\r\n\r\n",
		"NATS/1.0\r\nPactledger-Type: unterminated\r\n", "", "NATS",
	} {
		sameHeaders(t, []byte(block))
	}
	m := newMsg("pactledger.store.x", oddRecord(4, `{}`), 7) // every header a record has, escaped
	raw := []byte("NATS/1.0\r\n")
	for k, vs := range m.Header {
		for _, v := range vs {
			raw = append(raw, k+": "+v+"\r\n"...)
		}
	}
	sameHeaders(t, append(raw, "\r\n"...))
}

func FuzzParseRawHeaders(f *testing.F) {
	f.Add([]byte("NATS/1.0\r\nPactledger-Type: A\r\nPactledger-Version: 3\r\n\r\n"))
	f.Add([]byte("NATS/1.0 404 No Messages\r\n\r\n"))
	f.Fuzz(func(t *testing.T, block []byte) { sameHeaders(t, block) })
}

func TestParseAckReply(t *testing.T) {
	for _, tc := range []struct {
		reply           string
		delivered, s, c uint64
		ok              bool
	}{
		{"$JS.ACK.STREAM.cons.1.42.7.1700000000000000000.99", 1, 42, 7, true},
		{"$JS.ACK._.HASH.STREAM.cons.2.43.8.1700000000000000000.0.tok", 2, 43, 8, true},
		{"$JS.ACK.dom.HASH.STREAM.cons.1.44.9.1700000000000000000.0", 1, 44, 9, true},
		{"$JS.ACK.dom.HASH.STREAM.cons.1.45.10.1700000000000000000.0.tok.more", 1, 45, 10, true},
		{"$JS.ACK.STREAM.cons.1.42.7.17", 0, 0, 0, false},
		{"$JS.ACK.a.b.STREAM.cons.1.42.7.1700000000000000000", 0, 0, 0, false},
		{"$JS.ACK.STREAM.cons.x.42.7.1700000000000000000.99", 0, 0, 0, false},
		{"$JS.NAK.STREAM.cons.1.42.7.1700000000000000000.99", 0, 0, 0, false},
		{"_INBOX.abc.1", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	} {
		d, s, c, ok := parseAckReply([]byte(tc.reply))
		if ok != tc.ok || ok && (d != tc.delivered || s != tc.s || c != tc.c) {
			t.Errorf("%q: %d %d %d %v; want %d %d %d %v", tc.reply, d, s, c, ok, tc.delivered, tc.s, tc.c, tc.ok)
		}
	}
}

func TestParseUintMatchesStrconv(t *testing.T) {
	for _, in := range []string{"0", "1", "007", "18446744073709551615", "18446744073709551616", "99999999999999999999",
		"", "-1", "+1", "1 ", "1a", "123456789012345678901"} {
		want, werr := strconv.ParseUint(in, 10, 64)
		got, ok := parseUint([]byte(in))
		if ok != (werr == nil) || ok && got != want {
			t.Errorf("%q: %d %v; strconv %d %v", in, got, ok, want, werr)
		}
	}
}

func TestParseMsgLine(t *testing.T) {
	for _, tc := range []struct {
		line, subject, reply string
		hlen, total          int
		ok                   bool
	}{
		{"MSG a.b 1 5", "a.b", "", 0, 5, true},
		{"MSG a.b 1 r.s 5", "a.b", "r.s", 0, 5, true},
		{"HMSG a.b 1 12 30", "a.b", "", 12, 30, true},
		{"HMSG a.b 1 $JS.ACK.x 12 30", "a.b", "$JS.ACK.x", 12, 30, true},
		{"HMSG  a.b  1  r  12  30", "a.b", "r", 12, 30, true},
		{"HMSG a.b 1 r 31 30", "", "", 0, 0, false},
		{"HMSG a.b 1 r x 30", "", "", 0, 0, false},
		{"MSG a.b 1 r s 5", "", "", 0, 0, false},
		{"HMSG a.b 1 r s 1 5", "", "", 0, 0, false},
		{"PING", "", "", 0, 0, false},
	} {
		subject, reply, hlen, total, err := parseMsgLine([]byte(tc.line))
		if (err == nil) != tc.ok || tc.ok && (string(subject) != tc.subject || string(reply) != tc.reply || hlen != tc.hlen || total != tc.total) {
			t.Errorf("%q: %q %q %d %d %v", tc.line, subject, reply, hlen, total, err)
		}
	}
}

// sameStreamName checks rawDecoder.streamName against Store.streamOf.
func sameStreamName(t *testing.T, d *rawDecoder, subject string) {
	t.Helper()
	want, werr := d.s.streamOf(subject)
	got, gerr := d.streamName([]byte(subject))
	if (werr == nil) != (gerr == nil) || got != want {
		t.Fatalf("%q: streamName %q, %v; streamOf %q, %v", subject, got, gerr, want, werr)
	}
}

func TestStreamNameMatchesStreamOf(t *testing.T) {
	d := newRawDecoder(&Store{cfg: Config{SubjectPrefix: DefaultSubjectPrefix}})
	for _, name := range []string{"plain", "Foo Service", "a.b", "a=2Eb", "*", ">", "ünïcødé 名前", "line\nbreak", "%2F", "x=", "="} {
		sameStreamName(t, d, d.s.subject(name))
	}
	for _, subject := range []string{
		"pactledger.store.a=2", "pactledger.store.a=", "pactledger.store.a=zz", "pactledger.store.a=+1b", "pactledger.store.a=2e",
		"pactledger.store.", "pactledger.store", "pactledger.storex.a", "other.store.a", "", "pactledger.store.=41=42=43",
	} {
		sameStreamName(t, d, subject)
	}
}

func FuzzStreamName(f *testing.F) {
	f.Add("pactledger.store.a=2Eb")
	f.Add("pactledger.store.a=+1")
	d := newRawDecoder(&Store{cfg: Config{SubjectPrefix: DefaultSubjectPrefix}})
	f.Fuzz(func(t *testing.T, subject string) {
		sameStreamName(t, d, subject)
		sameStreamName(t, d, "pactledger.store."+subject)
	})
}
