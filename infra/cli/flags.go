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
	repeated                 bool // every occurrence is kept
}

// flagEvent is one flag as given on the command line, by its long name.
// Commands whose flags relate by position (can-i-deploy's --pacticipant
// and the --version that follows it) read them in order from flagSet.seq.
type flagEvent struct{ name, value string }

// positional describes a command's arguments that are not flags.
type positional struct {
	name, usage string
	required    bool
	values      *[]string
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
	seq    []flagEvent     // every flag given, in command-line order
	args   *positional     // nil: the command takes no arguments
	checks []func() error  // run after parsing; an error is a usage error
	getenv func(string) (string, bool)
}

func newFlagSet(name string, getenv func(string) (string, bool)) *flagSet {
	f := &flagSet{name: name, fs: flag.NewFlagSet(name, flag.ContinueOnError), set: map[string]bool{}, getenv: getenv}
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
func (f *flagSet) Bool(p *bool, long, usage string) { f.BoolShort(p, long, "", usage) }

// BoolShort registers a boolean flag with a one-letter alias.
func (f *flagSet) BoolShort(p *bool, long, short, usage string) {
	f.fs.BoolVar(p, long, false, usage)
	if short != "" {
		f.fs.BoolVar(p, short, false, usage)
	}
	f.infos = append(f.infos, flagInfo{long: long, short: short, usage: usage, isBool: true})
}

// List registers a repeatable string flag: each occurrence appends to *p.
func (f *flagSet) List(p *[]string, long, short, usage string) {
	f.list(flagInfo{long: long, short: short, usage: usage, repeated: true}, p)
}

// RequiredList is List for a flag that must be given at least once.
func (f *flagSet) RequiredList(p *[]string, long, short, usage string) {
	f.list(flagInfo{long: long, short: short, usage: usage, repeated: true, required: true}, p)
}

func (f *flagSet) list(info flagInfo, p *[]string) {
	f.fs.Var(listValue{p}, info.long, info.usage)
	if info.short != "" {
		f.fs.Var(listValue{p}, info.short, info.usage)
	}
	f.infos = append(f.infos, info)
}

// Args lets the command take arguments that are not flags (before, between
// or after the flags); name is their placeholder in the usage text.
func (f *flagSet) Args(p *[]string, name, usage string, required bool) {
	f.args = &positional{name: name, usage: usage, required: required, values: p}
}

// check adds a validation that runs once the flags are parsed; its error
// is reported as a usage error.
func (f *flagSet) check(fn func() error) { f.checks = append(f.checks, fn) }

// allowOutput lets --output also take the given values.
func (f *flagSet) allowOutput(values ...string) {
	f.common.outputs = append(f.common.outputs, values...)
}

// outputFormats replaces the values --output accepts, its default and its
// help text.
func (f *flagSet) outputFormats(def, usage string, values ...string) {
	f.common.output, f.common.outputs = def, values
	for i := range f.infos {
		if f.infos[i].long == "output" {
			f.infos[i].def, f.infos[i].usage = def, usage
		}
	}
}

// listValue is a repeatable string flag.
type listValue struct{ p *[]string }

func (l listValue) String() string {
	if l.p == nil {
		return ""
	}
	return strings.Join(*l.p, ",")
}

func (l listValue) Set(s string) error {
	*l.p = append(*l.p, s)
	return nil
}

// recorded wraps a flag's value to append each occurrence to flagSet.seq.
type recorded struct {
	flag.Value
	long string
	f    *flagSet
}

func (r recorded) Set(s string) error {
	if err := r.Value.Set(s); err != nil {
		return err
	}
	r.f.seq = append(r.f.seq, flagEvent{r.long, s})
	return nil
}

// IsBoolFlag keeps a wrapped boolean flag value-less.
func (r recorded) IsBoolFlag() bool {
	b, ok := r.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// changed reports whether the flag (by long name) was on the command line.
func (f *flagSet) changed(long string) bool { return f.set[long] }

// parse parses args (flags and, for commands that take them, positional
// arguments in any order), then checks required flags and arguments,
// leftovers, --output and the command's own checks. It returns errHelp for
// -h/--help.
func (f *flagSet) parse(args []string) error {
	aliases := map[string]string{}
	for _, in := range f.infos {
		if in.short != "" {
			aliases[in.short] = in.long
		}
	}
	f.fs.VisitAll(func(fl *flag.Flag) {
		long := fl.Name
		if l, ok := aliases[fl.Name]; ok {
			long = l
		}
		fl.Value = recorded{fl.Value, long, f}
	})
	// Go's flag package stops at the first argument that is not a flag;
	// take it as a positional argument and go on with the rest.
	rest := f.bareOptionals(args)
	for {
		if err := f.fs.Parse(rest); err != nil {
			return err
		}
		if f.fs.NArg() == 0 {
			break
		}
		if f.args == nil {
			return fmt.Errorf("unexpected argument %q", f.fs.Arg(0))
		}
		if consumed := len(rest) - f.fs.NArg(); consumed > 0 && rest[consumed-1] == "--" {
			*f.args.values = append(*f.args.values, f.fs.Args()...) // after --, all are arguments
			break
		}
		*f.args.values = append(*f.args.values, f.fs.Arg(0))
		rest = f.fs.Args()[1:]
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
	if f.args != nil && f.args.required && len(*f.args.values) == 0 {
		missing = append(missing, "<"+f.args.name+">")
	}
	if len(missing) > 0 {
		return errors.New("the following required arguments were not provided: " + strings.Join(missing, ", "))
	}
	if !slices.Contains(f.common.outputs, f.common.output) {
		return fmt.Errorf("--output must be one of %s, not %q", strings.Join(f.common.outputs, ", "), f.common.output)
	}
	for _, check := range f.checks {
		if err := check(); err != nil {
			return err
		}
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
	fmt.Fprintf(w, "%s\n\nUsage: pactledger %s [flags]%s\n", summary, f.name, f.argsUsage())
	if f.args != nil {
		fmt.Fprintf(w, "\nArguments:\n  <%s>...  %s\n", f.args.name, f.args.usage)
	}
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
			if in.repeated {
				text += " (repeatable)"
			}
			if in.def != "" {
				text += " [default: " + in.def + "]"
			}
			fmt.Fprintf(w, "  %-*s  %s\n", width, names[i], text)
		}
	}
}

// argsUsage is the positional part of the usage line.
func (f *flagSet) argsUsage() string {
	if f.args == nil {
		return ""
	}
	return " <" + f.args.name + ">..."
}
