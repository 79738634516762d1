//! `--fix`, `--diff` and `--unsafe-fixes` as users run them, and a property test: miscasing keys
//! of a valid manifest and fixing gives back exactly the manifest.
mod common;

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{TempDir, json, podlint, stderr, stdout};
use proptest::prelude::*;

/// Isolated, so that no `.podlint.yaml` above the temp folder changes what gets fixed.
fn run(args: &[&str], dir: &Path) -> Output {
    common::run(&[&["--isolated"], args].concat(), dir)
}

const MISCASED: &str = "# A comment that must survive.
apiversion: v1
kind: pod
metadata:
  name: web   # so must this one
spec:
  restartPolicy: always
  containers:
    - name: web
      image: nginx:1.27.3
      ports: [{containerport: 80, protocol: tcp}]
";

const FIXED: &str = "# A comment that must survive.
apiVersion: v1
kind: Pod
metadata:
  name: web   # so must this one
spec:
  restartPolicy: Always
  containers:
    - name: web
      image: nginx:1.27.3
      ports: [{containerPort: 80, protocol: TCP}]
";

const CLEAN: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n";

#[test]
fn fix_rewrites_only_what_it_must_and_keeps_permissions() {
    let dir = TempDir::new("write");
    let bad = dir.write("k8s/pod.yaml", MISCASED);
    std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let clean = dir.write("k8s/config.yaml", CLEAN);
    let clean_before = std::fs::metadata(&clean).expect("meta");

    let out = run(&["--fix", "--format", "json", "k8s"], &dir.0);
    assert_eq!(dir.read("k8s/pod.yaml"), FIXED);
    assert_eq!(std::fs::metadata(&bad).expect("meta").permissions().mode() & 0o777, 0o640);
    // A file with nothing to fix is not even rewritten.
    let clean_after = std::fs::metadata(&clean).expect("meta");
    assert_eq!((clean_after.ino(), clean_after.mtime_nsec()), (clean_before.ino(), clean_before.mtime_nsec()));
    // No temporary files are left behind.
    let names: Vec<_> =
        std::fs::read_dir(dir.0.join("k8s")).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");

    let report = json(&out);
    let fixed: Vec<(&str, u64)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["fixed"] == true)
        .map(|f| (f["rule"].as_str().unwrap_or(""), f["line"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(
        fixed,
        [("field-case", 2), ("field-case", 3), ("field-case", 7), ("field-case", 11), ("field-case", 11)]
    );
    assert_eq!(report["summary"]["fixed"], 5);
    assert_eq!(report["summary"]["errors"], 0);

    // A second --fix finds nothing to do.
    let again = run(&["--fix", "--format", "json", "k8s"], &dir.0);
    let report = json(&again);
    assert_eq!(report["summary"]["fixed"], 0);
    assert_eq!(dir.read("k8s/pod.yaml"), FIXED);
}

#[test]
fn diff_changes_nothing_and_applies_with_patch() {
    let dir = TempDir::new("diff");
    dir.write("k8s/pod.yaml", MISCASED);
    dir.write("k8s/config.yaml", CLEAN);
    let out = run(&["--diff", "k8s"], &dir.0);
    assert_eq!(out.status.code(), Some(1), "something to fix");
    assert_eq!(dir.read("k8s/pod.yaml"), MISCASED, "--diff writes nothing");
    let diff = stdout(&out);
    assert!(diff.starts_with("--- a/k8s/pod.yaml\n+++ b/k8s/pod.yaml\n"), "{diff}");

    let mut patch = Command::new("patch")
        .args(["-p1", "--quiet"])
        .current_dir(&dir.0)
        .stdin(Stdio::piped())
        .spawn()
        .expect("patch is installed");
    patch.stdin.take().expect("stdin").write_all(diff.as_bytes()).expect("write");
    assert!(patch.wait().expect("patch runs").success());
    assert_eq!(dir.read("k8s/pod.yaml"), FIXED);

    let nothing = run(&["--diff", "k8s"], &dir.0);
    assert_eq!(nothing.status.code(), Some(0));
    assert!(nothing.stdout.is_empty());
}

#[test]
fn unsafe_fixes_only_when_asked() {
    let dir = TempDir::new("unsafe");
    let old = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: \"nginx:1.27.3\"}]\n";
    dir.write("deploy.yaml", old);
    run(&["--fix", "deploy.yaml"], &dir.0);
    assert_eq!(dir.read("deploy.yaml"), old, "the move changes behaviour: not a safe fix");
    run(&["--fix", "--unsafe-fixes", "deploy.yaml"], &dir.0);
    assert_eq!(
        dir.read("deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: \"nginx:1.27.3\"}]\n"
    );
}

#[test]
fn comments_survive_the_ingress_move() {
    let dir = TempDir::new("ingress-comments");
    let old = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            backend:\n              serviceName: web   # the storefront\n              # the container's port\n              servicePort: 80    # http\n";
    dir.write("ingress.yaml", old);
    run(&["--fix", "--unsafe-fixes", "ingress.yaml"], &dir.0);
    assert_eq!(
        dir.read("ingress.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: ImplementationSpecific\n            backend:\n              # the container's port\n              service:\n                name: web   # the storefront\n                port:\n                  number: 80    # http\n"
    );
}

#[test]
fn standard_input_is_fixed_to_standard_output() {
    let mut child = podlint()
        .args(["--isolated", "--fix", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(MISCASED.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(stdout(&out), FIXED);
    assert!(stderr(&out).contains("Fixed 5 findings."), "{}", stderr(&out));
}

/// Keys of a valid Deployment that `field-case` can restore from any case.
fn deployment(replicas: u8, containers: &[(bool, bool, u16)], env: u8) -> String {
    let mut text = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: {replicas}\n  revisionHistoryLimit: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      terminationGracePeriodSeconds: 30\n      containers:\n"
    );
    for (i, (probe, resources, port)) in containers.iter().enumerate() {
        text.push_str(&format!(
            "        - name: c{i}\n          image: nginx:1.27.3\n          imagePullPolicy: IfNotPresent\n"
        ));
        text.push_str(&format!("          ports:\n            - containerPort: {port}\n              protocol: TCP\n"));
        if *probe {
            text.push_str("          livenessProbe:\n            tcpSocket:\n              port: 80\n            initialDelaySeconds: 5\n            periodSeconds: 10\n");
        }
        if *resources {
            text.push_str("          resources:\n            requests:\n              cpu: 100m\n            limits:\n              memory: 128Mi\n");
        }
        if env > 0 {
            text.push_str("          env:\n");
            for e in 0..env {
                text.push_str(&format!("            - name: VAR_{e}\n              value: \"x\"\n"));
            }
        }
    }
    text
}

/// Field names `field-case` knows in the generated manifests (not map keys like label names).
const FIELDS: &[&str] = &[
    "apiVersion",
    "metadata",
    "labels",
    "replicas",
    "revisionHistoryLimit",
    "selector",
    "matchLabels",
    "template",
    "terminationGracePeriodSeconds",
    "containers",
    "image",
    "imagePullPolicy",
    "ports",
    "containerPort",
    "protocol",
    "livenessProbe",
    "tcpSocket",
    "initialDelaySeconds",
    "periodSeconds",
    "resources",
    "requests",
    "limits",
    "env",
];

fn miscase(word: &str, seed: u64) -> String {
    let mut s = seed;
    let mut out: String = word
        .chars()
        .map(|c| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            if (s >> 33).is_multiple_of(2) { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }
        })
        .collect();
    if out == word {
        out = word.to_ascii_lowercase();
        if out == word {
            out = word.to_ascii_uppercase();
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn fixing_injected_miscased_keys_restores_the_manifest(
        replicas in 1u8..5,
        containers in prop::collection::vec((any::<bool>(), any::<bool>(), 1u16..65535), 1..3),
        env in 0u8..3,
        picks in prop::collection::vec((0usize..FIELDS.len(), any::<u64>()), 1..6),
    ) {
        let original = deployment(replicas, &containers, env);
        let mut broken = original.clone();
        for (field, seed) in &picks {
            let key = format!("{}:", FIELDS[*field]);
            if let Some(at) = broken.find(&format!(" {key}")).map(|i| i + 1).or_else(|| broken.starts_with(&key).then_some(0)) {
                let replaced = format!("{}:", miscase(FIELDS[*field], *seed));
                broken.replace_range(at..at + key.len(), &replaced);
            }
        }
        let settings = podlint::settings::Settings { snippets: false, ..Default::default() };
        let lint = |t: &str| podlint::lint_memory(&[("generated.yaml", t.as_bytes())], &settings).findings;
        let fixed = podlint::fix::fix_text(&broken, false, lint);
        prop_assert_eq!(fixed.refused, None);
        prop_assert_eq!(fixed.text, original);
    }
}
