#!/usr/bin/env bash
# driftgate `compare --test ks` against scipy.stats.ks_2samp on the same two files of 10^6 values each
# (bench/README.md: always a baseline in the same script). Loading is included on both
# sides: driftgate is timed as a whole process (start, read, parse, test, print); scipy as np.loadtxt of
# both files + ks_2samp inside one Python process (interpreter start and imports excluded). Best of
# REPEATS runs each. Also checks that both report the same statistic and p-value.
# Without loading too: scipy's ks_2samp alone on the loaded arrays against bench/ks_files_bench (the same
# stats::Run driftgate compare makes, on the same files parsed beforehand), when that binary sits in
# bench/ next to DRIFTGATE_BINARY. KS_ROWS_OUT=FILE (env) appends both ratios as bench/run.sh table rows.
#
# usage: bench/compare_vs_scipy.sh [DRIFTGATE_BINARY] [N]
#   DRIFTGATE_BINARY  default /work/main/build/driftgate
#   N                 values per file, default 1000000
#   REPEATS=3 (env)   runs per side
set -euo pipefail

binary=${1:-/work/main/build/driftgate}
n=${2:-1000000}
repeats=${REPEATS:-3}
python=/usr/bin/python3  # Debian's python has scipy and numpy (python3-scipy, python3-numpy: deploy/local/deps.sh)

if [[ ! -x "$binary" ]]; then
  echo "compare_vs_scipy: '$binary' is not an executable; build driftgate first (make build)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Two normal samples, the current one shifted by 0.01 standard deviations: a small drift that puts
# the p-value in kstwo's exact Smirnov-sum region (the costliest one).
"$python" - "$work" "$n" <<'PY'
import sys
import numpy as np
work, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(20261123)
np.savetxt(f"{work}/reference.txt", rng.normal(0.0, 1.0, n), fmt="%.17g")
np.savetxt(f"{work}/current.txt", rng.normal(0.01, 1.0, n), fmt="%.17g")
PY

best_driftgate=""
for ((i = 0; i < repeats; i++)); do
  start=$(date +%s%N)
  "$binary" compare --test ks --reference "$work/reference.txt" --current "$work/current.txt" >"$work/driftgate.json"
  end=$(date +%s%N)
  elapsed=$((end - start))
  if [[ -z "$best_driftgate" || "$elapsed" -lt "$best_driftgate" ]]; then best_driftgate=$elapsed; fi
done

# The test alone: Google Benchmark's best repetition, in seconds ("" when the kernel is not built).
inmemory=""
kernel="$(dirname "$binary")/bench/ks_files_bench"
if [[ -x "$kernel" ]]; then
  DRIFTGATE_BENCH_KS_REFERENCE="$work/reference.txt" DRIFTGATE_BENCH_KS_CURRENT="$work/current.txt" \
    "$kernel" --benchmark_format=json --benchmark_repetitions="$repeats" >"$work/kernel.json" 2>/dev/null
  inmemory=$("$python" -c 'import json,sys
runs=[b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("run_type")=="iteration"]
print(min(b["real_time"] for b in runs) * {"ms":1e-3,"us":1e-6,"ns":1e-9,"s":1.0}[runs[0]["time_unit"]])' "$work/kernel.json")
fi

"$python" - "$work" "$repeats" "$best_driftgate" "$n" "$inmemory" "${KS_ROWS_OUT:-}" <<'PY'
import json
import sys
import time

import numpy as np
import scipy
import scipy.stats

work, repeats, driftgate_ns, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
inmemory, rows_out = (float(sys.argv[5]) if sys.argv[5] else None), sys.argv[6]
best = best_alone = None
for _ in range(repeats):
    start = time.perf_counter()
    a = np.loadtxt(f"{work}/reference.txt")
    b = np.loadtxt(f"{work}/current.txt")
    loaded = time.perf_counter()
    result = scipy.stats.ks_2samp(a, b)
    end = time.perf_counter()
    best = end - start if best is None else min(best, end - start)
    best_alone = end - loaded if best_alone is None else min(best_alone, end - loaded)

with open(f"{work}/driftgate.json") as f:
    ours = json.load(f)
driftgate_s = driftgate_ns / 1e9
print(f"ks, {n} vs {n} values, loading included (best of {repeats}):")
print(f"  driftgate compare : {driftgate_s:8.3f} s   statistic={ours['statistic']!r} p_value={ours['p_value']!r}")
print(f"  scipy {scipy.__version__} ks_2samp: {best:8.3f} s   statistic={result.statistic!r} "
      f"p_value={result.pvalue!r}")
print(f"  ratio scipy/driftgate: {best / driftgate_s:.1f}x (target: > 1, driftgate faster)")
rows = [("ks 10^6 vs 10^6 incl. loading, s (compare vs scipy)", driftgate_s, best)]
if inmemory is not None:
    print(f"  without loading: driftgate stats::Run {inmemory:8.3f} s, scipy ks_2samp alone {best_alone:8.3f} s, "
          f"ratio {best_alone / inmemory:.1f}x")
    rows.append(("ks 10^6 vs 10^6 without loading, s (test alone vs ks_2samp alone)", inmemory, best_alone))
if rows_out:
    with open(rows_out, "a") as out:
        for figure, mine, theirs in rows:
            out.write(json.dumps({"figure": figure, "value": f"{mine:.3f}", "baseline": f"{theirs:.3f} (scipy)",
                                  "ratio": f"{theirs / mine:.1f}x faster", "target": "> 1x",
                                  "pass": "pass" if theirs > mine else "FAIL"}) + "\n")
same = (abs(ours["statistic"] - result.statistic) <= 1e-12
        and abs(ours["p_value"] - result.pvalue) <= 1e-9 * abs(result.pvalue) + 1e-300)
if not same:
    print("  MISMATCH: driftgate and scipy disagree", file=sys.stderr)
    sys.exit(1)
print("  results agree (statistic 1e-12, p-value 1e-9 relative)")
PY
