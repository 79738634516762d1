//! `.podlint.yaml` and the command-line flags that go with it, run as users run them.
mod common;

use std::process::Output;

use common::{TempDir, findings, json, run, stderr};

/// (file, rule, line) of every finding: the columns are not what these tests are about.
fn found(out: &Output) -> Vec<(String, String, u64)> {
    findings(&json(out)).into_iter().map(|(file, rule, line, _)| (file, rule, line)).collect()
}

/// An untagged image (image-tag, warning) in a Pod with two containers (multi-container-pod,
/// warning) whose second container lacks probes and resources.
const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
      resources:
        requests: {cpu: 100m, memory: 64Mi}
        limits: {cpu: 200m, memory: 128Mi}
      livenessProbe: {tcpSocket: {port: 80}}
      readinessProbe: {tcpSocket: {port: 80}}
    - name: istio-proxy
      image: istio/proxyv2:1.22.0
      resources:
        requests: {cpu: 100m, memory: 64Mi}
        limits: {cpu: 200m, memory: 128Mi}
      livenessProbe: {tcpSocket: {port: 15021}}
      readinessProbe: {tcpSocket: {port: 15021}}
";

#[test]
fn the_nearest_config_applies_up_to_the_repository_root() {
    let dir = TempDir::new("discover");
    dir.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    dir.write(
        "repo/.podlint.yaml",
        "rules:\n  image-tag: error\n  multi-container-pod:\n    allowed-sidecars: [istio-proxy]\n",
    );
    dir.write("repo/k8s/pod.yaml", POD);
    let out = run(&["--format", "json", "pod.yaml"], &dir.0.join("repo/k8s"));
    assert_eq!(found(&out), vec![("pod.yaml".into(), "image-tag".into(), 8)]);
    assert_eq!(out.status.code(), Some(1), "image-tag raised to error fails the run");

    // --isolated ignores it; --config names another one.
    let isolated = run(&["--format", "json", "--isolated", "pod.yaml"], &dir.0.join("repo/k8s"));
    let rules: Vec<_> = found(&isolated).into_iter().map(|(_, r, _)| r).collect();
    assert_eq!(rules, ["multi-container-pod", "image-tag"]);
    assert_eq!(isolated.status.code(), Some(0));

    // Above the repository root, a config is not picked up.
    dir.write(".podlint.yaml", "ignore: [all]\n");
    dir.write("repo/.podlint.yaml", "kubernetes-version: '1.30'\n");
    let within = run(&["--format", "json", "pod.yaml"], &dir.0.join("repo/k8s"));
    assert_eq!(found(&within).len(), 2);
}

#[test]
fn select_ignore_fail_on_and_exit_zero() {
    let dir = TempDir::new("select");
    dir.write("pod.yaml", POD);
    let only = run(&["--format", "json", "--isolated", "--select", "images", "pod.yaml"], &dir.0);
    assert_eq!(found(&only), vec![("pod.yaml".into(), "image-tag".into(), 8)]);
    let ignored =
        run(&["--format", "json", "--isolated", "--ignore", "image-tag,multi-container-pod", "pod.yaml"], &dir.0);
    assert_eq!(found(&ignored), vec![]);
    let strict = run(&["--isolated", "--fail-on", "warning", "pod.yaml"], &dir.0);
    assert_eq!(strict.status.code(), Some(1));
    let lenient = run(&["--isolated", "--fail-on", "warning", "--exit-zero", "pod.yaml"], &dir.0);
    assert_eq!(lenient.status.code(), Some(0));
    let unknown = run(&["--isolated", "--select", "image-tags", "pod.yaml"], &dir.0);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean `image-tag`?"));
}

#[test]
fn exclude_and_per_file_ignores_use_paths_relative_to_the_config() {
    let dir = TempDir::new("paths");
    dir.write(".podlint.yaml", "exclude: [vendor]\nper-file-ignores:\n  'legacy/*.yaml': [images]\n");
    dir.write("vendor/pod.yaml", POD);
    dir.write("legacy/pod.yaml", POD);
    dir.write("k8s/pod.yaml", POD);
    let out = run(&["--format", "json", "--ignore", "workloads", "."], &dir.0);
    assert_eq!(found(&out), vec![("./k8s/pod.yaml".into(), "image-tag".into(), 8)]);
    // Excluded files stay excluded when named, as pre-commit names them.
    let named = run(&["--format", "json", "--ignore", "workloads", "vendor/pod.yaml"], &dir.0);
    assert_eq!(found(&named), vec![]);
    // From a subfolder, the globs still mean the same files.
    let sub = run(&["--format", "json", "--ignore", "workloads", "pod.yaml"], &dir.0.join("legacy"));
    assert_eq!(found(&sub), vec![]);
}

#[test]
fn config_mistakes_are_usage_errors_with_a_location() {
    let dir = TempDir::new("mistakes");
    dir.write(".podlint.yaml", "rules:\n  image-tag: warning\nexlude: [x]\n");
    dir.write("pod.yaml", POD);
    let out = run(&["pod.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr(&out);
    assert!(
        stderr.trim().ends_with(".podlint.yaml:3:1: unknown setting `exlude`; did you mean `exclude`?"),
        "{stderr}"
    );
}

#[test]
fn published_json_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/podlint.schema.json");
    let generated = serde_json::to_string_pretty(&podlint::config::json_schema()).expect("serialise") + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).expect("write");
    }
    let published = std::fs::read_to_string(path).expect("podlint.schema.json");
    assert_eq!(published, generated, "run UPDATE_SCHEMA=1 cargo test --test config");
}

#[test]
fn published_json_schema_accepts_good_configs_and_rejects_typos() {
    let schema = podlint::config::json_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let good = serde_json::json!({
        "kubernetes-version": "1.30", "select": ["schema", "image-tag"], "ignore": "api",
        "rules": {"image-tag": "error", "multi-container-pod": {"severity": "off", "allowed-sidecars": ["istio-proxy"]}},
        "exclude": ["charts/**"], "per-file-ignores": {"legacy/*.yaml": ["removed-api"]}, "fail-on": "warning"
    });
    assert!(validator.is_valid(&good));
    for bad in [
        serde_json::json!({"selct": ["schema"]}),
        serde_json::json!({"rules": {"image-tags": "error"}}),
        serde_json::json!({"rules": {"image-tag": "fatal"}}),
        serde_json::json!({"rules": {"image-tag": {"allowed-sidecars": ["x"]}}}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
}
