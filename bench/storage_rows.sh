# Rows of bench/run.sh for compact feature storage (sourced; uses its row/ratio/check/fmt helpers).

# Bytes per stored prediction after VACUUM: every partition of prediction_blocks and of prediction_keys
# (the id index) with their TOAST tables and indexes (no other table holds a row per prediction; the drift
# reference's copy of the first reference.size predictions is reported apart), against the one-table
# baseline holding the same rows.
storage_rows() {
  local blocks single reference
  psql "$server/$db" -qAt -c "VACUUM prediction_blocks" -c "VACUUM prediction_keys" -c "VACUUM reference_records" >/dev/null
  psql "$server/$base_db" -qAt -c "VACUUM baseline_single" >/dev/null
  blocks=$(psql "$server/$db" -qAt -c "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits \
    WHERE inhparent IN ('prediction_blocks'::regclass, 'prediction_keys'::regclass)")
  reference=$(psql "$server/$db" -qAt -c "SELECT pg_total_relation_size('reference_records')")
  single=$(psql "$server/$base_db" -qAt -c "SELECT pg_total_relation_size('baseline_single')")
  local per=$("$python" -c "print($blocks / $n_pred)") base=$("$python" -c "print($single / $n_pred)")
  local r=$(ratio "$per" "$base")
  row "bytes per stored prediction (blocks + id index + TOAST + indexes, after VACUUM)" "$(printf '%.1f' "$per")" \
    "$(printf '%.1f (one table)' "$base")" "$r" "≤ 0.75" "$(check "$r <= 0.75")"
  row "  drift reference (reference_records: first 5,000 predictions), bytes per stored prediction" \
    "$(printf '%.1f' "$("$python" -c "print($reference / $n_pred)")")" "" "" "" ""
}

# The drift check's computation (bench/drift_check_bench.cpp) from its Google Benchmark JSON.
drift_check_rows() {
  "$python" - "$1" >>"$results" <<'PY'
import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    ms = b["real_time"] * {"ms": 1.0, "us": 1e-3, "ns": 1e-6}[b["time_unit"]]
    name = b["name"].removeprefix("BM_")
    if name.startswith("DriftCheckCold"):
        print(json.dumps({"figure": "  the same from a cold window (its 10,000 rows collected afresh), ms",
                          "value": f"{ms:.1f}", "baseline": "", "ratio": "", "target": "", "pass": ""}))
    elif name.startswith("DriftCheck"):
        print(json.dumps({"figure": "drift check, ms (window 10,000 + 1,000 new, reference 10,000, 20 numeric + 5 categorical)",
                          "value": f"{ms:.1f}", "baseline": "", "ratio": "", "target": "< 20",
                          "pass": "pass" if ms < 20 else "FAIL"}))
    else:
        extra = f", {b['body_bytes_per_record']:.1f} bytes/record" if "body_bytes_per_record" in b else ""
        print(json.dumps({"figure": f"  {name}, ms{extra}", "value": f"{ms:.2f}", "baseline": "", "ratio": "",
                          "target": "", "pass": ""}))
PY
}
