package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// defaultBaseURL is where pactledger serve listens by default.
const defaultBaseURL = "http://127.0.0.1:9292"

// errHelp is returned by parse when -h or --help was given.
var errHelp = flag.ErrHelp

// commonFlags are the connection and output flags every command takes.
type commonFlags struct {
	baseURL, token, username, password string
	output                             string
	outputs                            []string // values --output accepts
}

// flagInfo describes one flag for the usage text and the required check.
type flagInfo struct {
	long, short, usage, def  string
	isBool, required, common bool
	optional                 bool // a bare --flag means ""
}

// flagSet wraps flag.FlagSet with the pact-broker CLI's conventions: long
// --names with optional one-letter aliases, required flags (a missing one is
// a usage error), and defaults from environment variables. Go's flag package
// accepts both -name and --name.
type flagSet struct {
	name   string
	fs     *flag.FlagSet
	infos  []flagInfo
	common commonFlags
	set    map[string]bool // long names given on the command line
}

func newFlagSet(name string, getenv func(string) (string, bool)) *flagSet {
	f := &flagSet{name: name, fs: flag.NewFlagSet(name, flag.ContinueOnError), set: map[string]bool{}}
	f.fs.SetOutput(io.Discard)
	f.fs.Usage = func() {}
	env := func(name, def string) string {
		if v, ok := getenv(name); ok && v != "" {
			return v
		}
		return def
	}
	c := &f.common
	c.outputs = []string{"text", "json"}
	f.add(flagInfo{long: "broker-base-url", short: "b", common: true, def: defaultBaseURL,
		usage: "The base URL of the Pact Broker (env PACT_BROKER_BASE_URL)"}, &c.baseURL, env("PACT_BROKER_BASE_URL", defaultBaseURL))
	f.add(flagInfo{long: "broker-token", short: "k", common: true,
		usage: "Bearer token for the Pact Broker (env PACT_BROKER_TOKEN); wins over username and password"}, &c.token, env("PACT_BROKER_TOKEN", ""))
	f.add(flagInfo{long: "broker-username", short: "u", common: true,
		usage: "Basic auth username for the Pact Broker (env PACT_BROKER_USERNAME)"}, &c.username, env("PACT_BROKER_USERNAME", ""))
	f.add(flagInfo{long: "broker-password", short: "p", common: true,
		usage: "Basic auth password for the Pact Broker (env PACT_BROKER_PASSWORD)"}, &c.password, env("PACT_BROKER_PASSWORD", ""))
	f.add(flagInfo{long: "output", short: "o", common: true, def: "text",
		usage: "Output format: text, or json (the server's response)"}, &c.output, "text")
	return f
}

// add registers a string flag and its alias.
func (f *flagSet) add(info flagInfo, p *string, def string) {
	f.fs.StringVar(p, info.long, def, info.usage)
	if info.short != "" {
		f.fs.StringVar(p, info.short, def, info.usage)
	}
	f.infos = append(f.infos, info)
}

// String registers an optional string flag.
func (f *flagSet) String(p *string, long, short, usage string) {
	f.add(flagInfo{long: long, short: short, usage: usage}, p, "")
}

// Required registers a string flag that must be given with a non-empty value.
func (f *flagSet) Required(p *string, long, short, usage string) {
	f.add(flagInfo{long: long, short: short, usage: usage, required: true}, p, "")
}

// Optional registers a string flag whose value may be left out: a bare
// --flag (last, or before another flag) sets "" and counts as given.
func (f *flagSet) Optional(p *string, long, short, usage string) {
	f.add(flagInfo{long: long, short: short, usage: usage, optional: true}, p, "")
}

// Bool registers a boolean flag (--flag, or --flag=false).
func (f *flagSet) Bool(p *bool, long, usage string) {
	f.fs.BoolVar(p, long, false, usage)
	f.infos = append(f.infos, flagInfo{long: long, usage: usage, isBool: true})
}

// allowOutput lets --output also take the given values.
func (f *flagSet) allowOutput(values ...string) {
	f.common.outputs = append(f.common.outputs, values...)
}

// changed reports whether the flag (by long name) was on the command line.
func (f *flagSet) changed(long string) bool { return f.set[long] }

// parse parses args and checks required flags, leftovers and --output. It
// returns errHelp for -h/--help.
func (f *flagSet) parse(args []string) error {
	if err := f.fs.Parse(f.bareOptionals(args)); err != nil {
		return err
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", f.fs.Arg(0))
	}
	aliases := map[string]string{}
	for _, in := range f.infos {
		if in.short != "" {
			aliases[in.short] = in.long
		}
	}
	f.fs.Visit(func(fl *flag.Flag) {
		if long, ok := aliases[fl.Name]; ok {
			f.set[long] = true
		} else {
			f.set[fl.Name] = true
		}
	})
	var missing []string
	for _, in := range f.infos {
		if in.required && strings.TrimSpace(f.fs.Lookup(in.long).Value.String()) == "" {
			missing = append(missing, "--"+in.long)
		}
	}
	if len(missing) > 0 {
		return errors.New("the following required arguments were not provided: " + strings.Join(missing, ", "))
	}
	if !slices.Contains(f.common.outputs, f.common.output) {
		return fmt.Errorf("--output must be one of %s, not %q", strings.Join(f.common.outputs, ", "), f.common.output)
	}
	return nil
}

// bareOptionals rewrites a value-less optional flag to --flag=.
func (f *flagSet) bareOptionals(args []string) []string {
	out := append([]string(nil), args...)
	for i, a := range out {
		if i+1 < len(out) && !strings.HasPrefix(out[i+1], "-") {
			continue
		}
		name := strings.TrimLeft(a, "-")
		for _, in := range f.infos {
			if in.optional && strings.HasPrefix(a, "-") && (name == in.long || (in.short != "" && name == in.short)) {
				out[i] = a + "="
			}
		}
	}
	return out
}

// usage prints the command's summary and flags, its own first.
func (f *flagSet) usage(w io.Writer, summary string) {
	fmt.Fprintf(w, "%s\n\nUsage: pactledger %s [flags]\n", summary, f.name)
	names := make([]string, len(f.infos))
	width := 0
	for i, in := range f.infos {
		names[i] = "    --" + in.long
		if in.short != "" {
			names[i] = "-" + in.short + ", --" + in.long
		}
		placeholder := strings.ToUpper(strings.ReplaceAll(in.long, "-", "_"))
		switch {
		case in.optional:
			names[i] += " [" + placeholder + "]"
		case !in.isBool:
			names[i] += " <" + placeholder + ">"
		}
		width = max(width, len(names[i]))
	}
	for _, common := range []bool{false, true} {
		if common {
			fmt.Fprintln(w, "\nConnection and output:")
		} else {
			fmt.Fprintln(w, "\nFlags:")
		}
		for i, in := range f.infos {
			if in.common != common {
				continue
			}
			text := in.usage
			if in.required {
				text += " (required)"
			}
			if in.def != "" {
				text += " [default: " + in.def + "]"
			}
			fmt.Fprintf(w, "  %-*s  %s\n", width, names[i], text)
		}
	}
}
