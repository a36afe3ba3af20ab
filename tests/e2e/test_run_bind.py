"""`make run` (deploy/local/run.sh) listens where it says it does: by default it prints
http://127.0.0.1:PORT and its listening socket is bound to 127.0.0.1 only; with DRIFTGATE_BIND=0.0.0.0 it
listens on every interface and prints the loopback address to try. The listening address is read from
/proc/net/tcp, the kernel's own table."""
import os
import re
import signal
import subprocess
import sys
import urllib.request

from e2e_support import ADMIN_TOKEN, FreshDatabase, free_port, wait_until

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def listening_addresses(port):
    """The IPv4 addresses a socket listens on at `port` (state 0A = LISTEN in /proc/net/tcp)."""
    out = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            local, state = fields[1], fields[3]
            addr_hex, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                octets = [str(int(addr_hex[i:i + 2], 16)) for i in (6, 4, 2, 0)]  # little-endian
                out.add(".".join(octets))
    return out


def run(binary, db_url, bind):
    port = free_port()
    build = os.path.relpath(os.path.dirname(os.path.abspath(binary)), REPO)
    env = dict(os.environ, DRIFTGATE_DB_URL=db_url, DRIFTGATE_ADMIN_TOKEN=ADMIN_TOKEN)
    env.pop("DRIFTGATE_BIND", None)
    if bind:
        env["DRIFTGATE_BIND"] = bind
    proc = subprocess.Popen([os.path.join(REPO, "deploy/local/run.sh"), build, str(port)], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed = []
    try:
        for line in proc.stdout:
            printed.append(line)
            if "driftgate is starting on" in line:
                break
        text = "".join(printed)
        m = re.search(r"driftgate is starting on http://([0-9.]+):(\d+)", text)
        assert m, f"run.sh printed no address: {text}"
        host, shown_port = m.group(1), int(m.group(2))
        assert shown_port == port, text

        def healthy():
            try:
                with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_until(healthy, 30, f"run.sh's server on the printed address {host}:{port}")
        return host, listening_addresses(port)
    finally:
        proc.send_signal(signal.SIGTERM)  # run.sh exec'd the server: this is driftgate itself
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(binary):
    db = FreshDatabase()
    try:
        host, listening = run(binary, db.url, None)
        assert host == "127.0.0.1", host
        assert listening == {"127.0.0.1"}, f"default bind listens on {listening}, expected 127.0.0.1 only"
        host, listening = run(binary, db.url, "0.0.0.0")
        assert host == "127.0.0.1", host
        assert listening == {"0.0.0.0"}, f"DRIFTGATE_BIND=0.0.0.0 listens on {listening}"
        print("ok: make run binds and prints the same address (127.0.0.1 by default, 0.0.0.0 on request)")
    finally:
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
