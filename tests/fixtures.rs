//! Every input under `fixtures/<rule-id>/` is linted and its findings compared with the
//! `.expected` file beside it. `UPDATE_FIXTURES=1 cargo test --test fixtures` rewrites them;
//! review the diff before committing.
//!
//! An input may start with a header comment that sets up its run:
//! `# fixture: kubernetes-version=1.21 rules=all no-schema allowed-sidecars=istio-proxy,log-shipper`
//! Any option the folder's rule declares is set by `name=value` (lists comma-separated), and
//! another rule's by `rule-id.name=value`. By default only the findings of the folder's rule are
//! listed, so that one rule's fixtures do not churn when another rule changes; `rules=all` lists
//! every rule's findings. The folder `policy` holds ValidatingAdmissionPolicies with the objects
//! they judge: it lists the findings of every `policy/<name>` rule.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use podlint::finding::Finding;
use podlint::settings::Settings;

fn fixture_inputs() -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for dir in std::fs::read_dir(&root).expect("fixtures/ exists") {
        let dir = dir.expect("readable fixtures/").path();
        // Whole repositories have their own test (tests/repositories.rs).
        if !dir.is_dir() || dir.file_name().is_some_and(|n| n == "repositories") {
            continue;
        }
        // Policy verdicts need the CEL engine; while it is stubbed they would all be errors.
        if !podlint::admission::EVALUATES && dir.file_name().is_some_and(|n| n == "policy") {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("readable fixture folder") {
            let path = file.expect("readable fixture").path();
            // A folder is one case made of several files (a kustomization and what it lists).
            if path.is_dir() {
                inputs.push(path);
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let is_input = [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) && !name.contains(".fixed.");
            if is_input {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    inputs
}

/// Whether a finding belongs to the rule a fixture folder is about.
fn of_folder(folder: &str, rule: &str) -> bool {
    rule == folder || (folder == "policy" && rule.starts_with("policy/"))
}

struct Header {
    settings: Settings,
    all_rules: bool,
    unsafe_fixes: bool,
}

fn header(text: &str, rule: &str) -> Header {
    let mut settings = folder_settings(rule);
    let mut all_rules = false;
    let mut unsafe_fixes = false;
    if let Some(rest) = text.lines().next().and_then(|l| l.strip_prefix("# fixture:")) {
        for word in rest.split_whitespace() {
            match word.split_once('=') {
                Some(("kubernetes-version", v)) => settings.kubernetes_version = v.parse().expect("a version"),
                Some(("rules", "all")) => all_rules = true,
                Some((option, value)) => {
                    // `name=value` for the folder's rule, `rule-id.name=value` for another.
                    let (id, name) = option.split_once('.').unwrap_or((rule, option));
                    let meta = podlint::rules::find(id).unwrap_or_else(|| panic!("no rule `{id}`")).meta();
                    settings.options.set_text(meta, name, value).unwrap_or_else(|e| panic!("fixture header: {e}"));
                }
                None if word == "no-schema" => settings.schema = false,
                None if word == "unsafe-fixes" => unsafe_fixes = true,
                _ => panic!("unknown fixture header word `{word}`"),
            }
        }
    }
    Header { settings, all_rules, unsafe_fixes }
}

/// A fixture folder is about its rule: an opt-in or preview rule runs there as if selected by id.
fn folder_settings(rule: &str) -> Settings {
    let mut settings = Settings { snippets: false, ..Settings::default() };
    if let Some(meta) = podlint::rules::find(rule).map(|r| r.meta())
        && matches!(meta.status, podlint::rules::Status::OptIn | podlint::rules::Status::Preview)
    {
        settings.rule_severity.insert(rule.to_string(), Some(meta.severity));
    }
    settings
}

/// One line per finding, with its exact span: the part of the output fixtures pin down.
pub fn render(findings: &[&Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let (s, e) = (f.location.start, f.location.end);
        let _ = writeln!(
            out,
            "{}:{}-{}:{} {}[{}] {}",
            s.line,
            s.column,
            e.line,
            e.column,
            f.severity.as_str(),
            f.rule,
            f.message
        );
        if let Some(help) = &f.help {
            let _ = writeln!(out, "    help: {help}");
        }
        if let Some(fix) = &f.fix {
            for edit in &fix.edits {
                let _ = writeln!(
                    out,
                    "    fix ({:?}): {}..{} -> {:?}",
                    fix.applicability, edit.start, edit.end, edit.replacement
                );
            }
        }
    }
    out
}

struct Outcome {
    rule: String,
    listed: usize,
}

fn run_fixture(path: &Path, update: bool) -> Result<Outcome, String> {
    if path.is_dir() {
        return run_tree_fixture(path, update);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let rule = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let header = header(&text, &rule);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let report = podlint::lint_memory(&[(name, &bytes)], &header.settings);
    let listed: Vec<&Finding> =
        report.findings.iter().filter(|f| header.all_rules || of_folder(&rule, f.rule)).collect();
    let actual = render(&listed);
    compare_or_write(path, &path.with_extension("expected"), &actual, update)?;
    check_fix(path, name, &bytes, &header, update)?;
    let of_rule = listed.iter().filter(|f| of_folder(&rule, f.rule)).count();
    Ok(Outcome { rule, listed: of_rule })
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable fixture folder") {
        let path = entry.expect("readable fixture").path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A case folder, `fixtures/<rule-id>/<case>/`: every file in it is linted in one run, under its
/// path from the crate's root (which is the tests' working folder, so that paths a kustomization
/// lists are found on disk). Findings are listed per file in `<case>.expected` beside the folder.
fn run_tree_fixture(dir: &Path, update: bool) -> Result<Outcome, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rule = dir.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files.sort();
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for file in &files {
        let name = file.strip_prefix(manifest).unwrap_or(file).to_string_lossy().into_owned();
        inputs.push((name, std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?));
    }
    let borrowed: Vec<(&str, &[u8])> = inputs.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let settings = folder_settings(&rule);
    let report = podlint::lint_memory(&borrowed, &settings);
    let mut actual = String::new();
    let mut listed_count = 0;
    for (name, _) in &inputs {
        let listed: Vec<&Finding> =
            report.findings.iter().filter(|f| &*f.file == name && of_folder(&rule, f.rule)).collect();
        if listed.is_empty() {
            continue;
        }
        listed_count += listed.len();
        let short = Path::new(name).strip_prefix(dir.strip_prefix(manifest).unwrap_or(dir)).unwrap_or(Path::new(name));
        let _ = writeln!(actual, "== {}", short.display());
        actual.push_str(&render(&listed));
    }
    compare_or_write(dir, &dir.with_extension("expected"), &actual, update)?;
    Ok(Outcome { rule, listed: listed_count })
}

/// `--fix` on the input: the result is stored as `<name>.fixed.yaml` beside it (absent when
/// nothing changes), fixing never adds a finding, and fixing the result changes nothing.
fn check_fix(path: &Path, name: &str, bytes: &[u8], header: &Header, update: bool) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(bytes) else { return Ok(()) };
    let lint = |t: &str| podlint::lint_memory(&[(name, t.as_bytes())], &header.settings).findings;
    let fixed = podlint::fix::fix_text(text, header.unsafe_fixes, lint);
    if let Some(why) = &fixed.refused {
        return Err(format!("{}: --fix refused: {why}", path.display()));
    }
    let again = podlint::fix::fix_text(&fixed.text, header.unsafe_fixes, lint);
    if again.text != fixed.text {
        return Err(format!("{}: a second --fix changed the file again", path.display()));
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("yaml");
    let fixed_path = path.with_extension(format!("fixed.{ext}"));
    if update {
        if fixed.text != text {
            std::fs::write(&fixed_path, &fixed.text).map_err(|e| e.to_string())?;
        } else if fixed_path.exists() {
            std::fs::remove_file(&fixed_path).map_err(|e| e.to_string())?;
        }
        return Ok(());
    }
    match std::fs::read_to_string(&fixed_path) {
        Ok(expected) if expected == fixed.text => Ok(()),
        Ok(expected) => {
            Err(format!("{}:\n--- expected after --fix\n{expected}--- actual\n{}", fixed_path.display(), fixed.text))
        }
        Err(_) if fixed.text == text => Ok(()),
        Err(_) => Err(format!("{}: --fix changes the file but no .fixed file is stored", path.display())),
    }
}

#[test]
fn fixtures_match_their_expected_output() {
    let update = std::env::var_os("UPDATE_FIXTURES").is_some();
    let mut failures = Vec::new();
    let mut outcomes = Vec::new();
    for path in fixture_inputs() {
        match run_fixture(&path, update) {
            Ok(outcome) => outcomes.push(outcome),
            Err(message) => failures.push(message),
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) differ:\n{}", failures.len(), failures.join("\n"));

    // A rule is not done without a fixture that hits and one that stays clean.
    let mut missing = Vec::new();
    for rule in podlint::rules::all() {
        let id = rule.meta().id;
        let mine: Vec<_> = outcomes.iter().filter(|o| o.rule == id).collect();
        if !mine.iter().any(|o| o.listed > 0) {
            missing.push(format!("{id}: no fixture where it reports"));
        }
        if !mine.iter().any(|o| o.listed == 0) {
            missing.push(format!("{id}: no clean fixture"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Compares a fixture's output with its stored expectation, or stores it when updating.
fn compare_or_write(input: &Path, expected_path: &Path, actual: &str, update: bool) -> Result<(), String> {
    if update {
        return std::fs::write(expected_path, actual).map_err(|e| e.to_string());
    }
    let expected = std::fs::read_to_string(expected_path).map_err(|_| {
        format!("{}: no expected output; run UPDATE_FIXTURES=1 cargo test --test fixtures", expected_path.display())
    })?;
    if expected != actual {
        return Err(format!("{}:\n--- expected\n{expected}--- actual\n{actual}", input.display()));
    }
    Ok(())
}
