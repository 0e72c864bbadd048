package jetstream

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// rawConn is a minimal NATS client on the embedded server's in-process pipe,
// for pulling a replay's messages from a consumer: it subscribes to the
// subjects under one inbox, publishes requests and hands back each message's
// subject, reply subject, header block and payload as raw bytes. nats.go
// parses every message's headers into a map and copies its subject and reply
// into strings, then the jetstream package splits the reply into metadata
// strings; at a replay's rate that was a third of the process's CPU.
//
// It speaks only what it needs of the client protocol (INFO, CONNECT, PING,
// PONG, SUB, PUB, MSG, HMSG, +OK, -ERR) and has no reconnects, TLS or
// authentication: the embedded server has none of them on its in-process
// connections. Not safe for concurrent use.
type rawConn struct {
	c       net.Conn
	r       *bufio.Reader
	w       *bufio.Writer
	inbox   string
	scratch []byte // the last message's subject and reply
	skip    int    // bytes of the last message still in r's buffer
	lend    bool   // next leaves a payload that fits r's buffer there too
}

// rawReadBuffer is the reader's buffer: a control line must fit in it
// (they are short), and a message that fits is parsed where it lies.
const rawReadBuffer = 1 << 20

// dialRaw connects to ns in process, subscribes to every subject one token
// below a fresh inbox (sid 1) and waits for the server to confirm
// (PING/PONG).
func dialRaw(ns *server.Server) (*rawConn, error) {
	c, err := ns.InProcessConn()
	if err != nil {
		return nil, fmt.Errorf("in-process connection: %w", err)
	}
	rc := &rawConn{c: c, r: bufio.NewReaderSize(c, rawReadBuffer), w: bufio.NewWriterSize(c, 4096), inbox: nats.NewInbox()}
	fail := func(err error) (*rawConn, error) {
		c.Close()
		return nil, fmt.Errorf("in-process connection: %w", err)
	}
	line, err := rc.r.ReadSlice('\n')
	if err != nil {
		return fail(err)
	}
	if !bytes.HasPrefix(line, []byte("INFO ")) {
		return fail(fmt.Errorf("expected INFO, got %q", line))
	}
	fmt.Fprintf(rc.w, "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true,\"protocol\":1,\"lang\":\"go\",\"name\":\"pactledger-replay\"}\r\nSUB %s.* 1\r\nPING\r\n", rc.inbox)
	if err := rc.w.Flush(); err != nil {
		return fail(err)
	}
	for {
		line, err := rc.control()
		switch {
		case err != nil:
			return fail(err)
		case bytes.HasPrefix(line, []byte("PONG")):
			return rc, nil
		case len(line) > 0:
			return fail(fmt.Errorf("unexpected %q during handshake", line))
		}
	}
}

// close closes the connection; a blocked next returns an error.
func (rc *rawConn) close() { rc.c.Close() }

// request publishes payload on subject with reply subject inbox.<token>.
func (rc *rawConn) request(subject, token string, payload []byte) error {
	fmt.Fprintf(rc.w, "PUB %s %s.%s %d\r\n", subject, rc.inbox, token, len(payload))
	rc.w.Write(payload)
	rc.w.WriteString("\r\n")
	return rc.w.Flush()
}

// control reads protocol lines, answering PING and skipping INFO, PONG and
// +OK, until one that is a message, PONG or an error. It returns the line
// without its line end (valid until the next read), or nil after handling a
// line the caller need not see.
func (rc *rawConn) control() ([]byte, error) {
	line, err := rc.r.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, errors.New("protocol line too long")
		}
		return nil, err
	}
	line = bytes.TrimRight(line, "\r\n")
	switch {
	case bytes.HasPrefix(line, []byte("PING")):
		if _, err := rc.w.WriteString("PONG\r\n"); err != nil {
			return nil, err
		}
		return nil, rc.w.Flush()
	case bytes.HasPrefix(line, []byte("-ERR")):
		return nil, fmt.Errorf("server error: %s", line)
	case bytes.HasPrefix(line, []byte("INFO ")), bytes.HasPrefix(line, []byte("+OK")):
		return nil, nil
	}
	return line, nil
}

// rawMsg is one message as it arrived: its subject, reply subject, header
// block (nil if none) and payload. The payload is a buffer of its own
// unless the connection lends it (lend); the rest stays valid only until
// the next call of next.
type rawMsg struct {
	subject, reply, hdr, data []byte
}

// next reads the next message delivered to the subscription. The header
// block of a message that fits the reader's buffer is left there (the
// caller parses it before reading on) and only the payload is copied out,
// unless lend leaves it there too.
func (rc *rawConn) next() (rawMsg, error) {
	if rc.skip > 0 { // the previous message, left in the buffer
		if _, err := rc.r.Discard(rc.skip); err != nil {
			return rawMsg{}, err
		}
		rc.skip = 0
	}
	for {
		line, err := rc.control()
		if err != nil {
			return rawMsg{}, err
		}
		if line == nil || bytes.HasPrefix(line, []byte("PONG")) {
			continue
		}
		subject, reply, hlen, total, err := parseMsgLine(line)
		if err != nil {
			return rawMsg{}, err
		}
		// The line lives in the reader's buffer, which reading on may move
		// or overwrite: copy its parts first.
		rc.scratch = append(append(rc.scratch[:0], subject...), reply...)
		m := rawMsg{subject: rc.scratch[:len(subject):len(subject)], reply: rc.scratch[len(subject):]}
		var b []byte // header block and payload
		if total+2 <= rc.r.Size() {
			if b, err = rc.r.Peek(total + 2); err != nil {
				return rawMsg{}, err
			}
			if string(b[total:]) != "\r\n" {
				return rawMsg{}, fmt.Errorf("message of %d bytes not followed by CRLF", total)
			}
			rc.skip = total + 2
			if rc.lend {
				m.data = b[hlen:total:total]
			} else {
				m.data = make([]byte, total-hlen)
				copy(m.data, b[hlen:total])
			}
		} else {
			b = make([]byte, total)
			if _, err := io.ReadFull(rc.r, b); err != nil {
				return rawMsg{}, err
			}
			crlf := make([]byte, 2)
			if _, err := io.ReadFull(rc.r, crlf); err != nil {
				return rawMsg{}, err
			}
			if string(crlf) != "\r\n" {
				return rawMsg{}, fmt.Errorf("message of %d bytes not followed by CRLF", total)
			}
			m.data = b[hlen:]
		}
		if hlen > 0 {
			m.hdr = b[:hlen:hlen]
		}
		return m, nil
	}
}

// parseMsgLine reads "MSG <subject> <sid> [reply] <size>" or
// "HMSG <subject> <sid> [reply] <header size> <total size>".
func parseMsgLine(line []byte) (subject, reply []byte, hlen, total int, err error) {
	var f [6][]byte
	n := 0
	for rest := line; len(rest) > 0; {
		var field []byte
		field, rest, _ = bytes.Cut(rest, []byte{' '})
		if len(field) == 0 {
			continue
		}
		if n == len(f) {
			n++ // too many: rejected below
			break
		}
		f[n] = field
		n++
	}
	var ok1, ok2 bool
	switch {
	case (n == 4 || n == 5) && string(f[0]) == "MSG":
		total, ok1 = atoi(f[n-1])
		ok2 = true
		if n == 5 {
			reply = f[3]
		}
	case (n == 5 || n == 6) && string(f[0]) == "HMSG":
		hlen, ok1 = atoi(f[n-2])
		total, ok2 = atoi(f[n-1])
		ok2 = ok2 && hlen <= total
		if n == 6 {
			reply = f[3]
		}
	}
	if !ok1 || !ok2 {
		return nil, nil, 0, 0, fmt.Errorf("unexpected protocol line %q", line)
	}
	return f[1], reply, hlen, total, nil
}

// atoi parses a non-negative decimal that fits in an int.
func atoi(b []byte) (int, bool) {
	n, ok := parseUint(b)
	return int(n), ok && n <= math.MaxInt
}
