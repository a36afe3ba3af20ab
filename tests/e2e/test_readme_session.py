"""README's "A first session", run as written against the real binary: each `curl` of the block is parsed
(method, path, headers, body) and sent to a fresh server with the admin token; every one must answer 2xx
with what the README says (the create shows the webhook secret once, the label joins its prediction),
and every label the session sends carries its `ts` (data time, not arrival time)."""
import http.client
import json
import os
import re
import shlex
import sys

from e2e_support import ADMIN_TOKEN, FreshDatabase, Server

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")


def session_commands():
    """The curl commands of the first ```sh block under "## A first session", each as its argv."""
    text = open(README, encoding="utf-8").read()
    section = text.split("## A first session", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = []
    for token in shlex.split(block.replace("\\\n", " ")):  # bodies may span lines; `curl` starts each
        if token == "curl":
            commands.append([token])
        elif commands:
            commands[-1].append(token)
    return commands


def parse_curl(argv):
    method, url, headers, body = "GET", None, {}, None
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "-X":
            method, i = argv[i + 1], i + 2
        elif a == "-H":
            name, _, value = argv[i + 1].partition(":")
            headers[name.strip()] = value.strip()
            i += 2
        elif a == "-d":
            body, i = argv[i + 1], i + 2
            if method == "GET":
                method = "POST"  # curl -d without -X posts
        elif a.startswith("-"):
            i += 1
        else:
            url, i = a, i + 1
    path = "/" + url.split("/", 1)[1]
    return method, path, headers, body


def main(binary):
    commands = [parse_curl(c) for c in session_commands()]
    assert len(commands) >= 4, commands
    labels = [json.loads(body) for _, path, _, body in commands if path.endswith("/labels")]
    assert labels, "the first session sends no label"
    for doc in labels:
        for record in doc["records"]:
            assert "ts" in record, f"README's first session sends a label without ts: {record}"
    db = FreshDatabase()
    server = None
    try:
        server = Server(binary, db.url)
        answers = {}
        for method, path, headers, body in commands:
            headers = {k: v.replace("$TOKEN", ADMIN_TOKEN) for k, v in headers.items()}
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.request(method, path, body=body.encode() if body is not None else None, headers=headers)
            r = conn.getresponse()
            payload = r.read()
            conn.close()
            assert 200 <= r.status < 300, (method, path, r.status, payload)
            answers[(method, path.split("?")[0])] = json.loads(payload) if payload else None
        created = answers[("POST", "/v1/models")]
        assert created["webhook"]["secret"].startswith("whsec_"), created
        label_answer = next(v for (m, p), v in answers.items() if p.endswith("/labels"))
        assert label_answer["unmatched"] == 0, label_answer
        assert server.stop() == 0
        print(f"ok: README's first session, {len(commands)} requests, all 2xx; its labels carry ts")
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
