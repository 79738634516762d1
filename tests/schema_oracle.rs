//! podlint checks built-in kinds with its own schema walk, not jsonschema (it is several times
//! faster: see the commit that made the change). jsonschema remains the oracle: on every fixture,
//! on the shared corpus of real manifests when present, and on a generated corpus, both engines
//! must report exactly the same findings.
mod common;
#[path = "../tools/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};

use common::{corpus_dir, files_under, is_manifest};

use podlint::settings::Settings;

fn findings(name: &str, bytes: &[u8], oracle: bool) -> Vec<(String, u32, u32, String)> {
    let settings = Settings { snippets: false, jsonschema_for_builtins: oracle, ..Settings::default() };
    podlint::lint_memory(&[(name, bytes)], &settings)
        .findings
        .iter()
        .map(|f| (f.rule.to_string(), f.location.span.start, f.location.span.end, f.message.clone()))
        .collect()
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = files_under(&root.join("fixtures"), &is_manifest);
    files.extend(files_under(&root.join("examples"), &is_manifest));
    assert!(compare(&files) >= 80);
}

#[test]
fn the_walk_agrees_with_jsonschema_on_the_shared_corpus() {
    let Some(dir) = corpus_dir() else { return };
    assert!(compare(&files_under(&dir, &is_manifest)) > 1000);
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
