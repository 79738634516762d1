#!/usr/bin/env bash
# Checks podlint's machine-readable outputs with the validators their consumers use:
#   sarif  - Microsoft's SARIF Multitool (`validate --rule-kind "Gh;Sarif"`, the engine behind
#            the validator GitHub's docs point to) and the SARIF 2.1.0 JSON schema (Draft 4);
#   junit  - Jenkins' junit-10.xsd (the copy pytest's own tests use) with xmlschema;
#   github - a port of the Actions runner's parser (ActionCommand.TryParseV2, UnescapeProperty,
#            UnescapeData, ValidateLinesAndColumns): every annotation must read back as the
#            finding it came from, as the JSON report states it.
# Each validator is first shown a broken input, so a validator that checks nothing fails here.
# Tools go under target/validate-outputs/ (reused on the next run); only the PyPI and npm
# registries are used. Run from anywhere: bash tests/validate-outputs.sh
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
# Outside Actions whatever runs this: the github format must print annotations only.
unset GITHUB_ACTIONS GITHUB_WORKSPACE GITHUB_STEP_SUMMARY
ROOT=$PWD

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
# Inside the checkout (target/ is ignored), so that the inputs have relative paths.
WORK=$ROOT/target/validate-outputs
TOOLS=$WORK/tools
OUT=$WORK/out
MULTITOOL_VERSION=5.7.0
PY_PACKAGES="jsonschema==4.26.0 xmlschema==4.3.2 rfc3987==1.3.8"
PYTEST_SDIST=pytest==9.2.0
JUNIT_XSD_SHA256=a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6
OASIS_SARIF_SHA256=c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e

passed=0
pass() { passed=$((passed + 1)); printf '  ok   %s\n' "$*"; }
fail() { printf '  FAIL %s\n' "$*" >&2; printf 'validate-outputs: %d passed, 1 failed\n' "$passed"; exit 1; }
now_ms() { date +%s%3N; }
indent() { sed 's/^/    /'; }
# timed LABEL COMMAND...: runs COMMAND and prints how long it took.
timed() {
    local label=$1 start rc=0
    shift
    start=$(now_ms)
    "$@" || rc=$?
    printf '  %-58s %6d ms\n' "$label" $(($(now_ms) - start)) >&2
    return $rc
}

echo "== tools (under ${TOOLS#"$ROOT"/})"
mkdir -p "$TOOLS"
VENV=$TOOLS/venv
PY=$VENV/bin/python
if [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$PY_PACKAGES" ]; then
    rm -rf "$VENV"
    timed "python venv + $PY_PACKAGES" \
        bash -c "python3 -m venv '$VENV' && '$VENV/bin/pip' install -q --disable-pip-version-check $PY_PACKAGES"
    echo "$PY_PACKAGES" >"$VENV/.installed"
fi
NPM=$TOOLS/npm
MULTITOOL=$NPM/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -f "$MULTITOOL" ] || [ "$(cat "$NPM/.installed" 2>/dev/null)" != "$MULTITOOL_VERSION" ]; then
    rm -rf "$NPM"
    mkdir -p "$NPM"
    timed "npm @microsoft/sarif-multitool@$MULTITOOL_VERSION" \
        npm install --prefix "$NPM" --no-audit --no-fund --loglevel=error --silent \
        "@microsoft/sarif-multitool@$MULTITOOL_VERSION"
    echo "$MULTITOOL_VERSION" >"$NPM/.installed"
fi
# npm 11 no longer runs the package's postinstall, which is what makes the binary executable.
chmod u+x "$MULTITOOL"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1

# junit-10.xsd ships in pytest's sdist (its own tests validate --junitxml output with it).
JUNIT_XSD=$TOOLS/junit-10.xsd
if [ ! -f "$JUNIT_XSD" ]; then
    timed "pip download $PYTEST_SDIST (sdist, for junit-10.xsd)" \
        "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps --no-binary :all: \
        -d "$TOOLS/pytest" "$PYTEST_SDIST"
    tar -xzf "$TOOLS"/pytest/pytest-*.tar.gz -C "$TOOLS/pytest" --wildcards '*/testing/example_scripts/junit-10.xsd'
    cp "$TOOLS"/pytest/pytest-*/testing/example_scripts/junit-10.xsd "$JUNIT_XSD"
fi
echo "$JUNIT_XSD_SHA256  $JUNIT_XSD" | sha256sum -c --quiet - || fail "junit-10.xsd is not the expected file"

# The SARIF schema: the copy inside the multitool package always, and the OASIS errata01 file
# when a shared/ folder beside the checkout (or /work/shared) holds it.
SARIF_SCHEMAS=$NPM/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json
for candidate in "$ROOT/../shared/schemas/sarif-schema-2.1.0.json" /work/shared/schemas/sarif-schema-2.1.0.json; do
    if [ -f "$candidate" ] && echo "$OASIS_SARIF_SHA256  $candidate" | sha256sum -c --quiet - 2>/dev/null; then
        SARIF_SCHEMAS="$SARIF_SCHEMAS:$candidate"
        break
    fi
done
case $SARIF_SCHEMAS in
    *:*) ;;
    *) echo "  (no OASIS copy of the SARIF schema beside the checkout: the multitool's copy only)" ;;
esac

echo "== podlint"
timed "cargo build" cargo build --locked --quiet
PODLINT=$TARGET/debug/podlint
rm -rf "$OUT"
mkdir -p "$OUT"

# Inputs: the bundled examples, a few fixtures (a binary file, a syntax error, removed APIs,
# cross-file links), and a file whose path and messages hold every character that needs
# escaping somewhere: the runner's `,` `:` `%` and line breaks, and XML's `<&"`.
AWKWARD_DIR=$WORK/awkward
rm -rf "$AWKWARD_DIR"
mkdir -p "$AWKWARD_DIR/k8s"
AWKWARD_FILE='k8s/a,line=1,title=PASS:x%.yaml'
cat >"$AWKWARD_DIR/$AWKWARD_FILE" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
data:
  "x,y: 50%\nz": "1"
  "x,y: 50%\nz": "2"
  "<&\"": "1"
  "<&\"": "2"
YAML
INPUTS=(examples/ fixtures/yaml-syntax fixtures/removed-api fixtures/field-case fixtures/service-target-port)

# One run writes every format: the main one to stdout and the rest through --output-format.
render() { # render NAME PODLINT-ARGS...: writes $OUT/NAME.{github,sarif,junit.xml,json,concise,text}
    local name=$1 rc=0
    shift
    ("$PODLINT" --format github \
        --output-format "sarif=$OUT/$name.sarif" --output-format "junit=$OUT/$name.junit.xml" \
        --output-format "json=$OUT/$name.json" --output-format "concise=$OUT/$name.concise" \
        --output-format "text=$OUT/$name.text" "$@" >"$OUT/$name.github" 2>"$OUT/$name.stderr") || rc=$?
    echo "$rc"
}
AWKWARD_INPUT=./${AWKWARD_DIR#"$ROOT"/}/$AWKWARD_FILE
rc=$(render all "${INPUTS[@]}" "$AWKWARD_INPUT")
[ "$rc" = 1 ] || fail "podlint exited $rc on the inputs (expected 1: error findings)"
rc=$(render missing "$AWKWARD_INPUT" does-not-exist.yaml)
[ "$rc" = 2 ] || fail "podlint exited $rc with a missing input (expected 2)"
findings=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$OUT/all.json")
[ "$(wc -l <"$OUT/all.concise")" = $((findings + 1)) ] || fail "concise: not one line per finding plus the summary"
grep -q '^Found ' "$OUT/all.text" || fail "text: no summary line"
pass "rendered $findings findings in every format (text, concise, json, github, sarif, junit)"

echo "== validators"
"$PY" - "$OUT/all.sarif" "$OUT/broken-gh.sarif" "$OUT/broken-schema.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
driver = log["runs"][0]["tool"]["driver"]
del driver["rules"][0]["shortDescription"]      # valid SARIF, but GitHub's GH2012
json.dump(log, open(sys.argv[2], "w"))
del driver["name"]                              # required by the schema
json.dump(log, open(sys.argv[3], "w"))
PY

# multitool LOG...: validates each log; prints "FILE: E errors, W warnings, N notes (rule ids)".
multitool() {
    local log
    for log in "$@"; do
        "$MULTITOOL" validate --rule-kind "Gh;Sarif" --level "Error;Warning;Note" --log ForceOverwrite \
            -o "$log.validation" "$log" >"$log.validation.out" 2>&1 ||
            { cat "$log.validation.out" >&2; fail "Sarif.Multitool could not run on $log"; }
        "$PY" - "$log" "$log.validation" <<'PY'
import collections, json, sys
name, validation = sys.argv[1].rsplit("/", 1)[-1], json.load(open(sys.argv[2]))
run = validation["runs"][0]
if not all(i.get("executionSuccessful") for i in run.get("invocations", [])):
    sys.exit(f"{name}: the multitool did not complete: {run.get('invocations')}")
levels = collections.Counter(r.get("level", "warning") for r in run.get("results", []))
by_rule = collections.Counter(f"{r.get('level', 'warning')}:{r['ruleId']}" for r in run.get("results", []))
print(f"{name}: {levels['error']} errors, {levels['warning']} warnings, {levels['note']} notes "
      f"({', '.join(f'{k} x{v}' for k, v in sorted(by_rule.items()))})")
for r in run.get("results", []):
    if r.get("level", "warning") in ("error", "warning"):
        loc = r.get("locations", [{}])[0].get("physicalLocation", {}).get("region", {})
        print(f"    {r['level']} {r['ruleId']} {r['message'].get('arguments') or r['message'].get('text')} {loc}")
PY
    done
}
start=$(now_ms)
report=$(multitool "$OUT/all.sarif" "$OUT/missing.sarif" "$OUT/broken-gh.sarif")
printf '  %-58s %6d ms\n' "Sarif.Multitool validate --rule-kind Gh;Sarif (3 logs)" $(($(now_ms) - start))
indent <<<"$report"
echo "$report" | grep -q '^broken-gh.sarif: [1-9][0-9]* errors.*GH2012' || fail "multitool: missed the broken log's GH2012"
for log in all.sarif missing.sarif; do
    echo "$report" | grep -q "^$log: 0 errors, 0 warnings" || fail "multitool: errors or warnings in $log"
done
pass "SARIF: Sarif.Multitool (Gh;Sarif) finds no error or warning"

sarif_schema() {
    "$PY" - "$SARIF_SCHEMAS" "$OUT/all.sarif" "$OUT/missing.sarif" "$OUT/broken-schema.sarif" <<'PY'
import json, sys
import jsonschema
schemas, logs = sys.argv[1].split(":"), sys.argv[2:]
for path in schemas:
    schema = json.load(open(path))
    # Draft 4 as the OASIS file declares; formats (uri, uri-reference, date-time) checked too.
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    for log in logs:
        errors = sorted(validator.iter_errors(json.load(open(log))), key=lambda e: list(e.path))
        name = log.rsplit("/", 1)[-1]
        print(f"{name} against {path.rsplit('/', 1)[-1]}: {len(errors)} errors")
        for e in errors[:5]:
            print(f"    {'/'.join(map(str, e.path))}: {e.message}")
PY
}
report=$(timed "jsonschema Draft4 (SARIF 2.1.0 schema)" sarif_schema)
indent <<<"$report"
echo "$report" | grep -q "^broken-schema.sarif against .*: [1-9]" || fail "jsonschema: missed the broken log"
if echo "$report" | grep -E "^(all|missing)\.sarif against .*: [1-9]"; then fail "SARIF schema errors"; fi
pass "SARIF: valid against the SARIF 2.1.0 JSON schema ($(echo "$SARIF_SCHEMAS" | tr ':' '\n' | wc -l) copies)"

# The shape ruff writes, which this XSD rejects: a check that the validator is awake.
sed 's/<testcase name="\([^"]*\)"/<testcase line="1" name="\1"/' "$OUT/all.junit.xml" >"$OUT/broken.junit.xml"
junit_xsd() {
    "$PY" - "$JUNIT_XSD" "$OUT/all.junit.xml" "$OUT/missing.junit.xml" "$OUT/broken.junit.xml" <<'PY'
import sys
import xmlschema
schema = xmlschema.XMLSchema(sys.argv[1])
for path in sys.argv[2:]:
    errors = list(schema.iter_errors(path))
    print(f"{path.rsplit('/', 1)[-1]}: {len(errors)} errors")
    for e in errors[:3]:
        print(f"    {e.reason} at {e.path}")
PY
}
report=$(timed "xmlschema (junit-10.xsd)" junit_xsd)
indent <<<"$report"
echo "$report" | grep -q "^broken.junit.xml: [1-9]" || fail "xmlschema: missed the broken report"
echo "$report" | grep -q "^all.junit.xml: 0 errors" || fail "JUnit: all.junit.xml does not validate"
echo "$report" | grep -q "^missing.junit.xml: 0 errors" || fail "JUnit: missing.junit.xml does not validate"
pass "JUnit: valid against junit-10.xsd"

# The github format from a subfolder with GITHUB_WORKSPACE set (a step's working-directory):
# paths must come out relative to the workspace, not to the working directory.
(cd examples && GITHUB_WORKSPACE=$ROOT "$PODLINT" --format github \
    --output-format "json=$OUT/workspace.json" tutorial-mistakes "../$AWKWARD_INPUT" >"$OUT/workspace.github") || true
printf '::error file=k8s/a,line=1,title=PASS::unescaped\n' >"$OUT/broken.github"
cp "$OUT/all.json" "$OUT/broken.json"

round_trip() {
    "$PY" - "$OUT" "$ROOT" <<'PY'
import json, os, sys
out, root = sys.argv[1], sys.argv[2]

# actions/runner src/Runner.Common/ActionCommand.cs
def unescape_property(v):
    for esc, ch in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        v = v.replace(esc, ch)
    return v

def unescape_data(v):
    for esc, ch in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        v = v.replace(esc, ch)
    return v

def try_parse_v2(message, registered=("error", "warning", "notice")):
    message = message.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if name not in registered:
        return None
    props = {}
    if space > 0:
        for prop in [p for p in info[space + 1:].strip().split(",") if p]:
            pair = [x for x in prop.split("=", 1) if x]
            if len(pair) == 2:
                props[pair[0].lower()] = unescape_property(pair[1])
    return name, props, unescape_data(message[end + 2:])

# src/Runner.Worker/ActionCommandManager.cs IssueCommandExtension.ValidateLinesAndColumns:
# what the runner would drop or rewrite. podlint's lines must need none of it.
def runner_fixes(p):
    fixes = []
    ints = {k: int(p[k]) for k in ("line", "endline", "col", "endcolumn") if k in p}
    if "endline" in ints and "line" not in ints:
        fixes.append("endLine without line")
    if "line" in ints and "endline" in ints and ints["endline"] < ints["line"]:
        fixes.append("endLine < line")
    if ("col" in ints or "endcolumn" in ints) and ints.get("line") != ints.get("endline", ints.get("line")):
        fixes.append("columns on a multi-line range")
    if "col" in ints and "endcolumn" in ints and ints["endcolumn"] < ints["col"]:
        fixes.append("endColumn < col")
    return fixes

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}

def check(name, workspace=None, cwd=None):
    findings = json.load(open(f"{out}/{name}.json"))["findings"]
    lines = open(f"{out}/{name}.github", encoding="utf-8").read().split("\n")[:-1]
    parsed = [try_parse_v2(l) for l in lines]
    if any(p is None for p in parsed):
        return [f"{name}: not a workflow command: {lines[parsed.index(None)]!r}"]
    # A first notice without a file says that GitHub caps annotations per kind.
    annotations = [p for p in parsed if "file" in p[1]]
    problems = []
    if len(annotations) != len(findings):
        problems.append(f"{name}: {len(annotations)} annotations for {len(findings)} findings")
    for (command, props, message), f in zip(annotations, findings):
        path = f["file"]
        if workspace:
            path = os.path.relpath(os.path.normpath(os.path.join(cwd, path)), workspace)
        while path.startswith("./"):
            path = path[2:]
        expected = {"file": path, "line": str(f["line"]), "endline": str(f["end_line"]),
                    "title": f"podlint ({f['rule']})"}
        if f["line"] == f["end_line"]:
            expected.update(col=str(f["column"]), endcolumn=str(f["end_column"]))
        text = f["message"] + (f"\nhelp: {f['help']}" if "help" in f else "")
        got = (command, props, message)
        want = (LEVEL[f["severity"]], expected, text)
        if got != want:
            problems.append(f"{name}: read back as {got!r}, expected {want!r}")
        if runner_fixes(props):
            problems.append(f"{name}: the runner would fix {runner_fixes(props)} in {props!r}")
        if len(message) > 4096:
            problems.append(f"{name}: message longer than the runner's 4096 characters")
    return problems, len(annotations)

results = {}
for name, kwargs in (("all", {}), ("missing", {}),
                     ("workspace", {"workspace": root, "cwd": os.path.join(root, "examples")}), ("broken", {})):
    outcome = check(name, **kwargs)
    results[name] = outcome if isinstance(outcome, tuple) else (outcome, 0)
for name, (problems, count) in results.items():
    print(f"{name}.github: {count} annotations, {len(problems)} problems")
    for p in problems[:5]:
        print(f"    {p}")
awkward_seen = any("file=target/validate-outputs/awkward/k8s/a%2Cline=1%2Ctitle=PASS%3Ax%25.yaml," in l
                   and "50%25%0Az" in l
                   for l in open(f"{out}/all.github", encoding="utf-8"))
print(f"awkward path and message present: {awkward_seen}")
PY
}
report=$(timed "runner TryParseV2 port (github round trip)" round_trip)
indent <<<"$report"
echo "$report" | grep -q "^broken.github: .* [1-9][0-9]* problems" || fail "round trip: missed an unescaped line"
for name in all missing workspace; do
    echo "$report" | grep -q "^$name.github: [1-9][0-9]* annotations, 0 problems" || fail "github: $name.github"
done
echo "$report" | grep -q "awkward path and message present: True" || fail "github: the awkward case was not rendered"
pass "github: every annotation reads back as its finding (paths and messages with , : % and line breaks)"

printf '\nvalidate-outputs: %d passed, 0 failed\n' "$passed"
