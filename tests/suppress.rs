//! Suppression comments and annotations, end to end: what each form covers, what is not a
//! comment, and which suppressions are reported as unused.
mod common;

use podlint::settings::Settings;

/// Only the rules these tests are about, so each expectation lists every finding.
fn settings(on: &[&str]) -> Settings {
    let mut settings = Settings { snippets: false, ..Settings::default() };
    for rule in podlint::rules::all() {
        let id = rule.meta().id;
        if !on.contains(&id) && id != "unused-suppression" {
            settings.rule_severity.insert(id.to_string(), None);
        }
    }
    settings
}

/// `line:column rule` of every finding of a one-file run.
fn lint(text: &str, settings: &Settings) -> (Vec<String>, podlint::Report) {
    let report = podlint::lint_memory(&[("test.yaml", text.as_bytes())], settings);
    let found = report
        .findings
        .iter()
        .map(|f| format!("{}:{} {}", f.location.start.line, f.location.start.column, f.rule))
        .collect();
    (found, report)
}

const TRAILING_AND_OWN_LINE: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest  # podlint: ignore[image-tag]
    - name: side
      # podlint: ignore[image-tag] -- pinned by the mirror
      image: busybox
    - name: third
      image: redis
";

#[test]
fn trailing_and_own_line_ignore() {
    let (found, report) = lint(TRAILING_AND_OWN_LINE, &settings(&["image-tag"]));
    assert_eq!(found, ["13:14 image-tag"], "{:#?}", report.findings);
    assert_eq!(report.suppressed, 2);
}

#[test]
fn crlf_line_endings() {
    let text = TRAILING_AND_OWN_LINE.replace('\n', "\r\n");
    let (found, report) = lint(&text, &settings(&["image-tag"]));
    assert_eq!(found, ["13:14 image-tag"], "{:#?}", report.findings);
    assert_eq!(report.suppressed, 2);
    // The reported directive ends before the line break.
    let text = text.replace("nginx:latest", "nginx:1.27");
    let (found, report) = lint(&text, &settings(&["image-tag"]));
    assert_eq!(found, ["8:26 unused-suppression", "13:14 image-tag"], "{:#?}", report.findings);
    assert_eq!(report.findings[0].location.end.column, 54);
}

#[test]
fn own_line_ignore_covers_the_subtree_and_the_list_item_below_it() {
    let text = "\
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
    # podlint: ignore[image-tag]
    spec:
      containers:
        - name: web
          image: nginx
        # podlint: ignore[missing-resources]
        # (stacked with other comments)
        - name: side
          image: busybox:1.36
          resources: {}
        - name: third
          image: redis:7
";
    let (found, report) = lint(text, &settings(&["image-tag", "missing-resources"]));
    assert_eq!(found, ["14:11 missing-resources", "21:11 missing-resources"], "{:#?}", report.findings);
    assert_eq!(report.suppressed, 2);
}

#[test]
fn a_blank_line_ends_an_own_line_ignore() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      # podlint: ignore[image-tag]

      image: nginx
";
    let (found, _) = lint(text, &settings(&["image-tag"]));
    assert_eq!(found, ["8:7 unused-suppression", "10:14 image-tag"]);
}

#[test]
fn disable_ranges_end_at_enable_or_at_the_end_of_the_document() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers:
    - name: a
      image: nginx
    # podlint: disable[image-tag, missing-resources]
    - name: b
      image: nginx
    # podlint: enable[image-tag]
    - name: c
      image: nginx
    # podlint: disable[image-tag] -- to the end of the document
    - name: d
      image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: b
spec:
  containers:
    - name: e
      image: nginx
";
    let (found, report) = lint(text, &settings(&["image-tag", "missing-resources"]));
    assert_eq!(
        found,
        ["7:7 missing-resources", "8:14 image-tag", "14:14 image-tag", "25:7 missing-resources", "26:14 image-tag"],
        "{:#?}",
        report.findings
    );
    // b's two findings, c's and d's missing-resources, d's image-tag.
    assert_eq!(report.suppressed, 5);
}

#[test]
fn file_ignore_anywhere_and_all() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers:
    - name: a
      image: nginx
    # podlint: ignore[all]
    - name: b
      image: nginx
    - name: c
      image: redis
# podlint: file-ignore[image-tag]
";
    let (found, report) = lint(text, &settings(&["image-tag", "missing-resources"]));
    assert_eq!(found, ["7:7 missing-resources", "12:7 missing-resources"], "{:#?}", report.findings);
    assert_eq!(report.suppressed, 4);
}

#[test]
fn annotations_on_the_object_and_on_its_pod_template() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    ignore-check.podlint.dev/image-tag: \"the mirror pins it\"
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
spec:
  selector:
    matchLabels: {app: batch}
  template:
    metadata:
      labels: {app: batch}
      annotations:
        podlint.dev/ignore-all: \"vendored chart\"
    spec:
      containers:
        - name: batch
          image: nginx
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: one
      annotations: {ignore-check.podlint.dev/missing-resources: \"\"}
    spec:
      containers: [{name: one, image: nginx}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: two}
    spec:
      containers: [{name: two, image: nginx}]
";
    let (found, report) = lint(text, &settings(&["image-tag", "missing-resources"]));
    assert_eq!(
        found,
        ["15:11 missing-resources", "44:39 image-tag", "49:21 missing-resources", "49:39 image-tag"],
        "{:#?}",
        report.findings
    );
    assert_eq!(report.suppressed, 4);
}

#[test]
fn a_hash_inside_a_quoted_or_block_scalar_is_not_a_comment() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    note: \"see # podlint: file-ignore[all]\"
    other: 'x # podlint: file-ignore[all]'
    long: \"first line
      # podlint: file-ignore[all]\"
spec:
  containers:
    - name: web
      image: nginx
      args:
        - |  # podlint: ignore[missing-resources]
          # podlint: file-ignore[all]
          echo '# podlint: ignore[all]'
        - >-
          text # podlint: file-ignore[all]
";
    let (found, report) = lint(text, &settings(&["image-tag"]));
    assert_eq!(found, ["13:14 image-tag"], "{:#?}", report.findings);
    // The comment after a block scalar's `|` is a real one (missing-resources is off here).
    let (found, _) = lint(text, &settings(&["image-tag", "missing-resources"]));
    assert_eq!(found, ["12:7 missing-resources", "13:14 image-tag", "15:14 unused-suppression"]);
}

const SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  # podlint: ignore[service-selector] -- its pods come from the operator
  selector:
    app: web-operated
  ports:
    - port: 80
      targetPort: htp
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

fn cross(files: &[(&str, &str)]) -> (Vec<String>, podlint::Report) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let report = podlint::lint_memory(&files, &settings(&["service-selector", "service-target-port"]));
    let found = report.findings.iter().map(common::located).collect();
    (found, report)
}

#[test]
fn cross_object_findings_are_suppressed_in_the_file_they_are_reported_in() {
    let (found, report) = cross(&[("service.yaml", SERVICE), ("deployment.yaml", DEPLOYMENT)]);
    assert_eq!(found, Vec::<String>::new(), "{:#?}", report.findings);
    assert_eq!(report.suppressed, 1);
    // Now it selects the Deployment's pods: the suppression is stale, and the named port is judged.
    let matching = SERVICE.replace("web-operated", "web");
    let (found, _) = cross(&[("service.yaml", &matching), ("deployment.yaml", DEPLOYMENT)]);
    assert_eq!(found, ["service.yaml:6:3 unused-suppression", "service.yaml:11:19 service-target-port"]);
}

#[test]
fn without_workloads_a_cross_object_suppression_is_not_judged() {
    let matching = SERVICE.replace("web-operated", "web");
    let (found, report) = cross(&[("service.yaml", &matching)]);
    assert_eq!(found, Vec::<String>::new(), "{:#?}", report.findings);
}

const UNUSED: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    ignore-check.podlint.dev/imagetag: \"\"
    podlint.dev/ignore-all: \"\"
spec:
  containers:
    - name: web
      image: nginx:1.27  # podlint: ignore[image-tag, missing-resource]
      # podlint: ignore image-tag
      # podlint: disable[image-tag]
    # podlint: enable[missing-resources]
";

#[test]
fn unused_and_unknown_suppressions_are_reported_at_the_directive() {
    let (found, report) = lint(UNUSED, &settings(&["image-tag"]));
    assert_eq!(
        found,
        [
            "6:5 unused-suppression",
            "7:5 unused-suppression",
            "11:26 unused-suppression",
            "11:26 unused-suppression",
            "12:7 unused-suppression",
            "13:7 unused-suppression",
            "14:5 unused-suppression"
        ],
        "{:#?}",
        report.findings
    );
    let messages: Vec<_> = report.findings.iter().map(|f| (f.message.as_str(), f.help.as_deref())).collect();
    assert_eq!(
        messages[0],
        (
            "unknown rule `imagetag` in annotation `ignore-check.podlint.dev/imagetag`",
            Some("did you mean `image-tag`? `podlint rules` lists the rule ids")
        )
    );
    assert_eq!(
        messages[1].0,
        "annotation `podlint.dev/ignore-all` suppresses nothing: there is no finding in this object"
    );
    assert!(messages[2..4].contains(&(
        "unknown rule `missing-resource` in suppression `ignore[image-tag, missing-resource]`",
        Some("did you mean `missing-resources`? `podlint rules` lists the rule ids")
    )));
    assert!(messages[2..4].iter().any(|m| m.0
        == "suppression `ignore[image-tag, missing-resource]` suppresses nothing: there is no `image-tag` finding in the node it covers"));
    assert!(
        messages[4].0.starts_with("malformed suppression comment: `ignore` needs the rules it applies to in brackets")
    );
    assert_eq!(
        messages[5].0,
        "suppression `disable[image-tag]` suppresses nothing: there is no `image-tag` finding in its range"
    );
    assert!(messages[6].0.starts_with("`enable[missing-resources]` ends no range"));
    // The directive is the finding's span: the comment, or the annotation key.
    let at = &report.findings[2].location;
    assert_eq!((at.end.line, at.end.column), (11, 72));
    assert_eq!(report.findings[0].object.as_ref().and_then(|o| o.label()).as_deref(), Some("Pod/web"));
}

#[test]
fn unused_suppression_is_itself_suppressible_and_can_be_turned_off() {
    let text = format!("# podlint: file-ignore[unused-suppression]\n{UNUSED}");
    let (found, report) = lint(&text, &settings(&["image-tag"]));
    assert_eq!(found, Vec::<String>::new(), "{:#?}", report.findings);
    assert_eq!(report.suppressed, 7);

    let mut off = settings(&["image-tag"]);
    off.rule_severity.insert("unused-suppression".to_string(), None);
    let (found, _) = lint(UNUSED, &off);
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_suppression_for_a_rule_that_is_off_is_not_unused() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web  # podlint: ignore[missing-liveness-probe]
      image: nginx:1.27
      imagePullPolcy: Always  # podlint: ignore[unknown-field]
";
    // Both rules off (the schema rule by turning schema validation off).
    let mut no_schema = settings(&["image-tag"]);
    no_schema.rule_severity.remove("unknown-field");
    no_schema.schema = false;
    let (found, report) = lint(text, &no_schema);
    assert_eq!(found, Vec::<String>::new(), "{:#?}", report.findings);
    // With them on, both are used.
    let (found, report) = lint(text, &settings(&["missing-liveness-probe", "unknown-field"]));
    assert_eq!(found, Vec::<String>::new(), "{:#?}", report.findings);
    assert_eq!(report.suppressed, 2);
}

#[test]
fn malformed_placement() {
    let text = "\
apiVersion: v1  # podlint: file-ignore[all]
kind: ConfigMap  # podlint: disable[all]
metadata:
  name: settings  #podlint: ignroe[all]
";
    let (found, report) = lint(text, &settings(&[]));
    assert_eq!(found, ["1:17 unused-suppression", "2:18 unused-suppression", "4:19 unused-suppression"]);
    assert!(report.findings[0].message.ends_with("`file-ignore[all]` must be on a line of its own"));
    assert!(report.findings[2].message.ends_with("unknown directive `ignroe`; did you mean `ignore`?"));
}

/// The README's examples do what the README says: every suppression in them is used.
#[test]
fn readme_examples_are_clean_and_suppress_something() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let start = readme.find("## Suppressing findings").expect("the section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let examples: Vec<&str> =
        section.split("```yaml\n").skip(1).map(|block| block.split("```").next().unwrap_or_default()).collect();
    assert_eq!(examples.len(), 2);
    let settings = Settings { snippets: false, ..Settings::default() };
    for example in examples {
        let report = podlint::lint_memory(&[("README-example.yaml", example.as_bytes())], &settings);
        assert!(report.findings.is_empty(), "{example}\n{:#?}", report.findings);
        assert!(report.suppressed > 0, "{example}");
    }
}
