#!/usr/bin/env bash
# make sanitize: the whole test suite built with AddressSanitizer + UBSan (CMakePresets.json "asan",
# build-asan/) and run by deploy/local/test.sh on a template database of its own (driftgate_test_asan),
# so it can run beside `make test`. Any sanitizer report fails the run: UBSan halts on the first error,
# ASan aborts, and LeakSanitizer reports at exit of every test binary and server.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The e2e tests' time bounds (tests/e2e/e2e_support.py SLOWDOWN) allow for the instrumented server.
export DRIFTGATE_E2E_SLOWDOWN="${DRIFTGATE_E2E_SLOWDOWN:-10}"
"$here/deploy/local/pg.sh" start >/dev/null
cmake --preset asan -S "$here" >/dev/null
cmake --build "$here/build-asan" -j"${JOBS:-2}"
exec "$here/deploy/local/test.sh" build-asan driftgate_test_asan
