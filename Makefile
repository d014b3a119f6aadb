# Juta: `make run` starts the service, `make test` runs every test.
# Both provision a project-local PostgreSQL when DATABASE_URL is unset.
SHELL := /bin/bash
GO ?= go
FUZZTIME ?= 5000x
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
PROTOC_GEN_GO := google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
PROTOACTOR_DIR = $(shell $(GO) list -m -f '{{.Dir}}' github.com/asynkron/protoactor-go)

.PHONY: run demo sim test test-deps test-go test-faults test-cluster fuzz bench eval eval-dateparser lint openapi-lint build clean proto db ui test-ui mutate

build:
	$(GO) build -o bin/jutad ./cmd/jutad

## run: the service with the real WhatsApp backend (whatsmeow)
run: build
	DATABASE_URL="$$(scripts/db.sh)" JUTA_WHATSAPP=$${JUTA_WHATSAPP:-whatsmeow} bin/jutad

## demo: the service with the in-process WhatsApp simulator and its phone API under /sim,
## on a database of its own (juta_demo) so that demo sessions never meet real ones
demo: build
	DATABASE_URL="$$(scripts/db.sh juta_demo)" JUTA_WHATSAPP=sim bin/jutad

## sim: a standalone simulator that several jutad processes can share
sim: build
	bin/jutad sim --addr $${JUTA_SIM_ADDR:-127.0.0.1:7070}

db:
	@scripts/db.sh

## test: lint (gofmt, vet, tidy, staticcheck), the OpenAPI lint, every Go test with the race detector, each fuzz
## target briefly, then the dashboard's, the fault harness's and the cluster harness's suites as serial steps of
## their own
test: lint openapi-lint test-deps
	export DATABASE_URL="$$(scripts/db.sh)" && $(GO) test -race -count=1 -timeout 25m ./...
	$(MAKE) --no-print-directory fuzz
	$(MAKE) --no-print-directory test-ui
	$(MAKE) --no-print-directory test-faults
	$(MAKE) --no-print-directory test-cluster

## test-deps: what the tests run besides Go (the README's example needs curl and jq)
test-deps:
	@command -v curl >/dev/null && command -v jq >/dev/null || (apt-get update -qq && apt-get install -y -qq curl jq)

## test-faults: the fault harness (PostgreSQL and the simulator behind fault proxies), a few minutes; run it alone
test-faults:
	export DATABASE_URL="$$(scripts/db.sh)" && $(GO) test -tags faults -count=1 -timeout 15m -run '^TestFaults$$' -v ./cmd/jutad/

fuzz:
	scripts/fuzz.sh $(FUZZTIME)

## ui: rebuild the dashboard (typed client from the served OpenAPI document, ui/dist, build stamp)
ui:
	scripts/ui.sh

## test-ui: ui/dist up to date, component tests, browser tests in Chromium against a real jutad (sim)
test-ui:
	scripts/test-ui.sh

## bench: benchmarks that print the figures quoted in issue notes
bench:
	export DATABASE_URL="$$(scripts/db.sh)" && scripts/bench.sh

## mutate: break each guarantee in scripts/mutations.sh in turn and check that its tests fail (not part of test)
mutate:
	export DATABASE_URL="$$(scripts/db.sh)" && scripts/mutate.sh $(ONLY)

## eval: score the action detector on the development sets: one headline per file over every row, breakdowns beside
## (data from EVAL_DIR, else shared/eval beside the repository; EVAL_FLAGS="-misses 50" or "-json")
eval:
	$(GO) run ./cmd/jutad eval $(EVAL_FLAGS)

## eval-dateparser: ai/when beside go-dateparser on the time files, by the start alone (its own module, ai/eval/dateparser)
eval-dateparser:
	cd ai/eval/dateparser && $(GO) run . $(if $(EVAL_DIR),-dir $(abspath $(EVAL_DIR)))

## openapi-lint: the served OpenAPI document through the pinned Redocly CLI (npm, scripts/openapi-lint)
openapi-lint: build
	cd scripts/openapi-lint && npm ci --silent --no-audit --no-fund
	mkdir -p .local && bin/jutad openapi > .local/openapi.json
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true scripts/openapi-lint/node_modules/.bin/redocly \
		lint --config scripts/openapi-lint/redocly.yaml .local/openapi.json whatsapp/sim/openapi.json

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags faults ./cmd/jutad
	$(GO) vet -tags cluster ./cmd/jutad
	$(GO) mod tidy -diff
	GOBIN=$(CURDIR)/bin $(GO) install $(STATICCHECK)
	bin/staticcheck -tags faults ./...

## test-cluster: multi-process cluster mode (three jutad nodes, one simulator, PostgreSQL; etcd for JUTA_CLUSTER=etcd); a serial step of its own
test-cluster:
	@command -v etcd >/dev/null || (apt-get update -qq && apt-get install -y -qq etcd-server)
	export DATABASE_URL="$$(scripts/db.sh)" && $(GO) test -tags cluster -count=1 -timeout 10m -run '^TestCluster' -v ./cmd/jutad/

## proto: regenerate actors/msg from its .proto (needs Debian's protobuf-compiler)
proto:
	command -v protoc >/dev/null || (apt-get update -qq && apt-get install -y -qq protobuf-compiler)
	GOBIN=$(CURDIR)/bin $(GO) install $(PROTOC_GEN_GO)
	PATH=$(CURDIR)/bin:$$PATH protoc -I actors/msg -I $(PROTOACTOR_DIR)/actor \
		--go_out=actors/msg --go_opt=paths=source_relative actors/msg/*.proto

clean:
	rm -rf bin
	@if [ -d .local/pg/data ]; then runuser -u postgres -- pg_ctl -D .local/pg/data stop -m fast 2>/dev/null || pg_ctl -D .local/pg/data stop -m fast || true; fi
	rm -rf .local
