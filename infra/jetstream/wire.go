package jetstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/events"
)

// Header names. The Nats-* ones are interpreted by the server; the
// Pactledger-* ones carry the record's fields. Values that are not plain
// printable ASCII are percent-escaped (see escape), because NATS headers
// cannot carry line breaks and trim surrounding spaces.
const (
	hdrMsgID          = "Nats-Msg-Id"
	hdrExpectStream   = "Nats-Expected-Stream"
	hdrExpectLastSubj = "Nats-Expected-Last-Subject-Sequence"
	hdrBatchID        = "Nats-Batch-Id"
	hdrBatchSeq       = "Nats-Batch-Sequence"
	hdrBatchCommit    = "Nats-Batch-Commit"

	hdrType        = "Pactledger-Type"
	hdrVersion     = "Pactledger-Version"
	hdrOccurredAt  = "Pactledger-Occurred-At"
	hdrCorrelation = "Pactledger-Correlation-Id"
	hdrCausation   = "Pactledger-Causation-Id"
	hdrActor       = "Pactledger-Actor"
)

// maxHeaderBytes keeps the encoded headers under the server's 64 KiB limit.
const maxHeaderBytes = 60 << 10

// JetStream error codes this package reacts to.
const (
	codeWrongLastSeq         = 10071 // expected last (subject) sequence failed
	codeWrongLastSeqConstant = 10164 // same, reported by the clustered pre-proposal check
	codeNoMessageFound       = 10037
	codeClusterNotAvailable  = 10008
	codeClusterNotLeader     = 10009
	codeClusterNoPeers       = 10005 // no suitable peers for placement
	codeBatchIncomplete      = 10176
	codeBatchTooManyInflight = 10210
	codeBatchDuplicateMsgID  = 10201 // a batch message's Nats-Msg-Id is already stored
)

// newMsg builds the message for rec as version `version` of subject.
func newMsg(subject string, rec events.Record, version uint64) *nats.Msg {
	m := nats.NewMsg(subject)
	m.Data = rec.Data
	h := m.Header
	h.Set(hdrMsgID, rec.ID.String())
	h.Set(hdrType, escape(rec.Type))
	h.Set(hdrVersion, strconv.FormatUint(version, 10))
	h.Set(hdrOccurredAt, rec.OccurredAt.UTC().Format(time.RFC3339Nano))
	for _, kv := range [...][2]string{{hdrCorrelation, rec.Meta.CorrelationID}, {hdrCausation, rec.Meta.CausationID}, {hdrActor, rec.Meta.Actor}} {
		if kv[1] != "" {
			h.Set(kv[0], escape(kv[1]))
		}
	}
	return m
}

// wireSize is what the server counts against max_payload: headers plus data.
func wireSize(m *nats.Msg) (hdr, total int) {
	total = m.Size() - len(m.Subject) - len(m.Reply)
	return total - len(m.Data), total
}

// toRecord decodes a stored message.
func (s *Store) toRecord(subject string, seq uint64, h nats.Header, data []byte) (events.Record, error) {
	stream, err := s.streamOf(subject)
	if err != nil {
		return events.Record{}, err
	}
	r := events.Record{Stream: stream, Position: seq, Data: data}
	bad := func(what string, err error) (events.Record, error) {
		return events.Record{}, fmt.Errorf("jetstream: message %d on %q: bad %s: %w", seq, subject, what, err)
	}
	if r.ID, err = uuid.Parse(h.Get(hdrMsgID)); err != nil {
		return bad(hdrMsgID, err)
	}
	if r.StreamVersion, err = strconv.ParseUint(h.Get(hdrVersion), 10, 64); err != nil {
		return bad(hdrVersion, err)
	}
	if r.OccurredAt, err = time.Parse(time.RFC3339Nano, h.Get(hdrOccurredAt)); err != nil {
		return bad(hdrOccurredAt, err)
	}
	r.OccurredAt = r.OccurredAt.UTC()
	// One header at a time, not a loop over pointers into r: that would
	// move r to the heap, once per event of a replay.
	if r.Type, err = unescape(h.Get(hdrType)); err != nil {
		return bad(hdrType, err)
	}
	if r.Meta.CorrelationID, err = unescape(h.Get(hdrCorrelation)); err != nil {
		return bad(hdrCorrelation, err)
	}
	if r.Meta.CausationID, err = unescape(h.Get(hdrCausation)); err != nil {
		return bad(hdrCausation, err)
	}
	if r.Meta.Actor, err = unescape(h.Get(hdrActor)); err != nil {
		return bad(hdrActor, err)
	}
	return r, nil
}

// escape keeps a value readable when it is printable ASCII without '%' and
// without surrounding spaces, and percent-escapes it otherwise. unescape
// reverses both cases, because a kept value contains no '%'.
func escape(v string) string {
	safe := !strings.HasPrefix(v, " ") && !strings.HasSuffix(v, " ")
	for i := 0; safe && i < len(v); i++ {
		safe = v[i] >= 0x20 && v[i] < 0x7f && v[i] != '%'
	}
	if safe {
		return v
	}
	return url.PathEscape(v)
}

func unescape(v string) (string, error) { return url.PathUnescape(v) }

// pubAck is the server's reply to a publish or to a batch commit.
type pubAck struct {
	Stream    string              `json:"stream"`
	Seq       uint64              `json:"seq"`
	Duplicate bool                `json:"duplicate"`
	Count     int                 `json:"count"`
	Error     *jetstream.APIError `json:"error"`
}

func parseAck(reply *nats.Msg) (pubAck, error) {
	var a pubAck
	if len(reply.Data) == 0 {
		return a, errors.New("empty publish acknowledgement")
	}
	if err := json.Unmarshal(reply.Data, &a); err != nil {
		return a, fmt.Errorf("bad publish acknowledgement %q: %w", reply.Data, err)
	}
	if a.Error != nil {
		return a, a.Error
	}
	if a.Seq == 0 {
		return a, fmt.Errorf("publish acknowledgement without sequence: %q", reply.Data)
	}
	return a, nil
}

// head is what an append needs to know about the last message of a subject.
type head struct {
	seq     uint64 // stream sequence, 0 if the subject is empty
	version uint64 // its stream version, 0 if empty
	msgID   string
}

// lastOf reads the subject's last message through the stream leader
// ($JS.API.STREAM.MSG.GET). Direct get is deliberately not used: on a
// replicated stream a follower may answer from behind, and an Append would
// then report a false conflict right after its own write.
func (s *Store) lastOf(ctx context.Context, subject string) (head, error) {
	req, _ := json.Marshal(map[string]string{"last_by_subj": subject})
	var reply *nats.Msg
	err := s.attempt(ctx, apiTimeout, func(ctx context.Context) (err error) {
		reply, err = s.nc.RequestWithContext(ctx, "$JS.API.STREAM.MSG.GET."+s.cfg.StreamName, req)
		return err
	})
	if err != nil {
		return head{}, err
	}
	var resp struct {
		Error   *jetstream.APIError `json:"error"`
		Message *struct {
			Seq    uint64 `json:"seq"`
			Header []byte `json:"hdrs"`
		} `json:"message"`
	}
	if err := json.Unmarshal(reply.Data, &resp); err != nil {
		return head{}, fmt.Errorf("bad message get response: %w", err)
	}
	switch {
	case resp.Error != nil && resp.Error.ErrorCode == codeNoMessageFound:
		return head{}, nil
	case resp.Error != nil:
		return head{}, resp.Error
	case resp.Message == nil:
		return head{}, errors.New("message get response without message")
	}
	h, err := nats.DecodeHeadersMsg(resp.Message.Header)
	if err != nil {
		return head{}, fmt.Errorf("message %d: %w", resp.Message.Seq, err)
	}
	v, err := strconv.ParseUint(h.Get(hdrVersion), 10, 64)
	if err != nil {
		return head{}, fmt.Errorf("message %d on %q has no valid %s header: %w", resp.Message.Seq, subject, hdrVersion, err)
	}
	return head{seq: resp.Message.Seq, version: v, msgID: h.Get(hdrMsgID)}, nil
}

// apiCode returns the JetStream error code inside err, or 0.
func apiCode(err error) jetstream.ErrorCode {
	var ae *jetstream.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode
	}
	return 0
}

// transient reports errors after which the same request may simply be sent
// again: no server answered, the answer timed out, the connection is being
// re-established, or the cluster is electing a leader. A timed-out publish
// may have landed; resending it is safe because every append carries its
// expected-sequence check and Nats-Msg-Id.
func transient(err error) bool {
	switch {
	case errors.Is(err, errFailover), errors.Is(err, errAttemptTimeout),
		errors.Is(err, nats.ErrNoResponders), errors.Is(err, nats.ErrTimeout),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrConnectionReconnecting),
		errors.Is(err, nats.ErrReconnectBufExceeded), errors.Is(err, jetstream.ErrNoStreamResponse):
		return true
	}
	switch apiCode(err) {
	case codeClusterNotAvailable, codeClusterNotLeader, codeBatchIncomplete, codeBatchTooManyInflight:
		return true
	}
	return false
}
