//! A file large enough to be parsed in parts, in parallel (see `check::check_file`): findings,
//! suppressions and cross-object facts must come out as they would from one pass over the file,
//! whatever the thread count.
mod common;

use common::{TempDir, findings, json, podlint};

struct Built {
    text: String,
    line: usize,
}

impl Built {
    fn push(&mut self, lines: &str) -> usize {
        let first = self.line + 1;
        self.text.push_str(lines);
        self.line += lines.matches('\n').count();
        first
    }
}

fn padding(n: usize) -> String {
    (0..n).map(|i| format!("  key{i}: value-{i:04}-with-some-padding-to-make-the-document-longer\n")).collect()
}

fn config_map(name: &str) -> String {
    format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n{}", padding(30))
}

fn run(path: &std::path::Path, threads: &str) -> (Option<i32>, serde_json::Value) {
    let output = podlint()
        .args(["--isolated", "--format", "json", "--threads", threads])
        .args(["--select", "duplicate-key,yaml-syntax,image-tag,unused-suppression,service-selector"])
        .arg(path)
        .output()
        .expect("run podlint");
    (output.status.code(), json(&output))
}

#[test]
fn a_large_file_is_checked_in_parts_as_if_whole() {
    let mut file = Built { text: String::new(), line: 0 };
    let mut expected: Vec<(String, usize)> = Vec::new();

    // A `disable` range ends at its document's end: the duplicate in the next document counts.
    file.push("---\n# podlint: disable[duplicate-key] -- generated\napiVersion: v1\nkind: ConfigMap\n");
    file.push("metadata:\n  name: first\ndata:\n  a: one\n  a: two\n");
    file.push("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\ndata:\n  b: one\n");
    expected.push(("duplicate-key".into(), file.push("  b: two\n")));
    // Its image-tag finding is suppressed by a `file-ignore` at the far end of the file.
    file.push("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n");
    file.push("  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n");
    file.push("      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n");
    file.push("          image: nginx\n");
    for i in 0..300 {
        file.push(&config_map(&format!("cm-{i}")));
    }
    // A broken document in the middle: reported where it is, the rest still read.
    file.push("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n");
    expected.push(("yaml-syntax".into(), file.push("  name: [broken\n") + 1));
    file.push("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after-broken\ndata:\n  c: one\n");
    expected.push(("duplicate-key".into(), file.push("  c: two\n")));
    for i in 300..600 {
        file.push(&config_map(&format!("cm-{i}")));
    }
    file.push("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n");
    expected.push(("unused-suppression".into(), file.push("  # podlint: ignore[image-tag] -- nothing here\n")));
    file.push("  name: quiet\n");
    // A Service at the end that selects the Deployment at the start: no service-selector finding.
    file.push("---\n# podlint: file-ignore[image-tag] -- pinned by digest at deploy time\n");
    file.push("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n");
    file.push("  ports:\n    - port: 80\n");
    assert!(file.text.len() > 1024 * 1024, "the file must be large enough to be cut into parts");

    let dir = TempDir::new("large");
    let path = dir.write("large.yaml", &file.text);

    let (code, report) = run(&path, "2");
    let found: Vec<(String, usize)> =
        findings(&report).into_iter().map(|(_, rule, line, _)| (rule, line as usize)).collect();
    assert_eq!(found, expected);
    assert_eq!(code, Some(1));
    assert_eq!(report["summary"]["objects"], 606);
    for threads in ["1", "4"] {
        assert_eq!(run(&path, threads).1, report, "output differs at {threads} threads");
    }
}
