//! The workspace as a long-running process uses it: a file's version checked against the rest
//! (what --fix does between rounds), one file replaced and the findings across files updated,
//! and suppressions judged by the rules that actually ran.
use podlint::Workspace;
use podlint::settings::Settings;
use podlint::source::Input;

const SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  # podlint: ignore[service-selector] -- the pods come from an operator
  selector:
    app: web
  ports:
    - port: 80
";

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: api:1.0.0
";

fn settings() -> Settings {
    Settings { snippets: false, ..Settings::default() }
}

fn workspace(files: &[(&str, &str)]) -> Workspace {
    let inputs = files.iter().map(|(name, text)| Input::memory(name, text.as_bytes())).collect();
    Workspace::new(settings(), inputs)
}

fn rules(findings: &[podlint::finding::Finding]) -> Vec<String> {
    findings.iter().map(|f| format!("{}:{} {}", f.location.start.line, f.location.start.column, f.rule)).collect()
}

/// A version of a file is checked with the rules that look across the run, so a suppression of
/// one of them is used, not reported as unused (it was, when --fix linted files alone).
#[test]
fn a_version_of_a_file_sees_the_run_rules_and_their_suppressions() {
    let ws = workspace(&[("service.yaml", SERVICE), ("deployment.yaml", DEPLOYMENT)]);
    assert_eq!(rules(&ws.findings("service.yaml").expect("an input")), Vec::<String>::new());
    assert_eq!(rules(&ws.check_version("service.yaml", SERVICE)), Vec::<String>::new());
    // Without the comment, the rule reports; with it on a Service that selects pods, the
    // comment is stale.
    let bare = SERVICE.replace("  # podlint: ignore[service-selector] -- the pods come from an operator\n", "");
    assert_eq!(rules(&ws.check_version("service.yaml", &bare)), ["6:3 service-selector"]);
    let matching = SERVICE.replace("app: web", "app: api");
    assert_eq!(rules(&ws.check_version("service.yaml", &matching)), ["6:3 unused-suppression"]);
    // Where the run has no pods at all, the rule could not judge, so the comment is not unused.
    let alone = workspace(&[("service.yaml", &matching)]);
    assert_eq!(rules(&alone.findings("service.yaml").expect("an input")), Vec::<String>::new());
}

/// Replacing one file updates what other files' findings say about it.
#[test]
fn updating_a_file_updates_the_findings_that_depend_on_it() {
    let service = SERVICE.replace("  # podlint: ignore[service-selector] -- the pods come from an operator\n", "");
    let mut ws = workspace(&[("service.yaml", &service), ("deployment.yaml", DEPLOYMENT)]);
    assert_eq!(rules(&ws.findings("service.yaml").expect("an input")), ["6:3 service-selector"]);
    let relabelled = DEPLOYMENT.replace("app: api}", "app: web}");
    let touched = ws.update(vec![Input::memory("deployment.yaml", relabelled.as_bytes())]);
    let touched: Vec<&str> = touched.iter().map(|n| &**n).collect();
    assert_eq!(touched, ["service.yaml", "deployment.yaml"]);
    assert_eq!(rules(&ws.findings("service.yaml").expect("an input")), Vec::<String>::new());
    // The report is what a fresh run over the same files says.
    let fresh = workspace(&[("service.yaml", &service), ("deployment.yaml", &relabelled)]).report();
    assert_eq!(rules(&ws.report().findings), rules(&fresh.findings));
}

/// A CRD added later checks the custom resources of every file: the run context changed.
#[test]
fn a_new_crd_checks_resources_in_other_files() {
    let resource = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: \"3\"\n";
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {plural: widgets, kind: Widget}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                size: {type: integer}\n";
    let mut ws = workspace(&[("widget.yaml", resource)]);
    assert_eq!(rules(&ws.findings("widget.yaml").expect("an input")), ["1:13 unknown-kind"]);
    let touched = ws.update(vec![Input::memory("crd.yaml", crd.as_bytes())]);
    assert!(touched.iter().any(|n| &**n == "widget.yaml"), "{touched:?}");
    assert_eq!(rules(&ws.findings("widget.yaml").expect("an input")), ["6:9 invalid-type"]);
}

/// Files a kustomization lists as patches are partial objects: a Deployment patch that only
/// sets replicas lacks no required field.
#[test]
fn kustomize_patches_are_partial_objects() {
    let patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n";
    let kustomization = "resources: [deployment.yaml]\npatches:\n  - path: replicas.yaml\n";
    let listed = workspace(&[
        ("k8s/kustomization.yaml", kustomization),
        ("k8s/deployment.yaml", DEPLOYMENT),
        ("k8s/replicas.yaml", patch),
    ]);
    let required = |ws: &Workspace, name: &str| {
        ws.findings(name).expect("an input").iter().filter(|f| f.rule == "missing-required-field").count()
    };
    assert_eq!(required(&listed, "k8s/replicas.yaml"), 0);
    let unlisted = workspace(&[("k8s/deployment.yaml", DEPLOYMENT), ("k8s/replicas.yaml", patch)]);
    assert!(required(&unlisted, "k8s/replicas.yaml") > 0);
}

/// Readiness findings are held per workload until the run shows whether a Service selects its
/// pods: a Service added, changed or removed in another file moves them, at the container's
/// line, and a suppression of them is judged the same way.
#[test]
fn services_in_other_files_decide_readiness_findings() {
    let readiness = |findings: &[podlint::finding::Finding]| -> Vec<String> {
        rules(findings).into_iter().filter(|r| r.contains("readiness") || r.contains("unused-suppression")).collect()
    };
    let service = SERVICE.replace("  # podlint: ignore[service-selector] -- the pods come from an operator\n", "");
    // No Service in the run: which workloads take traffic cannot be told, so every one is checked.
    let mut ws = workspace(&[("deployment.yaml", DEPLOYMENT)]);
    assert_eq!(readiness(&ws.findings("deployment.yaml").expect("an input")), ["13:11 missing-readiness-probe"]);
    // A Service that selects other pods: the Deployment takes no traffic.
    let touched = ws.update(vec![Input::memory("service.yaml", service.as_bytes())]);
    assert!(touched.iter().any(|n| &**n == "deployment.yaml"), "{touched:?}");
    assert_eq!(readiness(&ws.findings("deployment.yaml").expect("an input")), Vec::<String>::new());
    // The Service now selects it.
    let selecting = service.replace("app: web", "app: api");
    ws.update(vec![Input::memory("service.yaml", selecting.as_bytes())]);
    assert_eq!(readiness(&ws.findings("deployment.yaml").expect("an input")), ["13:11 missing-readiness-probe"]);
    let report = ws.report();
    assert_eq!(report.findings.iter().filter(|f| f.rule == "missing-readiness-probe").count(), 1);
    // A suppression on the container's line covers the held finding; where no Service selects
    // the pods the rule reports nothing there, and the comment is stale.
    let suppressed = DEPLOYMENT.replace("- name: api", "- name: api  # podlint: ignore[missing-readiness-probe]");
    assert_eq!(readiness(&ws.check_version("deployment.yaml", &suppressed)), Vec::<String>::new());
    ws.update(vec![Input::memory("service.yaml", service.as_bytes())]);
    assert_eq!(readiness(&ws.check_version("deployment.yaml", &suppressed)), ["13:22 unused-suppression"]);
}
