# shellcheck shell=bash
# Sourced by the release tests: a shipped build of podlint must lint examples/ exactly as the
# build under test does (the debug binary `cargo test` builds), exiting 1 for the tutorial's
# mistakes. Usage: same_findings_on_examples <binary> <what it is, for messages>.
same_findings_on_examples() {
  local binary=$1 label=$2 repo work rc
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  work="$repo/target/ci"
  mkdir -p "$work"
  set +e
  "$binary" --format json "$repo/examples" > "$work/shipped-examples.json"
  rc=$?
  set -e
  [ "$rc" -eq 1 ] || { echo "$label: expected exit 1 on examples/ (the tutorial's mistakes), got $rc"; return 1; }
  local reference="$repo/target/debug/podlint"
  [ -x "$reference" ] || (cd "$repo" && cargo build --locked -q --bin podlint)
  "$reference" --format json "$repo/examples" > "$work/reference-examples.json" || true
  if ! cmp -s "$work/shipped-examples.json" "$work/reference-examples.json"; then
    echo "$label and the build under test disagree on examples/"
    diff "$work/shipped-examples.json" "$work/reference-examples.json" | head -n 20
    return 1
  fi
}
