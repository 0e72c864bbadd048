# pactledger: `make run` starts the server on the embedded store;
# `make test` installs what the tests need and runs every test.

GO               ?= go
PACT_CLI_VERSION := 18.1.2
TOOLS            := $(CURDIR)/.tools
PACT_CLI         := $(TOOLS)/node_modules/@pact-foundation/pact-cli-linux-x64/standalone/pact
export PACT_CLI

.PHONY: build run test tools vet bench fuzz clean

build:
	$(GO) build -o bin/pactledger ./cmd/pactledger

run: build
	./bin/pactledger serve

# The official Pact CLI (a static binary shipped in the npm package) for the
# end-to-end tests.
tools: $(PACT_CLI)

$(PACT_CLI):
	mkdir -p $(TOOLS)
	cd $(TOOLS) && npm install --no-audit --no-fund --no-save @pact-foundation/pact-cli@$(PACT_CLI_VERSION)
	test -x $(PACT_CLI)

vet:
	$(GO) mod tidy -diff
	$(GO) vet ./...
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"

test: tools vet
	$(GO) test -count=1 -timeout 30m ./...

# Benchmarks: durable append throughput, replay speed; the event codec,
# projection apply and matrix resolution (compare runs with benchstat); then
# the whole system on a synthetic organisation (cmd/pactbench; a few minutes).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 2000x ./infra/jetstream/
	$(GO) test -run '^$$' -bench . -benchmem ./events/ ./projections/ ./queries/ ./infra/app/
	$(GO) run ./cmd/pactbench -scale medium

# A short fuzzing run of request decoding and name encoding.
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzEncodeName -fuzztime 30s ./events/
	$(GO) test -run '^$$' -fuzz FuzzReadBody -fuzztime 30s ./infra/httpapi/

clean:
	rm -rf bin
