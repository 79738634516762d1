#!/usr/bin/env bash
# The pre-commit hooks with the real pre-commit from PyPI: the manifest validates, and
# `pre-commit try-repo` builds podlint, fails on a bad manifest with the finding printed, and
# passes a clean one. Run by .ci/run; needs python3, git, cargo and the package registries.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/target/ci"
mkdir -p "$work"
venv="$work/venv-pre-commit"
[ -x "$venv/bin/pre-commit" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q pre-commit==4.7.0; }
start=$SECONDS

"$venv/bin/pre-commit" validate-manifest "$repo/.pre-commit-hooks.yaml"
echo "validate-manifest: ok"

target=$(mktemp -d)
trap 'rm -rf "$target"' EXIT
git -C "$target" init -q
mkdir -p "$target/k8s"
cp "$repo/examples/tutorial-mistakes/deployment.yaml" "$target/k8s/deployment.yaml"
printf 'repos: []\n' > "$target/.pre-commit-config.yaml"
git -C "$target" add -A
export PRE_COMMIT_HOME="$work/pre-commit-home" CARGO_TARGET_DIR="$work/pre-commit-target"

set +e
out=$(cd "$target" && "$venv/bin/pre-commit" try-repo "$repo" podlint --all-files --verbose 2>&1)
rc=$?
set -e
if [ "$rc" -ne 1 ] || ! grep -q 'error\[removed-api\]: extensions/v1beta1 Deployment was removed' <<<"$out"; then
  echo "$out"; echo "expected exit 1 and the removed-api finding, got exit $rc"; exit 1
fi
echo "try-repo on a bad manifest: exit 1, finding printed"

rm "$target/k8s/deployment.yaml"
cp "$repo/examples/guestbook/frontend.yaml" "$target/k8s/frontend.yaml"
git -C "$target" add -A
for hook in podlint podlint-all; do
  set +e
  out=$(cd "$target" && "$venv/bin/pre-commit" try-repo "$repo" "$hook" --all-files --verbose 2>&1)
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then echo "$out"; echo "expected exit 0 from $hook on a clean manifest, got $rc"; exit 1; fi
  echo "try-repo $hook on a clean manifest (and .pre-commit-config.yaml): exit 0"
done
echo "pre-commit checks took $((SECONDS - start)) s"
