//! Whole repositories, linted from their root as a user runs podlint: every folder under
//! `fixtures/repositories/` is one repository shape (a Helm chart, a kustomize tree, tool
//! configs beside manifests, …). Its expected output is `fixtures/repositories/<name>.expected`:
//! the concise report of `podlint --format concise [ARGS] .` run inside the folder, then the exit
//! code. ARGS, when the shape needs flags, are the words of `<name>.args`.
//! `UPDATE_FIXTURES=1 cargo test --test repositories` rewrites the expected files; review the
//! diff before committing.
mod common;

use std::path::Path;

use common::{podlint, stderr, stdout};

#[test]
fn repositories_lint_as_expected_from_their_root() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/repositories");
    let mut shapes: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures/repositories exists")
        .map(|entry| entry.expect("readable fixtures/repositories").path())
        .filter(|path| path.is_dir())
        .collect();
    shapes.sort();
    assert!(!shapes.is_empty(), "no repository shapes under {}", root.display());
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let mut failures = Vec::new();
    for shape in &shapes {
        let name = shape.file_name().and_then(|n| n.to_str()).expect("a UTF-8 folder name");
        let args_file = root.join(format!("{name}.args"));
        let extra = std::fs::read_to_string(&args_file).unwrap_or_default();
        let mut args = vec!["--format", "concise"];
        args.extend(extra.split_whitespace());
        args.push(".");
        let out = podlint().args(&args).current_dir(shape).env("NO_COLOR", "1").output().expect("podlint runs");
        let mut actual = stdout(&out);
        let errors = stderr(&out);
        if !errors.is_empty() {
            actual.push_str("--- stderr\n");
            actual.push_str(&errors);
        }
        actual.push_str(&format!("exit: {}\n", out.status.code().unwrap_or(-1)));
        let expected_file = root.join(format!("{name}.expected"));
        if update {
            std::fs::write(&expected_file, &actual).expect("write expected output");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != actual {
            failures.push(format!("== {name}: expected\n{expected}== got\n{actual}"));
        }
    }
    assert!(failures.is_empty(), "{}\n(UPDATE_FIXTURES=1 rewrites them)", failures.join("\n"));
}
