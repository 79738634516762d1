//! `helm template … | podlint -` and `kustomize build … | podlint -`, from stored rendered
//! output (no helm or kustomize binary needed).
mod common;

use std::io::Write;
use std::process::Stdio;

use common::{findings, json, podlint};

fn lint_stdin(file: &str, extra: &[&str]) -> Vec<(String, String, u64, u64)> {
    let text =
        std::fs::read(format!("{}/tests/data/rendered/{file}", env!("CARGO_MANIFEST_DIR"))).expect("stored output");
    let mut child = podlint()
        .args(["--format", "json", "--isolated"])
        .args(extra)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(&text).expect("write");
    let out = child.wait_with_output().expect("wait");
    findings(&json(&out))
}

#[test]
fn helm_output_names_the_template_and_the_line_in_its_document() {
    let found = lint_stdin("helm-template.yaml", &["--ignore", "reliability,resources"]);
    assert_eq!(
        found,
        vec![
            ("web/templates/service.yaml".into(), "field-case".into(), 6, 9),
            ("web/templates/deployment.yaml".into(), "image-tag".into(), 17, 18),
        ]
    );
}

#[test]
fn kustomize_output_is_linted_as_one_stream() {
    let found = lint_stdin("kustomize-build.yaml", &["--stdin-filename", "overlays/prod", "--select", "memory-units"]);
    assert_eq!(found, vec![("overlays/prod".into(), "memory-units".into(), 39, 21)]);
}
