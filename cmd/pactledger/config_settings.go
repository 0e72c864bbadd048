package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// setting is one serve setting: its flag, its environment variables
// (PACTLEDGER_* first, then the Pact Broker's PACT_BROKER_* name where one
// exists) and where its value came from.
type setting struct {
	name   string // the flag, without dashes
	envs   []string
	usage  string
	secret bool // masked by --print-config
	value  flag.Value
	source string // "default", "flag" or the variable's name
}

// settings is the table every serve setting is declared in; --help, the
// environment, --print-config and the README's table follow it.
type settings struct {
	fs   *flag.FlagSet
	list []*setting
}

func newSettings(command string) *settings {
	fs := flag.NewFlagSet(command, flag.ContinueOnError)
	return &settings{fs: fs}
}

func (s *settings) add(v flag.Value, name, usage string, secret bool, envs ...string) {
	st := &setting{name: name, envs: envs, usage: usage, secret: secret, value: v, source: "default"}
	s.list = append(s.list, st)
	help := usage
	if len(envs) > 0 {
		help += " (env " + strings.Join(envs, ", ") + ")"
	}
	s.fs.Var(v, name, help)
}

func (s *settings) String(p *string, name, def, usage string, envs ...string) {
	*p = def
	s.add((*stringValue)(p), name, usage, false, envs...)
}

// Secret is a string that --print-config masks.
func (s *settings) Secret(p *string, name, usage string, envs ...string) {
	s.add((*stringValue)(p), name, usage, true, envs...)
}

func (s *settings) Bool(p *bool, name string, def bool, usage string, envs ...string) {
	*p = def
	s.add((*boolValue)(p), name, usage, false, envs...)
}

func (s *settings) Int(p *int, name string, def int, usage string, envs ...string) {
	*p = def
	s.add((*intValue)(p), name, usage, false, envs...)
}

func (s *settings) Duration(p *time.Duration, name string, def time.Duration, usage string, envs ...string) {
	*p = def
	s.add((*durationValue)(p), name, usage, false, envs...)
}

// parse applies the environment, then the flags: a flag wins over
// PACTLEDGER_*, which wins over PACT_BROKER_*, which wins over the default.
// An unparsable variable is an error that names it (never its value).
func (s *settings) parse(args []string, lookup func(string) (string, bool)) error {
	for _, st := range s.list {
		for _, env := range st.envs {
			v, ok := lookup(env)
			if !ok {
				continue
			}
			if err := st.value.Set(v); err != nil {
				return fmt.Errorf("environment variable %s: not a valid value for --%s", env, st.name)
			}
			st.source = env
			break
		}
	}
	if err := s.fs.Parse(args); err != nil {
		return err
	}
	s.fs.Visit(func(f *flag.Flag) {
		for _, st := range s.list {
			if st.name == f.Name {
				st.source = "flag"
			}
		}
	})
	if s.fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(s.fs.Args(), " "))
	}
	return nil
}

// maskedSecret replaces a secret's value wherever settings are shown.
const maskedSecret = "********"

// print writes the effective configuration, one setting a line, secrets
// masked.
func (s *settings) print(w io.Writer) {
	width := 0
	for _, st := range s.list {
		width = max(width, len(st.name))
	}
	for _, st := range s.list {
		v := st.value.String()
		if st.secret && v != "" {
			v = maskedSecret
		}
		fmt.Fprintf(w, "%-*s  %-28s  (%s)\n", width, st.name, strconv.Quote(v), st.source)
	}
}

// clientVariables are the pact-broker CLI's own variables: a server started
// from a shell that has them set does not warn about them.
var clientVariables = map[string]bool{"PACT_BROKER_TOKEN": true, "PACT_BROKER_USERNAME": true,
	"PACT_BROKER_PASSWORD": true}

// ignoredVariables returns, sorted, the names of PACT_BROKER_* variables in
// environ that no setting reads (a database URL, say), so serve can say it
// ignores them. Values are never returned: they may be secrets.
func (s *settings) ignoredVariables(environ []string) []string {
	known := map[string]bool{}
	for _, st := range s.list {
		for _, e := range st.envs {
			known[e] = true
		}
	}
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PACT_BROKER_") && !known[name] && !clientVariables[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

type stringValue string

func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }
func (v *stringValue) String() string     { return string(*v) }

type boolValue bool

func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return errors.New("not a boolean")
	}
	*v = boolValue(b)
	return nil
}
func (v *boolValue) String() string   { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) IsBoolFlag() bool { return true }

type intValue int

func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return errors.New("not an integer")
	}
	*v = intValue(n)
	return nil
}
func (v *intValue) String() string { return strconv.Itoa(int(*v)) }

type durationValue time.Duration

func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return errors.New("not a duration")
	}
	*v = durationValue(d)
	return nil
}
func (v *durationValue) String() string { return time.Duration(*v).String() }
