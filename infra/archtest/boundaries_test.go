package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// inner are the folders that hold pactledger's core; they must stay free of
// infrastructure so that the domain can be tested and reasoned about alone.
var inner = []string{"events", "domain", "commands", "projections", "queries"}

// forbidden are import path prefixes the inner folders must never reach,
// directly or through another package.
var forbidden = []string{
	"github.com/pactledger/pactledger/infra",
	"github.com/pactledger/pactledger/cmd",
	"github.com/labstack/echo",
	"github.com/nats-io/",
	"github.com/kurrent-io/",
	"github.com/EventStore/",
	"github.com/testcontainers/",
}

func TestInnerFoldersImportNoInfrastructure(t *testing.T) {
	for _, dir := range inner {
		t.Run(dir, func(t *testing.T) {
			cmd := exec.Command("go", "list", "-deps", "-test", "-json=ImportPath", "./"+dir+"/...")
			cmd.Dir = "../.."
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list ./%s/...: %v", dir, err)
			}
			dec := json.NewDecoder(strings.NewReader(string(out)))
			seen := 0
			for {
				var pkg struct{ ImportPath string }
				if err := dec.Decode(&pkg); err == io.EOF {
					break
				} else if err != nil {
					t.Fatal(err)
				}
				seen++
				for _, f := range forbidden {
					if strings.HasPrefix(pkg.ImportPath, f) {
						t.Errorf("./%s/... depends on %s", dir, pkg.ImportPath)
					}
				}
			}
			if seen == 0 {
				t.Fatalf("go list found no packages under ./%s", dir)
			}
		})
	}
}
