"""driftgate on a Citus cluster (deploy/citus/cluster.sh: a coordinator and two workers).

After `driftgate migrate` on the coordinator:
  * the per-model tables are distributed by model_id in one co-location group, the small shared ones are
    reference tables, the outbox stays on the coordinator (citus_tables, db/citus.h);
  * partitions created later (driftgate_ensure_partitions) are distributed as they are created;
  * the end-to-end gate test (tests/e2e/test_gate_e2e.py: two `driftgate serve` processes, concurrent label
    batches, exactly one retrain decided, one outbox row, one webhook) passes against the coordinator.

  python3 test_citus.py BINARY COORDINATOR_URL
"""
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import test_gate_e2e  # noqa: E402
from e2e_support import Server  # noqa: E402

PER_MODEL = ["decisions", "drift_events", "estimated_metrics", "eval_queue", "labels", "metrics", "model_drift",
             "model_features", "model_state", "prediction_blocks", "prediction_keys", "record_keys",
             "reference_records", "retrains", "segment_windows"]
REFERENCE = ["audit_log", "grid_forecast", "models", "tokens"]


def psql(url, sql):
    return subprocess.run(["psql", url, "-qAt", "-F", "|", "-c", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def check_layout(url):
    rows = psql(url, "SELECT table_name::text, citus_table_type, distribution_column, colocation_id "
                     "FROM citus_tables ORDER BY 1").splitlines()
    layout = {r.split("|")[0]: r.split("|")[1:] for r in rows}
    colocation = {layout[t][2] for t in PER_MODEL if t in layout}
    for t in PER_MODEL:
        assert t in layout and layout[t][:2] == ["distributed", "model_id"], (t, layout.get(t))
    assert len(colocation) == 1, f"per-model tables in several co-location groups: {colocation}"
    for t in REFERENCE:
        assert t in layout and layout[t][0] == "reference", (t, layout.get(t))
    assert "outbox" not in layout and "schema_migrations" not in layout, "outbox left the coordinator"
    workers = psql(url, "SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name = 'metrics'::regclass")
    assert workers == "2", f"metrics shards on {workers} nodes"
    return len(rows)


def check_new_partitions(url):
    psql(url, "SELECT driftgate_ensure_partitions(current_date + 40, current_date + 40)")
    name = psql(url, "SELECT 'labels_p' || to_char(current_date + 40, 'YYYYMMDD')")
    kind = psql(url, f"SELECT citus_table_type FROM citus_tables WHERE table_name = '{name}'::regclass")
    assert kind == "distributed", f"new partition {name}: {kind!r}"


class CoordinatorDatabase:
    """Stands in for e2e_support.FreshDatabase: the coordinator's migrated database (a Citus database cannot
    be cloned from a template: its shards live on the workers)."""

    url = None

    def __init__(self):
        self.url = CoordinatorDatabase.url

    def scalar(self, sql):
        return psql(self.url, sql)

    def drop(self):
        pass


class LoggedServer(Server):
    """e2e_support.Server whose errors are shown as they happen (its output is otherwise only read on exit)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        def drain():
            for line in self.proc.stdout:
                text = line.decode(errors="replace")
                if " error " in text or "ERROR" in text:
                    sys.stderr.write(text)
        threading.Thread(target=drain, daemon=True).start()


def main(binary, url):
    tables = check_layout(url)
    check_new_partitions(url)
    CoordinatorDatabase.url = url
    test_gate_e2e.FreshDatabase = CoordinatorDatabase
    test_gate_e2e.Server = LoggedServer
    test_gate_e2e.main(binary)
    print(f"ok: citus layout checked ({tables} Citus tables), new partitions distributed, gate e2e on the coordinator")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
