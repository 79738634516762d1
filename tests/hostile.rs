//! Hostile and odd inputs. For each: no panic, no hang (every run has a deadline), a clear
//! message with a location, the exit-code contract, and a good file beside it still linted.
mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TempDir, podlint};

/// A file with one known error-level finding, which must still be reported beside the hostile one.
const GOOD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  a: one\n  a: two\n";

struct Run {
    code: Option<i32>,
    report: serde_json::Value,
    stderr: String,
    elapsed: Duration,
}

fn run(args: &[&str], dir: &Path, deadline: Duration) -> Run {
    let start = Instant::now();
    let mut child = podlint()
        .args(["--isolated", "--format", "json"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let (mut out, mut err) = (child.stdout.take().expect("stdout"), child.stderr.take().expect("stderr"));
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            panic!("podlint {args:?} did not finish within {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let stdout = reader.join().expect("stdout reader");
    let stderr = err_reader.join().expect("stderr reader");
    assert!(!stderr.contains("panicked"), "podlint panicked: {stderr}");
    let report =
        serde_json::from_slice(&stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&stdout)));
    Run { code: status.code(), report, stderr, elapsed }
}

fn findings(run: &Run) -> Vec<(String, String, u64, u64)> {
    common::findings(&run.report)
}

fn messages(run: &Run, rule: &str) -> Vec<String> {
    run.report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect()
}

fn good_still_linted(run: &Run) {
    assert!(
        findings(run).contains(&("good.yaml".into(), "duplicate-key".into(), 7, 3)),
        "the good file was not linted: {:?}",
        findings(run)
    );
}

const DEADLINE: Duration = Duration::from_secs(60);

#[test]
fn alias_bomb() {
    let dir = TempDir::new("bomb");
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=9 {
        let p = i - 1;
        bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    dir.write("bomb.yaml", format!("apiVersion: v1\nkind: ConfigMap\n{bomb}"));
    dir.write("good.yaml", GOOD);
    let run = run(&["bomb.yaml", "good.yaml"], &dir.0, DEADLINE);
    assert_eq!(run.code, Some(1));
    let syntax: Vec<_> = findings(&run).into_iter().filter(|f| f.1 == "yaml-syntax").collect();
    assert_eq!(syntax.len(), 1);
    // a4 (line 7) expands ten copies of a3's 11,111 nodes: the first to cross 100,000.
    assert_eq!((syntax[0].0.as_str(), syntax[0].2), ("bomb.yaml", 7), "reported at the alias that crosses the budget");
    assert!(messages(&run, "yaml-syntax")[0].contains("alias bomb"));
    good_still_linted(&run);
}

#[test]
fn deep_nesting_block_and_flow() {
    let dir = TempDir::new("deep");
    dir.write("block.yaml", format!("apiVersion: v1\nkind: ConfigMap\ndata:\n  x:\n    {}1\n", "- ".repeat(20_000)));
    dir.write(
        "flow.yaml",
        format!("apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n", "[".repeat(20_000), "]".repeat(20_000)),
    );
    dir.write("good.yaml", GOOD);
    let run = run(&["block.yaml", "flow.yaml", "good.yaml"], &dir.0, DEADLINE);
    assert_eq!(run.code, Some(1));
    let syntax: Vec<_> = findings(&run).into_iter().filter(|f| f.1 == "yaml-syntax").map(|f| (f.0, f.2)).collect();
    assert_eq!(syntax, [("block.yaml".to_string(), 5), ("flow.yaml".to_string(), 3)]);
    let text = messages(&run, "yaml-syntax").join("\n");
    assert!(text.contains("nesting deeper than 256 levels"), "{text}");
    good_still_linted(&run);
}

#[test]
fn a_64_mb_single_line_scalar() {
    let dir = TempDir::new("huge");
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  blob: \"");
    text.push_str(&"x".repeat(64 * 1024 * 1024));
    text.push_str("\"\n");
    dir.write("huge.yaml", text);
    dir.write("good.yaml", GOOD);
    let run = run(&["huge.yaml", "good.yaml"], &dir.0, Duration::from_secs(120));
    assert_eq!(run.code, Some(1));
    // The API server refuses a ConfigMap over 1 MiB: said once, at `data`.
    assert_eq!(
        findings(&run),
        [
            ("huge.yaml".to_string(), "invalid-config-data".to_string(), 5, 1),
            ("good.yaml".to_string(), "duplicate-key".to_string(), 7, 3)
        ]
    );
    assert!(run.elapsed < Duration::from_secs(60), "took {:?}", run.elapsed);
}

#[test]
fn fifty_thousand_documents() {
    let dir = TempDir::new("many");
    let mut text = String::new();
    for i in 0..50_000 {
        text.push_str(&format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  k: v\n"));
    }
    dir.write("many.yaml", text);
    let run = run(&["many.yaml"], &dir.0, DEADLINE);
    assert_eq!(run.code, Some(0));
    assert_eq!(run.report["summary"]["objects"], 50_000);
}

#[test]
fn binary_and_invalid_utf8() {
    let dir = TempDir::new("binary");
    dir.write("image.yaml", [0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R']);
    dir.write("latin1.yaml", b"apiVersion: v1\nkind: ConfigMap\ndata:\n  city: M\xfcnchen\n");
    dir.write("good.yaml", GOOD);
    let run = run(&["image.yaml", "latin1.yaml", "good.yaml"], &dir.0, DEADLINE);
    assert_eq!(run.code, Some(1));
    let found = findings(&run);
    assert!(found.contains(&("image.yaml".into(), "yaml-syntax".into(), 1, 1)), "{found:?}");
    assert!(found.contains(&("latin1.yaml".into(), "yaml-syntax".into(), 4, 10)), "{found:?}");
    let text = messages(&run, "yaml-syntax").join("\n");
    assert!(text.contains("binary file") && text.contains("not valid UTF-8 (invalid byte 0xFC)"), "{text}");
    good_still_linted(&run);
}

#[test]
fn bom_and_crlf_keep_lines_and_columns() {
    let dir = TempDir::new("bom");
    dir.write(
        "bom.yaml",
        "\u{feff}apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: bom\r\ndata:\r\n  a: x1\r\n  a: y1\r\n",
    );
    let bom = run(&["bom.yaml"], &dir.0, DEADLINE);
    assert_eq!(findings(&bom), [("bom.yaml".to_string(), "duplicate-key".to_string(), 7, 3)]);
    assert_eq!(bom.report["findings"][0]["end_column"], 4);
    // `y` alone would be a YAML 1.1 boolean: the type error is about the value Kubernetes keeps,
    // the last of the duplicates.
    dir.write("dup.yaml", "\u{feff}apiVersion: v1\r\nkind: ConfigMap\r\ndata:\r\n  a: x\r\n  a: y\r\n");
    let dup = run(&["dup.yaml"], &dir.0, DEADLINE);
    assert_eq!(
        findings(&dup),
        [
            ("dup.yaml".to_string(), "duplicate-key".to_string(), 5, 3),
            ("dup.yaml".to_string(), "invalid-type".to_string(), 5, 6)
        ]
    );
}

#[test]
fn empty_comment_only_scalar_and_sequence_documents_are_not_objects() {
    let dir = TempDir::new("odd");
    dir.write("empty.yaml", "");
    dir.write("comments.yaml", "# nothing here\n# at all\n");
    dir.write("scalar.yaml", "just a string\n---\n42\n");
    dir.write("list.yaml", "- a\n- b\n");
    dir.write("good.yaml", GOOD);
    let run = run(&["."], &dir.0, DEADLINE);
    assert_eq!(run.code, Some(1));
    assert_eq!(findings(&run), [("./good.yaml".to_string(), "duplicate-key".to_string(), 7, 3)]);
    assert_eq!(run.report["summary"]["files"], 5);
    assert_eq!(run.report["summary"]["objects"], 1);
}

#[test]
fn complex_keys_tags_and_json() {
    let dir = TempDir::new("tags");
    dir.write(
        "tags.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tags\n  annotations:\n    ? [complex, key]\n    : value\ndata:\n  bin: !!binary aGVsbG8=\n  ref: !Ref other\n  num: !!str 42\nbinaryData:\n  b: !!binary |\n    aGVsbG8=\n",
    );
    dir.write(
        "obj.json",
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "json"}, "data": {"port": 8080}}"#,
    );
    let run = run(&["tags.yaml", "obj.json"], &dir.0, DEADLINE);
    assert_eq!(run.code, Some(1));
    assert_eq!(findings(&run), [("obj.json".to_string(), "invalid-type".to_string(), 1, 90)]);
}

#[cfg(unix)]
#[test]
fn odd_paths_fifos_loops_and_files_that_vanish() {
    let dir = TempDir::new("paths");
    std::fs::create_dir_all(dir.0.join("k8s/folder.yaml")).expect("a folder with a manifest's name");
    dir.write("k8s/folder.yaml/inside.yaml", GOOD);
    let fifo = dir.0.join("k8s/pipe.yaml");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    std::os::unix::fs::symlink(dir.0.join("k8s"), dir.0.join("k8s/loop")).expect("symlink");
    std::os::unix::fs::symlink(dir.0.join("gone.yaml"), dir.0.join("k8s/dangling.yaml")).expect("symlink");
    let walked = run(&["k8s"], &dir.0, DEADLINE);
    assert_eq!(walked.code, Some(1));
    assert_eq!(findings(&walked), [("k8s/folder.yaml/inside.yaml".to_string(), "duplicate-key".to_string(), 7, 3)]);

    // Named explicitly: the FIFO is refused (reading it could block forever), the missing file
    // is an I/O error naming it, and the good file is still linted.
    dir.write("good.yaml", GOOD);
    let named = run(&["k8s/pipe.yaml", "gone.yaml", "good.yaml"], &dir.0, DEADLINE);
    assert_eq!(named.code, Some(2));
    assert!(named.stderr.contains("k8s/pipe.yaml: not a regular file; skipped"), "{}", named.stderr);
    assert!(named.stderr.contains("gone.yaml: no such file or directory"), "{}", named.stderr);
    good_still_linted(&named);
}

#[test]
fn files_deleted_while_the_walk_runs() {
    let dir = TempDir::new("vanish");
    for i in 0..3000 {
        dir.write(&format!("k8s/f{i:04}.yaml"), GOOD);
    }
    let root = dir.0.clone();
    let deleter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(5));
        for i in (0..3000).step_by(2) {
            let _ = std::fs::remove_file(root.join(format!("k8s/f{i:04}.yaml")));
        }
    });
    let run = run(&["k8s"], &dir.0, DEADLINE);
    deleter.join().expect("deleter");
    // Whatever the race: no panic, every file either linted or named in an error.
    let linted = run.report["summary"]["files"].as_u64().unwrap_or(0) as usize;
    let missing = run.stderr.lines().filter(|l| l.contains(": no such file or directory")).count();
    assert!(linted + missing >= 1500, "{linted} linted, {missing} missing, of at least 1500 that stayed");
    assert!(matches!(run.code, Some(1) | Some(2)), "{:?}", run.code);
    if missing > 0 {
        assert_eq!(run.code, Some(2));
    }
}
