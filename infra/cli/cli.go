// Package cli is pactledger's client: the pact-broker CLI's commands for
// environments, deployments, releases, versions, publishing pacts and
// can-i-deploy/can-i-merge, with the same flag names, the same HTTP flows
// and the same messages. It talks to any Pact Broker-compatible server,
// pactledger's own by default (http://127.0.0.1:9292).
//
// Results go to stdout; errors go to stderr, one "❌ " line per message.
// Exit codes are the pact-broker CLI's: 0 success, 1 a handled error (the
// server said no, or could not be reached), 2 a usage error.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// Exit codes, as the pact-broker CLI uses them.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// action runs a parsed command.
type action func(ctx context.Context, s *session) error

// command is one subcommand. define registers the command's own flags on fs
// and returns the action to run once the arguments are parsed.
type command struct {
	name    string
	summary string
	define  func(fs *flagSet) action
}

// registry lists every subcommand; help prints them in this order.
var registry = []command{
	{"create-environment", "Create an environment resource in the Pact Broker to represent a real world deployment or release environment", defineCreateEnvironment},
	{"update-environment", "Update an environment resource in the Pact Broker", defineUpdateEnvironment},
	{"delete-environment", "Delete an environment", defineDeleteEnvironment},
	{"list-environments", "List environments", defineListEnvironments},
	{"describe-environment", "Describe an environment", defineDescribeEnvironment},
	{"record-deployment", "Record deployment of a pacticipant version to an environment", defineRecordDeployment},
	{"record-undeployment", "Record undeployment of a pacticipant from an environment", defineRecordUndeployment},
	{"record-release", "Record release of a pacticipant version to an environment", defineRecordRelease},
	{"record-support-ended", "Record the end of support for a pacticipant version in an environment", defineRecordSupportEnded},
	{"describe-version", "Describe a pacticipant version, the latest one, or the versions in an environment", withAt(defineDescribeVersion)},
	{"create-or-update-version", "Create or update a pacticipant version, optionally on a branch or with a tag", defineCreateOrUpdateVersion},
	{"publish", "Publishes pacts to the Pact Broker", definePublish},
	{"publish-provider-contract", "Publish provider contract to PactFlow-compatible brokers (pact pactflow publish-provider-contract)", definePublishProviderContract},
	{"can-i-deploy", "Check if a pacticipant can be deployed", withAt(defineCanIDeploy)},
	{"history", "Show the audit trail: every recorded change, oldest first (pactledger only)", defineHistory},
	{"can-i-merge", "Checks if the specified pacticipant version is compatible with the configured main branch of each of the pacticipants with which it is integrated", defineCanIMerge},
}

func lookup(name string) (command, bool) {
	for _, c := range registry {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// Run runs one client command and returns the process exit code. args are
// the arguments after the program name: the command, then its flags.
// Environment variables (PACT_BROKER_BASE_URL, PACT_BROKER_TOKEN,
// PACT_BROKER_USERNAME, PACT_BROKER_PASSWORD) give the defaults of the
// connection flags.
func Run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return run(ctx, args, stdout, stderr, os.LookupEnv)
}

// run is Run with its context and environment injected, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) int {
	if len(args) == 0 {
		printHelp(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		return runHelp(args[1:], stdout, stderr, getenv)
	}
	args = joinSubcommand(args)
	cmd, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "❌ unknown command %q\n\n", args[0])
		printHelp(stderr)
		return ExitUsage
	}
	fs := newFlagSet(cmd.name, getenv)
	act := cmd.define(fs)
	switch err := fs.parse(args[1:]); {
	case errors.Is(err, errHelp):
		fs.usage(stdout, cmd.summary)
		return ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "error: %v\n\nUsage: pactledger %s [flags]\n\nFor more information, try 'pactledger %[2]s --help'.\n", err, cmd.name)
		return ExitUsage
	}
	s, err := newSession(fs.common, &output{w: stdout, format: fs.common.output}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return ExitUsage
	}
	if err := act(ctx, s); err != nil {
		printError(stderr, err)
		return ExitError
	}
	return ExitOK
}

// runHelp prints the command list, or one command's flags.
func runHelp(args []string, stdout, stderr io.Writer, getenv func(string) (string, bool)) int {
	if len(args) == 0 {
		printHelp(stdout)
		return ExitOK
	}
	args = joinSubcommand(args)
	cmd, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "❌ unknown command %q\n\n", args[0])
		printHelp(stderr)
		return ExitUsage
	}
	fs := newFlagSet(cmd.name, getenv)
	cmd.define(fs)
	fs.usage(stdout, cmd.summary)
	return ExitOK
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Usage: pactledger <command> [flags]")
	fmt.Fprintln(w, "       pactledger serve [flags]    run the server (pactledger serve --help)")
	fmt.Fprintln(w, "       pactledger replay|export|import [flags]    rebuild, back up or restore the log offline (--help)")
	fmt.Fprintln(w, "\nCommands:")
	width := len("help")
	for _, c := range registry {
		width = max(width, len(c.name))
	}
	for _, c := range registry {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-*s  %s\n", width, "help", "Show this list, or a command's flags: pactledger help <command>")
	fmt.Fprintln(w, "\nEvery command takes -b/--broker-base-url (env PACT_BROKER_BASE_URL, default "+defaultBaseURL+"),")
	fmt.Fprintln(w, "-k/--broker-token, -u/--broker-username, -p/--broker-password and -o/--output text|json")
	fmt.Fprintln(w, "(can-i-deploy and can-i-merge: -o table|json).")
}

// errReported makes run exit 1 without printing anything more: the action
// has already reported the failure.
var errReported = errors.New("failure already reported")

// reportError is a failure whose text is laid out already, ❌ markers
// included; printError writes it as it is.
type reportError struct{ text string }

func (e *reportError) Error() string { return e.text }

// printError writes every line of err's message with the ❌ marker.
func printError(w io.Writer, err error) {
	var report *reportError
	switch {
	case errors.Is(err, errReported):
		return
	case errors.As(err, &report):
		fmt.Fprint(w, strings.TrimRight(report.text, "\n")+"\n")
		return
	}
	for _, line := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
		fmt.Fprintln(w, "❌ "+line)
	}
}

// session is one command's connection and output. stderr is for the few
// commands that report a failure and still go on (can-i-deploy with
// several environments).
type session struct {
	client *client
	out    *output
	stderr io.Writer
}

func newSession(c commonFlags, stdout *output, stderr io.Writer) (*session, error) {
	cl, err := newClient(c)
	if err != nil {
		return nil, err
	}
	return &session{client: cl, out: stdout, stderr: stderr}, nil
}

// environmentByName finds an environment through the index's
// pb:environments list and returns its full resource.
func (s *session) environmentByName(ctx context.Context, name string) (any, error) {
	href, err := s.client.relation(ctx, "pb:environments", nil)
	if err != nil {
		return nil, err
	}
	envs, err := s.client.get(ctx, href)
	if err != nil {
		return nil, err
	}
	for _, e := range list(envs, "_embedded", "environments") {
		if str(e, "name") == name {
			return s.client.get(ctx, s.client.path("environments", str(e, "uuid")))
		}
	}
	return nil, fmt.Errorf("Environment %s not found", name)
}

// environmentLink is the href of rel on an environment resource, trying the
// relation names in order.
func (s *session) environmentLink(env any, rels ...string) (string, bool) {
	for _, rel := range rels {
		if href := str(env, "_links", rel, "href"); href != "" {
			return href, true
		}
	}
	return "", false
}
