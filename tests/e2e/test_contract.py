"""Contract test: every operation in openapi.yaml, called on the real binary, answers as documented.

A real `driftgate serve` on a fresh database is driven through a scenario that gives every operation
something to return (a model with a webhook, a reference upload, a degrading stream that confirms a
breach, the retrain webhook and its status reports, a backtest, the sustainability ledgers, tokens,
audit, /metrics, /ui). Then the operations are taken from openapi.yaml's `paths` — so new ones are
covered automatically — and each is called through its recipe in RECIPES (keyed by operationId; an
operation without a recipe fails the test, naming it). Every response of every call, the scenario's
included, is checked: the status is documented for that operation, the Content-Type is one the
response documents, and the body validates against that content's schema (problem+json for errors).
Error cases per operation: 401 without a token (when the operation needs one), 404 for an unknown
model (operations under /v1/models/{model}), 400 for an invalid `limit`, 405 for a wrong method.

The validator below implements the OpenAPI 3.0 Schema Object subset the spec uses: $ref, type,
nullable, required, properties, additionalProperties, items, enum, allOf/oneOf/anyOf, minimum/maximum
(with 3.0's boolean exclusiveMinimum/exclusiveMaximum), minLength/maxLength, minItems/maxItems,
pattern, format (date-time, uuid, uri, int32/int64). Debian's python3 (PyYAML), stdlib otherwise.
"""
import datetime
import http.client
import json
import os
import re
import sys
import urllib.parse

import yaml

from e2e_support import ADMIN_TOKEN, FreshDatabase, Receiver, Server, binary_stream, verify_signature

SPEC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "openapi.yaml")
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
MODEL = "contract-fraud"
UNKNOWN_MODEL = "no-such-model"


# ---------------------------------------------------------------------------------------------------
# A small OpenAPI 3.0 schema validator.

class Validator:
    def __init__(self, spec):
        self.spec = spec

    def resolve(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/"), f"only local $refs are supported: {ref}"
            node = self.spec
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            seen += 1
            assert seen < 64, f"$ref loop at {ref}"
        return node

    def errors(self, value, schema, where="$"):
        out = []
        self._check(value, schema, where, out)
        return out

    def _check(self, value, schema, where, out):
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or not schema:
            return
        if value is None:
            if schema.get("nullable") or ("type" not in schema and not any(
                    k in schema for k in ("allOf", "oneOf", "anyOf", "properties", "enum"))):
                return
            # nullable inside an allOf member counts (allOf: [$ref], nullable: true is the common form)
            if schema.get("nullable") is None and "type" not in schema and "allOf" in schema and all(
                    self.resolve(s).get("nullable") for s in schema["allOf"]):
                return
            out.append(f"{where}: null but not nullable")
            return
        for sub in schema.get("allOf", []):
            self._check(value, sub, where, out)
        if "oneOf" in schema:
            passing = [i for i, sub in enumerate(schema["oneOf"]) if not self.errors(value, sub, where)]
            if len(passing) != 1:
                detail = "" if passing else ": " + "; ".join(
                    "|".join(self.errors(value, sub, where)[:2]) for sub in schema["oneOf"])
                out.append(f"{where}: matches {len(passing)} of oneOf's {len(schema['oneOf'])} schemas{detail}")
        if "anyOf" in schema:
            if not any(not self.errors(value, sub, where) for sub in schema["anyOf"]):
                out.append(f"{where}: matches none of anyOf")
        t = schema.get("type")
        if t is not None and not self._type_ok(value, t):
            out.append(f"{where}: expected {t}, got {type(value).__name__} {json.dumps(value)[:80]}")
            return
        if "enum" in schema and value not in schema["enum"]:
            out.append(f"{where}: {json.dumps(value)[:80]} not in enum {schema['enum']}")
        if isinstance(value, bool):
            return
        if isinstance(value, (int, float)):
            if "minimum" in schema:
                lo = schema["minimum"]
                if value < lo or (schema.get("exclusiveMinimum") is True and value == lo):
                    out.append(f"{where}: {value} below minimum {lo}")
            if "maximum" in schema:
                hi = schema["maximum"]
                if value > hi or (schema.get("exclusiveMaximum") is True and value == hi):
                    out.append(f"{where}: {value} above maximum {hi}")
            fmt = schema.get("format")
            if fmt == "int32" and not -2**31 <= value < 2**31:
                out.append(f"{where}: {value} is not int32")
        elif isinstance(value, str):
            if len(value) < schema.get("minLength", 0):
                out.append(f"{where}: shorter than minLength {schema['minLength']}")
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                out.append(f"{where}: longer than maxLength {schema['maxLength']}")
            if "pattern" in schema and not re.search(schema["pattern"], value):
                out.append(f"{where}: {value[:80]!r} does not match {schema['pattern']}")
            fmt = schema.get("format")
            if fmt == "date-time" and not self._datetime_ok(value):
                out.append(f"{where}: {value!r} is not an RFC 3339 date-time")
            elif fmt == "uuid" and not re.fullmatch(
                    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", value):
                out.append(f"{where}: {value!r} is not a uuid")
            elif fmt == "uri" and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
                out.append(f"{where}: {value!r} is not a URI")
        elif isinstance(value, list):
            if len(value) < schema.get("minItems", 0):
                out.append(f"{where}: fewer than minItems {schema['minItems']}")
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                out.append(f"{where}: more than maxItems {schema['maxItems']}")
            if "items" in schema:
                for i, item in enumerate(value):
                    self._check(item, schema["items"], f"{where}[{i}]", out)
        elif isinstance(value, dict):
            for name in schema.get("required", []):
                if name not in value:
                    out.append(f"{where}: missing required property {name!r}")
            props = schema.get("properties", {})
            for name, v in value.items():
                if name in props:
                    self._check(v, props[name], f"{where}.{name}", out)
                else:
                    extra = schema.get("additionalProperties", True)
                    if extra is False:
                        out.append(f"{where}: unexpected property {name!r}")
                    elif isinstance(extra, dict):
                        self._check(v, extra, f"{where}.{name}", out)

    @staticmethod
    def _type_ok(value, t):
        if t == "object":
            return isinstance(value, dict)
        if t == "array":
            return isinstance(value, list)
        if t == "string":
            return isinstance(value, str)
        if t == "boolean":
            return isinstance(value, bool)
        if t == "integer":
            return isinstance(value, int) and not isinstance(value, bool) or (
                isinstance(value, float) and value.is_integer())
        if t == "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        raise AssertionError(f"unknown type {t}")

    @staticmethod
    def _datetime_ok(value):
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))",
                         value)
        if not m:
            return False
        try:
            datetime.datetime(*(int(g) for g in m.groups()[:5]), min(int(m.group(6)), 59))
        except ValueError:
            return False
        return int(m.group(6)) <= 60 and (m.group(9) is None or (int(m.group(9)) < 24 and int(m.group(10)) < 60))


# ---------------------------------------------------------------------------------------------------
# Calls, each checked against the spec.

class Contract:
    def __init__(self, spec, port):
        self.spec = spec
        self.v = Validator(spec)
        self.port = port
        self.ops = {}  # operationId -> (method, path template, operation)
        for path, item in spec["paths"].items():
            for method in METHODS:
                if method in item:
                    op = item[method]
                    assert "operationId" in op, f"{method.upper()} {path} has no operationId"
                    self.ops[op["operationId"]] = (method.upper(), path, op)
        self.mismatches = []
        self.calls = {}  # operationId -> statuses seen

    def raw(self, method, path, body=None, token=ADMIN_TOKEN, content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        payload = r.read()
        result = r.status, {k.lower(): v for k, v in r.getheaders()}, payload
        conn.close()
        return result

    def call(self, op_id, params=None, query=None, body=None, token=ADMIN_TOKEN, expect=None, case="ok"):
        """Calls operation `op_id`, checks the response against the spec, returns (status, parsed body)."""
        method, template, op = self.ops[op_id]
        path = template
        for name, value in (params or {}).items():
            path = path.replace("{" + name + "}", urllib.parse.quote(str(value), safe=""))
        assert "{" not in path, f"{op_id}: path parameter missing in {path}"
        if query:
            path += "?" + urllib.parse.urlencode(query)
        status, headers, payload = self.raw(method, path, body, token)
        parsed = self.check(op_id, op, method, path, status, headers, payload, case)
        self.calls.setdefault(op_id, set()).add(status)
        if expect is not None and status not in (expect if isinstance(expect, (list, tuple, set)) else [expect]):
            self.mismatches.append(f"{op_id} [{case}] {method} {path}: status {status}, expected {expect}: "
                                   f"{payload[:300]!r}")
        return status, parsed

    def check(self, op_id, op, method, path, status, headers, payload, case):
        where = f"{op_id} [{case}] {method} {path} -> {status}"
        responses = op.get("responses", {})
        spec_resp = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if spec_resp is None:
            self.mismatches.append(f"{where}: status not documented (documented: {sorted(responses)}); "
                                   f"body {payload[:300]!r}")
            return self._parse(headers, payload)
        spec_resp = self.v.resolve(spec_resp)
        content = spec_resp.get("content")
        if not content:
            if payload and method != "HEAD":
                self.mismatches.append(f"{where}: documented without a body, got {payload[:200]!r}")
            return None
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in content:
            self.mismatches.append(f"{where}: Content-Type {ctype!r} not documented (documented: {sorted(content)})")
            return self._parse(headers, payload)
        for name, h in (spec_resp.get("headers") or {}).items():
            h = self.v.resolve(h)
            if h.get("required") and name.lower() not in headers:
                self.mismatches.append(f"{where}: required header {name} missing")
        schema = content[ctype].get("schema", {})
        if ctype == "application/json" or ctype.endswith("+json"):
            try:
                value = json.loads(payload)
            except ValueError as e:
                self.mismatches.append(f"{where}: body is not JSON ({e}): {payload[:200]!r}")
                return None
            for err in self.v.errors(value, schema)[:20]:
                self.mismatches.append(f"{where}: {err}")
            if ctype == "application/problem+json" and isinstance(value, dict) and value.get("status") != status:
                self.mismatches.append(f"{where}: problem status {value.get('status')} != HTTP status {status}")
            return value
        if self.v.resolve(schema).get("format") == "binary":
            return payload
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            self.mismatches.append(f"{where}: {ctype} body is not UTF-8 text")
            return payload
        for err in self.v.errors(text, schema)[:5]:
            self.mismatches.append(f"{where}: {err}")
        return text

    @staticmethod
    def _parse(headers, payload):
        try:
            return json.loads(payload)
        except ValueError:
            return payload

    def needs_token(self, op):
        security = op.get("security", self.spec.get("security", []))
        return bool(security) and all(req for req in security)


# ---------------------------------------------------------------------------------------------------
# The scenario: one model driven through ingest, drift, a confirmed breach, its retrain and reports.

def model_config(receiver, name=MODEL):
    return {
        "name": name, "task": "binary_classification",
        "kpis": [{"metric": "accuracy", "min": 0.85}],
        "evaluation": {"window": 500, "min_samples": 200},
        "detectors": [{"type": "adwin"}, {"type": "page_hinkley"}],
        "policy": {"cooldown_seconds": 3600, "max_retrains_per_day": 3},
        "webhook": {"url": receiver.url(), "secret": SECRET},
        "retrain_cost": {"energy_kwh": 40.0, "carbon_intensity_g_per_kwh": 400},
        "reference": {"size": 200},
        "drift": {"window": 200, "every": 200},
    }


def scenario(c, receiver, state):
    status, model = c.call("createModel", body=model_config(receiver), expect=201, case="scenario")
    assert status == 201, model
    # An uploaded reference (same distribution: a shifted one would be a data-quality incident, which
    # vetoes the retrain the scenario needs).
    ref, _ = binary_stream(99, 0, 300, 0.9, prefix="ref")
    c.call("uploadReference", {"model": MODEL}, body=ref, expect=200, case="scenario")
    label_batches = []
    for k in range(8):
        preds, labels = binary_stream(k, k * 250, 250, 0.95 if k < 3 else 0.55)
        c.call("ingestPredictions", {"model": MODEL}, body=preds, expect=200, case="scenario")
        label_batches.append(labels)
    for labels in label_batches:
        c.call("ingestLabels", {"model": MODEL}, body=labels, expect=200, case="scenario")
    status, page = c.call("listRetrains", {"model": MODEL}, {"limit": 1000}, expect=200, case="scenario")
    retrains = page.get("retrains", []) if isinstance(page, dict) else []
    assert retrains, f"the degrading stream requested no retrain: {page}"
    state["retrain_id"] = retrains[0]["id"]
    assert receiver.wait_for(1, 30), "the retrain webhook did not arrive"
    check_webhook(c, receiver.requests[0])
    c.call("reportRetrainStatus", {"model": MODEL, "retrain_id": state["retrain_id"]}, body={"status": "running"},
           expect=200, case="scenario")
    status, token = c.call("createToken", body={"name": "contract-reader", "scopes": ["read"]}, expect=201,
                           case="scenario")
    state["read_token"] = token["token"] if isinstance(token, dict) and "token" in token else None
    status, token = c.call("createToken", body={"name": "contract-ingest", "scopes": ["ingest"], "model": MODEL},
                           expect=201, case="scenario")
    state["ingest_token"] = token.get("token") if isinstance(token, dict) else None


def check_webhook(c, req):
    """The delivered retrain request against x-webhooks' documented headers and body."""
    for name, item in c.spec.get("x-webhooks", {}).items():
        op = item.get("post", {})
        where = f"webhook {op.get('operationId', name)}"
        for p in op.get("parameters", []):
            p = c.v.resolve(p)
            if p.get("in") == "header" and p.get("required") and p["name"].lower() not in req["headers"]:
                c.mismatches.append(f"{where}: required header {p['name']} missing")
        content = c.v.resolve(op.get("requestBody", {})).get("content", {})
        ctype = req["headers"].get("content-type", "").split(";")[0].strip()
        if ctype not in content:
            c.mismatches.append(f"{where}: Content-Type {ctype!r} not documented ({sorted(content)})")
            continue
        try:
            body = json.loads(req["body"])
        except ValueError:
            c.mismatches.append(f"{where}: body is not JSON: {req['body'][:200]!r}")
            continue
        for err in c.v.errors(body, content[ctype].get("schema", {}))[:20]:
            c.mismatches.append(f"{where}: {err}")
        if not verify_signature(SECRET, req["headers"].get("webhook-id", ""), req["headers"].get(
                "webhook-timestamp", ""), req["body"], req["headers"].get("webhook-signature", "")):
            c.mismatches.append(f"{where}: webhook-signature does not verify")


def ui_assets(c):
    """(top-level file, (dir, file)) that /ui's index.html references."""
    status, _, html = c.raw("GET", "/ui", token=None)
    html = html.decode("utf-8", "replace")
    subs = re.findall(r'(?:src|href)="(?:\./|/ui/)?([A-Za-z0-9_-]+)/([A-Za-z0-9_.-]+)"', html)
    tops = re.findall(r'(?:src|href)="(?:\./|/ui/)?([A-Za-z0-9_-][A-Za-z0-9_.-]*\.[a-z]+)"', html)
    return (tops[0] if tops else "index.html"), (subs[0] if subs else ("assets", "missing"))


# ---------------------------------------------------------------------------------------------------
# One recipe per operationId: the successful call(s) the sweep makes. State comes from the scenario.

def r_delete_model(c, s):
    c.call("createModel", body=model_config(s["receiver"], "contract-doomed"), expect=201, case="setup")
    c.call("deleteModel", {"model": "contract-doomed"}, expect=204)


def r_revoke_token(c, s):
    _, tok = c.call("createToken", body={"name": "contract-doomed", "scopes": ["read"]}, expect=201, case="setup")
    c.call("revokeToken", {"id": tok["id"]}, expect=204)
    c.call("revokeToken", {"id": tok["id"]}, expect=[204, 404], case="again")


def r_report_status(c, s):
    c.call("reportRetrainStatus", {"model": MODEL, "retrain_id": s["retrain_id"]},
           body={"status": "succeeded", "model_version": "contract-v2"}, expect=200)
    c.call("reportRetrainStatus", {"model": MODEL, "retrain_id": "00000000-0000-0000-0000-000000000000"},
           body={"status": "running"}, expect=404, case="unknown retrain")


def r_replace_model(c, s):
    cfg = model_config(s["receiver"])
    del cfg["name"]
    cfg["webhook"] = {"url": s["receiver"].url()}  # PUT keeps the stored secret
    c.call("replaceModel", {"model": MODEL}, body=cfg, expect=200)


def r_patch_model(c, s):
    _, before = c.call("getModel", {"model": MODEL}, expect=200, case="before patch")
    status, after = c.call("patchModel", {"model": MODEL}, body={"policy": {"cooldown_seconds": 1800}}, expect=200)
    if status == 200 and isinstance(after, dict) and isinstance(before, dict):
        if after["policy"]["cooldown_seconds"] != 1800 or after["kpis"] != before["kpis"] or \
                after["detectors"] != before["detectors"]:
            c.mismatches.append(f"patchModel: changed more than the patched member: {before} -> {after}")
    c.call("patchModel", {"model": MODEL}, body={"task": "regression", "kpis": [{"metric": "mae", "max": 1}]},
           expect=409, case="task change")
    c.call("patchModel", {"model": MODEL}, body={"evaluation": {"window": 0}}, expect=400, case="invalid")


def r_backtest(c, s):
    cfg = model_config(s["receiver"])
    del cfg["name"], cfg["webhook"]
    cfg["kpis"] = [{"metric": "accuracy", "min": 0.8}]
    c.call("backtestPolicy", {"model": MODEL}, body={"config": cfg, "assume_retrain_hours": 1}, expect=200)


GRID = {"region": "contract", "points": [{"at": "2026-11-23T06:00:00Z", "g_per_kwh": 420},
                                        {"at": "2026-11-23T07:00:00Z", "g_per_kwh": 110}]}
HISTORY = {"from": "2026-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z", "limit": 2}


def r_paged(op_id, model=True):
    def recipe(c, s):
        params = {"model": MODEL} if model else {}
        status, page = c.call(op_id, params, {"limit": 2}, expect=200)
        cursor = page.get("next_cursor") if isinstance(page, dict) else None
        if cursor:
            c.call(op_id, params, {"limit": 2, "cursor": cursor}, expect=200, case="page 2")
        c.call(op_id, params, HISTORY, expect=200, case="from/to")
        c.call(op_id, params, {"cursor": "not-a-cursor"}, expect=400, case="bad cursor")
    return recipe


RECIPES = {
    "getHealth": lambda c, s: c.call("getHealth", token=None, expect=200),
    "getReadiness": lambda c, s: c.call("getReadiness", token=None, expect=200),
    "getMetrics": lambda c, s: c.call("getMetrics", token=None, expect=200),
    "getUi": lambda c, s: c.call("getUi", token=None, expect=200),
    "getUiIndex": lambda c, s: c.call("getUiIndex", token=None, expect=200),
    "getUiFile": lambda c, s: (c.call("getUiFile", {"asset": s["ui"][0]}, token=None, expect=200),
                               c.call("getUiFile", {"asset": "no-such-file.js"}, token=None, expect=404,
                                      case="missing")),
    "getUiSubfolderFile": lambda c, s: (c.call("getUiSubfolderFile", {"dir": s["ui"][1][0], "asset": s["ui"][1][1]},
                                               token=None, expect=200),
                                        c.call("getUiSubfolderFile", {"dir": "assets", "asset": "nope.js"},
                                               token=None, expect=404, case="missing")),
    "createModel": lambda c, s: c.call("createModel", body=model_config(s["receiver"]), expect=409,
                                       case="duplicate"),
    "listModels": lambda c, s: c.call("listModels", expect=200),
    "getModel": lambda c, s: c.call("getModel", {"model": MODEL}, expect=200),
    "replaceModel": r_replace_model,
    "patchModel": r_patch_model,
    "deleteModel": r_delete_model,
    "ingestPredictions": lambda c, s: (
        c.call("ingestPredictions", {"model": MODEL}, body=binary_stream(7, 0, 3, 0.5)[0], expect=200,
               case="duplicates"),
        c.call("ingestPredictions", {"model": MODEL}, body={"records": [{"id": "bad"}]}, expect=400, case="invalid"),
        c.call("ingestPredictions", {"model": MODEL}, body=binary_stream(8, 5000, 2, 0.5)[0],
               token=s["ingest_token"], expect=200, case="ingest token")),
    "ingestLabels": lambda c, s: (
        c.call("ingestLabels", {"model": MODEL}, body=binary_stream(7, 0, 3, 0.5)[1], expect=200, case="duplicates"),
        c.call("ingestLabels", {"model": MODEL}, body={"records": [{"id": 1}]}, expect=400, case="invalid")),
    "listDecisions": r_paged("listDecisions"),
    "listMetrics": r_paged("listMetrics"),
    "listSegments": lambda c, s: c.call("listSegments", {"model": MODEL}, expect=200),
    "listDriftEvents": r_paged("listDriftEvents"),
    "listRetrains": r_paged("listRetrains"),
    # A replacement that reuses record ids of the scenario's reference: the old rows' keys must not collide with the new ones.
    "uploadReference": lambda c, s: c.call("uploadReference", {"model": MODEL},
                                           body=binary_stream(5, 0, 50, 0.9, prefix="ref")[0], expect=200),
    "reportRetrainStatus": r_report_status,
    "backtestPolicy": r_backtest,
    "suggestThresholds": lambda c, s: (
        c.call("suggestThresholds", {"model": MODEL}, body={}, expect=200),
        c.call("suggestThresholds", {"model": MODEL}, body={"tolerance": {"absolute": 0.05}, "kpis": ["accuracy", "f1"]},
               token=s["read_token"], expect=200, case="read token"),
        c.call("suggestThresholds", {"model": MODEL}, body={"tolerance": {"absolute": 2}}, expect=400,
               case="bad tolerance")),
    "modelSustainability": lambda c, s: (c.call("modelSustainability", {"model": MODEL}, expect=200),
                                         c.call("modelSustainability", {"model": MODEL},
                                                {k: HISTORY[k] for k in ("from", "to")}, expect=200, case="from/to"),
                                         c.call("modelSustainability", {"model": MODEL}, {"limit": 2}, expect=400,
                                                case="unknown query parameter")),
    "fleetSustainability": lambda c, s: (c.call("fleetSustainability", expect=200),
                                         c.call("fleetSustainability", query={"from": "yesterday"}, expect=400,
                                                case="bad from")),
    "createToken": lambda c, s: (c.call("createToken", body={"name": "x", "scopes": ["root"]}, expect=400,
                                        case="bad scope"),
                                 c.call("createToken", body={"name": "r", "scopes": ["read"]},
                                        token=s["read_token"], expect=403, case="read token")),
    "listTokens": lambda c, s: (c.call("listTokens", expect=200),
                                c.call("listTokens", token=s["ingest_token"], expect=403, case="ingest token")),
    "revokeToken": r_revoke_token,
    "listAudit": r_paged("listAudit", model=False),
    "replaceGridForecast": lambda c, s: (
        c.call("replaceGridForecast", body=GRID, expect=200),
        c.call("replaceGridForecast", body={"points": [GRID["points"][1], GRID["points"][0]]}, expect=400,
               case="unordered")),
    "getGridForecast": lambda c, s: (c.call("getGridForecast", {}, {"region": "contract"}, expect=200),
                                     c.call("getGridForecast", expect=200, case="default region")),
}


def error_cases(c, op_id, s):
    """401 without a token, 404 for an unknown model, 400 for a bad limit, each checked against the spec."""
    method, template, op = c.ops[op_id]
    params = {"model": UNKNOWN_MODEL, "retrain_id": s.get("retrain_id") or "00000000-0000-0000-0000-000000000000",
              "id": "00000000-0000-0000-0000-000000000000", "asset": "x.js", "dir": "assets"}
    body = None
    if op.get("requestBody"):
        body = REQUEST_BODIES.get(op_id, {})
    if c.needs_token(op):
        c.call(op_id, params if "{model}" not in template else dict(params, model=MODEL), body=body, token=None,
               expect=401, case="no token")
        c.call(op_id, params if "{model}" not in template else dict(params, model=MODEL), body=body,
               token="dg_not_a_real_token", expect=401, case="unknown token")
    if "{model}" in template:
        c.call(op_id, params, body=body, expect=404, case="unknown model")
    names = {c.v.resolve(p).get("name") for p in c.spec["paths"][template].get("parameters", []) + op.get(
        "parameters", [])}
    if "limit" in names:
        c.call(op_id, dict(params, model=MODEL), {"limit": 0}, expect=400, case="limit=0")


def enum_query_values(c, op_id, s):
    """A GET's query parameters with an enum (e.g. a `kind`): each value once, each answer checked."""
    method, template, op = c.ops[op_id]
    if method != "GET":
        return
    for p in c.spec["paths"][template].get("parameters", []) + op.get("parameters", []):
        p = c.v.resolve(p)
        schema = c.v.resolve(p.get("schema", {}))
        if p.get("in") == "query" and "enum" in schema:
            for value in schema["enum"]:
                c.call(op_id, {"model": MODEL}, {p["name"]: value}, expect=200, case=f"{p['name']}={value}")


REQUEST_BODIES = {}


def media_examples(media):
    """The example values of a media type or parameter object (`example` and `examples.*.value`)."""
    out = []
    if "example" in media:
        out.append(("example", media["example"]))
    for name, ex in (media.get("examples") or {}).items():
        out.append((name, ex.get("value")))
    return out


def check_examples(c):
    """Every example openapi.yaml documents validates against the schema it illustrates."""
    def check(where, value, schema):
        for err in c.v.errors(value, schema)[:5]:
            c.mismatches.append(f"documented example {where}: {err}")

    for path, item in c.spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            for p in item.get("parameters", []) + op.get("parameters", []):
                p = c.v.resolve(p)
                for name, value in media_examples(p):
                    check(f"{method.upper()} {path} parameter {p['name']} ({name})", value, p.get("schema", {}))
            body = c.v.resolve(op.get("requestBody", {}))
            for ctype, media in body.get("content", {}).items():
                for name, value in media_examples(media):
                    check(f"{method.upper()} {path} request {ctype} ({name})", value, media.get("schema", {}))
            for status, resp in op.get("responses", {}).items():
                for ctype, media in c.v.resolve(resp).get("content", {}).items():
                    for name, value in media_examples(media):
                        check(f"{method.upper()} {path} {status} {ctype} ({name})", value, media.get("schema", {}))
    for name, schema in c.spec["components"]["schemas"].items():
        if "example" in schema:
            check(f"schema {name}", schema["example"], schema)
    for name, resp in c.spec["components"].get("responses", {}).items():
        for ctype, media in resp.get("content", {}).items():
            for ex_name, value in media_examples(media):
                check(f"response {name} {ctype} ({ex_name})", value, media.get("schema", {}))


def send_examples(c):
    """The documented request examples of the model's life cycle, sent as they are, are accepted: the model
    example is created, fed its prediction and label examples, patched with the patch example, deleted."""
    def example(op_id):
        _, _, op = c.ops[op_id]
        content = c.v.resolve(op.get("requestBody", {})).get("content", {})
        return next(media["example"] for media in content.values() if "example" in media)

    model = example("createModel")
    name = model["name"]
    c.call("createModel", body=model, expect=201, case="documented example")
    c.call("ingestPredictions", {"model": name}, body=example("ingestPredictions"), expect=200,
           case="documented example")
    status, result = c.call("ingestLabels", {"model": name}, body=example("ingestLabels"), expect=200,
                            case="documented example")
    if status == 200 and result.get("unmatched") != 0:
        c.mismatches.append(f"documented label example does not match the prediction example: {result}")
    c.call("patchModel", {"model": name}, body=example("patchModel"), expect=200, case="documented example")
    c.call("deleteModel", {"model": name}, expect=204, case="documented example")


def main(binary):
    with open(SPEC_PATH) as f:
        spec = yaml.safe_load(f)
    db, receiver = FreshDatabase(), Receiver()
    server = None
    try:
        server = Server(binary, db.url)
        c = Contract(spec, server.port)
        missing = sorted(op for op in c.ops if op not in RECIPES)
        stale = sorted(op for op in RECIPES if op not in c.ops)
        state = {"receiver": receiver}
        try:
            scenario(c, receiver, state)
        except AssertionError:
            print("the scenario failed; contract problems so far:\n  - " + "\n  - ".join(c.mismatches))
            raise
        state["ui"] = ui_assets(c)
        REQUEST_BODIES.update({
            "createModel": model_config(receiver, "contract-unauth"),
            "replaceModel": {k: v for k, v in model_config(receiver).items() if k != "name"},
            "patchModel": {"policy": {"cooldown_seconds": 60}},
            "ingestPredictions": binary_stream(1, 0, 1, 0.5)[0],
            "ingestLabels": binary_stream(1, 0, 1, 0.5)[1],
            "uploadReference": binary_stream(1, 0, 20, 0.5)[0],
            "reportRetrainStatus": {"status": "running"},
            "suggestThresholds": {},
            "backtestPolicy": {"config": {"task": "binary_classification",
                                          "kpis": [{"metric": "accuracy", "min": 0.85}]}},
            "createToken": {"name": "t", "scopes": ["read"]},
            "replaceGridForecast": GRID,
        })
        for op_id in c.ops:
            if op_id in RECIPES:
                RECIPES[op_id](c, state)
        for op_id in c.ops:
            enum_query_values(c, op_id, state)
            error_cases(c, op_id, state)
        # 405: a method no operation on the path documents.
        for path, item in spec["paths"].items():
            ops = [item[m] for m in METHODS if m in item]
            some = next(op for op in ops if "405" in op.get("responses", {})) if any(
                "405" in op.get("responses", {}) for op in ops) else ops[0]
            concrete = path
            for name, value in {"model": MODEL, "retrain_id": state["retrain_id"], "asset": state["ui"][0],
                                "dir": state["ui"][1][0], "id": "00000000-0000-0000-0000-000000000000"}.items():
                concrete = concrete.replace("{" + name + "}", value)
            wrong = next(m for m in ("PATCH", "PUT", "DELETE", "POST") if m.lower() not in item)
            status, headers, payload = c.raw(wrong, concrete, {})
            c.check(some["operationId"], some, wrong, concrete, status, headers, payload, "wrong method")
            if status != 405:
                c.mismatches.append(f"{wrong} {concrete}: {status}, expected 405")
        check_examples(c)
        send_examples(c)
        uncalled = sorted(op for op in c.ops if op in RECIPES and not any(
            200 <= st < 300 for st in c.calls.get(op, ())) and op != "createModel")
        problems = list(c.mismatches)
        if missing:
            problems.append(f"operations in openapi.yaml without a recipe in {os.path.basename(__file__)} "
                            f"RECIPES: {', '.join(missing)}")
        if stale:
            problems.append(f"recipes for operations no longer in openapi.yaml: {', '.join(stale)}")
        if uncalled:
            problems.append(f"operations never answered 2xx: {', '.join(uncalled)}")
        total = sum(len(v) for v in c.calls.values())
        for op_id in c.ops:
            print(f"  {op_id}: statuses {sorted(c.calls.get(op_id, ()))}")
        if problems:
            print(f"FAIL: {len(problems)} contract problem(s) over {len(c.ops)} operations:")
            for p in problems:
                print("  -", p)
            sys.exit(1)
        assert server.stop() == 0, "server did not exit cleanly"
        print(f"ok: {len(c.ops)} operations, {total} distinct (operation, status) pairs, all as documented")
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        receiver.close()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
