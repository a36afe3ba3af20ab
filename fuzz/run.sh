#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets of fuzz/ with clang + ASan/UBSan in build-fuzz/ and runs each
# for SECONDS (default 60). Usage: fuzz/run.sh [SECONDS]
#
# Each target runs on build-fuzz/corpus/<target>/, a working copy: the committed seeds of
# fuzz/corpus/<target>/ are copied in before every run (never written to) and what libFuzzer finds
# interesting stays there for the next run. Crash, leak, timeout and out-of-memory inputs land in
# build-fuzz/artifacts/<target>/; logs in build-fuzz/logs/. Exits non-zero when any target found one.
# Reproduce a finding: build-fuzz/fuzz/<target>_fuzz build-fuzz/artifacts/<target>/crash-...
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
jobs="${JOBS:-2}"
build="$here/build-fuzz"
targets=(ingest replay compare http_head)

[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: fuzz/run.sh [SECONDS]" >&2; exit 2; }

"$here/deploy/local/deps.sh" clang libclang-rt-14-dev

# A build dir configured with another compiler cannot switch to clang in place.
if [ -f "$build/CMakeCache.txt" ] && ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++' "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
CC=clang CXX=clang++ cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDRIFTGATE_BUILD_FUZZ=ON -DDRIFTGATE_BUILD_TESTS=OFF -DDRIFTGATE_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]/%/_fuzz}"

mkdir -p "$build/logs"
failed=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  cp "$here/fuzz/corpus/$t/"* "$corpus/"
  dict=()
  [ -f "$here/fuzz/$t.dict" ] && dict=(-dict="$here/fuzz/$t.dict")
  echo "== $t: ${seconds}s on $(ls "$corpus" | wc -l) corpus inputs"
  set +e
  "$build/fuzz/${t}_fuzz" "$corpus" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -max_len=65536 -timeout=30 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$build/logs/$t.log" 2>&1
  rc=$?
  set -e
  log="$build/logs/$t.log"
  cov="$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)"
  runs="$(grep -Eo 'stat::number_of_executed_units:[[:space:]]*[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)"
  speed="$(grep -Eo 'stat::average_exec_per_sec:[[:space:]]*[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)"
  echo "   runs ${runs:-?}, ${speed:-?} exec/s, ${cov:-cov ?}, corpus $(ls "$corpus" | wc -l) inputs, exit $rc"
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    echo "   FINDING: see $log and $artifacts/" >&2
    grep -E 'ERROR: |invariant failed|runtime error|SUMMARY' "$log" | head -n 5 >&2 || true
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no findings"
