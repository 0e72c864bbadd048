// Command pactledger is the event-sourced, Pact Broker-compatible contract
// broker: "pactledger serve" runs the server, and the other subcommands are a
// client for it (and for any Pact Broker) with the pact-broker CLI's flags.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/pactledger/pactledger/infra/cli"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if tool, ok := logTools[args[0]]; ok { // replay, export, import (logtools.go)
			return tool(args[1:], stdout, stderr)
		}
	}
	if len(args) > 0 && args[0] == "serve" {
		if err := serve(args[1:], stdout, stderr); err != nil {
			fmt.Fprintln(stderr, "pactledger serve:", err)
			return 1
		}
		return 0
	}
	return cli.Run(args, stdout, stderr)
}
