#!/usr/bin/env python3
"""Where the compile time of a generated module goes, and what table-driven lookups would
save: builds errspec's module for an N-code spec as generated and with parts of it rewritten,
next to the thiserror + strum peer, and times `cargo build --release` of each crate alone.

Variants (text rewrites of the generated module, so they follow the emitter's current output
and stop with a message if it changes shape):
  full         as generated
  no_docs      without the `///` docs of the ErrorCode variants (what docs cost)
  tables       `lookup`/`from_wire` and `from_u32` read static hash tables (benches/src/table.rs)
               instead of `match`ing, and `as_u32` a static array
  tables_debug `tables`, and `Debug` for ErrorCode from a static table of names instead of
               the derive's one-arm-per-variant `match`
  tables_repr  `tables_debug`, and `#[repr(u16)]` on ErrorCode: `index()` reads the
               discriminant and `Clone` copies known codes, neither `match`es over every variant
  tables_repr_compact
               `tables_repr`, with `CODE_INFO` as parallel static arrays: each string field
               packed into one string with end offsets, every other field (status, category,
               policy, limit) as a `u8` index into a table of its distinct values
  tables_repr_no_info
               `tables_repr` without the per-code metadata table `CODE_INFO`
  ten_codes    the module of a 10-code spec, as generated: the fixed cost of a module
  peer         the thiserror + strum derive enum (benches/compile_time.sh's peer)

Rounds go through every variant in turn, so all see the same background load; the medians of
wall and CPU time (user + system of cargo and rustc) are printed with each one's ratio to the
peer.

usage: python3 benches/ablate.py [N] [ROUNDS]      (defaults: 1000 codes, 5 rounds)
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def block(text, header):
    """(start of header, index of its opening brace, index of the matching closing brace)."""
    start = text.index(header)
    open_ = text.index("{", start)
    depth = 0
    for k in range(open_, len(text)):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return start, open_, k
    raise ValueError(header)


def replace_body(text, header, body):
    _, open_, close = block(text, header)
    return text[:open_] + "{\n" + body + "\n}" + text[close + 1:]


SOME, NONE = "::core::option::Option::Some", "::core::option::Option::None"


def no_docs(t):
    a, b = t.index("pub enum ErrorCode {"), t.index("impl ErrorCode {")
    kept = [l for l in t[a:b].split("\n") if not l.strip().startswith("///")]
    return t[:a] + "\n".join(kept) + t[b:]


def tables(t):
    t = replace_body(t, "pub fn lookup(raw: &str) -> (Self, bool)", f"""
        match crate::tables::index(raw) {{
            {SOME}(i) => {{
                let code = ErrorCode::ALL[i].clone();
                let alias = code.as_str() != raw;
                (code, alias)
            }}
            {NONE} => (ErrorCode::Unknown(::errspec::UnknownCode::new(raw)), false),
        }}""")
    t = replace_body(t, "pub fn from_u32(n: u32) -> Self", f"""
        match crate::tables::index_u32(n) {{
            {SOME}(i) => ErrorCode::ALL[i].clone(),
            {NONE} => ErrorCode::Unknown(::errspec::UnknownCode::new(&n.to_string())),
        }}""")
    t = replace_body(t, "pub fn as_u32(&self) -> ::core::option::Option<u32>", f"""
        match self.index() {{
            {SOME}(i) => {SOME}(crate::tables::NUMBERS[i]),
            {NONE} => self.as_str().parse().ok(),
        }}""")
    return t


def tables_debug(t):
    t = tables(t)
    derive = "#[derive(Clone, Debug, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum ErrorCode"
    if derive not in t:
        raise ValueError("ErrorCode's derive list")
    t = t.replace(derive, derive.replace("Clone, Debug,", "Clone,"))
    start = t.index("pub const ALL: &'static [ErrorCode] = &[")
    names = re.findall(r"ErrorCode::(\w+)", t[start:t.index("];", start)])
    listed = ", ".join(f'"{n}"' for n in names)
    return t + f"""
static __NAMES: [&str; {len(names)}] = [{listed}];
impl ::core::fmt::Debug for ErrorCode {{
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{
        match (self, self.index()) {{
            (_, {SOME}(i)) => f.write_str(__NAMES[i]),
            (ErrorCode::Unknown(raw), _) => f.debug_tuple("Unknown").field(raw).finish(),
            _ => ::core::result::Result::Ok(()),
        }}
    }}
}}
"""


def tables_repr(t):
    """`tables_debug`, with `#[repr(u16)]` on ErrorCode so that `index()` reads the
    discriminant instead of `match`ing, and `Clone` copies known codes instead of `match`ing."""
    t = tables_debug(t)
    head = "#[derive(Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum ErrorCode"
    t = t.replace(head, "#[derive(PartialEq, Eq, Hash)]\n#[non_exhaustive]\n#[repr(u16)]\npub enum ErrorCode")
    t = replace_body(t, "fn index(&self) -> ::core::option::Option<usize>", f"""
        match self {{
            ErrorCode::Unknown(_) => {NONE},
            // SAFETY: `#[repr(u16)]` puts the discriminant first, and the variants are
            // numbered 0, 1, ... in `ALL`'s order.
            _ => {SOME}(unsafe {{ *(self as *const Self).cast::<u16>() }} as usize),
        }}""")
    return t + """
impl ::core::clone::Clone for ErrorCode {
    fn clone(&self) -> Self {
        match self {
            ErrorCode::Unknown(raw) => ErrorCode::Unknown(raw.clone()),
            // SAFETY: every other variant is a bare discriminant that owns nothing.
            _ => unsafe { ::core::ptr::read(self) },
        }
    }
}
"""


def tables_repr_no_info(t):
    """`tables_repr` without the per-code table (`CODE_INFO`): what the metadata costs."""
    t = tables_repr(t)
    start = t.index("static CODE_INFO")
    end = t.index("];\n", start)
    t = t[:start] + "static CODE_INFO: [CodeInfo; 0] = [];" + t[end + 2:]
    return replace_body(t, "fn info(&self) -> ::core::option::Option<&'static CodeInfo>", f"let _ = self;\n{NONE}")


LIT = r'"(?:[^"\\]|\\.)*"'


def tables_repr_compact(t):
    """`tables_repr`, with the per-code metadata as parallel static arrays (each string field
    packed into one string with end offsets, every other field as a `u8` index into a small
    table of its distinct values) instead of one struct literal per code."""
    t = tables_repr(t)
    struct = t[t.index("struct CodeInfo {"):]
    fields = re.findall(r"\n    (\w+): ([^\n]*),", struct[:struct.index("\n}")])
    start = t.index("static CODE_INFO")
    end = t.index("];\n", start) + 2
    entries = re.findall(r"CodeInfo \{(.*?)\n    \}", t[start:end], re.S)
    if not entries or not fields:
        raise ValueError("CODE_INFO's entries")
    names = [f for f, _ in fields]
    cols = {f: [] for f in names}
    for e in entries:
        e = e + "\n"
        for i, f in enumerate(names):
            nxt = names[i + 1] + ":" if i + 1 < len(names) else None
            m = re.search(r"\n        " + f + r": (.*?)" + (r"\n        " + nxt if nxt else r"\n$"), e, re.S)
            if not m:
                raise ValueError(f"CODE_INFO's `{f}`")
            cols[f].append(" ".join(m.group(1).split()).rstrip(","))

    def some(v):
        m = re.fullmatch(r"::core::option::Option::Some\((.*)\)", v)
        return m.group(1).strip().rstrip(",").strip() if m else None

    def text(value):
        if not re.fullmatch(LIT, value) or "\\" in value:
            raise ValueError("a string with escapes")
        return value[1:-1]

    out, init = "", []
    for f, ty in fields:
        name = "__" + f.upper()
        values = cols[f]
        optional = ty.startswith("::core::option::Option<")
        if optional:
            values = [some(v) for v in values]
        if ty.endswith("&'static str") or ty.endswith("&'static str>"):
            ends, joined, total = [], [], 0
            for v in values:
                if v is None:
                    ends.append(0xFFFF_FFFF)
                    continue
                v = text(v)
                joined.append(v)
                total += len(v.encode())
                ends.append(total)
            out += f'static {name}: &str = "{"".join(joined)}";\n'
            out += f"static {name}_END: [u32; {len(ends)}] = [{', '.join(map(str, ends))}];\n"
            get = f"__text({name}, &{name}_END, i)"
            init.append(f"{f}: {get}" if optional else f'{f}: {get}.unwrap_or("")')
        else:
            inner = ty[len("::core::option::Option<"):-1] if optional else ty
            table = sorted({v for v in values if v is not None})
            idx = [table.index(v) if v is not None else 255 for v in values]
            out += f"static {name}: [u8; {len(idx)}] = [{', '.join(map(str, idx))}];\n"
            out += f"static {name}_ALL: [{inner}; {len(table)}] = [{', '.join(table)}];\n"
            get = f"__pick(&{name}_ALL, {name}[i])"
            init.append(f"{f}: {get}" if optional else f"{f}: {name}_ALL[{name}[i] as usize]")
    out += """
fn __text(all: &'static str, ends: &[u32], i: usize) -> ::core::option::Option<&'static str> {
    let end = ends[i];
    if end == u32::MAX {
        return ::core::option::Option::None;
    }
    let start = ends[..i].iter().rev().find(|&&e| e != u32::MAX).copied().unwrap_or(0);
    all.get(start as usize..end as usize)
}

fn __pick<T: Copy>(all: &[T], at: u8) -> ::core::option::Option<T> {
    all.get(at as usize).copied()
}
"""
    t = t[:start] + out + t[end:]
    t = t.replace("fn info(&self) -> ::core::option::Option<&'static CodeInfo>",
                  "fn info(&self) -> ::core::option::Option<CodeInfo>")
    fields_init = ",\n            ".join(init)
    return replace_body(t, "fn info(&self) -> ::core::option::Option<CodeInfo>", f"""
        let i = self.index()?;
        {SOME}(CodeInfo {{
            {fields_init},
        }})""")


VARIANTS = {
    "full": lambda t: t,
    "no_docs": no_docs,
    "tables": tables,
    "tables_debug": tables_debug,
    "tables_repr": tables_repr,
    "tables_repr_compact": tables_repr_compact,
    "tables_repr_no_info": tables_repr_no_info,
}


def run(cmd, cwd, env=None):
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    run(["cargo", "build", "--quiet", "--release", "-p", "errspec-benches", "--bin", "errspec-bench-gen"], ROOT)
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout
    gen = os.path.join(re.search(r'"target_directory":"([^"]*)"', meta).group(1), "release", "errspec-bench-gen")
    work = tempfile.mkdtemp(prefix="errspec-ablate.")
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(work, "target"))
    try:
        ours = os.path.join(work, "generated.rs")
        table = os.path.join(work, "tables.rs")
        run([gen, "ours", "int", str(n), ours], ROOT)
        run([gen, "table", "int", str(n), table], ROOT)
        generated = open(ours).read()
        tables_rs = open(table).read().replace("static NUMBERS", "pub(crate) static NUMBERS")
        # The run-time half of benches/src/table.rs: its hash functions, not its emitter.
        table_src = open(os.path.join(ROOT, "benches", "src", "table.rs")).read()
        hash_fns = table_src[:table_src.index("fn fill(")].replace("use std::fmt::Write as _;", "")
        crates = {}
        for name, rewrite in VARIANTS.items():
            try:
                text = rewrite(generated)
            except ValueError as err:
                print(f"{name}: skipped, the generated module has changed shape ({err})", file=sys.stderr)
                continue
            crate = os.path.join(work, name)
            os.makedirs(os.path.join(crate, "src"))
            open(os.path.join(crate, "Cargo.toml"), "w").write(
                f'[package]\nname = "ablate-{name.replace("_", "-")}"\nversion = "0.0.0"\nedition = "2021"\n'
                f'publish = false\n\n[dependencies]\nerrspec = {{ path = "{ROOT}" }}\n\n[workspace]\n')
            shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(crate, "Cargo.lock"))
            open(os.path.join(crate, "src", "api.rs"), "w").write(text)
            lib = "#![allow(missing_docs, dead_code)]\npub mod api;\n"
            if name.startswith("tables"):
                open(os.path.join(crate, "src", "table.rs"), "w").write(hash_fns)
                open(os.path.join(crate, "src", "tables.rs"), "w").write(tables_rs)
                lib += "pub mod table;\npub mod tables;\n"
            open(os.path.join(crate, "src", "lib.rs"), "w").write(lib)
            crates[name] = crate
        # The fixed cost: the module of a 10-code spec, as generated.
        small = os.path.join(work, "generated_10.rs")
        run([gen, "ours", "int", "10", small], ROOT)
        crate = os.path.join(work, "ten_codes")
        os.makedirs(os.path.join(crate, "src"))
        open(os.path.join(crate, "Cargo.toml"), "w").write(
            f'[package]\nname = "ablate-ten-codes"\nversion = "0.0.0"\nedition = "2021"\n'
            f'publish = false\n\n[dependencies]\nerrspec = {{ path = "{ROOT}" }}\n\n[workspace]\n')
        shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(crate, "Cargo.lock"))
        shutil.copy(small, os.path.join(crate, "src", "api.rs"))
        open(os.path.join(crate, "src", "lib.rs"), "w").write("#![allow(missing_docs, dead_code)]\npub mod api;\n")
        crates["ten_codes"] = crate
        peer = os.path.join(work, "peer")
        os.makedirs(os.path.join(peer, "src"))
        open(os.path.join(peer, "Cargo.toml"), "w").write(
            '[package]\nname = "ablate-peer"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
            '[dependencies]\nstrum = { version = "0.28", features = ["derive"] }\nthiserror = "2"\n\n[workspace]\n')
        run([gen, "peer", "int", str(n), os.path.join(peer, "src", "api.rs")], ROOT)
        open(os.path.join(peer, "src", "lib.rs"), "w").write("#![allow(missing_docs)]\npub mod api;\n")
        crates["peer"] = peer

        for name, crate in crates.items():
            print(f"building {name} and its dependencies", file=sys.stderr, flush=True)
            run(["cargo", "build", "--quiet", "--release"], crate, env)
        wall = {name: [] for name in crates}
        cpu = {name: [] for name in crates}
        for r in range(rounds):
            for name, crate in crates.items():
                os.utime(os.path.join(crate, "src", "lib.rs"))
                t0, c0 = time.time(), os.times()
                run(["cargo", "build", "--quiet", "--release"], crate, env)
                t1, c1 = time.time(), os.times()
                wall[name].append(t1 - t0)
                cpu[name].append(c1.children_user - c0.children_user + c1.children_system - c0.children_system)
            print(f"round {r + 1}/{rounds}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in wall.items()),
                  file=sys.stderr, flush=True)
        pw, pc = statistics.median(wall["peer"]), statistics.median(cpu["peer"])
        print(f"{n} codes, {rounds} rounds, `cargo build --release` of the crate alone; load average "
              f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
        print("| variant | wall (median) | CPU (median) | wall / peer | CPU / peer |")
        print("|---|---:|---:|---:|---:|")
        for name in crates:
            w, c = statistics.median(wall[name]), statistics.median(cpu[name])
            print(f"| {name} | {w:.2f} s | {c:.2f} s | {w / pw:.2f} | {c / pc:.2f} |")
    finally:
        if os.environ.get("KEEP") == "1":
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
