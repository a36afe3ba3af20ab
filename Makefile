# The two commands of driftgate: `make run` and `make test` (README.md). Thin: deploy/local + cmake.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DDRIFTGATE_WARNINGS_AS_ERRORS=ON
PORT ?= 8080
# make run listens on 127.0.0.1; BIND=0.0.0.0 (or DRIFTGATE_BIND) listens on every interface.
BIND ?= $(or $(DRIFTGATE_BIND),127.0.0.1)
FUZZ_SECONDS ?= 60

.PHONY: deps build run test test-scale sanitize bench fuzz pg-start pg-stop clean

deps:
	@deploy/local/deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j$(JOBS)

pg-start:
	@deploy/local/pg.sh start >/dev/null

pg-stop:
	@deploy/local/pg.sh stop

run: build pg-start
	@DRIFTGATE_BIND=$(BIND) deploy/local/run.sh $(BUILD_DIR) $(PORT)

test: build pg-start
	@deploy/local/deps.sh chromium nginx openssl mypy prometheus-alertmanager prometheus clang-format  # the /ui browser test; the TLS proxy test (test_tls_proxy_e2e.py); the Python client type check; the real Alertmanager (test_notify_e2e.py); promtool (test_promtool_metrics_e2e.py)
	@deploy/local/test.sh $(BUILD_DIR)

# driftgate on scale-out engines (PgBouncer, a Patroni HA pair, Citus), each in a throwaway 127.0.0.1 cluster
# (tests/scale/run.sh); CI runs it after `make test`.
test-scale: build pg-start
	@deploy/local/deps.sh pgbouncer patroni etcd-server
	@tests/scale/run.sh $(BUILD_DIR)

# The whole suite under AddressSanitizer + UBSan (build-asan/); CI runs it after `make test`.
sanitize: deps pg-start
	@deploy/local/deps.sh chromium nginx openssl mypy prometheus-alertmanager prometheus clang-format
	@deploy/local/sanitize.sh

bench: deps pg-start
	@cmake -S . -B $(BUILD_DIR)-bench $(CMAKE_FLAGS) -DDRIFTGATE_BUILD_BENCH=ON -DDRIFTGATE_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_DIR)-bench -j$(JOBS)
	@bench/run.sh $(BUILD_DIR)-bench

fuzz:
	@fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-bench build-asan build-fuzz
