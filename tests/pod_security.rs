//! Pod Security as a user meets it: which level applies (the default, `--pod-security`, the
//! configuration, a Namespace's labels), at which severity, for which objects; inheritance from
//! the pod's securityContext; what a hardened manifest gets (nothing). The controller's own
//! fixtures are run by tests/pod_security_admission.rs.
mod common;

use common::{TempDir, findings, json, run};

/// (rule, line, severity) of every finding of a JSON report.
fn judged(out: &std::process::Output) -> Vec<(String, u64, String)> {
    let report = json(out);
    let severities: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
        .collect();
    findings(&report).into_iter().zip(severities).map(|((_, rule, line, _), severity)| (rule, line, severity)).collect()
}

fn lint(files: &[(&str, &str)], args: &[&str]) -> (Vec<(String, u64, String)>, Option<i32>) {
    let dir = TempDir::new("pss");
    for (name, text) in files {
        dir.write(name, text);
    }
    let mut all = vec!["--isolated", "--select", "pod-security", "--format", "json"];
    all.extend_from_slice(args);
    all.push(".");
    let out = run(&all, &dir.0);
    (judged(&out), out.status.code())
}

fn found(result: &(Vec<(String, u64, String)>, Option<i32>)) -> Vec<String> {
    result.0.iter().map(|(rule, line, severity)| format!("{line} {rule} {severity}")).collect()
}

const PRIVILEGED_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        securityContext:
          privileged: true
";

/// The usual hardening: pod-level settings for every container, container-level for the rest.
const HARDENED: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      initContainers:
      - name: migrate
        image: api:1.2
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop: [ALL]
      containers:
      - name: api
        image: api:1.2
        ports:
        - containerPort: 8080
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: [ALL]
            add: [NET_BIND_SERVICE]
      volumes:
      - name: tmp
        emptyDir: {}
      - name: config
        configMap:
          name: api
";

fn namespace(labels: &[(&str, &str)]) -> String {
    let mut text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n".to_string();
    for (k, v) in labels {
        text.push_str(&format!("    pod-security.kubernetes.io/{k}: {v}\n"));
    }
    text
}

#[test]
fn baseline_is_the_default_at_warning_severity() {
    let result = lint(&[("web.yaml", PRIVILEGED_DEPLOYMENT)], &[]);
    assert_eq!(found(&result), ["17 pod-security-privileged warning"]);
    assert_eq!(result.1, Some(0), "warnings do not fail the run");
    // The restricted rules are part of the default level only when asked for.
    let restricted = lint(&[("web.yaml", PRIVILEGED_DEPLOYMENT)], &["--pod-security", "restricted"]);
    let rules: Vec<&str> = restricted.0.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(
        rules,
        [
            "pod-security-capabilities",
            "pod-security-privilege-escalation",
            "pod-security-run-as-non-root",
            "pod-security-seccomp",
            "pod-security-privileged",
        ]
    );
    assert!(lint(&[("web.yaml", PRIVILEGED_DEPLOYMENT)], &["--pod-security", "privileged"]).0.is_empty());
}

#[test]
fn a_hardened_manifest_gets_nothing_even_at_restricted() {
    assert!(lint(&[("api.yaml", HARDENED)], &["--pod-security", "restricted"]).0.is_empty());
    let ns = namespace(&[("enforce", "restricted")]);
    assert!(lint(&[("ns.yaml", &ns), ("api.yaml", HARDENED)], &[]).0.is_empty());
}

#[test]
fn a_namespace_that_enforces_a_level_makes_violations_errors() {
    let ns = namespace(&[("enforce", "restricted"), ("enforce-version", "v1.30")]);
    let result = lint(&[("ns.yaml", &ns), ("web.yaml", PRIVILEGED_DEPLOYMENT)], &[]);
    assert_eq!(
        found(&result),
        [
            "16 pod-security-capabilities error",
            "16 pod-security-privilege-escalation error",
            "16 pod-security-run-as-non-root error",
            "16 pod-security-seccomp error",
            "17 pod-security-privileged error",
        ]
    );
    assert_eq!(result.1, Some(1), "an enforced violation fails the run");
    let dir = TempDir::new("pss-message");
    dir.write("ns.yaml", &ns);
    dir.write("web.yaml", PRIVILEGED_DEPLOYMENT);
    let out = run(&["--isolated", "--select", "pod-security-privilege-escalation", "--format", "json", "."], &dir.0);
    let report = json(&out);
    assert_eq!(
        report["findings"][0]["message"],
        "violates PodSecurity \"restricted:v1.30\": allowPrivilegeEscalation != false (container \"web\" must set \
         securityContext.allowPrivilegeEscalation=false)"
    );
}

#[test]
fn warn_and_audit_labels_give_warnings_and_the_strictest_mode_wins() {
    let ns = namespace(&[("enforce", "baseline"), ("warn", "restricted")]);
    let result = lint(&[("ns.yaml", &ns), ("web.yaml", PRIVILEGED_DEPLOYMENT)], &[]);
    assert_eq!(
        found(&result),
        [
            "16 pod-security-capabilities warning",
            "16 pod-security-privilege-escalation warning",
            "16 pod-security-run-as-non-root warning",
            "16 pod-security-seccomp warning",
            // Refused by the enforced baseline: reported once, as an error.
            "17 pod-security-privileged error",
        ]
    );
    let audit = namespace(&[("audit", "baseline")]);
    assert_eq!(
        found(&lint(&[("ns.yaml", &audit), ("web.yaml", PRIVILEGED_DEPLOYMENT)], &[])),
        ["17 pod-security-privileged warning"]
    );
}

#[test]
fn a_labelled_namespace_replaces_the_default_level() {
    // The namespace asks only for an audit at privileged: nothing to report, whatever the default.
    let ns = namespace(&[("audit", "privileged")]);
    let result = lint(&[("ns.yaml", &ns), ("web.yaml", PRIVILEGED_DEPLOYMENT)], &["--pod-security", "restricted"]);
    assert!(result.0.is_empty(), "{:?}", found(&result));
    // Objects of other namespaces keep the default.
    let other = PRIVILEGED_DEPLOYMENT.replace("namespace: shop", "namespace: other");
    let result = lint(&[("ns.yaml", &ns), ("web.yaml", &other)], &[]);
    assert_eq!(found(&result), ["17 pod-security-privileged warning"]);
}

#[test]
fn the_policy_version_follows_the_label_and_the_target_version() {
    let sysctl = "\
apiVersion: v1
kind: Pod
metadata:
  name: tuned
  namespace: shop
spec:
  securityContext:
    sysctls:
    - name: net.ipv4.tcp_keepalive_time
      value: '600'
  containers:
  - name: app
    image: app:1
";
    // Allowed from policy version 1.29.
    let pinned = namespace(&[("enforce", "baseline"), ("enforce-version", "v1.28")]);
    assert_eq!(found(&lint(&[("ns.yaml", &pinned), ("pod.yaml", sysctl)], &[])), ["9 pod-security-sysctls error"]);
    let latest = namespace(&[("enforce", "baseline"), ("enforce-version", "latest")]);
    assert!(lint(&[("ns.yaml", &latest), ("pod.yaml", sysctl)], &[]).0.is_empty());
    // `latest` is the cluster's version.
    let old_cluster = lint(&[("ns.yaml", &latest), ("pod.yaml", sysctl)], &["--kubernetes-version", "1.28"]);
    assert_eq!(found(&old_cluster), ["9 pod-security-sysctls error"]);
    // A version newer than the cluster is judged as the cluster's.
    let future = namespace(&[("enforce", "baseline"), ("enforce-version", "v1.40")]);
    let result = lint(&[("ns.yaml", &future), ("pod.yaml", sysctl)], &["--kubernetes-version", "1.28"]);
    assert_eq!(found(&result), ["9 pod-security-sysctls error"]);
}

#[test]
fn pod_level_settings_cover_every_container() {
    let pod = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  initContainers:
  - name: init
    image: app:1
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
  containers:
  - name: app
    image: app:1
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
  - name: root
    image: app:1
    securityContext:
      runAsNonRoot: false
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
";
    let result = lint(&[("pod.yaml", pod)], &["--pod-security", "restricted"]);
    // Only the container that says false, and unset `privileged` is not privileged.
    assert_eq!(found(&result), ["22 pod-security-run-as-non-root warning"]);
}

#[test]
fn kustomize_namespaces_and_patches_are_understood() {
    let ns = namespace(&[("enforce", "restricted")]);
    let kustomization = "namespace: shop\nresources: [ns.yaml, web.yaml]\npatches: [- path: patch.yaml]\n"
        .replace("[- path: patch.yaml]", "\n- path: patch.yaml");
    let web = PRIVILEGED_DEPLOYMENT.replace("  namespace: shop\n", "");
    // A patch names only what it changes: what it leaves out is not a finding; what it sets is.
    let patch = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        securityContext:
          runAsUser: 0
";
    let result = lint(
        &[("kustomization.yaml", &kustomization), ("ns.yaml", &ns), ("web.yaml", &web), ("patch.yaml", patch)],
        &[],
    );
    let patch_findings: Vec<&(String, u64, String)> =
        result.0.iter().filter(|(r, _, _)| r.contains("run-as-user")).collect();
    assert_eq!(patch_findings.len(), 1, "{:?}", found(&result));
    assert_eq!(patch_findings[0].2, "error");
    let privileged = result.0.iter().filter(|(r, _, s)| r == "pod-security-privileged" && s == "error").count();
    assert_eq!(privileged, 1, "the kustomization puts web.yaml in the enforcing namespace: {:?}", found(&result));
}

#[test]
fn null_is_unset_as_the_controller_reads_it() {
    // Helm's toYaml writes `null` for empty values.
    let pod = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: web
    image: nginx:1.27
    livenessProbe: {httpGet: {host: null, port: 80}}
    securityContext:
      seLinuxOptions: {type: null, user: ~, role: null}
      procMount: null
      capabilities: {add: null}
";
    let result = lint(&[("pod.yaml", pod)], &[]);
    assert!(result.0.is_empty(), "{:?}", found(&result));
}

#[test]
fn a_version_label_alone_leaves_the_default_level() {
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce-version: v1.30}\n";
    let result = lint(&[("ns.yaml", ns), ("web.yaml", PRIVILEGED_DEPLOYMENT)], &[]);
    assert_eq!(found(&result), ["17 pod-security-privileged warning"]);
}

#[test]
fn no_fix_the_api_server_would_refuse() {
    let escalation_finding = |manifest: &str| {
        let dir = TempDir::new("pss-fix");
        dir.write("web.yaml", manifest);
        let args = ["--isolated", "--select", "pod-security-privilege-escalation", "--pod-security", "restricted"];
        let out = run(&[&args[..], &["--format", "json", "."]].concat(), &dir.0);
        let report = json(&out);
        assert_eq!(report["findings"][0]["rule"], "pod-security-privilege-escalation");
        report["findings"][0].clone()
    };
    // `allowPrivilegeEscalation: false` beside `privileged: true` is refused by validation.
    let finding = escalation_finding(PRIVILEGED_DEPLOYMENT);
    assert!(finding["fix"].is_null(), "{finding}");
    // Without `privileged: true` the setting is offered.
    let finding =
        escalation_finding(&PRIVILEGED_DEPLOYMENT.replace("privileged: true", "readOnlyRootFilesystem: true"));
    assert_eq!(finding["fix"][0]["replacement"], "          allowPrivilegeEscalation: false\n");
}
