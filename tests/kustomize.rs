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

fn lint(files: &[(&str, &str)]) -> Vec<String> {
    let inputs: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let settings = podlint::settings::Settings { snippets: false, ..Default::default() };
    let report = podlint::lint_memory(&inputs, &settings);
    report
        .findings
        .iter()
        .map(|f| format!("{}:{}:{} {}", f.file, f.location.start.line, f.location.start.column, f.rule))
        .collect()
}

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: api:1.0.0\n          ports: [{name: http, containerPort: 8080}]\n          readinessProbe: {httpGet: {path: /, port: http}}\n          livenessProbe: {httpGet: {path: /, port: http}}\n          resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {cpu: 100m, memory: 64Mi}}\n";
const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: http}]\n";

#[test]
fn a_kustomization_namespace_places_its_resources_for_cross_object_rules() {
    // Both in a base that an overlay puts in `prod`: the Service still selects the pods.
    let together = lint(&[
        ("base/kustomization.yaml", "resources: [deployment.yaml, service.yaml]\n"),
        ("base/deployment.yaml", DEPLOYMENT),
        ("base/service.yaml", SERVICE),
        ("overlay/kustomization.yaml", "namespace: prod\nresources: [../base]\n"),
    ]);
    assert!(together.iter().all(|f| !f.contains("service-")), "{together:?}");
    // The kustomization moves the Service to `prod`; the Deployment is in `dev`. (An object
    // that names no namespace may be applied anywhere, so it would still match.)
    let in_dev = DEPLOYMENT.replace("  name: api\n", "  name: api\n  namespace: dev\n");
    let apart = lint(&[
        ("svc/kustomization.yaml", "namespace: prod\nresources: [service.yaml]\n"),
        ("svc/service.yaml", SERVICE),
        ("deployment.yaml", &in_dev),
    ]);
    assert_eq!(apart, ["svc/service.yaml:6:3 service-selector"]);
}

/// `commonLabels` (and `labels` that include templates) end up on the pods kustomize builds, so
/// a budget or Service elsewhere that selects them by those labels selects them (the layout of
/// metrics-server's high-availability component).
#[test]
fn labels_a_kustomization_writes_into_pod_templates_are_seen_by_selectors() {
    let budget = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {k8s-app: api}\n";
    let tree = |base: &str| {
        lint(&[
            ("base/kustomization.yaml", base),
            ("base/deployment.yaml", DEPLOYMENT),
            (
                "ha/kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [pdb.yaml]\n",
            ),
            ("ha/pdb.yaml", budget),
            ("overlay/kustomization.yaml", "resources: [../base]\ncomponents: [../ha]\n"),
        ])
        .into_iter()
        .filter(|f| f.contains("pdb-selector"))
        .collect::<Vec<_>>()
    };
    assert_eq!(tree("resources: [deployment.yaml]\ncommonLabels: {k8s-app: api}\n"), Vec::<String>::new());
    let templates = "resources: [deployment.yaml]\nlabels:\n  - pairs: {k8s-app: api}\n    includeTemplates: true\n";
    assert_eq!(tree(templates), Vec::<String>::new());
    // Labels kept off the templates do not reach the pods.
    let metadata_only = "resources: [deployment.yaml]\nlabels:\n  - pairs: {k8s-app: api}\n";
    assert_eq!(tree(metadata_only), ["ha/pdb.yaml:7:3 pdb-selector"]);
}

#[test]
fn strategic_merge_patches_are_partial_objects_whose_fields_are_still_checked() {
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      $setElementOrder/containers:\n        - name: api\n      containers:\n        - name: api\n          readinessprobe: {initialDelaySeconds: 5}\n          $patch: merge\n        - name: sidecar\n          $patch: delete\n      $retainKeys: [volumes]\n      volumes:\n        - name: cache\n          emptyDir: {}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  $deleteFromPrimitiveList/externalIPs: [1.2.3.4]\n  selector: {app: nothing}\n";
    let found = lint(&[
        ("k/kustomization.yaml", "resources: [deployment.yaml, service.yaml]\npatches:\n  - path: patch.yaml\n"),
        ("k/deployment.yaml", DEPLOYMENT),
        ("k/service.yaml", SERVICE),
        ("k/patch.yaml", patch),
    ]);
    // The typo is found; nothing the patch leaves out (probes, resources, image, selector) is,
    // the directives are not unknown fields, and the patch's Service selects nothing of the run.
    assert_eq!(found, ["k/patch.yaml:12:11 field-case"]);
}

#[test]
fn kustomize_plugin_configs_and_tool_files_are_not_manifests() {
    let found = lint(&[
        (
            "k/kustomization.yaml",
            "resources: [deployment.yaml]\ntransformers: [labels.yaml]\nconfigurations: [refs.yaml]\ngenerators: [gen.yaml]\n",
        ),
        ("k/deployment.yaml", DEPLOYMENT),
        (
            "k/labels.yaml",
            "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\nlabels: {team: x}\nfieldSpecs: [{path: metadata/labels, create: true}]\n",
        ),
        (
            "k/refs.yaml",
            "nameReference:\n  - kind: ConfigMap\n    fieldSpecs: [{kind: Deployment, path: spec/template/spec/volumes/configMap/name}]\n",
        ),
        ("k/gen.yaml", "apiVersion: example.com/v1\nkind: MyGenerator\nmetadata: {name: g}\nspec: {anything: true}\n"),
        (
            "elsewhere.yaml",
            "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npatch: '[]'\ntarget: {kind: Deployment}\n",
        ),
    ]);
    // Files are named here, as pre-commit names them: the one no kustomization lists gets the
    // notice that nothing in it was linted.
    assert_eq!(found, ["elsewhere.yaml:1:1 not-a-manifest"]);
}

#[test]
fn a_kustomization_without_apiversion_or_kind_is_checked_by_its_file_name() {
    let found = lint(&[
        ("Kustomization", "resource: [a.yaml]\nnamespace: 3\n"),
        ("x/kustomization.yml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\n"),
        ("y/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: kustomization\n"),
    ]);
    assert_eq!(
        found,
        [
            "Kustomization:1:1 unknown-field",
            "Kustomization:2:12 invalid-type",
            "x/kustomization.yml:1:13 invalid-value",
            "y/kustomization.yaml:1:13 invalid-value",
            "y/kustomization.yaml:2:7 field-case",
        ]
    );
}

#[test]
fn labels_written_into_selectors_supply_a_missing_selector() {
    // As metrics-server's base: kustomize creates `spec.selector` from `commonLabels` (or from
    // `labels` with `includeSelectors: true`, here set by the overlay that includes the base).
    let without_selector = DEPLOYMENT.replace("  selector:\n    matchLabels: {app: api}\n", "");
    let common = lint(&[
        ("base/kustomization.yaml", "commonLabels: {app: api}\nresources: [deployment.yaml]\n"),
        ("base/deployment.yaml", &without_selector),
    ]);
    assert!(!common.iter().any(|f| f.contains("missing-required-field")), "{common:?}");
    let through_overlay = lint(&[
        ("base/kustomization.yaml", "resources: [deployment.yaml]\n"),
        ("base/deployment.yaml", &without_selector),
        ("prod/kustomization.yaml", "resources: [../base]\nlabels:\n- pairs: {app: api}\n  includeSelectors: true\n"),
    ]);
    assert!(!through_overlay.iter().any(|f| f.contains("missing-required-field")), "{through_overlay:?}");
    // `labels` alone leaves selectors alone: the selector is still missing.
    let plain = lint(&[
        ("base/kustomization.yaml", "resources: [deployment.yaml]\nlabels:\n- pairs: {app: api}\n"),
        ("base/deployment.yaml", &without_selector),
    ]);
    assert_eq!(plain, ["base/deployment.yaml:5:1 missing-required-field"]);
}

#[test]
fn a_bare_path_under_patches_is_one_mistake_not_a_patch_full_of_missing_fields() {
    // kustomize refuses it ("cannot unmarshal string into … types.Patch"); the file is still a patch.
    let found = lint(&[
        ("k/kustomization.yaml", "resources: [deployment.yaml]\npatches:\n- replicas.yaml\n"),
        ("k/deployment.yaml", DEPLOYMENT),
        ("k/replicas.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n"),
    ]);
    assert_eq!(found, ["k/kustomization.yaml:3:3 invalid-type"]);
}

#[test]
fn a_patch_named_without_its_kustomization_is_still_a_patch() {
    // pre-commit names only the staged files: the kustomization beside the patch is read for
    // the run context, not linted.
    let dir = common::TempDir::new("named-patch");
    dir.write("base/kustomization.yaml", "resources: [deployment.yaml]\n");
    dir.write("base/deployment.yaml", DEPLOYMENT);
    dir.write("prod/kustomization.yaml", "resources: [../base]\npatches:\n- path: replicas.yaml\n");
    dir.write(
        "prod/replicas.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: api\n          readinessprobe: {}\n",
    );
    let out = common::run(&["--format", "concise", "prod/replicas.yaml"], &dir.0);
    assert_eq!(
        common::stdout(&out),
        "prod/replicas.yaml:11:11: error[field-case] unknown field `readinessprobe`; did you mean `readinessProbe`?\nFound 1 error, 0 warnings in 1 file (1 object).\n"
    );
}
