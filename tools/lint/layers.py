#!/usr/bin/env python3
"""The layer rules of docs/architecture.md ("Rules"), checked on every build.

1. No translation unit under api/ reaches libpqxx. api/ speaks HTTP and calls services; storage types belong
   to db/ and the services that use it. Because libpqxx's headers sit on the system include path, a PRIVATE
   link alone cannot keep them out of api/, so each api/ unit is preprocessed with its exact compile command
   (`-M`, the full list of headers it includes, system ones too) and any header under a `pqxx/` directory
   is a failure naming the unit and the chain's first project header that pulls it in.
2. No header under service/ reaches nlohmann_json, directly or through the project headers it includes:
   services take and return typed structs; the JSON forms are in codec/ and api/.
3. Nothing under codec/ reaches service/, db/, api/, app/ or libpqxx: the codecs sit on core/ and
   nlohmann_json alone (the secrets' formats they validate are core/secrets/).
4. Nothing under core/ reaches a project header outside core/, or a system header other than the C++
   standard library's and the numeric libraries core is built on (CORE_MAY_INCLUDE): core/ is pure.
Rules 2 to 4 follow the project's quoted includes textually (every project header is included by its path
from the source root), so they need no build.

Usage: layers.py BUILD_DIR/compile_commands.json SOURCE_ROOT
"""
import json
import os
import re
import shlex
import subprocess
import sys


def dependencies(entry):
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-Werror"):
            continue
        out.append(a)
    if out and "ccache" in os.path.basename(out[0]):
        out = out[1:]
    run = subprocess.run(out + ["-M", "-MG"], cwd=entry["directory"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"layers: cannot preprocess {entry['file']}:\n{run.stderr}")
    return run.stdout.replace("\\\n", " ").split()


# Beside the standard library: Boost.Math (distributions), Eigen (core/stats/reconstruction.cpp's PCA) and
# XGBoost's C API (core/dle/, a library of its own).
CORE_MAY_INCLUDE = ("boost/", "Eigen/", "xgboost/")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def includes(root, rel, cache={}):
    """(quoted project headers, system headers) that `rel` includes directly."""
    if rel not in cache:
        text = open(os.path.join(root, rel), encoding="utf-8").read()
        found = INCLUDE.findall(text)
        project = [h for kind, h in found if kind == '"' and os.path.isfile(os.path.join(root, h))]
        system = [h for kind, h in found if kind == "<" or not os.path.isfile(os.path.join(root, h))]
        cache[rel] = (project, system)
    return cache[rel]


def reach(root, rel, bad_system, bad_project):
    """The first include chain from `rel` to a system header matching `bad_system` or a project header for
    which `bad_project` is true; None when there is none."""
    seen, stack = {rel}, [(rel, [rel])]
    while stack:
        cur, chain = stack.pop()
        project, system = includes(root, cur)
        for h in system:
            if bad_system(h):
                return chain + ["<" + h + ">"]
        for h in project:
            if bad_project(h):
                return chain + [h]
            if h not in seen:
                seen.add(h)
                stack.append((h, chain + [h]))
    return None


def files_under(root, folder, suffixes):
    out = []
    for base, _, names in os.walk(os.path.join(root, folder)):
        out += [os.path.relpath(os.path.join(base, n), root) for n in names if n.endswith(suffixes)]
    return sorted(out)


def check_service_headers(root):
    failures = 0
    headers = files_under(root, "service", (".h",))
    for h in headers:
        chain = reach(root, h, lambda s: s.startswith("nlohmann/"), lambda p: False)
        if chain:
            print(f"{h} reaches nlohmann_json: " + " -> ".join(chain))
            failures += 1
    print(f"layers: {len(headers)} service/ headers checked, {failures} reach nlohmann_json")
    return failures


def check_codec(root):
    failures = 0
    units = files_under(root, "codec", (".h", ".cpp"))
    outside = lambda p: p.startswith(("service/", "db/", "api/", "app/"))
    for u in units:
        chain = reach(root, u, lambda s: s.startswith("pqxx/"), outside)
        if chain:
            print(f"{u} leaves the codec layer: " + " -> ".join(chain))
            failures += 1
    print(f"layers: {len(units)} codec/ files checked, {failures} reach service/, db/, api/, app/ or libpqxx")
    return failures


def check_core(root):
    failures = 0
    units = files_under(root, "core", (".h", ".cpp"))
    # A standard library header is a bare name (<vector>, <cstdio>); anything else must be listed.
    foreign = lambda s: ("/" in s or "." in s) and not s.startswith(CORE_MAY_INCLUDE)
    for u in units:
        chain = reach(root, u, foreign, lambda p: not p.startswith("core/"))
        if chain:
            print(f"{u} leaves the pure core: " + " -> ".join(chain))
            failures += 1
    print(f"layers: {len(units)} core/ files checked, {failures} reach outside core/, std and {CORE_MAY_INCLUDE}")
    return failures


def main():
    commands, root = sys.argv[1], os.path.realpath(sys.argv[2])
    textual = check_service_headers(root) + check_codec(root) + check_core(root)
    api = os.path.join(root, "api") + os.sep
    entries = [e for e in json.load(open(commands)) if os.path.realpath(e["file"]).startswith(api)]
    if not entries:
        sys.exit("layers: no api/ unit in the compile commands (build first)")
    failures = 0
    for e in entries:
        deps = dependencies(e)
        if any(re.search(r"(^|/)pqxx/", d) for d in deps):
            project = [d for d in deps[2:] if os.path.realpath(d).startswith(root + os.sep)]
            print(f"{os.path.relpath(e['file'], root)} reaches libpqxx; project headers it includes: "
                  + ", ".join(os.path.relpath(p, root) for p in project if not p.startswith(api)))
            failures += 1
    print(f"layers: {len(entries)} api/ units checked, {failures} reach libpqxx")
    return 1 if failures or textual else 0


if __name__ == "__main__":
    sys.exit(main())
