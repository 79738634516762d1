#!/usr/bin/env python3
"""Check src/k8s/enums.rs against the schemas of the kubernetes-validate wheels.

The enum table names schema definitions and properties by hand; a typo or a
definition renamed upstream would silently turn an entry into dead weight.
This script reads the table out of the Rust source and, for every Kubernetes
version found in the given wheels, checks that

  * the definition and the property exist (and, once they appear, stay),
  * a `list` entry is an array of strings and any other entry a string,
  * the schema's own `enum`, where it has one, agrees with the table.

It is run by hand, not by `cargo test`, so that the build needs neither Python
nor the network. Usage, from the repository root:

    pip download --no-deps -d /tmp kubernetes-validate==1.37.0 kubernetes-validate==1.31.0
    python3 tools/check-enum-table.py /tmp/kubernetes_validate-1.37.0-py3-none-any.whl \
        /tmp/kubernetes_validate-1.31.0-py3-none-any.whl

The 1.37.0 wheel carries Kubernetes 1.25 to 1.37; 1.31.0 adds 1.24 (and older
versions, ignored below --min-version). A wheel may also be given unpacked, as
a directory. Where wheels overlap, the one given first wins.

--notes also lists table values that the newest description of the property
never mentions: not an error (many descriptions name no values), but the
place to look when reviewing an entry.

Exit status: 0 if every entry checks out, 1 otherwise.
"""

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "src" / "k8s" / "enums.rs"
SCHEMA_DIR = re.compile(r"kubernetes-json-schema/v(\d+)\.(\d+)\.\d+-local-strict/_definitions\.json$")
CONSTRUCTORS = {
    "strict": (True, False),
    "strict_list": (True, True),
    "open": (False, False),
    "open_list": (False, True),
}


def strip_comments(source):
    """Drop // comments, keeping "//" inside string literals."""
    out = []
    for line in source.splitlines():
        in_string = False
        cut = len(line)
        i = 0
        while i < len(line):
            c = line[i]
            if in_string:
                if c == "\\":
                    i += 1
                elif c == '"':
                    in_string = False
            elif c == '"':
                in_string = True
            elif line.startswith("//", i):
                cut = i
                break
            i += 1
        out.append(line[:cut])
    return "\n".join(out)


def parse_table(path):
    source = strip_comments(path.read_text(encoding="utf-8"))
    consts = {
        name: re.findall(r'"([^"]*)"', body)
        for name, body in re.findall(r"const (\w+): &\[&str\] = &\[(.*?)\];", source, re.S)
    }
    start = source.index("pub static ENUM_FIELDS")
    end = source.index("\n];", start)
    block = source[start:end]
    entry = re.compile(
        r'\b(strict_list|strict|open_list|open)\(\s*"([^"]+)",\s*"([^"]+)",\s*(&\[.*?\]|\w+),?\s*\)',
        re.S,
    )
    entries = []
    for kind, definition, prop, values in entry.findall(block):
        if values.startswith("&["):
            values = re.findall(r'"([^"]*)"', values)
        elif values in consts:
            values = consts[values]
        else:
            sys.exit(f"cannot resolve values {values!r} of {definition}.{prop}")
        strict, is_list = CONSTRUCTORS[kind]
        entries.append((definition, prop, values, strict, is_list))
    calls = len(re.findall(r"\b(?:strict_list|strict|open_list|open)\(", block))
    if calls != len(entries):
        sys.exit(f"parsed {len(entries)} of {calls} table entries; the regex needs updating")
    return entries


def load_versions(sources, min_version):
    versions = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            files = {str(p.relative_to(path)): p.read_bytes for p in path.rglob("_definitions.json")}
        else:
            archive = zipfile.ZipFile(path)
            files = {name: (lambda n=name: archive.read(n)) for name in archive.namelist()}
        for name, read in files.items():
            match = SCHEMA_DIR.search(name.replace("\\", "/"))
            if not match:
                continue
            version = (int(match.group(1)), int(match.group(2)))
            if version < min_version or version in versions:
                continue
            versions[version] = json.loads(read()).get("$defs", {})
    if not versions:
        sys.exit("no kubernetes-json-schema/v*-local-strict/_definitions.json in the given wheels")
    return dict(sorted(versions.items()))


def types_of(schema):
    kind = schema.get("type", [])
    return set(kind if isinstance(kind, list) else [kind])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheels", nargs="+", help="kubernetes-validate wheels or unpacked directories")
    parser.add_argument("--min-version", default="1.24", help="oldest Kubernetes version to check")
    parser.add_argument("--notes", action="store_true", help="list values the descriptions never mention")
    parser.add_argument("--table", type=Path, default=TABLE, help="the Rust source holding ENUM_FIELDS")
    args = parser.parse_args()
    min_version = tuple(int(x) for x in args.min_version.split("."))

    entries = parse_table(args.table)
    versions = load_versions(args.wheels, min_version)
    names = [f"{major}.{minor}" for major, minor in versions]
    newest = list(versions.values())[-1]
    print(f"table: {len(entries)} entries, {sum(e[3] for e in entries)} strict, {sum(e[4] for e in entries)} lists")
    print(f"schemas: Kubernetes {names[0]} to {names[-1]} ({len(names)} versions)")

    width = max(len(f"{e[0]}.{e[1]}") for e in entries)
    failures = 0
    for definition, prop, values, strict, is_list in entries:
        problems = {}
        present = []

        def problem(message, version):
            problems.setdefault(message, []).append(version)

        for name, defs in zip(names, versions.values()):
            schema = defs.get(definition, {}).get("properties", {}).get(prop)
            if schema is None:
                if present:
                    problem("gone after being present", name)
                continue
            present.append(name)
            if is_list:
                if "array" not in types_of(schema) or "string" not in types_of(schema.get("items", {})):
                    problem("not an array of strings", name)
            elif "string" not in types_of(schema):
                problem("not a string", name)
            schema_enum = schema.get("items", {}).get("enum") if is_list else schema.get("enum")
            if schema_enum is not None and set(schema_enum) - {None} != set(values):
                problem(f"schema enum {sorted(set(schema_enum) - {None})} differs", name)
        if not present:
            problem(f"in no version from {names[0]} to {names[-1]}", None)
        elif present[-1] != names[-1]:
            problem("missing in the newest version", names[-1])
        span = f"{present[0]}-{present[-1]}" if present else "-"
        kind = ("strict" if strict else "open") + (" list" if is_list else "")
        status = "FAIL" if problems else "ok"
        print(f"{status:4} {definition + '.' + prop:{width}}  {kind:11} {span}")
        for message, where in problems.items():
            if where == [None]:
                print(f"       {message}")
                continue
            span_of = where[0] if len(where) == 1 else f"{where[0]} to {where[-1]}, {len(where)} versions"
            print(f"       {message} ({span_of})")
        failures += bool(problems)
        if args.notes and present:
            description = newest.get(definition, {}).get("properties", {}).get(prop, {}).get("description", "")
            unmentioned = [v for v in values if v not in description]
            if unmentioned:
                print(f"       note: description does not mention {', '.join(unmentioned)}")

    print(f"{len(entries) - failures} ok, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
