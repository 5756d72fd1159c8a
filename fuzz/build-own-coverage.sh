#!/usr/bin/env bash
# Builds a fuzz target with coverage instrumentation in errspec's own crates only (errspec,
# errspec-core, errspec-codegen), not in this crate's harness code (decoding and rendering the
# input) nor in errspec's dependencies (syn, proc-macro2, the YAML parsers, serde_json, ...).
# `cargo fuzz build -s none` instruments every crate: the coverage hooks then run in syn's
# parser and the YAML readers too, which is where most of a `generate` exec goes, though their
# branches are not what the target explores. The flags are those `cargo fuzz build -O -s none`
# passes, given per package (nightly `profile-rustflags`).
#
# usage: fuzz/build-own-coverage.sh <target>   (a target that needs no `apis` feature)
# The binary is target-own/x86_64-unknown-linux-gnu/release/<target>; run it as libFuzzer:
#   target-own/x86_64-unknown-linux-gnu/release/generate corpus-run/generate corpus/generate \
#       -len_control=0 -max_len=8192 -timeout=10
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: build-own-coverage.sh <target>}
flags="['-Cpasses=sancov-module','-Cllvm-args=-sanitizer-coverage-level=4',\
'-Cllvm-args=-sanitizer-coverage-inline-8bit-counters','-Cllvm-args=-sanitizer-coverage-pc-table',\
'-Cllvm-args=-sanitizer-coverage-trace-compares','-Cllvm-args=-simplifycfg-branch-fold-threshold=0',\
'-Cllvm-args=-sanitizer-coverage-stack-depth']"
overrides=()
for package in errspec errspec-core errspec-codegen; do
    overrides+=(--config "profile.release.package.$package.rustflags=$flags")
done
# `--target` keeps RUSTFLAGS off build scripts and proc macros, as cargo-fuzz does.
RUSTFLAGS="--cfg fuzzing -Ccodegen-units=1" CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
    cargo +nightly build -Zprofile-rustflags --release --no-default-features \
    --bin "$target" --target x86_64-unknown-linux-gnu --target-dir target-own "${overrides[@]}"
