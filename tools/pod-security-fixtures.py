#!/usr/bin/env python3
"""Copy the PodSecurity admission controller's published test fixtures into the repository.

kubernetes/pod-security-admission (Apache-2.0) publishes, for every policy version and level,
the pods its checks must allow (`pass/`) and refuse (`fail/`):
`test/testdata/<level>/v1.<minor>/{pass,fail}/<case>.yaml`. tests/pod_security_admission.rs
lints every one of them with podlint; CI cannot fetch, so the fixtures live in
tests/data/pod-security-admission/:

  pods/<sha1 prefix>.yaml   each distinct pod once (most cases repeat across versions)
  cases.tsv                 level, version, pass|fail, case name, pod file
  SOURCE.md                 where they come from, at which commit, and their licence

Run by hand, from the repository root, against a clone of the upstream repository:

    python3 tools/pod-security-fixtures.py /path/to/pod-security-admission [--min 24] [--max 37]

It writes only under tests/data/pod-security-admission/ (which it replaces).
"""
import hashlib
import os
import shutil
import subprocess
import sys

OUT = "tests/data/pod-security-admission"


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args],
                          check=True, capture_output=True).stdout


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    repo = args[0]
    low = int(args[args.index("--min") + 1]) if "--min" in args else 24
    high = int(args[args.index("--max") + 1]) if "--max" in args else 37
    commit = git(repo, "rev-parse", "HEAD").decode().strip()
    listing = git(repo, "ls-tree", "-r", "HEAD", "test/testdata").decode().splitlines()
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "pods"))
    cases = []
    written = set()
    for line in listing:
        meta, path = line.split("\t", 1)
        blob = meta.split()[2]
        parts = path.split("/")
        if len(parts) != 6 or not parts[5].endswith(".yaml"):
            continue
        _, _, level, version, expect, name = parts
        minor = int(version.removeprefix("v1."))
        if not low <= minor <= high:
            continue
        content = git(repo, "cat-file", "-p", blob)
        digest = hashlib.sha1(content).hexdigest()[:12]
        if digest not in written:
            with open(os.path.join(OUT, "pods", digest + ".yaml"), "wb") as f:
                f.write(content)
            written.add(digest)
        cases.append((level, minor, expect, name.removesuffix(".yaml"), digest))
    cases.sort()
    with open(os.path.join(OUT, "cases.tsv"), "w") as f:
        f.write("# level\tversion\texpect\tcase\tpod\n")
        for level, minor, expect, name, digest in cases:
            f.write(f"{level}\t1.{minor}\t{expect}\t{name}\t{digest}\n")
    with open(os.path.join(OUT, "SOURCE.md"), "w") as f:
        f.write(f"""# Pod Security admission fixtures

Copied by `tools/pod-security-fixtures.py` from
https://github.com/kubernetes/pod-security-admission, `test/testdata/`, commit {commit},
policy versions 1.{low} to 1.{high}: {len(cases)} cases, {len(written)} distinct pods.

Licence: Apache License 2.0, Copyright The Kubernetes Authors (the upstream repository's
LICENSE). The pods are unchanged; only their file names are (by content hash), with
`cases.tsv` recording each case's level, version, expectation and upstream name.
""")
    print(f"{len(cases)} cases, {len(written)} pods, commit {commit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
