"""deploy/ checked statically (no container engine needed), and against the real binary.

Every YAML file under deploy/ parses; the Kubernetes objects carry what a rollout needs (probes on
/healthz and /readyz, resources, a non-root security context, secrets only by reference, a Service, an
HPA, a PDB and a migration Job running `driftgate migrate`); compose.yaml runs two driftgate replicas,
PostgreSQL 15, an echo receiver and a one-shot migration with secrets from env files; the Dockerfile
builds with the Makefile's cmake flags from deploy/local/deps.sh's build packages and its runtime stage
installs the packages that hold the libraries the binary links; the Grafana dashboard only queries
metrics the server exports. With DRIFTGATE_TEST_DB_URL set (make test), the binary itself is started:
`driftgate migrate` (the Job's command) succeeds, the probe paths answer 200 and /metrics exports every
family the dashboard uses.

Usage: /usr/bin/python3 tests/e2e/test_deploy_manifests.py path/to/driftgate
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request

try:
    import yaml
except ImportError:  # deploy/local/deps.sh installs python3-yaml
    sys.exit("test_deploy_manifests: PyYAML is missing: run deploy/local/deps.sh (Debian package python3-yaml)")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(ROOT, "deploy")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
    return condition


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


# ---- YAML: everything parses

def load_yaml_files():
    docs = {}
    for dirpath, _, files in os.walk(DEPLOY):
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, ROOT)
            try:
                with open(path, encoding="utf-8") as f:
                    docs[rel] = [d for d in yaml.safe_load_all(f) if d is not None]
            except yaml.YAMLError as e:
                check(False, f"{rel}: does not parse: {e}")
    return docs


def walk(node, path=""):
    """Yields (path, key, value) for every mapping entry, depth first."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


SECRET_NAMES = re.compile(r"(TOKEN|PASSWORD|SECRET|DB_URL)", re.I)


# ---- Kubernetes

def pod_spec(obj):
    if obj["kind"] in ("Deployment", "Job", "StatefulSet"):
        return obj["spec"]["template"]["spec"]
    return None


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def container_ports(container):
    names, numbers = set(), set()
    for p in container.get("ports", []):
        numbers.add(p["containerPort"])
        if "name" in p:
            names.add(p["name"])
    return names, numbers


def check_secret_refs(where, container):
    env = {e["name"]: e for e in container.get("env", [])}
    for name, e in env.items():
        if SECRET_NAMES.search(name):
            check("value" not in e, f"{where}: {name} is inlined; reference a Secret (valueFrom.secretKeyRef)")
    return env


def check_k8s(docs):
    objects = [d for rel, ds in docs.items() if rel.startswith(os.path.join("deploy", "k8s")) for d in ds
               if isinstance(d, dict) and "kind" in d]
    by_kind = {}
    for o in objects:
        check("apiVersion" in o, f"k8s {o.get('kind')}: apiVersion")
        if o["kind"] != "Kustomization":  # kustomize's own file has no metadata
            check("name" in o.get("metadata", {}), f"k8s {o['kind']}: metadata.name")
        by_kind.setdefault(o["kind"], []).append(o)

    for s in by_kind.get("Secret", []):
        check(not (s.get("data") or s.get("stringData")), f"Secret {s['metadata']['name']}: committed with data")

    deployments = by_kind.get("Deployment", [])
    if not check(len(deployments) == 1, "k8s: exactly one Deployment"):
        return
    dep = deployments[0]
    name = dep["metadata"]["name"]
    tmpl_labels = dep["spec"]["template"]["metadata"]["labels"]
    check(selects(dep["spec"]["selector"]["matchLabels"], tmpl_labels), "Deployment: selector must match its pods")
    check(dep["spec"].get("replicas", 1) >= 2, "Deployment: at least 2 replicas")
    spec = pod_spec(dep)
    psc = spec.get("securityContext", {})
    containers = spec["containers"]
    main = containers[0]
    where = f"Deployment {name} container {main['name']}"
    check(bool(main.get("image")), f"{where}: image")
    names, numbers = container_ports(main)
    check(8080 in numbers, f"{where}: containerPort 8080")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        p = main.get(probe, {}).get("httpGet", {})
        check(p.get("path") == path, f"{where}: {probe} must GET {path}")
        check(p.get("port") in names | numbers, f"{where}: {probe} port {p.get('port')} is not a container port")
    res = main.get("resources", {})
    for kind in ("requests", "limits"):
        for r in ("cpu", "memory"):
            check(r in res.get(kind, {}), f"{where}: resources.{kind}.{r}")
    csc = main.get("securityContext", {})
    check(csc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True, f"{where}: runAsNonRoot")
    check(csc.get("runAsUser", psc.get("runAsUser", 0)) != 0, f"{where}: a non-zero runAsUser")
    check(csc.get("allowPrivilegeEscalation") is False, f"{where}: allowPrivilegeEscalation: false")
    check(csc.get("readOnlyRootFilesystem") is True, f"{where}: readOnlyRootFilesystem: true")
    check("ALL" in csc.get("capabilities", {}).get("drop", []), f"{where}: capabilities.drop [ALL]")
    env = check_secret_refs(where, main)
    for var in ("DRIFTGATE_DB_URL", "DRIFTGATE_ADMIN_TOKEN", "DRIFTGATE_SECRET_KEY"):
        check("secretKeyRef" in env.get(var, {}).get("valueFrom", {}), f"{where}: {var} from a Secret")

    services = by_kind.get("Service", [])
    check(len(services) >= 1, "k8s: a Service")
    for svc in services:
        check(selects(svc["spec"].get("selector"), tmpl_labels), f"Service {svc['metadata']['name']}: selects the pods")
        ports = svc["spec"].get("ports", [])
        check(len(ports) >= 1, f"Service {svc['metadata']['name']}: ports")
        for p in ports:
            check("port" in p, f"Service {svc['metadata']['name']}: port")
            check(p.get("targetPort", p.get("port")) in names | numbers,
                  f"Service {svc['metadata']['name']}: targetPort {p.get('targetPort')} is not a container port")

    hpas = by_kind.get("HorizontalPodAutoscaler", [])
    min_replicas = 1
    if check(len(hpas) == 1, "k8s: one HorizontalPodAutoscaler"):
        hpa = hpas[0]
        check(hpa["apiVersion"] == "autoscaling/v2", "HPA: autoscaling/v2")
        ref = hpa["spec"]["scaleTargetRef"]
        check(ref.get("kind") == "Deployment" and ref.get("name") == name, "HPA: targets the Deployment")
        min_replicas = hpa["spec"].get("minReplicas", 1)
        check(2 <= min_replicas <= hpa["spec"]["maxReplicas"], "HPA: 2 <= minReplicas <= maxReplicas")
        metrics = hpa["spec"].get("metrics", [])
        check(any(m.get("resource", {}).get("target") for m in metrics), "HPA: a resource metric with a target")

    pdbs = by_kind.get("PodDisruptionBudget", [])
    if check(len(pdbs) == 1, "k8s: one PodDisruptionBudget"):
        pdb = pdbs[0]["spec"]
        check(selects(pdb["selector"]["matchLabels"], tmpl_labels), "PDB: selects the Deployment's pods")
        check(("minAvailable" in pdb) != ("maxUnavailable" in pdb), "PDB: minAvailable or maxUnavailable")
        if isinstance(pdb.get("minAvailable"), int):
            check(pdb["minAvailable"] < min_replicas, "PDB: minAvailable below the HPA's minReplicas (drains possible)")

    jobs = by_kind.get("Job", [])
    migrate_jobs = []
    for job in jobs:
        for c in pod_spec(job)["containers"]:
            argv = [os.path.basename(a) for a in c.get("command", []) + c.get("args", [])]
            if argv[:2] == ["driftgate", "migrate"]:
                migrate_jobs.append((job, c))
    if check(len(migrate_jobs) == 1, "k8s: a Job running `driftgate migrate`"):
        job, c = migrate_jobs[0]
        check(pod_spec(job).get("restartPolicy") in ("Never", "OnFailure"), "migration Job: restartPolicy")
        env = check_secret_refs(f"Job {job['metadata']['name']}", c)
        check("secretKeyRef" in env.get("DRIFTGATE_DB_URL", {}).get("valueFrom", {}),
              "migration Job: DRIFTGATE_DB_URL from a Secret")

    for kust in by_kind.get("Kustomization", []):
        for r in kust.get("resources", []):
            check(os.path.exists(os.path.join(DEPLOY, "k8s", r)), f"kustomization: {r} does not exist")


# ---- compose

def check_compose(docs):
    rel = os.path.join("deploy", "compose.yaml")
    if not check(rel in docs and docs[rel], "deploy/compose.yaml exists"):
        return
    services = docs[rel][0]["services"]
    dg = services.get("driftgate", {})
    check(dg.get("deploy", {}).get("replicas") == 2, "compose: driftgate with deploy.replicas 2")
    pg = [s for s in services.values() if str(s.get("image", "")).startswith("postgres:15")]
    check(len(pg) == 1, "compose: a postgres:15 service")
    check("echo" in services and services["echo"].get("image"), "compose: an `echo` webhook receiver")
    migrate = services.get("migrate", {})
    argv = migrate.get("entrypoint", []) + migrate.get("command", [])
    argv = shlex.split(argv) if isinstance(argv, str) else argv
    check([os.path.basename(a) for a in argv[:2]] == ["driftgate", "migrate"], "compose: migrate runs `driftgate migrate`")
    check(dg.get("depends_on", {}).get("migrate", {}).get("condition") == "service_completed_successfully",
          "compose: driftgate starts after the migration completed")
    check(migrate.get("restart", "no") == "no", "compose: migrate is one-shot")
    for name, svc in services.items():
        env = svc.get("environment", {})
        items = env.items() if isinstance(env, dict) else (e.split("=", 1) + [""] for e in env)
        for k, *_ in items:
            check(not SECRET_NAMES.search(k), f"compose: {name} sets {k} inline; use an env file")
    for name in ("driftgate", "migrate", "postgres"):
        files = services.get(name, {}).get("env_file", [])
        check(bool(files), f"compose: {name} reads secrets from an env file")
        for f in files:
            path = f["path"] if isinstance(f, dict) else f
            check(os.path.exists(os.path.join(DEPLOY, path + ".example")),
                  f"compose: {path}.example (the template of {path}) exists")


# ---- Dockerfile against the Makefile and deps.sh

def dockerfile_instructions(text):
    out, cur = [], ""
    for line in text.splitlines():
        s = line.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        if s.startswith("#"):
            continue
        cur += " " + s[:-1] if s.endswith("\\") else " " + s
        if not s.endswith("\\"):
            word, _, rest = cur.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            cur = ""
    return out


def stages(instructions):
    result, current = [], None
    for word, rest in instructions:
        if word == "FROM":
            parts = rest.split()
            current = {"image": parts[0], "name": parts[2] if len(parts) > 2 else "", "ins": []}
            result.append(current)
        elif current is not None:
            current["ins"].append((word, rest))
    return result


def apt_packages(commands):
    pkgs = set()
    for cmd in commands:
        for part in re.split(r"&&|;|\|\|", cmd):
            words = part.split()
            if "apt-get" in words and "install" in words:
                pkgs |= {w for w in words[words.index("install") + 1:] if not w.startswith("-")}
    return pkgs


def cmake_flags(command):
    words = shlex.split(command)
    return sorted(w for w in words if w.startswith("-D"))


def check_dockerfile(binary):
    st = stages(dockerfile_instructions(read("deploy", "Dockerfile")))
    if not check(len(st) >= 2, "Dockerfile: multi-stage"):
        return
    build = next((s for s in st if s["name"] == "build"), None)
    runtime = st[-1]
    if not check(build is not None, "Dockerfile: a stage named `build`"):
        return
    for s in (build, runtime):
        check(s["image"].startswith("debian:bookworm"), f"Dockerfile: stage {s['name']} on Debian 12 (bookworm)")
    build_runs = [r for w, r in build["ins"] if w == "RUN"]

    # Same cmake invocation as `make build`.
    makefile = read("Makefile")
    m = re.search(r"^CMAKE_FLAGS\s*\?=\s*(.*)$", makefile, re.M)
    recipe = re.search(r"^build:.*\n((?:\t.*\n)+)", makefile, re.M)
    if check(m and recipe, "Makefile: CMAKE_FLAGS and a build target"):
        configure = [l for l in recipe.group(1).splitlines() if "cmake -S" in l]
        make_flags = sorted(cmake_flags(m.group(1)) + cmake_flags(configure[0] if configure else ""))
        docker_configure = [p for r in build_runs for p in r.split("&&") if "cmake -S" in p]
        docker_flags = cmake_flags(docker_configure[0]) if len(docker_configure) == 1 else docker_configure
        check(docker_flags == make_flags,
              f"Dockerfile: cmake configure flags {docker_flags} differ from make build's {make_flags}")
        check(any("cmake --build" in r for r in build_runs), "Dockerfile: cmake --build")

    # The build stage installs deps.sh's build packages (deps.sh also installs PostgreSQL and Python for tests).
    deps = read("deploy", "local", "deps.sh")
    arr = re.search(r"pkgs=\(([^)]*)\)", deps)
    if check(arr, "deps.sh: a pkgs=(...) list"):
        wanted = {p for p in arr.group(1).split() if not p.startswith(("postgresql", "python3"))}
        have = apt_packages(build_runs)
        check(wanted <= have, f"Dockerfile: build stage lacks deps.sh packages {sorted(wanted - have)}")

    runtime_runs = [r for w, r in runtime["ins"] if w == "RUN"]
    runtime_pkgs = apt_packages(runtime_runs)
    check(not [p for p in runtime_pkgs if p.endswith("-dev")], "Dockerfile: no -dev packages at runtime")
    for p in ("libpistache0", "libpqxx-6.4", "libspdlog1.10", "libcurl4", "libssl3"):
        check(p in runtime_pkgs, f"Dockerfile: runtime stage installs {p}")
    users = [r for w, r in runtime["ins"] if w == "USER"]
    check(users and users[-1].split(":")[0] not in ("root", "0"), "Dockerfile: runtime runs as a non-root USER")
    check(any(w == "HEALTHCHECK" and "/healthz" in r for w, r in runtime["ins"]), "Dockerfile: HEALTHCHECK on /healthz")
    entry = [r for w, r in runtime["ins"] if w == "ENTRYPOINT"]
    if check(entry, "Dockerfile: ENTRYPOINT"):
        argv = json.loads(entry[-1])
        check([os.path.basename(a) for a in argv] == ["driftgate", "serve"], "Dockerfile: ENTRYPOINT driftgate serve")

    # The runtime packages hold every library the binary links (this machine is the same Debian 12).
    if binary and shutil.which("readelf") and shutil.which("dpkg"):
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]",
                            subprocess.run(["readelf", "-d", binary], capture_output=True, text=True).stdout)
        base = {"libc6", "libgcc-s1", "libstdc++6"}  # in every Debian image
        ldd = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
        # Sanitizer runtimes: only the asan/tsan presets link them, and those builds are never shipped.
        sanitizers = ("libasan.", "libubsan.", "libtsan.", "liblsan.")
        for lib in needed:
            if lib.startswith(sanitizers):
                continue
            m = re.search(re.escape(lib) + r" => (\S+)", ldd)
            if not m:
                continue
            owner = subprocess.run(["dpkg", "-S", os.path.realpath(m.group(1))], capture_output=True, text=True)
            pkg = owner.stdout.split(":")[0].strip() if owner.returncode == 0 else ""
            if pkg:
                check(pkg in runtime_pkgs | base, f"Dockerfile: runtime lacks {pkg} (holds {lib})")


# ---- Grafana dashboard against the exported metric names

def exported_families_from_source():
    # Every collector that registers families: telemetry.cpp (registry_.X) and the others (registry.X).
    families = set()
    for name in ("telemetry.cpp", "ledger_metrics.cpp"):
        path = os.path.join(ROOT, "service", "observability", name)
        if os.path.exists(path):
            families |= set(re.findall(r'registry_?\.(?:Counter|Gauge|Histogram)\(\s*"([a-z0-9_:]+)"',
                                       read("service", "observability", name)))
    return families


def dashboard_metrics():
    with open(os.path.join(DEPLOY, "grafana", "driftgate.json"), encoding="utf-8") as f:
        dash = json.load(f)
    exprs = []
    for _, k, v in walk(dash):
        if k in ("expr", "query", "definition") and isinstance(v, str):
            exprs.append(v)
    names = set()
    for e in exprs:
        names |= set(re.findall(r"\bdriftgate_[a-z0-9_]+", e))
    return dash, names


def family_of(name, families):
    for suffix in ("", "_bucket", "_sum", "_count"):
        if suffix and name.endswith(suffix) and name[: -len(suffix)] in families:
            return name[: -len(suffix)]
        if not suffix and name in families:
            return name
    return None


def check_dashboard():
    dash, names = dashboard_metrics()
    check(dash.get("title") and dash.get("panels"), "dashboard: title and panels")
    families = exported_families_from_source()
    check(len(families) >= 10, f"telemetry.cpp: metric families found {sorted(families)}")
    for n in sorted(names):
        check(family_of(n, families) is not None, f"dashboard: queries {n}, which the server does not export")
    for needed in ("driftgate_http_requests_total", "driftgate_http_request_duration_seconds_bucket",
                   "driftgate_ingest_records_total", "driftgate_decisions_total",
                   "driftgate_webhook_deliveries_total", "driftgate_outbox_pending", "driftgate_kpi_value",
                   "driftgate_kpi_lower", "driftgate_kpi_upper", "driftgate_kpi_threshold"):
        check(needed in names, f"dashboard: no panel shows {needed}")
    return names


def check_readme():
    text = read("deploy", "README.md")
    for word in ("PgBouncer", "transaction", "Citus", "create_distributed_table", "model_id", "/metrics"):
        check(word in text, f"deploy/README.md: mentions {word}")


# ---- the real binary

def check_binary(binary, dashboard_names):
    if not os.environ.get("DRIFTGATE_TEST_DB_URL"):
        print("test_deploy_manifests: DRIFTGATE_TEST_DB_URL not set; the binary checks are skipped")
        return
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from e2e_support import FreshDatabase, Server

    db = FreshDatabase()
    server = None
    try:
        env = dict(os.environ, DRIFTGATE_DB_URL=db.url)
        r = subprocess.run([binary, "migrate"], env=env, capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, f"`driftgate migrate` (the Job's command) failed: {r.stderr}")
        server = Server(binary, db.url)
        for path in ("/healthz", "/readyz"):
            check(server.call("GET", path, auth=False)[0] == 200, f"{path} (a probe path) answers 200")
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=30) as resp:
            check(resp.status == 200, "/metrics answers 200 without a token")
            check(resp.headers.get("Content-Type", "").startswith("text/plain"), "/metrics is text/plain")
            text = resp.read().decode()
        typed = dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.M))
        source = exported_families_from_source()
        check(set(typed) == source, f"/metrics families {sorted(set(typed) ^ source)} differ from the collectors' in service/")
        for n in sorted(dashboard_names):
            check(family_of(n, set(typed)) is not None, f"/metrics lacks {n}, which the dashboard queries")
    finally:
        if server:
            server.stop()
        db.drop()


def main(binary):
    docs = load_yaml_files()
    check(any(r.startswith(os.path.join("deploy", "k8s")) for r in docs), "deploy/k8s holds manifests")
    check_k8s(docs)
    check_compose(docs)
    check_dockerfile(binary)
    names = check_dashboard()
    check_readme()
    check_binary(binary, names)
    if failures:
        print("test_deploy_manifests: FAILED")
        for f in failures:
            print("  -", f)
        return 1
    print(f"test_deploy_manifests: ok ({sum(len(d) for d in docs.values())} YAML documents, "
          f"{len(names)} dashboard metrics)")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ""))
