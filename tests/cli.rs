//! The binary as users run it: exit codes, inputs, the walk, and the JSON shape.
mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{TempDir, findings, json, podlint, run, stderr, stdout};

/// A manifest no rule objects to.
const CLEAN: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: production
";

/// A manifest with an error-level finding on line 7.
const DUPLICATE: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: a
  mode: b
";

#[test]
fn exit_codes_follow_the_contract() {
    let dir = TempDir::new("exit");
    dir.write("clean.yaml", CLEAN);
    dir.write("dup.yaml", DUPLICATE);
    let clean = run(&["clean.yaml"], &dir.0);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("No problems found in 1 file (1 object)."));

    let dup = run(&["dup.yaml"], &dir.0);
    assert_eq!(dup.status.code(), Some(1));
    assert!(stdout(&dup).contains("error[duplicate-key]: duplicate key `mode`"), "{}", stdout(&dup));
    assert!(stdout(&dup).contains(" --> dup.yaml:7:3"), "{}", stdout(&dup));

    // A missing path is an I/O error (2) named on stderr; the other files are still linted.
    let missing = run(&["--format", "json", "nope.yaml", "dup.yaml"], &dir.0);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(stderr(&missing).trim(), "podlint: error: nope.yaml: no such file or directory");
    assert_eq!(findings(&json(&missing)), vec![("dup.yaml".into(), "duplicate-key".into(), 7, 3)]);

    let usage = run(&["--format", "yml"], &dir.0);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn warnings_alone_do_not_fail_the_run() {
    let dir = TempDir::new("warn");
    dir.write(
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n",
    );
    let out = run(&["--format", "json", "pod.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert!(findings(&report).contains(&("pod.yaml".into(), "image-tag".into(), 8, 14)));
    assert_eq!(report["summary"]["errors"], 0);
}

#[test]
fn stdin_is_linted_under_the_given_name() {
    let mut child = podlint()
        .args(["--format", "json", "--stdin-filename", "k8s/from-stdin.yaml", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(DUPLICATE.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings(&json(&out)), vec![("k8s/from-stdin.yaml".into(), "duplicate-key".into(), 7, 3)]);
}

#[test]
fn folders_are_walked_for_manifests_honouring_gitignore() {
    let dir = TempDir::new("walk");
    dir.write("k8s/a.yaml", DUPLICATE);
    dir.write("k8s/b.yml", DUPLICATE);
    dir.write("k8s/c.json", r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "name": "y"}}"#);
    dir.write("k8s/notes.txt", DUPLICATE);
    dir.write("k8s/.hidden/d.yaml", DUPLICATE);
    dir.write("k8s/generated/e.yaml", DUPLICATE);
    dir.write(".gitignore", "generated/\n");
    let out = run(&["--format", "json", "."], &dir.0);
    let report = json(&out);
    let files: Vec<_> = findings(&report).into_iter().map(|(file, ..)| file).collect();
    assert_eq!(files, vec!["./k8s/a.yaml", "./k8s/b.yml", "./k8s/c.json"]);
    assert_eq!(report["summary"]["files"], 3);

    // A file named explicitly is linted whatever its extension.
    let txt = run(&["--format", "json", "k8s/notes.txt"], &dir.0);
    assert_eq!(findings(&json(&txt)), vec![("k8s/notes.txt".into(), "duplicate-key".into(), 7, 3)]);
}

#[test]
fn non_kubernetes_yaml_is_skipped_quietly() {
    let dir = TempDir::new("skip");
    dir.write(".pre-commit-config.yaml", "repos:\n  - repo: local\n    hooks: []\n");
    dir.write("values.yaml", "replicaCount: 3\nimage:\n  repository: nginx\n");
    dir.write("tsconfig.json", "{\n  // comments are not JSON\n  \"compilerOptions\": {\"strict\": true,}\n}\n");
    dir.write("chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n{{- include \"labels\" . | nindent 2 }}\n");
    // Found by a walk (which skips hidden files): not a word.
    let out = run(&["--format", "concise", "."], &dir.0);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "No problems found in 3 files (0 objects).\n");
    // Named (as pre-commit names staged files): one info each, which never fails the run.
    let out = run(&["--format", "concise", ".pre-commit-config.yaml", "chart/templates/cm.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().map(|l| l.split(" info[").next().unwrap_or(l)).collect();
    assert_eq!(
        lines,
        [
            ".pre-commit-config.yaml:1:1:",
            "chart/templates/cm.yaml:4:9:",
            "Found 0 errors, 0 warnings, 2 infos in 2 files (0 objects)."
        ]
    );
}

#[test]
fn json_report_has_the_documented_shape() {
    let dir = TempDir::new("json");
    dir.write("dup.yaml", DUPLICATE);
    let report = json(&run(&["--format", "json", "dup.yaml"], &dir.0));
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&report), ["findings", "summary", "version"]);
    assert_eq!(report["version"], 1);
    let finding = &report["findings"][0];
    assert_eq!(
        keys(finding),
        ["column", "end_column", "end_line", "file", "help", "line", "message", "object", "rule", "severity"]
    );
    assert_eq!(finding["severity"], "error");
    assert_eq!((finding["end_line"].as_u64(), finding["end_column"].as_u64()), (Some(7), Some(7)));
    assert_eq!(finding["object"], serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "name": "settings"}));
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 1, "objects": 1, "errors": 1, "warnings": 0, "infos": 0})
    );
}

#[test]
fn rules_and_explain_read_the_registry() {
    let dir = TempDir::new("rules");
    let out = run(&["rules"], &dir.0);
    assert_eq!(out.status.code(), Some(0));
    let listing = stdout(&out);
    for rule in podlint::rules::all() {
        let meta = rule.meta();
        let line = listing.lines().find(|l| l.starts_with(&format!("{} ", meta.id))).expect("listed");
        assert!(line.contains(meta.severity.as_str()) && line.contains(meta.summary), "{line}");
    }
    let explain = run(&["explain", "image-tag"], &dir.0);
    assert_eq!(stdout(&explain), podlint::rules::find("image-tag").expect("rule").meta().doc);
    // Options are documented from their declarations.
    let options = stdout(&run(&["explain", "multi-container-pod"], &dir.0));
    assert!(options.contains("- `allowed-sidecars` (a list of strings; default: none): "), "{options}");
    let unknown = run(&["explain", "image-tags"], &dir.0);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean `image-tag`?"), "{}", stderr(&unknown));
}

#[test]
fn color_is_opt_in_off_a_terminal() {
    let dir = TempDir::new("color");
    dir.write("dup.yaml", DUPLICATE);
    assert!(!stdout(&run(&["dup.yaml"], &dir.0)).contains('\x1b'));
    assert!(stdout(&run(&["--color", "always", "dup.yaml"], &dir.0)).contains('\x1b'));
    let forced_off = podlint().args(["--color", "never", "dup.yaml"]).current_dir(&dir.0).output().expect("runs");
    assert!(!stdout(&forced_off).contains('\x1b'));
}

#[cfg(unix)]
#[test]
fn fifos_and_symlink_loops_neither_hang_nor_crash() {
    let dir = TempDir::new("special");
    dir.write("k8s/dup.yaml", DUPLICATE);
    let fifo = dir.0.join("k8s/pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink(dir.0.join("k8s"), dir.0.join("k8s/loop")).expect("symlink");
    std::os::unix::fs::symlink(dir.0.join("k8s/dup.yaml"), dir.0.join("k8s/link.yaml")).expect("symlink");

    // Walking: the FIFO and the loop are skipped; the symlinked file is linted.
    let walked = run(&["--format", "json", "k8s"], &dir.0);
    assert_eq!(walked.status.code(), Some(1), "{}", stderr(&walked));
    let files: Vec<_> = findings(&json(&walked)).into_iter().map(|(f, ..)| f).collect();
    assert_eq!(files, vec!["k8s/dup.yaml", "k8s/link.yaml"]);

    // Named explicitly, a FIFO is refused rather than read (which could block forever).
    let named = run(&["k8s/pipe.yaml"], &dir.0);
    assert_eq!(named.status.code(), Some(2));
    assert_eq!(stderr(&named).trim(), "podlint: error: k8s/pipe.yaml: not a regular file; skipped");
}

#[test]
fn schema_locations_validate_custom_resources() {
    let dir = TempDir::new("schemas");
    dir.write(
        "catalog/example.com/widget_v1.json",
        r#"{"type": "object", "additionalProperties": false,
            "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                           "metadata": {"type": "object"},
                           "spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}"#,
    );
    dir.write(
        "widget.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: \"3\"\ncolour: red\n",
    );
    let without = json(&run(&["--format", "json", "widget.yaml"], &dir.0));
    assert_eq!(findings(&without), vec![("widget.yaml".into(), "unknown-kind".into(), 1, 13)]);

    let with = json(&run(&["--format", "json", "--schema-location", "catalog", "widget.yaml"], &dir.0));
    assert_eq!(
        findings(&with),
        vec![("widget.yaml".into(), "invalid-type".into(), 6, 9), ("widget.yaml".into(), "unknown-field".into(), 7, 1)]
    );

    // kubeconform's path templates work too.
    let template = "catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json";
    let templated = json(&run(&["--format", "json", "--schema-location", template, "widget.yaml"], &dir.0));
    assert_eq!(findings(&templated), findings(&with));

    // --no-schema turns all of it off.
    let off = json(&run(&["--format", "json", "--no-schema", "widget.yaml"], &dir.0));
    assert_eq!(findings(&off), vec![]);
}

/// `--schema-location` wins over a CRD in the run, which wins over the built-in schema.
#[test]
fn schema_sources_take_precedence_in_order() {
    let dir = TempDir::new("schema-precedence");
    let cert = "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: c\nspec:\n  secretName: s\n  issuerRef: {name: i}\n  foo: bar\n";
    dir.write("cert.yaml", cert);
    // Built in: `foo` is unknown.
    let builtin = json(&run(&["--isolated", "--format", "json", "cert.yaml"], &dir.0));
    assert_eq!(findings(&builtin), vec![("cert.yaml".into(), "unknown-field".into(), 8, 3)]);

    // A CRD in the run that declares only `foo`: now `secretName` and `issuerRef` are unknown.
    dir.write(
        "crd.yaml",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: certificates.cert-manager.io\n\
         spec:\n  group: cert-manager.io\n  scope: Namespaced\n  names: {plural: certificates, singular: certificate, kind: Certificate}\n\
         \x20 versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n\
         \x20       type: object\n        properties:\n          spec: {type: object, properties: {foo: {type: string}}}\n",
    );
    let with_crd = json(&run(&["--isolated", "--format", "json", "cert.yaml", "crd.yaml"], &dir.0));
    assert_eq!(
        findings(&with_crd),
        vec![("cert.yaml".into(), "unknown-field".into(), 6, 3), ("cert.yaml".into(), "unknown-field".into(), 7, 3)]
    );

    // A schema location that makes `foo` an integer wins over both.
    dir.write(
        "schemas/cert-manager.io/certificate_v1.json",
        r#"{"type": "object", "properties": {"spec": {"type": "object", "properties": {"foo": {"type": "integer"}}}}}"#,
    );
    let located = json(&run(
        &["--isolated", "--format", "json", "--schema-location", "schemas", "cert.yaml", "crd.yaml"],
        &dir.0,
    ));
    assert_eq!(findings(&located), vec![("cert.yaml".into(), "invalid-type".into(), 8, 8)]);
}

#[test]
fn schemas_lists_what_is_built_in() {
    let dir = TempDir::new("schemas-listing");
    let out = run(&["schemas"], &dir.0);
    assert_eq!(out.status.code(), Some(0));
    let listing = stdout(&out);
    assert!(listing.starts_with("Kubernetes 1.24, 1.25,"), "{listing}");
    assert!(listing.contains("https://github.com/datreeio/CRDs-catalog at "), "{listing}");
    let cert = listing.lines().find(|l| l.starts_with("cert-manager.io ")).expect("cert-manager listed");
    assert!(cert.contains("Certificate (v1)") && cert.contains("[cert-manager, Apache-2.0]"), "{cert}");
    let gateway = listing.lines().find(|l| l.starts_with("gateway.networking.k8s.io ")).expect("Gateway API listed");
    assert!(gateway.contains("HTTPRoute (v1, v1beta1)"), "{gateway}");
}

#[test]
fn completions_and_man_page() {
    let dir = TempDir::new("completions");
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell], &dir.0);
        assert_eq!(out.status.code(), Some(0));
        let script = stdout(&out);
        assert!(script.contains("podlint") && script.contains("kubernetes-version"), "{shell}: {script}");
    }
    let man = stdout(&run(&["man"], &dir.0));
    assert!(man.contains(".TH podlint 1"), "{man}");
    assert!(man.contains("kubernetes\\-version"));
}

/// The same bytes out whatever the thread count: findings are sorted by file order and position,
/// never by which thread finished first.
#[test]
fn output_does_not_depend_on_the_thread_count() {
    let dir = TempDir::new("threads");
    for i in 0..40 {
        dir.write(&format!("k8s/f{i:02}.yaml"), format!("{DUPLICATE}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers: [{{name: c, image: nginx}}]\n"));
    }
    let outputs: Vec<String> =
        ["1", "2", "4"].iter().map(|n| stdout(&run(&["--format", "json", "--threads", n, "k8s"], &dir.0))).collect();
    assert!(outputs[0].contains("\"errors\":40"), "{}", outputs[0]);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    assert_eq!(run(&["--threads", "0", "k8s"], &dir.0).status.code(), Some(2));
}

#[test]
fn schema_locations_that_cannot_be_read_are_usage_errors() {
    let dir = TempDir::new("schema-location-missing");
    dir.write("a.yaml", CLEAN);
    std::fs::create_dir_all(dir.0.join("schemas")).expect("dir");
    let out = run(&["--isolated", "--schema-location", "missing", "a.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "podlint: error: schema location missing: missing is not a folder\n");
    assert_eq!(stdout(&out), "");
    let out = run(&["--isolated", "--schema-location", "https:///schemas", "a.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the URL names no host"), "{}", stderr(&out));
    let out = run(&["--isolated", "--schema-location", "schemas/{{ .Kind }}.json", "a.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown template field Kind"), "{}", stderr(&out));
    // A kubeconform template needs the folder before its first placeholder.
    let out = run(&["--isolated", "--schema-location", "nope/{{ .ResourceKind }}.json", "a.yaml"], &dir.0);
    assert_eq!(stderr(&out), "podlint: error: schema location nope/{{ .ResourceKind }}.json: nope/ is not a folder\n");
    let out = run(&["--isolated", "--schema-location", "schemas/{{ .ResourceKind }}.json", "a.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // From the configuration too.
    dir.write(".podlint.yaml", "schema-locations: [gone]\n");
    let out = run(&["a.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gone is not a folder"), "{}", stderr(&out));
}

#[test]
fn nothing_linted_is_not_reported_as_a_pass() {
    let dir = TempDir::new("nothing");
    let out = run(&["--isolated", "does-not-exist"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "", "no summary for a path that could not be read");
    assert_eq!(stderr(&out), "podlint: error: does-not-exist: no such file or directory\n");
    // An empty folder (or one with no YAML) passes: a repository without manifests is not a failure.
    std::fs::create_dir_all(dir.0.join("empty")).expect("dir");
    dir.write("empty/notes.txt", "hello\n");
    let out = run(&["--isolated", "empty"], &dir.0);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "No YAML or JSON files to lint under empty.\n");
    assert_eq!(run(&["--isolated", "-q", "empty"], &dir.0).stdout, b"");
    // Machine formats still give their document.
    let out = run(&["--isolated", "--format", "json", "empty"], &dir.0);
    assert_eq!(json(&out)["summary"]["files"], 0);
}

#[test]
fn statistics_in_json_are_a_field_of_the_report() {
    let dir = TempDir::new("statistics-json");
    dir.write("a.yaml", DUPLICATE);
    let plain = json(&run(&["--isolated", "--format", "json", "a.yaml"], &dir.0));
    let out = run(&["--isolated", "--statistics", "--format", "json", "a.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    let mut report = json(&out);
    let statistics = report.as_object_mut().and_then(|o| o.remove("statistics")).expect("a statistics field");
    assert_eq!(report, plain, "the rest of the report is unchanged");
    assert_eq!(statistics[0]["rule"], "duplicate-key");
    assert_eq!(statistics[0]["count"], 1);
    assert_eq!(statistics[0]["severity"], "error");
}

#[test]
fn flags_that_cannot_apply_are_usage_errors() {
    let dir = TempDir::new("flags");
    dir.write("a.yaml", CLEAN);
    let out = run(&["--isolated", "--unsafe-fixes", "a.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "podlint: error: --unsafe-fixes only applies with --fix or --diff\n");
    for version in ["1.40", "1.7", "2.0"] {
        let out = run(&["--isolated", "--kubernetes-version", version, "a.yaml"], &dir.0);
        assert_eq!(out.status.code(), Some(2), "{version}");
        assert!(stderr(&out).contains("is outside the range podlint knows, 1.8 to 1.37"), "{}", stderr(&out));
    }
    assert_eq!(run(&["--isolated", "--kubernetes-version", "1.8", "a.yaml"], &dir.0).status.code(), Some(0));
}

#[test]
fn rules_is_the_subcommand_and_a_rules_folder_is_linted_by_path() {
    let dir = TempDir::new("rules-folder");
    dir.write("rules/a.yaml", DUPLICATE);
    let out = run(&["rules"], &dir.0);
    assert!(stdout(&out).starts_with("ID "), "{}", stdout(&out));
    for args in [&["--isolated", "--format", "json", "./rules"][..], &["--isolated", "--format", "json", "--", "rules"]]
    {
        let out = run(args, &dir.0);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(findings(&json(&out)).len(), 1, "{args:?}");
    }
}
