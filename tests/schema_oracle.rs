//! podlint checks built-in kinds with its own schema walk, not jsonschema (it is several times
//! faster: see the commit that made the change). jsonschema remains the oracle: on every fixture,
//! on the shared corpus of real manifests when present, and on a generated corpus, both engines
//! must report exactly the same findings.
#[path = "../tools/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};

use podlint::settings::Settings;

fn findings(name: &str, bytes: &[u8], oracle: bool) -> Vec<(String, u32, u32, String)> {
    let settings = Settings { snippets: false, jsonschema_for_builtins: oracle, ..Settings::default() };
    podlint::lint_memory(&[(name, bytes)], &settings)
        .findings
        .iter()
        .map(|f| (f.rule.to_string(), f.location.span.start, f.location.span.end, f.message.clone()))
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| ["yaml", "yml", "json"].contains(&e)) {
            out.push(path);
        }
    }
}

fn compare(files: &[PathBuf]) -> usize {
    let mut differences = Vec::new();
    for path in files {
        let bytes = std::fs::read(path).expect("readable");
        let name = path.to_string_lossy();
        let (walk, oracle) = (findings(&name, &bytes, false), findings(&name, &bytes, true));
        if walk != oracle {
            differences.push(format!("{name}:\n  walk:   {walk:?}\n  oracle: {oracle:?}"));
        }
    }
    assert!(differences.is_empty(), "{} file(s) differ:\n{}", differences.len(), differences.join("\n"));
    files.len()
}

#[test]
fn the_walk_agrees_with_jsonschema_on_every_fixture() {
    let mut files = Vec::new();
    files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut files);
    files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"), &mut files);
    assert!(compare(&files) >= 80);
}

#[test]
fn the_walk_agrees_with_jsonschema_on_the_shared_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!("../shared/corpus not found; skipping");
        return;
    }
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    assert!(compare(&files) > 1000);
}

#[test]
fn the_walk_agrees_with_jsonschema_on_a_generated_corpus() {
    let generated = corpus::generate(3_000, 11);
    let mut differences = 0;
    for file in &generated.files {
        let (walk, oracle) =
            (findings(&file.path, file.text.as_bytes(), false), findings(&file.path, file.text.as_bytes(), true));
        if walk != oracle {
            differences += 1;
            eprintln!("{}:\n  walk:   {walk:?}\n  oracle: {oracle:?}", file.path);
        }
    }
    assert_eq!(differences, 0);
}
