//! `helm template … | podlint -` and `kustomize build … | podlint -`, from stored rendered
//! output (no helm or kustomize binary needed).
use std::io::Write;
use std::process::{Command, Stdio};

fn lint_stdin(file: &str, extra: &[&str]) -> Vec<(String, String, u64, u64)> {
    let text =
        std::fs::read(format!("{}/tests/data/rendered/{file}", env!("CARGO_MANIFEST_DIR"))).expect("stored output");
    let mut child = Command::new(env!("CARGO_BIN_EXE_podlint"))
        .args(["--format", "json", "--isolated"])
        .args(extra)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(&text).expect("write");
    let out = child.wait_with_output().expect("wait");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_string(),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
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
