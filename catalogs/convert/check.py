#!/usr/bin/env python3
"""Checks the generated catalogs/spec/*.yaml against the rules of spec format version 2 that do
not need errspec itself: plain YAML (no anchors or aliases, bounded nesting and node count),
`version: 2` first, unique codes, aliases that are no other code's wire value, unique and usable
variant names, defined categories and statuses. Needs PyYAML."""

import pathlib
import re
import sys

import yaml

SPEC = pathlib.Path(__file__).resolve().parent.parent / "spec"
SEVERITIES = {"error", "warning", "info", "success"}
CODE_INFERRED = {"status", "category", "message", "description", "solution", "envelope", "retry"}


def structure(path):
    depth = max_depth = nodes = 0
    with open(path, encoding="utf-8") as f:
        for ev in yaml.parse(f, Loader=yaml.SafeLoader):
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
                raise SystemExit(f"{path.name}: anchor or alias at {ev.start_mark}")
            if isinstance(ev, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                nodes += 1
            if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                max_depth = max(max_depth, depth)
            elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    return max_depth, nodes


def check(path):
    problems = []
    max_depth, nodes = structure(path)
    if max_depth >= 64:
        problems.append(f"nesting {max_depth}")
    if nodes > 250_000:
        problems.append(f"{nodes} nodes")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if next(iter(spec)) != "version" or spec["version"] != 2:
        problems.append("`version: 2` is not the first key")
    api = spec["api"]
    integer = api["code_type"] == "integer"
    statuses = {s["status"] for s in spec.get("statuses") or []}
    categories = {c["id"] for c in spec.get("categories") or []}
    envelopes = spec["envelopes"]
    if not envelopes:
        problems.append("no envelope")
    wire, variants = {}, {}
    codes = spec["codes"]
    for i, c in enumerate(codes):
        code = c["code"]
        if integer and (not isinstance(code, int) or isinstance(code, bool) or not 0 <= code <= 4294967295):
            problems.append(f"codes[{i}]: {code!r} is not a u32")
        if not integer and not isinstance(code, str):
            problems.append(f"codes[{i}]: {code!r} is not a string")
        for value in [code, *c.get("aliases", [])]:
            key = str(value)
            if integer and isinstance(value, str) and re.fullmatch(r"\d+", value):
                problems.append(f"codes[{i}]: alias {value!r} is digits in quotes")
            if key in wire:
                problems.append(f"codes[{i}]: wire value {key} also belongs to codes[{wire[key]}]")
            wire[key] = i
        v = c.get("variant")
        if v is not None:
            if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", v) or v in ("Self", "Unknown"):
                problems.append(f"codes[{i}]: variant {v!r} unusable")
            if v in variants:
                problems.append(f"codes[{i}]: variant {v} also codes[{variants[v]}]")
            variants[v] = i
        if "status" in c and c["status"] not in statuses:
            problems.append(f"codes[{i}]: status {c['status']} not listed")
        if "category" in c and c["category"] not in categories:
            problems.append(f"codes[{i}]: category {c['category']} not defined")
        if c.get("severity", "error") not in SEVERITIES:
            problems.append(f"codes[{i}]: severity {c['severity']!r}")
        if not isinstance(c.get("message"), str) or not c["message"]:
            problems.append(f"codes[{i}]: no message")
        bad = set(c.get("inferred", [])) - CODE_INFERRED
        if bad:
            problems.append(f"codes[{i}]: inferred {sorted(bad)}")
    sev = {}
    for c in codes:
        sev[c.get("severity", "error")] = sev.get(c.get("severity", "error"), 0) + 1
    aliases = sum(len(c.get("aliases", [])) for c in codes)
    with_status = sum(1 for c in codes if "status" in c)
    print(
        f"{path.name}: {len(codes)} codes, {aliases} aliases, {len(statuses)} statuses "
        f"({with_status} codes with one), {len(categories)} categories, severities {sev}, "
        f"{nodes} YAML nodes, depth {max_depth}, {path.stat().st_size} bytes"
    )
    for p in problems:
        print(f"  problem: {p}")
    return not problems


if __name__ == "__main__":
    ok = all([check(p) for p in sorted(SPEC.glob("*.yaml"))])
    sys.exit(0 if ok else 1)
