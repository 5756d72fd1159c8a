#!/usr/bin/env python3
"""Runs the criterion benchmarks of errspec-benches several times and prints, as Markdown, the
median of each benchmark and each ratio the targets are stated in.

Every ratio is computed within one run (both sides measured minutes apart at most, under the
same background load), then the median of those per-run ratios is reported with its range.

usage: python3 benches/report.py [--runs N] [--bench runtime|codegen|all] [--with-100k]
"""

import argparse
import glob
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def target_dir():
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    return json.loads(meta.stdout)["target_directory"]


def collect(criterion_dir, since):
    """full_id -> (median ns per iteration, elements per iteration or None), for the results
    written since `since` (earlier ones are from other runs)."""
    out = {}
    for path in glob.glob(os.path.join(criterion_dir, "**", "new", "benchmark.json"), recursive=True):
        estimates_path = os.path.join(os.path.dirname(path), "estimates.json")
        if os.path.getmtime(estimates_path) < since:
            continue
        with open(path) as f:
            bench = json.load(f)
        with open(estimates_path) as f:
            estimates = json.load(f)
        throughput = bench.get("throughput") or {}
        out[bench["full_id"]] = (estimates["median"]["point_estimate"], throughput.get("Elements"))
    return out


# (label, numerator id, denominator id, target, "<=" or "<")
def ratios(ids):
    rows = []
    for api in ["hms_sovereign", "sinch_voice", "sinch_numbers", "bench_int"]:
        for kind in ["str", "u32"]:
            g = f"lookup_{kind}/{api}"
            if f"{g}/errspec" not in ids:
                continue
            fn = "from_wire" if kind == "str" else "from_u32"
            rows.append((f"`{fn}` {api}: errspec / hand match", f"{g}/errspec", f"{g}/hand_match", 1.2, "<="))
            rows.append((f"`{fn}` {api}: errspec / HashMap", f"{g}/errspec", f"{g}/hashmap", 1.0, "<"))
    for api in ["hms_sovereign", "sinch_voice", "sinch_numbers", "bench_int"]:
        g = f"from_response/{api}"
        if f"{g}/errspec" in ids:
            rows.append((f"`from_response` {api}: errspec / serde derive", f"{g}/errspec", f"{g}/serde_derive", 1.3, "<="))
            rows.append((f"`from_response` {api}: `Value` tree alone / serde derive", f"{g}/serde_value", f"{g}/serde_derive", None, None))
    for n in [1000, 10000, 100000]:
        base = f"codegen/yaml_value/{n}"
        if base not in ids:
            continue
        rows.append((f"{n} codes: parse / YAML Value", f"codegen/parse/{n}", base, None, None))
        rows.append((f"{n} codes: generate_rust alone / YAML Value", f"codegen/generate/{n}", base, None, None))
        rows.append((f"{n} codes: parse + Rust / YAML Value", f"codegen/rust/{n}", base, 3.0 if n == 10000 else None, "<="))
        rows.append((f"{n} codes: parse + Rust + Markdown / YAML Value", f"codegen/rust_docs/{n}", base, 3.0 if n == 10000 else None, "<="))
    for small, big in [(1000, 10000), (10000, 100000)]:
        for stage in ["rust", "rust_docs", "generate", "yaml_value", "parse"]:
            a, b = f"codegen/{stage}/{big}", f"codegen/{stage}/{small}"
            if a in ids and b in ids:
                target = 11.0 if stage in ("rust", "rust_docs") and small == 1000 else None
                rows.append((f"{stage}: {big} codes / {small} codes", a, b, target, "<=" if target else None))
    return [r for r in rows if r[1] in ids and r[2] in ids]


def fmt_time(ns):
    for unit, scale in [("s", 1e9), ("ms", 1e6), ("µs", 1e3)]:
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bench", choices=["runtime", "codegen", "all"], default="all")
    parser.add_argument("--with-100k", action="store_true", help="also the 100,000-code spec (slow)")
    args = parser.parse_args()
    benches = ["runtime", "codegen"] if args.bench == "all" else [args.bench]
    env = dict(os.environ)
    if args.with_100k:
        env["ERRSPEC_BENCH_100K"] = "1"
    criterion_dir = os.path.join(target_dir(), "criterion")

    runs = []
    for run in range(args.runs):
        since = time.time()
        for bench in benches:
            print(f"run {run + 1}/{args.runs}: cargo bench --bench {bench}", file=sys.stderr, flush=True)
            subprocess.run(
                ["cargo", "bench", "-q", "-p", "errspec-benches", "--bench", bench],
                cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
            )
        runs.append(collect(criterion_dir, since))

    ids = set.intersection(*(set(r) for r in runs))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    rustc = subprocess.run(["rustc", "-V"], capture_output=True, text=True).stdout.strip()
    print(f"Machine: {os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, {rustc}; "
          f"load average after the runs: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.runs} runs.\n")

    print("| benchmark | median of per-run medians | per element | runs (min–max) |")
    print("|---|---:|---:|---:|")
    for full_id in sorted(ids):
        values = [r[full_id][0] for r in runs]
        elements = runs[0][full_id][1]
        per = fmt_time(statistics.median(values) / elements) if elements else ""
        print(f"| `{full_id}` | {fmt_time(statistics.median(values))} | {per} | "
              f"{fmt_time(min(values))} – {fmt_time(max(values))} |")

    print("\n| ratio (same run) | median | range over runs | target | met |")
    print("|---|---:|---:|---:|:---:|")
    for label, num, den, target, op in ratios(ids):
        values = [r[num][0] / r[den][0] for r in runs]
        med = statistics.median(values)
        if target is None:
            verdict, shown = "", ""
        else:
            ok = med <= target if op == "<=" else med < target
            verdict, shown = ("yes" if ok else "**no**"), f"{op} {target:g}"
        print(f"| {label} | {med:.3f} | {min(values):.3f} – {max(values):.3f} | {shown} | {verdict} |")


if __name__ == "__main__":
    main()
