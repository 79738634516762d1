//! The output formats as the binary writes them: concise, github, sarif, junit, --statistics,
//! and several reports from one run.
mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::{TempDir, json, podlint, run, stderr, stdout};
use serde_json::Value;

/// An error on line 7, columns 3–7.
const DUPLICATE: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: a
  mode: b
";

/// Keys that need every kind of escaping: `,` `:` `%` and a line break (the runner's
/// separators), and `<&"` (XML's). They are no valid ConfigMap keys either: the tests that count
/// findings leave `invalid-config-data` out, and the JUnit one counts it.
const AWKWARD: &str = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: s
data:
  "x,y: 50%\nz": "1"
  "x,y: 50%\nz": "2"
  "<&\"": "1"
  "<&\"": "2"
"#;

/// `replicas` is a block scalar over lines 6–7; the rest is clean but for workload warnings.
const MULTILINE: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: |
    3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: \"nginx:1.27\"}]
";

#[test]
fn concise_is_one_line_per_finding_then_the_summary() {
    let dir = TempDir::new("concise");
    dir.write("k8s/dup.yaml", DUPLICATE);
    dir.write("k8s/awkward.yaml", AWKWARD);
    let out =
        run(&["--format", "concise", "--ignore", "invalid-config-data", "./k8s/dup.yaml", "k8s/awkward.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "./k8s/dup.yaml:7:3: error[duplicate-key] duplicate key `mode`\n\
         k8s/awkward.yaml:7:3: error[duplicate-key] duplicate key `x,y: 50%\\nz`\n\
         k8s/awkward.yaml:9:3: error[duplicate-key] duplicate key `<&\"`\n\
         Found 3 errors, 0 warnings in 2 files (2 objects).\n"
    );
    let quiet = run(&["--format", "concise", "-q", "k8s/dup.yaml"], &dir.0);
    assert_eq!(stdout(&quiet), "k8s/dup.yaml:7:3: error[duplicate-key] duplicate key `mode`\n");
}

#[test]
fn statistics_count_findings_per_rule_most_first() {
    let dir = TempDir::new("statistics");
    dir.write("dup.yaml", DUPLICATE);
    dir.write("awkward.yaml", AWKWARD);
    dir.write("web.yaml", MULTILINE);
    let out = run(&["--statistics", "--ignore", "invalid-config-data", "dup.yaml", "awkward.yaml", "web.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(1), "the exit code is the run's, not the table's");
    assert_eq!(
        stdout(&out),
        "3  duplicate-key            error    A mapping has the same key twice; only one value survives\n\
         1  invalid-type             error    A value of the wrong type: a quoted number, an unquoted env value, a list for a map\n\
         1  missing-liveness-probe   warning  A container of a long-running workload has no liveness probe\n\
         1  missing-readiness-probe  warning  A container of a long-running workload has no readiness probe\n\
         1  missing-resources        warning  A container has no CPU or memory request or limit\n\
         Found 4 errors, 3 warnings in 3 files (3 objects).\n"
    );
}

/// A workflow command as the runner reads it: (command, properties, message).
type WorkflowCommand = (String, Vec<(String, String)>, String);

/// A port of actions/runner `ActionCommand.TryParseV2` with `UnescapeProperty`/`UnescapeData`.
fn parse_workflow_command(line: &str) -> Option<WorkflowCommand> {
    let rest = line.trim_start().strip_prefix("::")?;
    let end = rest.find("::")?;
    let (head, message) = (&rest[..end], &rest[end + 2..]);
    let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
    let unescape_property = |v: &str| {
        v.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    };
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), unescape_property(v)))
        .collect();
    let message = message.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    Some((command.to_string(), properties, message))
}

#[test]
fn github_annotations_escape_properties_and_data_as_the_runner_reads_them() {
    let dir = TempDir::new("github");
    dir.write("k8s/a,line=1:x%.yaml", AWKWARD);
    dir.write("web.yaml", MULTILINE);
    let out =
        run(&["--format", "github", "--ignore", "invalid-config-data", "./k8s/a,line=1:x%.yaml", "web.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "::error file=k8s/a%2Cline=1%3Ax%25.yaml,line=7,col=3,endLine=7,endColumn=16,\
         title=podlint (duplicate-key)::duplicate key `x,y: 50%25%0Az`%0Ahelp: the first `\"x,y: 50%25\\nz\"` is at line 6"
    );
    assert_eq!(
        lines[1],
        "::error file=k8s/a%2Cline=1%3Ax%25.yaml,line=9,col=3,endLine=9,endColumn=9,\
         title=podlint (duplicate-key)::duplicate key `<&\"`%0Ahelp: the first `\"<&\\\"\"` is at line 8"
    );
    // A range over several lines has no columns: the runner would drop them.
    assert_eq!(
        lines[2],
        "::error file=web.yaml,line=6,endLine=7,title=podlint (invalid-type)::`replicas` must be an integer, \
         not a string%0Ahelp: remove the quotes: a quoted number is a string in YAML"
    );
    assert!(lines[3].starts_with("::warning file=web.yaml,line=12,col=21,endLine=12,endColumn=30,"), "{}", lines[3]);
    assert_eq!(lines.len(), 6, "annotations only, outside Actions: {text}");

    let (command, properties, message) = parse_workflow_command(lines[0]).expect("a workflow command");
    assert_eq!(command, "error");
    let expected: Vec<(String, String)> = [
        ("file", "k8s/a,line=1:x%.yaml"),
        ("line", "7"),
        ("col", "3"),
        ("endLine", "7"),
        ("endColumn", "16"),
        ("title", "podlint (duplicate-key)"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(properties, expected);
    assert_eq!(message, "duplicate key `x,y: 50%\nz`\nhelp: the first `\"x,y: 50%\\nz\"` is at line 6");
}

#[test]
fn github_paths_are_relative_to_the_workspace() {
    let dir = TempDir::new("workspace");
    dir.write("deploy/k8s/dup.yaml", DUPLICATE);
    let out = podlint()
        .current_dir(dir.0.join("deploy"))
        .args(["--format", "github", "k8s/dup.yaml"])
        .env("GITHUB_WORKSPACE", &dir.0)
        .output()
        .expect("runs");
    assert!(stdout(&out).starts_with("::error file=deploy/k8s/dup.yaml,line=7,"), "{}", stdout(&out));
}

#[test]
fn github_is_the_default_on_actions_with_the_full_report_and_a_job_summary() {
    let dir = TempDir::new("actions");
    dir.write("dup.yaml", DUPLICATE);
    dir.write("summary.md", "earlier step\n");
    let on_actions = |args: &[&str]| {
        podlint()
            .current_dir(&dir.0)
            .args(args)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", &dir.0)
            .env("GITHUB_STEP_SUMMARY", dir.0.join("summary.md"))
            .output()
            .expect("runs")
    };
    let out = on_actions(&["dup.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "::error file=dup.yaml,line=7,col=3,endLine=7,endColumn=7,title=podlint (duplicate-key)::\
             duplicate key `mode`%0Ahelp: the first `mode` is at line 6"
        )
    );
    // Then the text report, since GitHub annotates only 10 findings of each kind.
    assert_eq!(lines.next(), Some("error[duplicate-key]: duplicate key `mode`"));
    assert!(text.ends_with("Found 1 error, 0 warnings in 1 file (1 object).\n"), "{text}");

    let summary = dir.read("summary.md");
    assert!(summary.starts_with("earlier step\n### podlint\n"), "appended, not replaced: {summary}");
    assert!(summary.contains(
        "| [`duplicate-key`](https://github.com/podlint/podlint/blob/main/rules/duplicate-key.md) | error | 1 | \
         A mapping has the same key twice; only one value survives |"
    ));
    assert!(summary.contains("| dup.yaml\\:7\\:3 | `duplicate-key` | error | duplicate key `mode` |"), "{summary}");

    // An explicit format wins, and only the github format writes the summary.
    let json = on_actions(&["--format", "json", "dup.yaml"]);
    assert!(stdout(&json).starts_with("{\"version\":1"));
    assert_eq!(dir.read("summary.md"), summary);
}

#[test]
fn sarif_has_the_rules_and_relative_locations_github_wants() {
    let dir = TempDir::new("sarif");
    dir.write("k8s/dup.yaml", DUPLICATE);
    let out = run(&["--format", "sarif", "./k8s/dup.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(1));
    let log = json(&out);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "podlint");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], "https://github.com/podlint/podlint");

    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), podlint::rules::all().len(), "the whole registry");
    let index = podlint::rules::all().iter().position(|r| r.meta().id == "image-tag").expect("image-tag");
    let image_tag = &rules[index];
    assert_eq!(image_tag["id"], "image-tag");
    assert_eq!(image_tag["name"], "ImageTag");
    assert_eq!(image_tag["shortDescription"]["text"], "A container image has no tag or uses `latest`.");
    assert_eq!(image_tag["fullDescription"]["text"], "A container image has no tag, or uses the latest tag.");
    assert!(image_tag["help"]["markdown"].as_str().expect("markdown").starts_with("A container image"));
    assert!(image_tag["help"]["text"].as_str().expect("text").contains("\nHow to fix\nPin a version tag"));
    assert_eq!(image_tag["helpUri"], "https://github.com/podlint/podlint/blob/main/rules/image-tag.md");
    assert_eq!(image_tag["defaultConfiguration"]["level"], "warning");
    assert_eq!(image_tag["properties"]["tags"], serde_json::json!(["images"]));

    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    let result = &results[0];
    assert_eq!(result["ruleId"], "duplicate-key");
    assert_eq!(rules[result["ruleIndex"].as_u64().expect("ruleIndex") as usize]["id"], "duplicate-key");
    assert_eq!(result["level"], "error");
    assert_eq!(result["message"]["text"], "duplicate key `mode`.\nhelp: the first `mode` is at line 6.");
    assert_eq!(
        result["locations"][0]["physicalLocation"],
        serde_json::json!({
            "artifactLocation": {"uri": "k8s/dup.yaml", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 7, "startColumn": 3, "endLine": 7, "endColumn": 7}
        })
    );
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().expect("base");
    assert!(root.starts_with("file:///") && root.ends_with('/'), "{root}");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

fn fingerprints(log: &Value) -> Vec<String> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["partialFingerprints"]["podlintFingerprint/v1"].as_str().expect("fingerprint").to_string())
        .collect()
}

#[test]
fn sarif_fingerprints_follow_the_line_not_its_number() {
    let dir = TempDir::new("fingerprint");
    dir.write("dup.yaml", DUPLICATE);
    let before = fingerprints(&json(&run(&["--format", "sarif", "dup.yaml"], &dir.0)));
    assert_eq!(before.len(), 1);
    let (hash, ordinal) = before[0].split_once(':').expect("hash:ordinal");
    assert!(hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && ordinal == "1", "{}", before[0]);

    // Lines added above and a new indentation: same line, same fingerprint.
    dir.write("dup.yaml", format!("# a comment\n\n{}", DUPLICATE.replace("  mode", "    mode")));
    let moved = fingerprints(&json(&run(&["--format", "sarif", "dup.yaml"], &dir.0)));
    assert_eq!(moved, before);

    // Two findings on equal lines are told apart by their ordinal.
    dir.write("twice.yaml", format!("{DUPLICATE}  mode: b\n"));
    let twice = fingerprints(&json(&run(&["--format", "sarif", "twice.yaml"], &dir.0)));
    assert_eq!(twice.len(), 2);
    assert_ne!(twice[0], twice[1]);
    assert_eq!(twice[0].split(':').next(), twice[1].split(':').next());
}

#[test]
fn sarif_uris_are_relative_to_the_workspace_or_the_current_directory() {
    let dir = TempDir::new("uris");
    let absolute = dir.write("repo/sub/k8s/a b,c.yaml", DUPLICATE);
    let uri = |out: &Output| {
        json(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"].clone()
    };
    let sub = dir.0.join("repo/sub");
    let from_cwd = podlint().current_dir(&sub).args(["--format", "sarif"]).arg(&absolute).output().expect("runs");
    assert_eq!(uri(&from_cwd), serde_json::json!({"uri": "k8s/a%20b%2Cc.yaml", "uriBaseId": "%SRCROOT%"}));

    let in_workspace = podlint()
        .current_dir(&sub)
        .args(["--format", "sarif", "k8s/a b,c.yaml"])
        .env("GITHUB_WORKSPACE", dir.0.join("repo"))
        .output()
        .expect("runs");
    assert_eq!(uri(&in_workspace), serde_json::json!({"uri": "sub/k8s/a%20b%2Cc.yaml", "uriBaseId": "%SRCROOT%"}));

    // Standard input is reported under its --stdin-filename name.
    let mut child = podlint()
        .current_dir(&sub)
        .args(["--format", "sarif", "--stdin-filename", "./k8s/from-stdin.yaml", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(DUPLICATE.as_bytes()).expect("write");
    let piped = child.wait_with_output().expect("wait");
    assert_eq!(uri(&piped), serde_json::json!({"uri": "k8s/from-stdin.yaml", "uriBaseId": "%SRCROOT%"}));
}

#[test]
fn junit_has_a_suite_per_file_and_a_case_per_rule_with_escaped_xml() {
    let dir = TempDir::new("junit");
    dir.write("k8s/awkward.yaml", AWKWARD);
    dir.write("clean.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
    let out = run(&["--format", "junit", "./k8s/awkward.yaml", "clean.yaml", "missing.yaml"], &dir.0);
    assert_eq!(out.status.code(), Some(2), "a missing file is still an I/O error");
    let xml = stdout(&out);
    // A case per rule that runs by default: preview and opt-in rules are not in the run.
    let rules = podlint::rules::all().iter().filter(|r| r.meta().status == podlint::rules::Status::Stable).count();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    assert!(
        xml.contains(&format!("<testsuites name=\"podlint\" tests=\"{}\" failures=\"2\" errors=\"1\">", 2 * rules + 1)),
        "{xml}"
    );
    assert!(xml.contains(&format!(
        "<testsuite name=\"k8s/awkward.yaml\" tests=\"{rules}\" failures=\"2\" errors=\"0\" skipped=\"0\" file=\"k8s/awkward.yaml\">"
    )));
    assert!(xml.contains(
        "    <testcase name=\"duplicate-key\" classname=\"k8s/awkward.yaml\">\n\
         \x20     <failure type=\"error\" message=\"duplicate key `x,y: 50%&#10;z` (and 1 more)\">\
         k8s/awkward.yaml:7:3: error[duplicate-key] duplicate key `x,y: 50%\\nz`\n\
         \x20 help: the first `\"x,y: 50%\\nz\"` is at line 6\n\
         k8s/awkward.yaml:9:3: error[duplicate-key] duplicate key `&lt;&amp;\"`\n\
         \x20 help: the first `\"&lt;&amp;\\\"\"` is at line 8</failure>\n\
         \x20   </testcase>\n"
    ));
    assert!(xml.contains("    <testcase name=\"image-tag\" classname=\"k8s/awkward.yaml\"/>\n"));
    assert!(xml.contains(&format!(
        "<testsuite name=\"clean.yaml\" tests=\"{rules}\" failures=\"0\" errors=\"0\" skipped=\"0\" file=\"clean.yaml\">"
    )));
    assert!(xml.contains(
        "<testcase name=\"missing.yaml: no such file or directory\" classname=\"podlint\">\n\
         \x20     <error type=\"io\" message=\"missing.yaml: no such file or directory\"/>"
    ));
    assert!(xml.ends_with("</testsuites>\n"));

    // An attribute with `<&"` in it.
    dir.write("quote.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata:\n  '<&\"': a\n  '<&\"': b\n");
    let quoted = stdout(&run(&["--format", "junit", "quote.yaml"], &dir.0));
    assert!(quoted.contains("<failure type=\"error\" message=\"duplicate key `&lt;&amp;&quot;`\">"), "{quoted}");
}

#[test]
fn output_format_writes_several_reports_from_one_run() {
    let dir = TempDir::new("outputs");
    dir.write("dup.yaml", DUPLICATE);
    std::fs::create_dir_all(dir.0.join("out")).expect("out/");
    let out = run(
        &[
            "--format",
            "concise",
            "-o",
            "out/report.txt",
            "--output-format",
            "sarif=out/podlint.sarif",
            "--output-format",
            "junit=out/junit.xml",
            "--output-format",
            "json=out/report.json",
            "dup.yaml",
        ],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "-o takes the main report off standard output");
    assert_eq!(
        dir.read("out/report.txt"),
        "dup.yaml:7:3: error[duplicate-key] duplicate key `mode`\nFound 1 error, 0 warnings in 1 file (1 object).\n"
    );
    let log: Value = serde_json::from_str(&dir.read("out/podlint.sarif")).expect("SARIF");
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "duplicate-key");
    assert!(dir.read("out/junit.xml").contains("<failure type=\"error\" message=\"duplicate key `mode`\">"));
    let json: Value = serde_json::from_str(&dir.read("out/report.json")).expect("JSON");
    assert_eq!(json["findings"][0]["line"], 7);
    let mut names: Vec<_> =
        std::fs::read_dir(dir.0.join("out")).expect("out/").map(|e| e.expect("entry").file_name()).collect();
    names.sort();
    assert_eq!(names, ["junit.xml", "podlint.sarif", "report.json", "report.txt"], "no temporary files left");
}

#[test]
fn an_output_that_cannot_be_written_is_an_io_error_naming_it() {
    let dir = TempDir::new("unwritable");
    dir.write("dup.yaml", DUPLICATE);
    let out = run(
        &[
            "--format",
            "concise",
            "--output-format",
            "sarif=no/such/dir/p.sarif",
            "--output-format",
            "junit=j.xml",
            "dup.yaml",
        ],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "podlint: error: writing the sarif report to no/such/dir/p.sarif: no such file or directory\n"
    );
    assert!(dir.read("j.xml").contains("duplicate-key"), "the other reports are still written");
    assert!(stdout(&out).contains("duplicate key `mode`"));

    let same = run(&["--output-format", "sarif=a", "--output-format", "junit=a", "dup.yaml"], &dir.0);
    assert_eq!(same.status.code(), Some(2));
    assert_eq!(stderr(&same), "podlint: error: a is named by two outputs\n");

    let bad = run(&["--output-format", "sarif", "dup.yaml"], &dir.0);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`sarif` is not FORMAT=PATH"), "{}", stderr(&bad));
}
