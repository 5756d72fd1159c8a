#!/usr/bin/env bash
# Rebuild behaviour of a build script that uses `errspec_codegen::Builder` (the README's):
#   1. the first build runs it;
#   2. building again with nothing changed does not run it;
#   3. touching the spec runs it again, once: the build after that does not run it;
#   4. touching another source file recompiles the crate without running it.
# A scratch crate in a temp dir is built with `cargo build -vv`; the script counts the lines
# that run its `build-script-build`. Exits non-zero if any step differs.
#
# usage: benches/rebuild.sh
#   REBUILD_TARGET_DIR  target dir to build in (default: inside the temp dir); reusing one
#                       makes later runs fast
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/errspec-rebuild.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
CRATE="$WORK/errspec-rebuild-check"
export CARGO_TARGET_DIR="${REBUILD_TARGET_DIR:-$WORK/target}"

mkdir -p "$CRATE/src" "$CRATE/spec"
cat >"$CRATE/Cargo.toml" <<TOML
[package]
name = "errspec-rebuild-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
errspec = { path = "$ROOT" }

[build-dependencies]
errspec-codegen = { path = "$ROOT/codegen", default-features = false }

[workspace]
TOML
cp "$ROOT/Cargo.lock" "$CRATE/Cargo.lock"
cp "$ROOT/spec/sinch_voice.yaml" "$CRATE/spec/"
cat >"$CRATE/build.rs" <<'RS'
fn main() {
    let result = errspec_codegen::Builder::new().spec_dir("spec").generate_into_out_dir();
    if let Err(error) = result {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
RS
cat >"$CRATE/src/lib.rs" <<'RS'
pub mod sinch_voice {
    include!(concat!(env!("OUT_DIR"), "/sinch_voice.rs"));
}
RS

failures=0
# Builds and checks how many times the crate's build script ran.
step() {
    local what=$1 expected=$2 log="$WORK/build.log" runs
    (cd "$CRATE" && cargo build -vv >"$log" 2>&1) || { cat "$log"; echo "FAIL: $what: build failed"; exit 1; }
    runs=$(grep -cE 'Running `.*/build/errspec-rebuild-check-[0-9a-f]+/build-script-build`' "$log" || true)
    if [[ "$runs" == "$expected" ]]; then
        echo "ok:   $what: build script ran $runs time(s)"
    else
        echo "FAIL: $what: build script ran $runs time(s), expected $expected"
        failures=$((failures + 1))
    fi
}

step "first build" 1
step "rebuild, nothing changed" 0
step "rebuild again, nothing changed" 0
sleep 1 # so that the touched spec is newer than the last run, whatever the file system's mtime granularity
touch "$CRATE/spec/sinch_voice.yaml"
step "rebuild after touching the spec" 1
step "rebuild after that, nothing changed" 0
sleep 1
touch "$CRATE/src/lib.rs"
step "rebuild after touching src/lib.rs" 0

if [[ $failures -eq 0 ]]; then
    echo "rebuild: 6 passed, 0 failed"
else
    echo "rebuild: $((6 - failures)) passed, $failures failed"
    exit 1
fi
