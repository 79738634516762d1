//! YAML as kubectl reads it. Each case is a manifest that strict YAML 1.2 and go-yaml (kubectl's
//! reader, through sigs.k8s.io/yaml) may judge differently, with what kubectl does with it. The
//! expectation is checked against podlint always, and against the installed kubectl when there
//! is one (`kubectl label --local -f FILE x=y -o json` reads a file offline through the same
//! YAML path as `apply`): kubectl refuses a file ⇔ podlint has an error-level finding for it,
//! and a file kubectl accepts never gets a yaml-syntax finding.
mod common;

use std::process::Command;

use common::TempDir;
use podlint::finding::Severity;
use podlint::settings::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kubectl {
    Accepts,
    Refuses,
}

use Kubectl::{Accepts, Refuses};

const HEAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cases\n";

/// (name, what follows `HEAD` or, starting with `!`, the whole file, what kubectl does).
const CASES: &[(&str, &str, Kubectl)] = &[
    // A quoted scalar's continuation lines are not checked for indentation by go-yaml.
    ("quoted-continuation-at-key-indent", "data:\n  a: \"one\n  two\"\n", Accepts),
    ("quoted-continuation-at-column-0", "data:\n  a: \"one\ntwo\"\n", Accepts),
    ("single-quoted-continuation", "data:\n  a: 'one\n  two'\n", Accepts),
    ("quoted-continuation-in-a-list", "data:\n  b: x\nbinaryData: {}\nx:\n  - \"one\n  two\"\n", Accepts),
    ("quoted-continuation-in-flow", "data: {a: \"one\ntwo\"}\n", Accepts),
    ("quoted-never-closed", "data:\n  a: \"one\n  two\n", Refuses),
    ("quoted-cut-by-a-document-marker", "data:\n  a: \"one\n---\n  two\"\n", Refuses),
    // A plain scalar's continuation must be indented deeper, for both.
    ("plain-continuation-at-key-indent", "data:\n  a: one\n  two\n", Refuses),
    // Tabs.
    ("tab-after-colon", "data:\n  a:\tb\n", Accepts),
    ("tab-after-colon-before-quote", "data:\n  a:\t\"b\"\n", Accepts),
    ("tab-before-comment", "data:\n  a: b \t# note\n", Accepts),
    ("tab-trailing", "data:\n  a: b\t\n", Accepts),
    ("tab-in-block-scalar", "data:\n  a: |\n    x\n    \ty\n", Accepts),
    ("tab-in-flow-mapping", "data: {a: b,\tc: d}\n", Accepts),
    ("tab-as-indentation", "data:\n\ta: b\n", Refuses),
    // Duplicate keys: go-yaml keeps the last (podlint's duplicate-key rule reports the lost one).
    ("duplicate-key", "data:\n  a: b\n  a: c\n", Accepts),
    // Values JSON cannot hold: kubectl converts YAML to JSON and fails.
    ("infinity", "data:\n  a: b\nx: .inf\n", Refuses),
    ("negative-infinity", "data:\n  a: b\nx: -.Inf\n", Refuses),
    ("not-a-number", "data:\n  a: b\nx: .nan\n", Refuses),
    ("tagged-infinity", "data:\n  a: b\nx: !!float .inf\n", Refuses),
    ("infinity-as-a-key", "data:\n  .inf: b\n", Accepts),
    ("quoted-infinity", "data:\n  a: \".inf\"\n", Accepts),
    ("out-of-range-number-is-text", "data:\n  a: b\nx: 1e400\n", Accepts),
    // YAML 1.1 scalars are typed as go-yaml types them: a boolean or a number where the API
    // wants a string is refused when the object is decoded.
    ("yaml-1.1-boolean-annotation", "  annotations:\n    a: yes\n", Refuses),
    ("octal-annotation", "  annotations:\n    a: 0755\n", Refuses),
    ("quoted-yes-annotation", "  annotations:\n    a: \"yes\"\n", Accepts),
    // Merge keys, markers, a byte-order mark.
    ("merge-key", "x: &base {a: b}\ny:\n  <<: *base\n  c: d\n", Accepts),
    ("document-markers", "!---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cases\n...\n", Accepts),
    ("byte-order-mark", "!\u{feff}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cases\n", Accepts),
    // kubectl cuts the file at `---` lines first: a directive is left alone in a document.
    ("yaml-directive", "!%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cases\n", Refuses),
];

fn text_of(body: &str) -> String {
    match body.strip_prefix('!') {
        Some(whole) => whole.to_string(),
        None => format!("{HEAD}{body}"),
    }
}

fn kubectl_present() -> bool {
    Command::new("kubectl").arg("version").arg("--client").output().is_ok_and(|o| o.status.success())
}

#[test]
fn podlint_reads_yaml_as_kubectl_does() {
    let dir = TempDir::new("kubectl-yaml");
    let kubectl = kubectl_present();
    if !kubectl {
        eprintln!("kubectl is not on PATH: checking podlint against the recorded expectations only");
    }
    let settings = Settings { snippets: false, ..Settings::default() };
    let mut failures = Vec::new();
    for &(name, body, expected) in CASES {
        let text = text_of(body);
        let file = dir.write(&format!("{name}.yaml"), &text);
        if kubectl {
            let out = Command::new("kubectl")
                .args(["label", "--local", "-o", "json", "-f"])
                .arg(&file)
                .arg("checked=yes")
                .output()
                .expect("kubectl runs");
            let actual = if out.status.success() { Accepts } else { Refuses };
            if actual != expected {
                failures.push(format!(
                    "{name}: kubectl {actual:?}, the case says {expected:?}: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
        let report = podlint::lint_memory(&[(&format!("{name}.yaml"), text.as_bytes())], &settings);
        let errors: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{}:{} {} {}", f.location.start.line, f.location.start.column, f.rule, f.message))
            .collect();
        let syntax = report.findings.iter().any(|f| f.rule == "yaml-syntax");
        match expected {
            Refuses if errors.is_empty() => {
                failures.push(format!("{name}: kubectl refuses it, podlint finds no error"))
            }
            Accepts if syntax => failures.push(format!("{name}: kubectl accepts it, podlint says {errors:?}")),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
