package cli

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// defineHistory prints pactledger's audit trail (GET /history): every
// recorded change, oldest first, filtered like the resource. --all follows
// the next links to the end; otherwise one page of --limit entries is
// printed, with the command for the next page.
func defineHistory(fs *flagSet) action {
	var pacticipant, environment, version, from, to, after, limit string
	var types []string
	var all bool
	fs.String(&pacticipant, "pacticipant", "a", "Only the changes of this application")
	fs.String(&environment, "environment", "", "Only the changes in this environment (name or uuid)")
	fs.String(&version, "version", "e", "Only the changes of this version (of --pacticipant, or of any application)")
	fs.List(&types, "type", "", "Only events of this type, e.g. DeploymentRecorded; also comma-separated")
	fs.String(&from, "from", "", "Only changes at or after this RFC 3339 time")
	fs.String(&to, "to", "", "Only changes at or before this RFC 3339 time")
	fs.String(&after, "after", "", "Start after this log position")
	fs.String(&limit, "limit", "", "Entries per page (default 100, at most 1000)")
	fs.Bool(&all, "all", "Follow the pages to the end")
	fs.outputFormats("text", "Output format: text (a timeline) or json (the entries)", "text", "json")
	fs.check(func() error {
		for _, t := range []struct{ name, v string }{{"from", from}, {"to", to}} {
			if _, err := time.Parse(time.RFC3339Nano, t.v); t.v != "" && err != nil {
				return fmt.Errorf("--%s must be an RFC 3339 time such as 2026-11-27T14:00:00Z, not %q", t.name, t.v)
			}
		}
		for _, n := range []struct{ name, v string }{{"after", after}, {"limit", limit}} {
			if _, err := strconv.ParseUint(n.v, 10, 64); n.v != "" && err != nil {
				return fmt.Errorf("--%s must be a whole number, not %q", n.name, n.v)
			}
		}
		return nil
	})
	return func(ctx context.Context, s *session) error {
		q := url.Values{}
		for k, v := range map[string]string{"pacticipant": pacticipant, "environment": environment, "version": version,
			"from": from, "to": to, "after": after, "limit": limit} {
			if v != "" {
				q.Set(k, v)
			}
		}
		for _, t := range types {
			q.Add("type", t)
		}
		target := s.client.path("history")
		if len(q) > 0 {
			target += "?" + q.Encode()
		}
		var entries []any
		for target != "" {
			resp, err := s.client.get(ctx, target)
			if err != nil {
				return err
			}
			page := list(resp, "_embedded", "entries")
			entries = append(entries, page...)
			next := str(resp, "_links", "next", "href")
			if !all {
				if s.out.isJSON() {
					return s.out.printJSON(resp)
				}
				printTimeline(s.out, page)
				if next != "" {
					s.out.printf("… more: pactledger history %s--after %s", historyFlags(q), nextAfter(next))
				}
				return nil
			}
			target = next
		}
		if s.out.isJSON() {
			return s.out.printJSON(map[string]any{"entries": entries})
		}
		printTimeline(s.out, entries)
		return nil
	}
}

// printTimeline prints one line per entry:
// "#7  2026-11-27T13:13:08Z  anonymous  DeploymentRecorded  version 1.0.1 of Foo deployed …".
func printTimeline(o *output, entries []any) {
	if len(entries) == 0 {
		o.printf("No recorded changes match.")
		return
	}
	for _, e := range entries {
		when := str(e, "time")
		if t, err := time.Parse(time.RFC3339Nano, when); err == nil {
			when = t.UTC().Format("2006-01-02T15:04:05Z")
		}
		actor := str(e, "actor")
		if actor == "" {
			actor = "-"
		}
		o.printf("#%-6s %s  %-16s %-24s %s", fmt.Sprint(at(e, "position")), when, actor, str(e, "type"), str(e, "summary"))
	}
}

// historyFlags renders the filters as flags again (without --after), for
// the "more" hint.
func historyFlags(q url.Values) string {
	var b strings.Builder
	for _, k := range []string{"pacticipant", "environment", "version", "from", "to", "limit"} {
		if v := q.Get(k); v != "" {
			fmt.Fprintf(&b, "--%s %s ", k, v)
		}
	}
	for _, t := range q["type"] {
		fmt.Fprintf(&b, "--type %s ", t)
	}
	return b.String()
}

func nextAfter(next string) string {
	u, err := url.Parse(next)
	if err != nil {
		return ""
	}
	return u.Query().Get("after")
}
