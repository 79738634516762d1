#!/usr/bin/env bash
# The static musl build the release ships for Linux, built and run here: the binary must have no
# dynamic dependencies and lint the examples exactly as the build under test does. Run by
# .ci/run; needs rustup (for the musl standard library) and musl-gcc (Debian's musl-tools) for
# the C code podlint links (mimalloc, zstd).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
target=x86_64-unknown-linux-musl
if ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
if ! command -v musl-gcc >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q musl-tools >/dev/null
  else
    echo "musl-gcc is missing: install musl-tools"; exit 1
  fi
fi
# What ships is the dist profile with thin LTO over one codegen unit (release.yml builds it);
# CI checks that the musl build links statically and behaves, which LTO does not change, and
# building without it saves minutes on 2 cores (633 s with it in the last CI run here).
export CARGO_PROFILE_DIST_LTO=false CARGO_PROFILE_DIST_CODEGEN_UNITS=16
start=$SECONDS
cargo build --profile dist --locked --target "$target" --bin podlint
binary="$repo/target/$target/dist/podlint"
echo "built $binary ($(du -k "$binary" | cut -f1) KB) in $((SECONDS - start)) s"

# Statically linked: no interpreter, no needed libraries.
if readelf -l "$binary" | grep -q 'INTERP' || readelf -d "$binary" | grep -q 'NEEDED'; then
  echo "the musl build is not static:"; readelf -d "$binary" | grep NEEDED; exit 1
fi
echo "static: no program interpreter, no NEEDED libraries"

# shellcheck source=tests/sh/same-findings.sh
. "$repo/tests/sh/same-findings.sh"
same_findings_on_examples "$binary" "the static build"
echo "static musl build: runs, same findings on examples/ as the build under test"
