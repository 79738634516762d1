//! Cross-object rules see every file of a run: a Service in one file is checked against the
//! workloads of another. The fixtures lint one file each, so the cross-file path is tested here.
mod common;

use podlint::settings::Settings;

const SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: htp
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 80
      targetPort: http
";

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: web:1.4.2
          ports:
            - name: http
              containerPort: 8080
";

fn settings() -> Settings {
    Settings { snippets: false, ..Settings::default() }
}

/// `file:line:column rule` for the findings of the link rules, in report order.
fn link_findings(report: &podlint::Report) -> Vec<String> {
    report.findings.iter().filter(|f| f.rule.starts_with("service-")).map(common::located).collect()
}

#[test]
fn services_are_checked_against_workloads_in_other_files() {
    let report = podlint::lint_memory(
        &[("service.yaml", SERVICE.as_bytes()), ("deployment.yaml", DEPLOYMENT.as_bytes())],
        &settings(),
    );
    assert_eq!(
        link_findings(&report),
        ["service.yaml:10:19 service-target-port", "service.yaml:17:3 service-selector"],
        "{:#?}",
        report.findings
    );
    let target_port = &report.findings.iter().find(|f| f.rule == "service-target-port").expect("a finding");
    assert_eq!(target_port.object.as_ref().and_then(|o| o.label()).as_deref(), Some("Service/web"));
    assert!(target_port.help.as_deref().is_some_and(|h| h.contains("did you mean `http`?")), "{target_port:#?}");
    // The Deployment is in another file, so help names that file.
    let selector = &report.findings.iter().find(|f| f.rule == "service-selector").expect("a finding");
    assert!(selector.help.as_deref().is_some_and(|h| h.contains("Deployment/web (deployment.yaml)")), "{selector:#?}");
}

#[test]
fn the_order_of_files_does_not_matter() {
    let report = podlint::lint_memory(
        &[("deployment.yaml", DEPLOYMENT.as_bytes()), ("service.yaml", SERVICE.as_bytes())],
        &settings(),
    );
    assert_eq!(
        link_findings(&report),
        ["service.yaml:10:19 service-target-port", "service.yaml:17:3 service-selector"]
    );
}

#[test]
fn services_without_workloads_report_nothing() {
    let report = podlint::lint_memory(&[("service.yaml", SERVICE.as_bytes())], &settings());
    assert_eq!(link_findings(&report), Vec::<String>::new(), "{:#?}", report.findings);
}

#[test]
fn turning_a_rule_off_or_down_applies_to_cross_object_findings() {
    let mut settings = settings();
    settings.rule_severity.insert("service-selector".to_string(), None);
    settings.rule_severity.insert("service-target-port".to_string(), Some(podlint::finding::Severity::Error));
    let report = podlint::lint_memory(
        &[("service.yaml", SERVICE.as_bytes()), ("deployment.yaml", DEPLOYMENT.as_bytes())],
        &settings,
    );
    assert_eq!(link_findings(&report), ["service.yaml:10:19 service-target-port"]);
    assert_eq!(report.findings[0].severity, podlint::finding::Severity::Error);
}

/// A custom resource is checked against a CRD that comes later in the run, from another file.
#[test]
fn custom_resources_are_checked_against_a_crd_in_a_later_file() {
    let resource = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: \"3\"\n";
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {plural: widgets, kind: Widget}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                size: {type: integer}\n";
    let settings = podlint::settings::Settings::default();
    let report = podlint::lint_memory(&[("widget.yaml", resource.as_bytes()), ("crd.yaml", crd.as_bytes())], &settings);
    let found: Vec<_> =
        report.findings.iter().map(|f| (&*f.file, f.rule, f.location.start.line, f.location.start.column)).collect();
    assert_eq!(found, [("widget.yaml", "invalid-type", 6, 9)]);
    // Without the CRD, the resource is reported once as having no schema.
    let alone = podlint::lint_memory(&[("widget.yaml", resource.as_bytes())], &settings);
    let rules: Vec<_> = alone.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["unknown-kind"]);
}

/// A readiness probe matters for pods a Service sends traffic to. With the Services of the run
/// in another file, the workloads none selects are not reported; a run whose only Service is a
/// patch (its selector may be the base's business) is judged as one without Services.
#[test]
fn readiness_findings_follow_the_services_of_the_run() {
    let worker = DEPLOYMENT.replace("web", "worker");
    let readiness = |files: &[(&str, &str)]| -> Vec<String> {
        let inputs: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
        let report = podlint::lint_memory(&inputs, &settings());
        report.findings.iter().filter(|f| f.rule == "missing-readiness-probe").map(common::located).collect()
    };
    let files = [("service.yaml", SERVICE), ("deployment.yaml", DEPLOYMENT), ("worker.yaml", worker.as_str())];
    assert_eq!(readiness(&files), ["deployment.yaml:13:11 missing-readiness-probe"]);
    assert_eq!(
        readiness(&files[1..]),
        ["deployment.yaml:13:11 missing-readiness-probe", "worker.yaml:13:11 missing-readiness-probe"]
    );
    let patch = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n$patch: merge\nspec:\n  selector: {app: web}\n";
    let with_patch = [("patch.yaml", patch), files[1], files[2]];
    assert_eq!(
        readiness(&with_patch),
        ["deployment.yaml:13:11 missing-readiness-probe", "worker.yaml:13:11 missing-readiness-probe"]
    );
}
