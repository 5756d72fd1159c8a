#!/usr/bin/env bash
# Compile time of errspec's generated module against the same codes as a `thiserror` + `strum`
# derive enum. Builds two fresh crates in a temp dir: `ours` (the generated module of an N-code
# spec, depending on errspec's runtime by path, without default features) and `peer`
# (`#[derive(thiserror::Error, strum::EnumString, strum::IntoStaticStr)]`). Dependencies are
# built first; then each crate alone is rebuilt RUNS times (`touch src/lib.rs && cargo build`),
# ours and peer alternating so that both see the same background load. Prints each time, the
# medians, the ratio of the medians and the median of the per-round ratios.
#
# usage: benches/compile_time.sh [N] [RUNS] [PROFILES]
#   N         codes in the spec (default 1000)
#   RUNS      timed rebuilds per crate and profile (default 7)
#   PROFILES  cargo profiles to time, space-separated (default "release dev")
#   KEEP=1    keep the temp dir and print its path
#   MACROS=1  take errspec with its default features (the `macros` feature: the generator as a
#             proc macro, for `include_spec!`), as a crate using the macros does
# Incremental compilation is off, in every profile: with it, a rebuild of unchanged source
# reuses rustc's query cache (but still reruns proc macros), which times a cache, not a compile.
set -euo pipefail
export CARGO_INCREMENTAL=0

N=${1:-1000}
RUNS=${2:-7}
PROFILES=${3:-release dev}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/errspec-compile-time.XXXXXX")
if [[ "${KEEP:-0}" == 1 ]]; then
    echo "work dir: $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi

echo "== generating the $N-code crates in $WORK"
(cd "$ROOT" && cargo build --quiet --release -p errspec-benches --bin errspec-bench-gen)
GEN="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps \
    | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/errspec-bench-gen"

mkdir -p "$WORK/ours/src" "$WORK/peer/src"
cat >"$WORK/ours/Cargo.toml" <<TOML
[package]
name = "bench-ours"
version = "0.0.0"
edition = "2021"
publish = false

# As the README's build-script set-up has it: a crate that includes generated modules compiles
# the runtime alone. (The default macros feature adds the generator, a proc macro, for
# include_spec!, which a generated module does not use.)
[dependencies]
errspec = { path = "$ROOT", default-features = $([[ "${MACROS:-0}" == 1 ]] && echo true || echo false) }

[workspace]
TOML
cat >"$WORK/peer/Cargo.toml" <<TOML
[package]
name = "bench-peer"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
strum = { version = "0.28", features = ["derive"] }
thiserror = "2"

[workspace]
TOML
# The workspace's lock file pins errspec's dependencies to the versions it is tested with.
cp "$ROOT/Cargo.lock" "$WORK/ours/Cargo.lock"
"$GEN" ours int "$N" "$WORK/ours/src/api.rs"
"$GEN" peer int "$N" "$WORK/peer/src/api.rs"
for crate in ours peer; do
    printf '//! %s codes.\n#![allow(missing_docs)]\npub mod api;\n' "$N" >"$WORK/$crate/src/lib.rs"
done
echo "   ours: $(wc -c <"$WORK/ours/src/api.rs") bytes, $(wc -l <"$WORK/ours/src/api.rs") lines (every feature)"
echo "   peer: $(wc -c <"$WORK/peer/src/api.rs") bytes, $(wc -l <"$WORK/peer/src/api.rs") lines"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for profile in $PROFILES; do
    flag=(--profile "$profile")
    echo "== $profile: building dependencies"
    for crate in ours peer; do
        (cd "$WORK/$crate" && cargo build --quiet "${flag[@]}")
    done
    : >"$WORK/ours.$profile" ; : >"$WORK/peer.$profile" ; : >"$WORK/ratio.$profile"
    for run in $(seq "$RUNS"); do
        line="   run $run:"
        for crate in ours peer; do
            touch "$WORK/$crate/src/lib.rs"
            start=$(date +%s.%N)
            (cd "$WORK/$crate" && cargo build --quiet "${flag[@]}")
            end=$(date +%s.%N)
            t=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
            echo "$t" >>"$WORK/$crate.$profile"
            line="$line $crate $(printf '%.2f' "$t")s"
        done
        o=$(tail -n1 "$WORK/ours.$profile"); p=$(tail -n1 "$WORK/peer.$profile")
        awk -v a="$o" -v b="$p" 'BEGIN {print a / b}' >>"$WORK/ratio.$profile"
        echo "$line"
    done
    mo=$(median <"$WORK/ours.$profile"); mp=$(median <"$WORK/peer.$profile")
    mr=$(median <"$WORK/ratio.$profile")
    printf '%s: median ours %.2fs, peer %.2fs; ratio of medians %.3f; median of per-run ratios %.3f (N=%s, %s runs)\n' \
        "$profile" "$mo" "$mp" "$(awk -v a="$mo" -v b="$mp" 'BEGIN {print a / b}')" "$mr" "$N" "$RUNS"
done
