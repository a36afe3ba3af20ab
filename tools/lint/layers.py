#!/usr/bin/env python3
"""The layer rule, checked by the compiler: no translation unit under api/ reaches libpqxx.

api/ speaks HTTP and calls services; storage types belong to db/ and the services that use it
(docs/architecture.md, "Rules"). Because libpqxx's headers sit on the system include path, a PRIVATE link
alone cannot keep them out of api/, so each api/ unit is preprocessed with its exact compile command
(`-M`, the full list of headers it includes, system ones too) and any header under a `pqxx/` directory
is a failure naming the unit and the chain's first project header that pulls it in.

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


def main():
    commands, root = sys.argv[1], os.path.realpath(sys.argv[2])
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
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
