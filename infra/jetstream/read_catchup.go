package jetstream

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/pactledger/pactledger/events"
)

// A catch-up asks for catchUpFirstBatch messages first, then for as many as
// fit catchUpBatchBytes at the largest message size of the previous batch,
// between catchUpMinBatch and catchUpMaxBatch. The server pushes a batch
// as fast as it can; this bounds what it buffers for a slow reader.
const (
	catchUpFirstBatch = 256
	catchUpMinBatch   = 1
	catchUpMaxBatch   = 4096
	catchUpBatchBytes = 32 << 20
)

// errCatchUpGap reports a message the catch-up consumer should not have
// delivered (a gap or a redelivery); the catch-up stops before it.
var errCatchUpGap = errors.New("catch-up consumer skipped or repeated a message")

// catchUp is the first half of SubscribeAll on the embedded server: it
// passes fn every record after `after` until the server reports the end of
// the stream, and returns the position of the last record it passed.
// SubscribeAll then follows the tail with an ordered consumer starting
// right after that position, so the handover neither skips nor repeats a
// record.
//
// It reads through an ephemeral pull consumer without acknowledgements
// (what the ordered consumer is, minus its client-side machinery), with
// no-wait pull requests on a raw in-process connection (rawConn), and
// parses each message in place: the sequences from the acknowledgement
// subject, the record's fields from the header block, without building
// maps or metadata strings. Every message must carry the next consumer
// sequence and a first delivery; anything else ends the catch-up there.
//
// fn runs on the reading goroutine while the server goes on pushing the
// batch. If fn holds it up past the server's write deadline (10 s), or the
// server buffers more than its max_pending for the connection, the server
// closes the connection: the catch-up then fails where it stands and
// SubscribeAll goes on with the ordered consumer, so it costs speed, not
// records. A later batch asks for about catchUpBatchBytes (at least one
// message), under both; the first asks for catchUpFirstBatch messages
// whatever their size, so a log that opens with many events near the 8 MiB
// limit may take the fallback.
//
// Batched direct gets ($JS.API.DIRECT.GET with "batch", ADR-31) were
// measured and rejected: nats-server 2.15 rebuilds each returned message's
// header block six times over (http.Header.Write per added header), which
// cost more server CPU than the whole client side saved. (They would have
// been safe on a replicated stream: a lagging follower answering them only
// ends a catch-up early, since it holds only committed messages and the
// consumer takes over from the last one passed.)
//
// It returns fn's error unchanged as fnErr; err means the catch-up failed,
// and the caller may go on with the ordered consumer from the returned
// position. Only the embedded server is read this way: the external mode
// (TLS, credentials, reconnects, clusters) keeps the ordered consumer.
func (s *Store) catchUp(ctx context.Context, after uint64, fn func(events.Record) error) (last uint64, fnErr, err error) {
	last = after
	cfg := jetstream.ConsumerConfig{
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		AckPolicy:         jetstream.AckNonePolicy,
		MaxDeliver:        1,
		MemoryStorage:     true,
		Replicas:          1,
		InactiveThreshold: 5 * time.Minute, // the server's sweep, should deleteConsumer not run
	}
	if after > 0 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, after+1
	}
	var cons jetstream.Consumer
	err = s.retrying(ctx, "create consumer", func() error {
		return s.attempt(ctx, apiTimeout, func(ctx context.Context) (err error) {
			cons, err = s.stream.CreateOrUpdateConsumer(ctx, cfg)
			return err
		})
	})
	if err != nil {
		return last, nil, err
	}
	defer s.deleteConsumer(cons)
	rc, err := dialRaw(s.ns)
	if err != nil {
		return last, nil, err
	}
	defer rc.close()
	stop := context.AfterFunc(ctx, rc.close)
	defer stop()

	next := "$JS.API.CONSUMER.MSG.NEXT." + s.cfg.StreamName + "." + cons.CachedInfo().Name
	dec := newRawDecoder(s)
	var cseq uint64 // consumer sequence of the last message
	var req []byte
	batch := catchUpFirstBatch
	for k := 1; ; k++ {
		token := strconv.Itoa(k)
		req = append(req[:0], `{"batch":`...)
		req = strconv.AppendInt(req, int64(batch), 10)
		req = append(req, `,"no_wait":true}`...)
		if err := rc.request(next, token, req); err != nil {
			return last, nil, err
		}
		largest := 0
		for got := 0; got < batch; {
			m, err := rc.next()
			if err != nil {
				return last, nil, err
			}
			h, err := parseRawHeaders(m.hdr)
			if err != nil {
				return last, nil, err
			}
			if h.status != nil {
				if !isReplyTo(m.subject, rc.inbox, token) {
					continue // the end of an earlier request
				}
				switch string(h.status) {
				case "404", "408": // no message left (or none before the request expired)
					return last, nil, nil
				}
				return last, nil, fmt.Errorf("pull request: status %q", m.hdr)
			}
			delivered, sseq, c, ok := parseAckReply(m.reply)
			switch {
			case !ok:
				return last, nil, fmt.Errorf("message without a JetStream reply subject: %q", m.reply)
			case delivered != 1 || c != cseq+1:
				return last, nil, fmt.Errorf("%w: delivery %d, consumer sequence %d after %d", errCatchUpGap, delivered, c, cseq)
			}
			cseq = c
			got++
			largest = max(largest, len(m.subject)+len(m.hdr)+len(m.data))
			if sseq <= last {
				continue // never seen from a fresh consumer; as SubscribeAll
			}
			r, err := dec.record(sseq, m.subject, &h, m.data)
			if err == nil && s.catchUpFault != nil {
				err = s.catchUpFault(sseq)
			}
			if err != nil {
				return last, nil, err
			}
			if err := fn(r); err != nil {
				return last, err, nil
			}
			last = sseq
		}
		batch = min(max(catchUpBatchBytes/max(largest, 1), catchUpMinBatch), catchUpMaxBatch)
	}
}

// isReplyTo reports whether subject is inbox + "." + token.
func isReplyTo(subject []byte, inbox, token string) bool {
	return len(subject) == len(inbox)+1+len(token) && string(subject[:len(inbox)]) == inbox &&
		subject[len(inbox)] == '.' && string(subject[len(inbox)+1:]) == token
}

// parseAckReply reads the delivery count, stream sequence and consumer
// sequence from a JetStream message's reply subject, in either form:
//
//	$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<tm>.<pending>
//	$JS.ACK.<domain>.<account hash>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<tm>.<pending>[.<token>...]
//
// (the token count rules of nats.go's parser).
func parseAckReply(reply []byte) (delivered, sseq, cseq uint64, ok bool) {
	const prefix = "$JS.ACK."
	if !bytes.HasPrefix(reply, []byte(prefix)) {
		return 0, 0, 0, false
	}
	dot := []byte{'.'}
	first := 4 // index of <delivered> in the short form
	switch n := bytes.Count(reply, dot) + 1; {
	case n == 9:
	case n >= 11:
		first = 6
	default:
		return 0, 0, 0, false
	}
	rest := reply
	for range first {
		_, rest, _ = bytes.Cut(rest, dot)
	}
	var tok [3][]byte
	for i := range tok {
		tok[i], rest, _ = bytes.Cut(rest, dot)
	}
	d, ok1 := parseUint(tok[0])
	s, ok2 := parseUint(tok[1])
	c, ok3 := parseUint(tok[2])
	return d, s, c, ok1 && ok2 && ok3
}
