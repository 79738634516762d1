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

const SETTINGS: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
data:
  LOG_LEVEL: info
";

const CONSUMER: &str = "apiVersion: apps/v1
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
          env:
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef: {name: web-settings, key: log-level}
            - name: MISSING_OK
              valueFrom:
                configMapKeyRef: {name: web-settings, key: other, optional: true}
          envFrom:
            - configMapRef: {name: web-setings}
            - secretRef: {name: no-secrets-in-git}
";

#[test]
fn config_references_are_resolved_across_files() {
    let config = |report: &podlint::Report| -> Vec<String> {
        report.findings.iter().filter(|f| f.rule == "missing-config-reference").map(common::located).collect()
    };
    let files = [("deployment.yaml", CONSUMER.as_bytes()), ("settings.yaml", SETTINGS.as_bytes())];
    let report = podlint::lint_memory(&files, &settings());
    // The missing key and the typo are found at the reference; the optional key and the Secret
    // (no Secret is in the run) are not judged.
    assert_eq!(
        config(&report),
        ["deployment.yaml:18:60 missing-config-reference", "deployment.yaml:23:36 missing-config-reference"],
        "{:#?}",
        report.findings
    );
    let key = report.findings.iter().find(|f| f.rule == "missing-config-reference").expect("a finding");
    assert_eq!(key.severity, podlint::finding::Severity::Error);
    assert!(key.help.as_deref().is_some_and(|h| h.contains("(settings.yaml:1)")), "{key:#?}");
    let name = report.findings.iter().rfind(|f| f.rule == "missing-config-reference").expect("a finding");
    assert!(
        name.help.as_deref().is_some_and(|h| h.contains("did you mean ConfigMap `web-settings` (settings.yaml:1)?"))
    );
    // Without the ConfigMap's file the run holds no ConfigMap: nothing is judged.
    let alone = podlint::lint_memory(&files[..1], &settings());
    assert!(config(&alone).is_empty(), "{:#?}", alone.findings);
}

const WEB_SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: http
      port: 80
";

const INGRESS: &str = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service: {name: web, port: {number: 8080}}
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: wbe, port: {name: http}}
";

#[test]
fn ingress_backends_are_resolved_across_files() {
    let backend = |report: &podlint::Report| -> Vec<String> {
        report.findings.iter().filter(|f| f.rule == "ingress-backend").map(common::located).collect()
    };
    let files = [("ingress.yaml", INGRESS.as_bytes()), ("service.yaml", WEB_SERVICE.as_bytes())];
    let report = podlint::lint_memory(&files, &settings());
    assert_eq!(
        backend(&report),
        ["ingress.yaml:7:41 ingress-backend", "ingress.yaml:14:31 ingress-backend"],
        "{:#?}",
        report.findings
    );
    let port = report.findings.iter().find(|f| f.rule == "ingress-backend").expect("a finding");
    assert!(port.help.as_deref().is_some_and(|h| h.contains("(service.yaml:1) exposes `80 (http)`")), "{port:#?}");
    let name = report.findings.iter().rfind(|f| f.rule == "ingress-backend").expect("a finding");
    assert!(name.help.as_deref().is_some_and(|h| h.contains("did you mean Service `web` (service.yaml:1)?")));
    let alone = podlint::lint_memory(&files[..1], &settings());
    assert!(backend(&alone).is_empty(), "{:#?}", alone.findings);
}

#[test]
fn service_accounts_are_resolved_across_files() {
    let account = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web-runner\n";
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  serviceAccountName: web-runer\n  containers:\n    - name: web\n      image: web:1.4.2\n";
    let found = |report: &podlint::Report| -> Vec<String> {
        report.findings.iter().filter(|f| f.rule == "missing-service-account").map(common::located).collect()
    };
    let files = [("pod.yaml", pod.as_bytes()), ("account.yaml", account.as_bytes())];
    let report = podlint::lint_memory(&files, &settings());
    assert_eq!(found(&report), ["pod.yaml:6:23 missing-service-account"], "{:#?}", report.findings);
    let help = report.findings.iter().find(|f| f.rule == "missing-service-account").and_then(|f| f.help.as_deref());
    assert_eq!(help, Some("did you mean ServiceAccount `web-runner` (account.yaml:1)?"));
    assert!(found(&podlint::lint_memory(&files[..1], &settings())).is_empty());
}

/// RBAC, claims and a StatefulSet's Service, each with its target in another file: found across
/// files, with help naming the file of the closest target; silent without that file.
#[test]
fn roles_claims_and_governing_services_are_resolved_across_files() {
    let targets = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: shop
rules: []
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
---
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: shop
spec:
  clusterIP: None
  selector: {app: db}
  ports:
    - port: 5432
";
    let users = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: pods-reader
subjects:
  - kind: ServiceAccount
    name: web
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: dbs
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: postgres:16.4
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: db-data
";
    let rules = ["missing-role", "missing-volume-claim", "statefulset-service"];
    let found = |report: &podlint::Report| -> Vec<String> {
        report.findings.iter().filter(|f| rules.contains(&f.rule)).map(common::located).collect()
    };
    let files = [("users.yaml", users.as_bytes()), ("targets.yaml", targets.as_bytes())];
    let report = podlint::lint_memory(&files, &settings());
    assert_eq!(
        found(&report),
        [
            "users.yaml:9:9 missing-role",
            "users.yaml:20:16 statefulset-service",
            "users.yaml:33:24 missing-volume-claim"
        ],
        "{:#?}",
        report.findings
    );
    let help = |rule: &str| report.findings.iter().find(|f| f.rule == rule).and_then(|f| f.help.clone());
    assert_eq!(help("missing-role").as_deref(), Some("did you mean Role `pod-reader` (targets.yaml:1)?"));
    assert_eq!(help("statefulset-service").as_deref(), Some("did you mean Service `db` (targets.yaml:18)?"));
    assert!(found(&podlint::lint_memory(&files[..1], &settings())).is_empty());
}

#[test]
fn disruption_budgets_are_checked_against_workloads_in_other_files() {
    let budget = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: wbe}\n";
    let found = |report: &podlint::Report| -> Vec<String> {
        report.findings.iter().filter(|f| f.rule == "pdb-selector").map(common::located).collect()
    };
    let files = [("pdb.yaml", budget.as_bytes()), ("deployment.yaml", DEPLOYMENT.as_bytes())];
    let report = podlint::lint_memory(&files, &settings());
    assert_eq!(found(&report), ["pdb.yaml:7:3 pdb-selector"], "{:#?}", report.findings);
    let help = report.findings.iter().find(|f| f.rule == "pdb-selector").and_then(|f| f.help.as_deref());
    assert_eq!(help, Some("closest pod labels: Deployment/web (deployment.yaml) has `app: web`"));
    // The budget alone: its pods are linted elsewhere.
    assert!(found(&podlint::lint_memory(&files[..1], &settings())).is_empty());
    let fixed = budget.replace("wbe", "web");
    let files = [("pdb.yaml", fixed.as_bytes()), ("deployment.yaml", DEPLOYMENT.as_bytes())];
    assert!(found(&podlint::lint_memory(&files, &settings())).is_empty());
}

const SCALED: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: web:1.4.2
";

const AUTOSCALERS: &str = "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: wbe}
  maxReplicas: 10
";

#[test]
fn autoscalers_are_resolved_across_files() {
    let found = |report: &podlint::Report| -> Vec<String> {
        report.findings.iter().filter(|f| f.rule == "hpa-target").map(common::located).collect()
    };
    let files = [("hpa.yaml", AUTOSCALERS.as_bytes()), ("deployment.yaml", SCALED.as_bytes())];
    let report = podlint::lint_memory(&files, &settings());
    // The request the cpu metric needs and the mistyped target are found at the HPA; the
    // replica count the HPA undoes at the Deployment.
    assert_eq!(
        found(&report),
        ["hpa.yaml:12:15 hpa-target", "hpa.yaml:20:65 hpa-target", "deployment.yaml:6:13 hpa-target"],
        "{:#?}",
        report.findings
    );
    let help = |line: &str| {
        let at = report.findings.iter().find(|f| common::located(f).starts_with(line)).expect("a finding");
        at.help.clone().unwrap_or_default()
    };
    assert!(help("hpa.yaml:12").contains("Deployment `web` (deployment.yaml:1): set `resources.requests.cpu`"));
    assert_eq!(help("hpa.yaml:20"), "did you mean Deployment `web` (deployment.yaml:1)?");
    assert!(help("deployment.yaml:6").contains("let HPA `web` (hpa.yaml:1) set the count"));
    // Without the Deployment's file the run holds no Deployment: nothing is judged.
    assert!(found(&podlint::lint_memory(&files[..1], &settings())).is_empty());
}
