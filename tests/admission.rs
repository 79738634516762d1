//! ValidatingAdmissionPolicies evaluated offline, and custom rules, as users run podlint: across
//! files, from `--policy`, with `--ignore`, suppressions and `--statistics`, and the custom rules
//! of `.podlint.yaml` listed, explained and reported.
mod common;

use common::{TempDir, findings, json, run, stderr, stdout};

const POLICIES: &str = "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: ha-replicas
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  validations:
  - expression: object.spec.replicas >= 2
    message: production Deployments run at least two replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: ha-replicas-prod
spec:
  policyName: ha-replicas
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels: {environment: production}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: owner-label
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
  validations:
  - expression: has(object.metadata.labels) && 'owner' in object.metadata.labels
    message: Deployments name their owner
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: owner-label-staging
spec:
  policyName: owner-label
  validationActions: [Warn]
  matchResources:
    namespaceSelector:
      matchLabels: {environment: staging}
";

const NAMESPACES: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: prod
  labels: {environment: production}
---
apiVersion: v1
kind: Namespace
metadata:
  name: staging
  labels: {environment: staging}
---
apiVersion: v1
kind: Namespace
metadata:
  name: sandbox
  labels: {environment: sandbox}
";

fn deployment(name: &str, namespace: &str, replicas: u32, owner: bool) -> String {
    let labels = if owner { "\n  labels:\n    owner: shop" } else { "" };
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}{labels}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: app
        image: registry.example.com/{name}:1.0
"
    )
}

fn policy_findings(report: &serde_json::Value) -> Vec<(String, String, String, u64, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("policy/")))
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn repository() -> TempDir {
    let dir = TempDir::new("policies");
    dir.write("policies.yaml", POLICIES);
    dir.write("namespaces.yaml", NAMESPACES);
    let deployments = [
        deployment("prod-one", "prod", 1, true),
        deployment("prod-three", "prod", 3, true),
        deployment("staging-no-owner", "staging", 1, false),
        deployment("staging-owner", "staging", 1, true),
        deployment("sandbox-one", "sandbox", 1, false),
    ];
    dir.write("deployments.yaml", deployments.join("---\n"));
    dir
}

#[test]
fn policies_judge_objects_in_other_files_in_the_namespaces_their_bindings_select() {
    let dir = repository();
    let out = run(&["--format", "json", "."], &dir.0);
    let report = json(&out);
    // A Deployment is 16 lines, 18 with its owner label, then a `---`. prod-one's `replicas`
    // value is at 9:13; staging-no-owner (line 39 on) has no labels at all, so its finding is
    // at its kind (40:7).
    assert_eq!(
        policy_findings(&report),
        vec![
            ("./deployments.yaml".into(), "policy/ha-replicas".into(), "error".into(), 9, 13),
            ("./deployments.yaml".into(), "policy/owner-label".into(), "warning".into(), 40, 7),
        ],
        "{}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(1), "a Deny-bound policy's finding is an error");
}

#[test]
fn policy_findings_are_ignored_suppressed_and_counted_like_rules() {
    let dir = repository();
    let ignored = run(&["--format", "json", "--ignore", "policy/ha-replicas", "."], &dir.0);
    let rules: Vec<String> = policy_findings(&json(&ignored)).into_iter().map(|f| f.1).collect();
    assert_eq!(rules, ["policy/owner-label"]);
    let by_category = run(&["--format", "json", "--ignore", "admission-policy", "."], &dir.0);
    assert!(policy_findings(&json(&by_category)).is_empty());

    let statistics = run(&["--statistics", "."], &dir.0);
    assert!(stdout(&statistics).contains("policy/ha-replicas"), "{}", stdout(&statistics));

    let suppressed = deployment("prod-one", "prod", 1, true)
        .replace("  replicas: 1\n", "  replicas: 1 # podlint: ignore[policy/ha-replicas] -- a canary\n");
    dir.write("deployments.yaml", suppressed);
    let out = run(&["--format", "json", "."], &dir.0);
    assert!(policy_findings(&json(&out)).is_empty(), "{}", stdout(&out));
}

#[test]
fn policies_given_with_the_policy_flag_are_loaded_not_linted() {
    let dir = TempDir::new("policy-flag");
    dir.write("policies/p.yaml", POLICIES);
    dir.write("manifests/namespaces.yaml", NAMESPACES);
    dir.write("manifests/web.yaml", deployment("web", "prod", 1, true));
    let out = run(&["--format", "json", "--policy", "policies", "manifests"], &dir.0);
    let report = json(&out);
    let found: Vec<(String, String)> = policy_findings(&report).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(found, [("manifests/web.yaml".to_string(), "policy/ha-replicas".to_string())]);
    assert!(findings(&report).iter().all(|f| !f.0.starts_with("policies")), "the policies are not linted");

    // Without the policies the objects are judged by nothing: the suppression is not stale.
    let broken = POLICIES.replace("object.spec.replicas >= 2", "object.spec.replicas >=");
    dir.write("policies/p.yaml", broken);
    let out = run(&["--format", "json", "--policy", "policies/p.yaml", "manifests"], &dir.0);
    assert_eq!(out.status.code(), Some(2), "a policy given that does not compile is a usage error");
    assert!(
        stderr(&out).contains("ValidatingAdmissionPolicy `ha-replicas`: validations[0].expression does not compile")
    );
}

const CONFIG: &str = "custom-rules:
  - id: team-label
    match:
      kinds: [Deployment, StatefulSet]
      apiGroups: [apps]
    expression: has(object.metadata.labels) && 'team' in object.metadata.labels
    message: every workload names its team
    severity: error
    path: metadata.labels
    doc: The on-call rota is found by the team label.
  - id: enough-replicas
    match: {kinds: Deployment}
    expression: object.spec.replicas >= 2
    message: at least two replicas
";

#[test]
fn custom_rules_are_listed_and_explained() {
    let dir = TempDir::new("custom-listed");
    dir.write(".podlint.yaml", CONFIG);
    let rules = run(&["rules"], &dir.0);
    let listing = stdout(&rules);
    assert!(listing.lines().any(|l| l.starts_with("team-label") && l.contains("error") && l.contains("custom")));
    assert!(listing.contains("The on-call rota is found by the team label."), "{listing}");
    let explain = run(&["explain", "enough-replicas"], &dir.0);
    assert_eq!(explain.status.code(), Some(0));
    assert!(stdout(&explain).starts_with("# enough-replicas\n"));
    assert!(stdout(&explain).contains("object.spec.replicas >= 2"));
}

#[test]
fn custom_rules_are_reported_at_their_field_and_suppressed() {
    let dir = TempDir::new("custom");
    dir.write(".podlint.yaml", CONFIG);
    dir.write("web.yaml", deployment("web", "shop", 1, true));

    let out = run(&["--format", "json", "web.yaml"], &dir.0);
    let report = json(&out);
    let custom: Vec<(String, String, u64, u64)> =
        findings(&report).into_iter().filter(|f| f.1 == "team-label" || f.1 == "enough-replicas").collect();
    // `labels:` at 6:3 (the object has labels, none of them `team`), `replicas` at 9:13.
    assert_eq!(
        custom,
        [("web.yaml".into(), "team-label".into(), 6, 3), ("web.yaml".into(), "enough-replicas".into(), 9, 13)],
        "{}",
        stdout(&out)
    );

    let suppressed = deployment("web", "shop", 1, true)
        .replace("  replicas: 1\n", "  replicas: 1 # podlint: ignore[enough-replicas]\n");
    dir.write("web.yaml", suppressed);
    let out = run(&["--format", "json", "--ignore", "team-label", "web.yaml"], &dir.0);
    let left: Vec<String> = findings(&json(&out)).into_iter().map(|f| f.1).collect();
    assert!(!left.iter().any(|r| r == "team-label" || r == "enough-replicas"), "{left:?}");
}

#[test]
fn a_custom_rule_that_does_not_compile_is_a_located_config_error() {
    let dir = TempDir::new("custom-broken");
    dir.write(".podlint.yaml", CONFIG.replace("object.spec.replicas >= 2", "\"  \""));
    dir.write("web.yaml", deployment("web", "shop", 1, true));
    let out = run(&["web.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".podlint.yaml:13:17: custom rule `enough-replicas`: the expression does not compile"),
        "{}",
        stderr(&out)
    );
    let clash = CONFIG.replace("id: team-label", "id: image-tag");
    dir.write(".podlint.yaml", clash);
    let out = run(&["web.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".podlint.yaml:2:9: custom rule id `image-tag` is taken"), "{}", stderr(&out));
}
