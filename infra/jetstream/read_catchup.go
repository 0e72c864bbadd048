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

// A catch-up asks for catchUpFirstBatch messages first, then keeps as many
// asked for (requested and not yet received) as fit catchUpBatchBytes at
// the largest message size since its previous request, between
// catchUpMinBatch and catchUpMaxBatch (catchUpInFlight): it asks for more
// once half of them have arrived, so that the server's consumer always has
// a request to deliver to while the reader works through what it sent. (A
// single request at a time left the consumer idle while the reader took in
// the end of each batch.) The server pushes what is asked as fast as it
// can; this bounds what it buffers for a slow reader.
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
// Two or three pull requests may wait at once: the server hands their
// messages out in turn, but its one consumer delivers them in
// consumer-sequence order on the one connection, so the catch-up counts
// messages, not requests. The server refuses a no-wait request at once
// with "408 Requests Pending" when the requests before it already ask for
// every message left (near the end of the stream); that status can come
// before their messages, and only takes the refused request's count off.
// Otherwise a no-wait request ends with a 404 or 408 status only when the
// consumer has nothing left to deliver, and after every message it
// delivered before (one queue carries both), so the first such status for
// any of its requests ends the catch-up.
//
// fn runs on the reading goroutine while the server goes on pushing what
// was asked for. If fn holds it up past the server's write deadline (10 s),
// or the server buffers more than its max_pending for the connection, the
// server closes the connection: the catch-up then fails where it stands and
// SubscribeAll goes on with the ordered consumer, so it costs speed, not
// records. After the first request it keeps about catchUpBatchBytes (at
// least one message) asked for, under both; the first asks for
// catchUpFirstBatch messages whatever their size, so a log that opens with
// many events near the 8 MiB limit may take the fallback.
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
	return s.readCatchUp(ctx, after, false, fn)
}

// readCatchUp is catchUp; with borrow, each record's Data aliases the
// connection's read buffer where the message fits it (valid until fn
// returns) instead of a copy.
func (s *Store) readCatchUp(ctx context.Context, after uint64, borrow bool, fn func(events.Record) error) (last uint64, fnErr, err error) {
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
	rc.lend = borrow
	stop := context.AfterFunc(ctx, rc.close)
	defer stop()

	next := "$JS.API.CONSUMER.MSG.NEXT." + s.cfg.StreamName + "." + cons.CachedInfo().Name
	dec := newRawDecoder(s)
	var cseq uint64 // consumer sequence of the last message
	var req []byte
	var asked []int  // messages asked for by each request; request k replies to inbox.k
	outstanding := 0 // messages asked for and not yet received
	largest := 0     // largest message since the last request
	refused := false // a request was refused: ask again once all asked for came
	ask := func(n int) error {
		asked = append(asked, n)
		req = append(req[:0], `{"batch":`...)
		req = strconv.AppendInt(req, int64(n), 10)
		req = append(req, `,"no_wait":true}`...)
		outstanding += n
		largest, refused = 0, false
		return rc.request(next, strconv.Itoa(len(asked)), req)
	}
	if err := ask(catchUpFirstBatch); err != nil {
		return last, nil, err
	}
	for {
		// Ask for more before the messages asked for run out, so that the
		// consumer always has a request to deliver to (see catchUpInFlight).
		// After a refusal the requests before it ask for every message
		// left, so another would be refused too: wait for their messages.
		if limit := catchUpInFlight(largest); largest > 0 && outstanding <= limit/2 && (!refused || outstanding == 0) {
			if err := ask(limit - outstanding); err != nil {
				return last, nil, err
			}
		}
		m, err := rc.next()
		if err != nil {
			return last, nil, err
		}
		h, err := parseRawHeaders(m.hdr)
		if err != nil {
			return last, nil, err
		}
		if h.status != nil {
			k, ours := replyToken(m.subject, rc.inbox, len(asked))
			switch {
			case !ours:
				continue // not an answer to one of ours
			case string(h.status) == "408" && string(h.description) == "Requests Pending":
				// Refused, not the end: the requests before it ask for
				// every message left. It gets none.
				outstanding -= asked[k-1]
				refused = true
				continue
			case string(h.status) == "404", string(h.status) == "408":
				// No message left (or none before the request expired).
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
		outstanding--
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
}

// catchUpInFlight is how many messages a catch-up keeps asked for: as many
// as fit catchUpBatchBytes at the largest size seen since its last request,
// between catchUpMinBatch and catchUpMaxBatch.
func catchUpInFlight(largest int) int {
	return min(max(catchUpBatchBytes/max(largest, 1), catchUpMinBatch), catchUpMaxBatch)
}

// replyToken returns k when subject is inbox + "." + k for a k from 1 to
// requests.
func replyToken(subject []byte, inbox string, requests int) (k int, ok bool) {
	rest, ok := bytes.CutPrefix(subject, []byte(inbox))
	if !ok || len(rest) < 2 || rest[0] != '.' {
		return 0, false
	}
	k, ok = atoi(rest[1:])
	return k, ok && k >= 1 && k <= requests
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
