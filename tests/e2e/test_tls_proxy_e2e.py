"""TLS in front of the real binary: Debian's nginx runs deploy/nginx/driftgate-tls.conf with a
self-signed certificate made by the openssl CLI, all on 127.0.0.1. Checks that HTTPS requests reach
driftgate with their token, that a certificate-verifying client accepts the proxy, that one TLS connection
carries several requests, that plain HTTP on the TLS port is refused, and that an oversized body is
refused with problem+json through the proxy."""
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile

from e2e_support import ADMIN_TOKEN, FreshDatabase, Server, free_port, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(HERE, "..", "..", "deploy", "nginx", "driftgate-tls.conf")


def make_certificate(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    return cert, key


def start_nginx(directory, upstream_port, tls_port, cert, key):
    with open(CONF) as f:
        site = f.read()
    for name, value in (("DRIFTGATE_UPSTREAM", f"127.0.0.1:{upstream_port}"), ("TLS_PORT", f"127.0.0.1:{tls_port}"),
                        ("TLS_CERT", cert), ("TLS_KEY", key)):
        site = site.replace(name, value)
    os.chmod(directory, 0o755)  # nginx's workers may run as another user (its `user` default)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
        os.chmod(os.path.join(directory, sub), 0o777)
    main_conf = os.path.join(directory, "nginx.conf")
    with open(main_conf, "w") as f:
        f.write(f"""daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {directory}/body;
  proxy_temp_path {directory}/proxy;
  fastcgi_temp_path {directory}/fastcgi;
  uwsgi_temp_path {directory}/uwsgi;
  scgi_temp_path {directory}/scgi;
{site}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen([nginx, "-p", directory, "-c", main_conf], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)

    def listening():
        if proc.poll() is not None:
            raise AssertionError("nginx exited: " + proc.stderr.read().decode())
        try:
            socket.create_connection(("127.0.0.1", tls_port), timeout=1).close()
            return True
        except OSError:
            return False

    wait_until(listening, 10, "nginx listening")
    return proc


def main(binary):
    db = FreshDatabase()
    server = nginx = None
    directory = tempfile.mkdtemp(prefix="dg-tls-")
    try:
        server = Server(binary, db.url)
        cert, key = make_certificate(directory)
        tls_port = free_port()
        nginx = start_nginx(directory, server.port, tls_port, cert, key)
        context = ssl.create_default_context(cafile=cert)  # verifies the chain and the 127.0.0.1 SAN
        conn = http.client.HTTPSConnection("127.0.0.1", tls_port, context=context, timeout=30)
        auth = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"}
        model = {"name": "tls", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.5}],
                 "webhook": {"url": "http://127.0.0.1:9/h"}}
        conn.request("POST", "/v1/models", body=json.dumps(model), headers=auth)
        r = conn.getresponse()
        assert r.status == 201, (r.status, r.read())
        r.read()
        first_socket = conn.sock
        conn.request("GET", "/v1/models/tls", headers=auth)
        r = conn.getresponse()
        assert r.status == 200 and json.loads(r.read())["name"] == "tls"
        conn.request("GET", "/v1/models/tls")
        r = conn.getresponse()
        assert r.status == 401 and r.getheader("Content-Type") == "application/problem+json", r.status
        r.read()
        assert conn.sock is first_socket, "the TLS connection was not kept open"
        conn.request("POST", "/v1/models", body=b"x" * (10 << 20), headers=auth)
        r = conn.getresponse()
        body = r.read()
        assert r.status == 413 and r.getheader("Content-Type") == "application/problem+json", (r.status, body[:200])
        assert json.loads(body)["field"] == "body"
        conn.close()
        # Without verification the connection must fail: the certificate is not trusted by default.
        try:
            strict = http.client.HTTPSConnection("127.0.0.1", tls_port, context=ssl.create_default_context(),
                                                 timeout=10)
            strict.request("GET", "/healthz")
            raise AssertionError("an untrusted certificate was accepted")
        except ssl.SSLCertVerificationError:
            pass
        plain = http.client.HTTPConnection("127.0.0.1", tls_port, timeout=10)
        plain.request("GET", "/healthz")
        assert plain.getresponse().status == 400  # plain HTTP to the TLS port
        print("ok: HTTPS through nginx with a self-signed certificate; keep-alive; 401/413 problem+json")
    finally:
        if nginx and nginx.poll() is None:
            nginx.terminate()
            nginx.wait(10)
        if server:
            server.stop()
        db.drop()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
