#!/usr/bin/env bash
# The crate as crates.io would receive it: `cargo package` builds it from the packaged files alone
# (so the embedded schemas and rule pages must be in it), `cargo publish --dry-run` accepts it,
# and the package holds what `cargo install podlint` needs and nothing it does not. Run by .ci/run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# A clean checkout in CI; locally, uncommitted work is packaged as it stands.
dirty=()
git diff --quiet HEAD 2>/dev/null && [ -z "$(git status --porcelain)" ] || dirty=(--allow-dirty)
start=$SECONDS
list=$(cargo package --locked "${dirty[@]}" --list)
for needed in src/main.rs src/schema/data/kubernetes.json.zst src/schema/data/crds.json.zst \
  src/kustomize/kustomization.schema.json rules/unknown-field.md LICENSE NOTICE README.md CHANGELOG.md Cargo.lock; do
  grep -qx "$needed" <<<"$list" || { echo "the package lacks $needed"; exit 1; }
done
for unwanted in '^fixtures/' '^tests/' '^fuzz/' '^\.ci/' '^\.github/' '^python/' '^target/'; do
  if grep -q "$unwanted" <<<"$list"; then echo "the package holds files under ${unwanted#^}:"; grep "$unwanted" <<<"$list" | head; exit 1; fi
done
out=$(cargo package --locked "${dirty[@]}" 2>&1) || { echo "$out"; exit 1; }
# The test suite stays in the repository with the fixtures it reads, so cargo notes each test
# target it leaves out; any other warning fails.
if grep '^warning' <<<"$out" | grep -qv '^warning: ignoring test `[a-z_]*` as `tests/[a-z_]*\.rs` is not included in the published package$'; then
  echo "$out"; echo "cargo package warned"; exit 1
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
crate="${CARGO_TARGET_DIR:-target}/package/podlint-$version.crate"
echo "cargo package: $(wc -l <<<"$list") files, $(du -k "$crate" | cut -f1) KB compressed, verified by building it, in $((SECONDS - start)) s"
cargo publish --locked --dry-run "${dirty[@]}" --no-verify 2>&1 | tail -n 2
echo "cargo publish --dry-run: ok"
