//! Kustomize support checked against kustomize itself (`kubectl kustomize`, when kubectl is on
//! PATH; the tests are skipped otherwise): the fixture trees that podlint calls correct build,
//! the ones it faults do not, and `--fix` rewrites deprecated fields without changing the build.
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::podlint;

fn kubectl_kustomize(dir: &Path) -> Option<std::process::Output> {
    Command::new("kubectl").arg("kustomize").arg(dir).output().ok()
}

fn kubectl_available() -> bool {
    let found = Command::new("kubectl").args(["version", "--client"]).output().is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("kubectl not on PATH; skipping");
    }
    found
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn trees_podlint_calls_correct_build_and_faulted_ones_do_not() {
    if !kubectl_available() {
        return;
    }
    let builds = |dir: &str| kubectl_kustomize(&fixtures().join(dir)).is_some_and(|o| o.status.success());
    for good in
        ["repositories/kustomize-tree/base", "repositories/kustomize-tree/overlays/prod", "json-patch-invalid/clean"]
    {
        assert!(builds(good), "{good} should build");
    }
    for bad in ["repositories/kustomize-tree/overlays/staging", "kustomize-missing-path/hit", "json-patch-invalid/hit"]
    {
        assert!(!builds(bad), "{bad} should not build");
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn fixing_deprecated_fields_keeps_the_build_output() {
    if !kubectl_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("podlint-kustomize-fix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(&fixtures().join("repositories/kustomize-tree"), &dir);
    let overlay = dir.join("overlays/legacy");
    std::fs::create_dir_all(&overlay).expect("create overlay");
    let write = |name: &str, text: &str| std::fs::write(overlay.join(name), text).expect("write");
    write(
        "kustomization.yaml",
        "namespace: legacy\nbases:\n  - ../../base\npatchesStrategicMerge:\n  - replicas.yaml\ncommonLabels:\n  env: legacy\n  \"team\": shop\nimageTags:\n  - name: nginx\n    newTag: 1.27.4\nconfigMapGenerator:\n  - name: extra\n    env: extra.env\n",
    );
    write("replicas.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 4\n");
    write("extra.env", "A=1\n");
    let before = kubectl_kustomize(&overlay).expect("kubectl runs");
    assert!(before.status.success(), "{}", String::from_utf8_lossy(&before.stderr));

    let fixed = podlint().args(["--fix", "--select", "kustomize-deprecated-field", "."]).current_dir(&overlay).output();
    let fixed = fixed.expect("podlint runs");
    let text = std::fs::read_to_string(overlay.join("kustomization.yaml")).expect("read back");
    for gone in ["bases", "patchesStrategicMerge", "commonLabels", "imageTags", "env: extra.env"] {
        assert!(!text.contains(gone), "`{gone}` left after --fix:\n{text}\n{}", String::from_utf8_lossy(&fixed.stdout));
    }
    let after = kubectl_kustomize(&overlay).expect("kubectl runs");
    assert!(after.status.success(), "{}", String::from_utf8_lossy(&after.stderr));
    assert_eq!(String::from_utf8_lossy(&before.stdout), String::from_utf8_lossy(&after.stdout));
    // kustomize itself no longer warns.
    assert!(
        !String::from_utf8_lossy(&after.stderr).contains("deprecated"),
        "{}",
        String::from_utf8_lossy(&after.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
