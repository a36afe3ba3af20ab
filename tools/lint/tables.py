#!/usr/bin/env python3
"""Storage rules, checked on the source text (docs/architecture.md, "Rules"):

1. One owner per table: each table is written (INSERT INTO, UPDATE, DELETE FROM, COPY) by the SQL of
   exactly one source file. A file's SQL is its own string literals plus the named statements it refers
   to (the `k...` constants of db/sql/*.h and of its own file); a header's inline code counts as its
   .cpp's. Every write names its table in the SQL text: a literal that ends at its write verb
   (`"DELETE FROM " + table`) would hide which table it writes, and is reported. (Partition maintenance
   drops tables by a run-time name; DROP is not a write of rows and is not counted.)
2. One way to run SQL: libpqxx's runners (exec, exec0, exec1, exec_params, exec_prepared, ...) are called
   from db/exec.h and db/exec.cpp alone; everything else calls db::Exec or db::ExecText.

Usage: tables.py SOURCE_ROOT          checks the tree, exit status 1 on a violation
       tables.py --self-test          plants a violation of each rule in a scratch tree and expects each
                                      to be reported
"""
import os
import re
import sys
import tempfile

CODE_DIRS = ("core", "db", "service", "api", "app")
RUNNER_FILES = ("db/exec.h", "db/exec.cpp")
RUNNER = re.compile(r"\.\s*exec(?:_params|_prepared)?[01n]?\s*\(|\bexec_params1?\s*\(")
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
TOKEN = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\b([A-Z][A-Z0-9_]+)\b')
# A COPY stream opened on a named table: `CopyIn stream(tx, "prediction_blocks", ...)`, a tablewriter.
STREAM = re.compile(r'\(\s*tx\s*,\s*"([a-z_][a-z0-9_]*)"')
DEFINITION = re.compile(
    r"(?:constexpr\s+const\s+char\s*\*|const\s+std::string|constexpr\s+char)\s+(k\w+)\s*(?:\[\])?\s*=(.*?);",
    re.S)
MACRO = re.compile(r"^#define\s+(\w+)(?:\([^)]*\))?((?:.*\\\n)*.*)$", re.M)
# Keywords are written in capitals and tables in lower case, so `DO UPDATE SET` and `FOR UPDATE` name no
# table.
WRITE = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+([a-z_][a-z0-9_]*)\b")
# A write verb whose table is filled in at run time: the literal ends at the verb and is continued by
# `+` or `<<`, or the verb is followed by a format placeholder (`{}`, `%s`). `FOR UPDATE` and
# `DO UPDATE` name no table and are not verbs here.
UNNAMED_WRITE = re.compile(
    r'"((?:[^"\\\n]|\\.)*?(?<!FOR )(?<!DO )\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)'
    r'(?:\s*"\s*\)?\s*(?:\+|<<)|\s+(?:\{[^}]*\}|%s)(?:[^"\\\n]|\\.)*"))')
# Temporary staging tables belong to the session that creates them.
SESSION_TABLES = {"stage_predictions", "stage_labels"}


def strip_comments(text):
    out = []
    for line in text.split("\n"):
        # A // inside a string literal (a URL) is rare in this code; literals are kept whole by cutting
        # only at a // that follows an even number of quotes.
        cut = None
        quotes = 0
        for i, ch in enumerate(line):
            if ch == '"' and (i == 0 or line[i - 1] != "\\"):
                quotes += 1
            elif ch == "/" and line[i:i + 2] == "//" and quotes % 2 == 0:
                cut = i
                break
        out.append(line if cut is None else line[:cut])
    return "\n".join(out)


def literal_text(code, macros):
    """The SQL a piece of code spells: its literals in order, a macro's literals where it is used."""
    parts = []
    for m in TOKEN.finditer(code):
        if m.group(1) is not None:
            parts.append(m.group(1))
        elif m.group(2) in macros:
            parts.append(macros[m.group(2)])
    return " ".join(parts)


def sources(root):
    for top in CODE_DIRS:
        base = os.path.join(root, top)
        for d, _, files in os.walk(base):
            for f in sorted(files):
                if f.endswith((".h", ".cpp")):
                    path = os.path.join(d, f)
                    yield os.path.relpath(path, root), strip_comments(open(path, encoding="utf-8").read())


def check(root):
    files = dict(sources(root))
    macros = {}
    for text in files.values():
        for m in MACRO.finditer(text):
            macros[m.group(1)] = " ".join(x.group(1) for x in LITERAL.finditer(m.group(2)))
    constants = {}  # name -> [(file, sql)]
    for path, text in files.items():
        for m in DEFINITION.finditer(text):
            constants.setdefault(m.group(1), []).append((path, literal_text(m.group(2), macros)))
    failures = []
    writers = {}  # table -> {file}
    for path, text in files.items():
        if path not in RUNNER_FILES:
            for n, line in enumerate(text.split("\n"), 1):
                if RUNNER.search(line):
                    failures.append(f"{path}:{n}: runs SQL past db/exec.h: {line.strip()}")
        for m in UNNAMED_WRITE.finditer(text):
            n = text.count("\n", 0, m.start()) + 1
            failures.append(f"{path}:{n}: writes a table named at run time: {m.group(0).strip()}")
        # db/sql/ headers only define statements; a statement is counted where it is used.
        if path.startswith("db/sql/"):
            continue
        sql = [literal_text(text, macros)]
        for name in set(re.findall(r"\b(k[A-Z]\w*)\b", text)):
            for where, body in constants.get(name, []):
                if where.endswith(".h") or where == path:
                    sql.append(body)
        tables = set(WRITE.findall(" ".join(sql))) | set(STREAM.findall(text))
        # A header's inline code belongs to its unit: x.h and x.cpp are one file here.
        owner = path[:-2] + ".cpp" if path.endswith(".h") and path[:-2] + ".cpp" in files else path
        for table in tables - SESSION_TABLES:
            writers.setdefault(table, set()).add(owner)
    for table, paths in sorted(writers.items()):
        if len(paths) > 1:
            failures.append(f"table {table} is written from {len(paths)} files: {', '.join(sorted(paths))}")
    return failures, writers


def self_test():
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "db", "sql"))
        os.makedirs(os.path.join(root, "service"))
        with open(os.path.join(root, "db", "sql", "things.h"), "w") as f:
            f.write('inline constexpr const char* kAddThing =\n    "INSERT INTO things (model_id) "\n'
                    '    "VALUES ($1)";\n')
        with open(os.path.join(root, "db", "things_repo.cpp"), "w") as f:
            f.write('void Add(pqxx::transaction_base& tx) { Exec(tx, sql::kAddThing, 1); }\n')
        failures, _ = check(root)
        if failures:
            sys.exit(f"tables self-test: a clean tree failed: {failures}")
        with open(os.path.join(root, "db", "other_repo.cpp"), "w") as f:
            f.write('void Touch(pqxx::transaction_base& tx) {\n  ExecText(tx, "UPDATE things SET n = 1 "\n'
                    '  "WHERE model_id = $1", 1);\n}\n')
        with open(os.path.join(root, "service", "x.cpp"), "w") as f:
            f.write('void Y(pqxx::work& tx) { tx.exec_params(sql::kAddThing, 2); }\n')
        with open(os.path.join(root, "db", "sweep_repo.cpp"), "w") as f:
            f.write('void Sweep(pqxx::transaction_base& tx, const std::string& table) {\n'
                    '  ExecText(tx, std::string("DELETE FROM ") + table + " WHERE model_id = $1", 1);\n}\n')
        failures, _ = check(root)
        two = [f for f in failures if f.startswith("table things is written from")]
        # service/x.cpp both runs SQL itself and names kAddThing: three writers of `things`.
        ran = [f for f in failures if f.startswith("service/x.cpp:1: runs SQL")]
        unnamed = [f for f in failures if f.startswith("db/sweep_repo.cpp:2: writes a table named at run time")]
        if len(two) != 1 or "3 files" not in two[0] or len(ran) != 1 or len(unnamed) != 1:
            sys.exit("tables self-test: planted violations not reported as expected:\n" + "\n".join(failures))
    print("tables self-test: all three planted violations are reported")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    failures, writers = check(os.path.realpath(sys.argv[1]))
    if failures:
        print("\n".join(failures))
        sys.exit(f"tables: {len(failures)} violation(s)")
    print(f"tables: {len(writers)} tables, each written from one file; SQL runs through db/exec.h only")


if __name__ == "__main__":
    main()
