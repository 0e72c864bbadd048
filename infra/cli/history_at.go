package cli

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// withAt adds --at to a read-only command: every GET it sends then carries
// at=<time> (or position=<n> when the value is a whole number), and
// pactledger answers from the log as it was then. Other brokers ignore the
// parameter, so the flag only makes sense against pactledger.
func withAt(define func(fs *flagSet) action) func(fs *flagSet) action {
	return func(fs *flagSet) action {
		var at string
		fs.String(&at, "at", "", "Answer as the broker would have then: an RFC 3339 time (2026-11-27T14:00:00Z) or a log position (pactledger only)")
		act := define(fs)
		fs.check(func() error {
			_, err := asOfParam(at)
			return err
		})
		return func(ctx context.Context, s *session) error {
			s.client.asOf, _ = asOfParam(at)
			return act(ctx, s)
		}
	}
}

// asOfParam turns an --at value into its query parameter ("" for none).
func asOfParam(at string) (string, error) {
	at = strings.TrimSpace(at)
	if at == "" {
		return "", nil
	}
	if _, err := strconv.ParseUint(at, 10, 64); err == nil {
		return "position=" + at, nil
	}
	if _, err := time.Parse(time.RFC3339Nano, at); err != nil {
		return "", fmt.Errorf("--at must be an RFC 3339 time such as 2026-11-27T14:00:00Z or a log position, not %q", at)
	}
	return "at=" + url.QueryEscape(at), nil
}

// timeTravel adds the --at parameter to a GET's URL.
func (c *client) timeTravel(target string) string {
	if c.asOf == "" {
		return target
	}
	if strings.Contains(target, "?") {
		return target + "&" + c.asOf
	}
	return target + "?" + c.asOf
}
