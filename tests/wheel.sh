#!/usr/bin/env bash
# The binary wheel as users get it: maturin builds it (and the sdist) from python/pyproject.toml,
# pip installs it into a fresh venv without an index, and the installed podlint lints the
# examples with the same findings as the build under test. Run by .ci/run; needs python3, cargo
# and PyPI. Leaves the wheel in target/ci/wheels for tests/pre-commit.sh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/target/ci"
mkdir -p "$work"
tools="$work/venv-maturin"
[ -x "$tools/bin/maturin" ] || { python3 -m venv "$tools" && "$tools/bin/pip" install -q maturin==1.16.0; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n 1)
wheels="$work/wheels"
rm -rf "$wheels"
mkdir -p "$wheels"

# The release profile's thin LTO over one codegen unit is what makes podlint fast, and the
# release workflow builds with it. Here the wheel's build, packaging and install are under
# test, so CI builds it without LTO: minutes sooner on 2 cores.
# The pre-commit rust hook shares this target folder and these settings.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_TARGET_DIR="$work/quick-release"
start=$SECONDS
(cd "$repo/python" && "$tools/bin/maturin" build --release --locked --out "$wheels" 2>&1 | tail -n 3)
(cd "$repo/python" && "$tools/bin/maturin" sdist --out "$wheels" 2>&1 | tail -n 1)
built=$((SECONDS - start))
wheel=$(find "$wheels" -name "podlint-$version-*.whl" | head -n 1)
sdist=$(find "$wheels" -name "podlint-$version.tar.gz" | head -n 1)
[ -n "$wheel" ] || { echo "no wheel podlint-$version-*.whl was built"; ls "$wheels"; exit 1; }
[ -n "$sdist" ] || { echo "no sdist podlint-$version.tar.gz was built"; ls "$wheels"; exit 1; }
echo "built $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KB) and $(basename "$sdist") ($(du -k "$sdist" | cut -f1) KB) in ${built} s"

# The wheel carries the executable and its metadata, nothing else.
"$tools/bin/python" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
scripts = [n for n in names if n.endswith((".data/scripts/podlint", ".data/scripts/podlint.exe"))]
other = [n for n in names if n not in scripts and ".dist-info/" not in n]
assert scripts, f"no podlint executable in the wheel: {names}"
assert not other, f"unexpected files in the wheel: {other}"
PY

venv="$work/venv-wheel"
rm -rf "$venv"
python3 -m venv "$venv"
start=$SECONDS
"$venv/bin/pip" install -q --no-index "$wheel"
echo "pip install of the wheel into a fresh venv: $((SECONDS - start)) s"

[ "$("$venv/bin/podlint" --version)" = "podlint $version" ] || { echo "installed podlint reports $("$venv/bin/podlint" --version)"; exit 1; }
"$venv/bin/podlint" "$repo/examples/guestbook" >/dev/null || { echo "the installed podlint failed on the clean example"; exit 1; }
# shellcheck source=tests/sh/same-findings.sh
. "$repo/tests/sh/same-findings.sh"
same_findings_on_examples "$venv/bin/podlint" "the wheel's podlint"
echo "wheel: installs, reports podlint $version, same findings on examples/ as the build under test"
