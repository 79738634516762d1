#!/usr/bin/env bash
# The pre-commit hooks with the real pre-commit from PyPI: the manifest validates; `try-repo`
# installs the `language: python` hooks from the wheel tests/wheel.sh built (through the shim in
# pyproject.toml, with no package index: the wheel and setuptools come from a local folder), fails
# on a bad manifest with the finding printed and passes a clean one; the `language: rust` hook
# builds podlint with cargo and fails the same bad manifest. Run by .ci/run; needs python3, git,
# cargo and the package registries.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/target/ci"
mkdir -p "$work"
venv="$work/venv-pre-commit"
[ -x "$venv/bin/pre-commit" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q pre-commit==4.7.0; }
start=$SECONDS

"$venv/bin/pre-commit" validate-manifest "$repo/.pre-commit-hooks.yaml"
echo "validate-manifest: ok"

# What pip may install for the python hooks: the wheel under test and the shim's build backend.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -n 1)
links="$work/pre-commit-links"
ls "$work/wheels/podlint-$version-"*.whl >/dev/null 2>&1 || bash "$repo/tests/wheel.sh"
rm -rf "$links"
mkdir -p "$links"
cp "$work/wheels/podlint-$version-"*.whl "$links/"
"$venv/bin/pip" download -q --no-deps --only-binary :all: -d "$links" setuptools==80.9.0

target=$(mktemp -d)
trap 'rm -rf "$target"' EXIT
git -C "$target" init -q
mkdir -p "$target/k8s"
cp "$repo/examples/tutorial-mistakes/deployment.yaml" "$target/k8s/deployment.yaml"
printf 'repos: []\n' > "$target/.pre-commit-config.yaml"
git -C "$target" add -A
# The rust hook's `cargo install` shares the wheel's target folder and its quicker release
# settings (see tests/wheel.sh): the hook's wiring is under test, not the optimiser.
export PRE_COMMIT_HOME="$work/pre-commit-home" CARGO_TARGET_DIR="$work/quick-release"
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export PIP_NO_INDEX=1 PIP_FIND_LINKS="$links"
# Each try-repo of a changed checkout installs fresh environments; start from none so the
# install time below is a real first install.
rm -rf "$PRE_COMMIT_HOME"

try() { # hook, expected exit status
  local out rc
  set +e
  out=$(cd "$target" && "$venv/bin/pre-commit" try-repo "$repo" "$1" --all-files --verbose 2>&1)
  rc=$?
  set -e
  if [ "$rc" -ne "$2" ]; then echo "$out"; echo "expected exit $2 from $1, got $rc"; exit 1; fi
  if [ "$2" -eq 1 ] && ! grep -q 'error\[removed-api\]: extensions/v1beta1 Deployment was removed' <<<"$out"; then
    echo "$out"; echo "$1 did not print the removed-api finding"; exit 1
  fi
}

t=$SECONDS
try podlint 1
echo "try-repo podlint (language: python) on a bad manifest: exit 1, finding printed; hook install and run: $((SECONDS - t)) s"

t=$SECONDS
try podlint-cargo 1
echo "try-repo podlint-cargo (language: rust) on a bad manifest: exit 1, finding printed; hook install (cargo build) and run: $((SECONDS - t)) s"

rm "$target/k8s/deployment.yaml"
cp "$repo/examples/guestbook/frontend.yaml" "$target/k8s/frontend.yaml"
git -C "$target" add -A
for hook in podlint podlint-all; do
  try "$hook" 0
  echo "try-repo $hook on a clean manifest (and .pre-commit-config.yaml): exit 0"
done
echo "pre-commit checks took $((SECONDS - start)) s"
