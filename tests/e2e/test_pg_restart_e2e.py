"""PostgreSQL restart test: the database is stopped and started during ingest. Meanwhile the server
answers 503 with Retry-After (never a crash, never a half-stored batch), /readyz goes 503, and afterwards
it recovers without a restart and has lost nothing that got a 200.

The test runs its own private PostgreSQL (initdb in a temporary folder) so stopping it disturbs no other
test."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from e2e_support import ADMIN_TOKEN, Server, binary_stream, free_port, wait_until

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]


class PrivatePostgres:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="dg-pg-")
        self.port = free_port()
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(self.as_pg + [f"{BIN}/initdb", "-D", f"{self.dir}/data", "-U", "postgres", "--auth=trust",
                                     "-E", "UTF8"], check=True, capture_output=True)
        self.start()
        subprocess.run(["psql", f"postgresql://postgres@127.0.0.1:{self.port}/postgres", "-qAt", "-c",
                        "CREATE DATABASE dg"], check=True, capture_output=True)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/dg"

    def start(self):
        subprocess.run(self.as_pg + [f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w",
                                     "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start"],
                       check=True, capture_output=True)

    def stop(self):
        subprocess.run(self.as_pg + [f"{BIN}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop"],
                       capture_output=True)

    def count(self, sql):
        return int(subprocess.run(["psql", self.url, "-qAt", "-c", sql], check=True, capture_output=True,
                                  text=True).stdout.strip())

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", f"Bearer {ADMIN_TOKEN}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read() or b"null")


def get_status(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def main(binary):
    pg = PrivatePostgres()
    server = None
    try:
        assert subprocess.run([binary, "migrate", "--db", pg.url], capture_output=True).returncode == 0
        server = Server(binary, pg.url)
        model = {"name": "pgr", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.5}],
                 "webhook": {"url": "http://127.0.0.1:9/h"}}
        assert server.call("POST", "/v1/models", model)[0] == 201
        acked, unavailable, other = [], [], []
        stop_client = threading.Event()

        def client():
            k = 0
            while not stop_client.is_set():
                preds, labels = binary_stream(k, k * 100, 100, 0.9)
                while True:
                    status, headers, body = post(server.port, "/v1/models/pgr/predictions", preds)
                    if status == 200:
                        acked.append(k)
                        break
                    if status == 503:
                        unavailable.append(headers.get("Retry-After"))
                        assert headers.get("Content-Type") == "application/problem+json", headers
                    else:
                        other.append((status, body))
                    time.sleep(0.05)  # the database is down: wait a little before resending
                k += 1

        t = threading.Thread(target=client)
        t.start()
        wait_until(lambda: len(acked) >= 10, 60, "10 batches before the outage")
        pg.stop()
        wait_until(lambda: len(unavailable) >= 3, 60, "503 answers during the outage")
        assert get_status(server.port, "/readyz") == 503
        assert get_status(server.port, "/healthz") == 200
        pg.start()
        n = len(acked)
        wait_until(lambda: len(acked) >= n + 10, 60, "ingest resumes after the outage")
        stop_client.set()
        t.join(60)
        assert server.proc.poll() is None, "the server died"
        assert get_status(server.port, "/readyz") == 200
        assert not other, other
        assert all(r is not None for r in unavailable), "503 without Retry-After"
        stored = pg.count("SELECT count(*) FROM predictions")
        assert stored == len(acked) * 100, (stored, len(acked))
        print(f"ok: {len(acked)} batches acknowledged and stored, {len(unavailable)} answered 503 during the outage")
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        pg.destroy()


if __name__ == "__main__":
    main(sys.argv[1])
