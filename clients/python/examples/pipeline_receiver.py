#!/usr/bin/env python3
"""A training pipeline's webhook receiver for driftgate (standard library only).

It verifies each retrain webhook's signature, answers 202 at once (driftgate retries until a 2xx, so a
slow answer would only cause duplicate deliveries), runs the training in a background thread and reports
the run's status back: `running`, then `succeeded` with the new model version, or `failed`.
Deliveries are at-least-once, so `webhook-id` is remembered and a repeat is acknowledged but not re-run.

    DRIFTGATE_URL=http://127.0.0.1:8080 DRIFTGATE_TOKEN=dg_... DRIFTGATE_WEBHOOK_SECRET=whsec_... \
        python3 pipeline_receiver.py --port 9000 --train-command './train.sh'

The token needs the `ingest` scope (status reports). `--train-command` runs with the model name and the
retrain id as arguments; its exit status decides succeeded/failed and its last output line, if any, is
reported as the model version.
"""
from __future__ import annotations

import argparse
import shlex
import http.server
import json
import os
import subprocess
import threading
from typing import Any, Callable, Dict, Mapping, Optional, Set

from driftgate import Client, webhooks

# Training: (model, retrain_id, payload) -> the new model version; raise to report `failed`.
Trainer = Callable[[str, str, Dict[str, Any]], Optional[str]]

_MAX_BODY = 1024 * 1024


class PipelineServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: "tuple[str, int]", secret: str, client: Client, train: Trainer) -> None:
        super().__init__(address, _Handler)
        self.secret = secret
        self.client = client
        self.train = train
        self.seen: Set[str] = set()
        self.lock = threading.Lock()
        self.workers: "list[threading.Thread]" = []

    def accept(self, headers: Mapping[str, str], body: bytes, payload: Dict[str, Any]) -> None:
        """Called with a verified delivery; starts the run unless this webhook-id was seen before."""
        msg_id = headers["webhook-id"]
        with self.lock:
            if msg_id in self.seen:
                return
            self.seen.add(msg_id)
        if payload.get("type") != "retrain.requested":
            return
        worker = threading.Thread(target=self._run, args=(payload,), daemon=True)
        self.workers.append(worker)
        worker.start()

    def _run(self, payload: Dict[str, Any]) -> None:
        model, retrain_id = payload["model"], payload["retrain_id"]
        self.client.report_retrain_status(model, retrain_id, "running")
        try:
            version = self.train(model, retrain_id, payload)
        except Exception:  # any training failure is the run's outcome, reported back
            self.client.report_retrain_status(model, retrain_id, "failed")
            return
        self.client.report_retrain_status(model, retrain_id, "succeeded", model_version=version)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PipelineServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._answer(413)
            return
        body = self.rfile.read(length)
        try:
            payload = webhooks.verify(self.server.secret, self.headers, body)
        except webhooks.WebhookVerificationError:
            # 401 is not 410: driftgate keeps retrying, so fixing the secret here recovers the delivery.
            self._answer(401)
            return
        self.server.accept({k.lower(): v for k, v in self.headers.items()}, body, payload)
        self._answer(202)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


def command_trainer(command: str) -> Trainer:
    def train(model: str, retrain_id: str, payload: Dict[str, Any]) -> Optional[str]:
        done = subprocess.run([*shlex.split(command), model, retrain_id], input=json.dumps(payload), text=True,
                              capture_output=True, check=True)
        lines = done.stdout.strip().splitlines()
        return lines[-1] if lines else None
    return train


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--train-command", required=True)
    args = parser.parse_args()
    client = Client(os.environ["DRIFTGATE_URL"], os.environ["DRIFTGATE_TOKEN"])
    server = PipelineServer((args.bind, args.port), os.environ["DRIFTGATE_WEBHOOK_SECRET"], client,
                            command_trainer(args.train_command))
    server.serve_forever()


if __name__ == "__main__":
    main()
