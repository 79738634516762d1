//! Helm charts in a repository: what a walk skips, the reminder for a chart not rendered, and
//! `--helm`, which renders each chart with `helm template`. No Helm binary is available to the
//! tests, so a stub `helm` on PATH prints a stored rendering and records its arguments.
mod common;

use std::path::Path;

use common::{TempDir, findings, json, podlint, stderr, stdout};

const CHART: &str = "apiVersion: v2\nname: web\nversion: 1.0.0\n";

/// `helm template` output of the chart below as Helm prints it: the chart's name, not its folder,
/// starts each `# Source:`. The Service misspells `targetPort`; the Deployment uses `latest`.
const RENDERED: &str = "\
---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: release-name-web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetport: 8080
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: release-name-web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:latest
          ports:
            - containerPort: 8080
";

/// A repository with a chart (and its subchart) under deploy/web and a manifest beside it.
fn repository() -> TempDir {
    let repo = TempDir::new("helm");
    repo.write("deploy/web/Chart.yaml", CHART);
    repo.write("deploy/web/values.yaml", "kind: Deployment\nimage: nginx\n");
    repo.write("deploy/web/values-prod.yaml", "replicas: 3\n");
    repo.write("deploy/web/templates/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include \"web.fullname\" . }}\nspec:\n  {{- include \"ports\" . | nindent 2 }}\n");
    repo.write("deploy/web/charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 0.1.0\n");
    repo.write("deploy/web/charts/db/templates/db.yaml", "kind: {{ .Values.kind }}\n");
    repo.write("deploy/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n");
    repo
}

/// A folder holding a stub `helm` that appends its arguments (one per line, then `--`) to
/// `helm.log` beside it, and prints `rendered` (or fails with `error` on standard error).
fn stub_helm(rendered: &str, error: Option<&str>) -> TempDir {
    let bin = TempDir::new("helm-bin");
    bin.write("rendered.yaml", rendered);
    let log = bin.0.join("helm.log");
    let out = bin.0.join("rendered.yaml");
    let body = match error {
        Some(message) => format!("echo '{message}' >&2\nexit 1\n"),
        None => format!("cat '{}'\n", out.display()),
    };
    let script = format!(
        "#!/bin/sh\nfor arg in \"$@\"; do echo \"$arg\" >> '{}'; done\necho -- >> '{}'\n{body}",
        log.display(),
        log.display()
    );
    let path = bin.write("helm", script);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    bin
}

/// PATH with `bin` first.
fn path_with(bin: &Path) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin.to_path_buf()];
    dirs.extend(std::env::split_paths(&rest));
    std::env::join_paths(dirs).expect("a PATH")
}

/// Each call the stub received, as its argument list.
fn helm_calls(bin: &TempDir) -> Vec<Vec<String>> {
    let log = std::fs::read_to_string(bin.0.join("helm.log")).unwrap_or_default();
    let mut calls = Vec::new();
    let mut call = Vec::new();
    for line in log.lines() {
        if line == "--" {
            calls.push(std::mem::take(&mut call));
        } else {
            call.push(line.to_string());
        }
    }
    calls
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

#[test]
fn a_walk_skips_what_helm_reads_and_reminds_once_per_chart() {
    let repo = repository();
    let out = podlint().args(["--isolated", "--format", "json", "."]).current_dir(&repo.0).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(findings(&report), vec![("./deploy/web/Chart.yaml".into(), "helm-chart-not-rendered".into(), 2, 1)]);
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "info");
    let help = finding["help"].as_str().unwrap_or_default();
    assert!(help.contains("`helm template deploy/web | podlint -`"), "{help}");

    // Like any rule: ignored from the command line, or suppressed in the file.
    let out = podlint().args(["--isolated", "--ignore", "helm-chart-not-rendered", "."]).current_dir(&repo.0).output();
    let out = out.expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("No problems found in 2 files"), "{}", stdout(&out));
    repo.write(
        "deploy/web/Chart.yaml",
        format!("# podlint: file-ignore[helm-chart-not-rendered] -- rendered in CI\n{CHART}"),
    );
    let out = podlint().args(["--isolated", "--format", "json", "."]).current_dir(&repo.0).output().expect("runs");
    assert_eq!(findings(&json(&out)), vec![]);
}

#[test]
fn a_walk_from_inside_a_chart_skips_its_templates() {
    let repo = repository();
    let out = podlint().args(["--isolated", "--format", "json", "deploy/web/templates"]).current_dir(&repo.0).output();
    let out = out.expect("runs");
    assert_eq!(findings(&json(&out)), vec![]);
    let out =
        podlint().args(["--isolated", "--format", "json", "charts"]).current_dir(repo.0.join("deploy/web")).output();
    assert_eq!(findings(&json(&out.expect("runs"))), vec![], "a subchart is its parent's");
}

#[test]
fn a_template_named_on_the_command_line_is_treated_as_walked() {
    let repo = repository();
    let template = repo.0.join("deploy/web/templates/service.yaml").to_string_lossy().into_owned();
    let manifest = repo.0.join("deploy/namespace.yaml").to_string_lossy().into_owned();
    let values = repo.0.join("deploy/web/values.yaml").to_string_lossy().into_owned();
    let found = podlint::source::discover(&[template.clone(), manifest.clone(), values.clone()]);
    use podlint::source::Input;
    assert_eq!(found.inputs, vec![Input::Walked(template), Input::File(manifest), Input::File(values)]);
}

#[test]
fn helm_renders_each_chart_and_findings_name_the_templates() {
    let repo = repository();
    let bin = stub_helm(RENDERED, None);
    let out = podlint()
        .args(["--isolated", "--format", "json", "--select", "field-case,image-tag,helm-chart-not-rendered"])
        .args(["--helm", "--helm-values", "deploy/web/values-prod.yaml", "--helm-set", "image.tag=1.2", "."])
        .env("PATH", path_with(&bin.0))
        .current_dir(&repo.0)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        findings(&json(&out)),
        vec![
            ("./deploy/web/templates/service.yaml".into(), "field-case".into(), 10, 7),
            ("./deploy/web/templates/deployment.yaml".into(), "image-tag".into(), 16, 18),
        ]
    );
    // One call for the chart: its subchart is rendered with it.
    assert_eq!(
        helm_calls(&bin),
        vec![strings(&[
            "template",
            "release-name",
            "./deploy/web",
            "--kube-version",
            &format!("v{}.0", podlint::k8s::version::KubeVersion::NEWEST),
            "--values",
            "deploy/web/values-prod.yaml",
            "--set",
            "image.tag=1.2",
        ])]
    );
}

#[test]
fn the_configuration_can_ask_for_rendering() {
    let repo = repository();
    repo.write(
        ".podlint.yaml",
        "kubernetes-version: '1.29'\nhelm:\n  render: true\n  release: shop\n  values: [deploy/web/values-prod.yaml]\n  set: [a=b]\n",
    );
    let bin = stub_helm(RENDERED, None);
    let out = podlint()
        .args(["--format", "json", "--select", "field-case", "deploy"])
        .env("PATH", path_with(&bin.0))
        .current_dir(&repo.0)
        .output()
        .expect("runs");
    assert_eq!(findings(&json(&out)), vec![("deploy/web/templates/service.yaml".into(), "field-case".into(), 10, 7)]);
    let calls = helm_calls(&bin);
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call[..5], strings(&["template", "shop", "deploy/web", "--kube-version", "v1.29.0"]));
    // Values files are named from the configuration's folder.
    assert_eq!(call[5], "--values");
    assert_eq!(Path::new(&call[6]), repo.0.join("deploy/web/values-prod.yaml"));
    assert_eq!(call[7..], strings(&["--set", "a=b"]));
}

#[test]
fn a_chart_helm_cannot_render_is_an_error_naming_it() {
    let repo = repository();
    let bin = stub_helm("", Some("Error: execution error at (web/templates/service.yaml:4:11): image is required"));
    let out = podlint()
        .args(["--isolated", "--format", "concise", "--helm", "."])
        .env("PATH", path_with(&bin.0))
        .current_dir(&repo.0)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "podlint: error: ./deploy/web: `helm template` failed (exit status 1): Error: execution error at (web/templates/service.yaml:4:11): image is required\n"
    );
    // The rest of the repository is still linted.
    assert!(stdout(&out).contains("in 1 file"), "{}", stdout(&out));
}

#[test]
fn helm_not_on_path_is_a_usage_error() {
    let repo = repository();
    let empty = TempDir::new("no-helm");
    let out = podlint()
        .args(["--isolated", "--helm", "."])
        .env("PATH", &empty.0)
        .current_dir(&repo.0)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`helm` is not on PATH"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}
