package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// output writes a command's results in the chosen --output format.
type output struct {
	w      io.Writer
	format string // text, json or (create-environment) id
}

// isJSON reports whether the user asked for the server's JSON.
func (o *output) isJSON() bool { return o.format == "json" }

func (o *output) printf(format string, args ...any) { fmt.Fprintf(o.w, format+"\n", args...) }

// printJSON prints v compactly on one line, keys sorted (as the pact-broker
// CLI re-serialises responses), HTML characters unescaped.
func (o *output) printJSON(v any) error {
	enc := json.NewEncoder(o.w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("print JSON: %w", err)
	}
	return nil
}

// table prints rows under headers in the pact-broker CLI's box style:
//
//	┌──────┬──────┐
//	│ NAME ┆ TAGS │
//	╞══════╪══════╡
//	│ 1.0  ┆ prod │
//	└──────┴──────┘
func (o *output) table(headers []string, rows [][]string) {
	widths := make([]int, len(headers))
	for i, h := range headers {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	rule := func(left, fill, mid, right string) {
		parts := make([]string, len(widths))
		for i, w := range widths {
			parts[i] = strings.Repeat(fill, w+2)
		}
		fmt.Fprintln(o.w, left+strings.Join(parts, mid)+right)
	}
	line := func(cells []string) {
		parts := make([]string, len(widths))
		for i, w := range widths {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			parts[i] = " " + cell + strings.Repeat(" ", w-utf8.RuneCountInString(cell)) + " "
		}
		fmt.Fprintln(o.w, "│"+strings.Join(parts, "┆")+"│")
	}
	rule("┌", "─", "┬", "┐")
	line(headers)
	if len(rows) > 0 {
		rule("╞", "═", "╪", "╡")
	}
	for i, row := range rows {
		if i > 0 {
			rule("├", "╌", "┼", "┤")
		}
		line(row)
	}
	rule("└", "─", "┴", "┘")
}

// orDash is s, or "-" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
