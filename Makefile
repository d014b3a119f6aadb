# Juta: `make run` starts the service, `make test` runs every test.
# Both provision a project-local PostgreSQL when DATABASE_URL is unset.
SHELL := /bin/bash
GO ?= go
FUZZTIME ?= 5000x
PROTOC_GEN_GO := google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
PROTOACTOR_DIR = $(shell $(GO) list -m -f '{{.Dir}}' github.com/asynkron/protoactor-go)

.PHONY: run demo sim test test-go test-faults fuzz bench eval lint build clean proto db

EVAL_DIR ?= ../shared/eval

build:
	$(GO) build -o bin/jutad ./cmd/jutad

## run: the service with the real WhatsApp backend (whatsmeow)
run: build
	DATABASE_URL="$$(scripts/db.sh)" JUTA_WHATSAPP=$${JUTA_WHATSAPP:-whatsmeow} bin/jutad

## demo: the service with the in-process WhatsApp simulator and its phone API under /sim
demo: build
	DATABASE_URL="$$(scripts/db.sh)" JUTA_WHATSAPP=sim bin/jutad

## sim: a standalone simulator that several jutad processes can share
sim: build
	bin/jutad sim --addr $${JUTA_SIM_ADDR:-127.0.0.1:7070}

db:
	@scripts/db.sh

## test: vet, every test with the race detector, then each fuzz target briefly
test: lint
	export DATABASE_URL="$$(scripts/db.sh)" && $(GO) test -race -count=1 -timeout 20m ./...
	$(MAKE) --no-print-directory fuzz

## test-faults: the fault harness (PostgreSQL and the simulator behind fault proxies), a few minutes; run it alone
test-faults:
	export DATABASE_URL="$$(scripts/db.sh)" && $(GO) test -tags faults -count=1 -timeout 15m -run '^TestFaults$$' -v ./cmd/jutad/

fuzz:
	scripts/fuzz.sh $(FUZZTIME)

## bench: benchmarks that print the figures quoted in issue notes
bench:
	export DATABASE_URL="$$(scripts/db.sh)" && scripts/bench.sh

## eval: score the action detector on the public development sets (JSON per file)
eval:
	$(GO) run ./cmd/jutad eval $(EVAL_DIR)/*.jsonl

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

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
