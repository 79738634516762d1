//! Lints the shared corpus of real manifests (../shared/corpus, beside the repository) when it
//! is present: no crash, no I/O error, every file accounted for. Skipped where it is absent.
use std::path::{Path, PathBuf};

use podlint::settings::Settings;

pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

fn manifest_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable corpus") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            manifest_files(&path, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| ["yaml", "yml", "json"].contains(&e)) {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_is_read_and_linted() {
    let Some(dir) = corpus_dir() else {
        eprintln!("../shared/corpus not found; skipping");
        return;
    };
    let mut files = Vec::new();
    manifest_files(&dir, &mut files);
    let report = podlint::lint(&[dir.to_string_lossy().into_owned()], &Settings::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.files, files.len());
    // The census in SOURCES.md counts 1,900 documents plus 14 List items; a few documents are
    // not objects (kustomize Components without apiVersion are, broken fixtures are not).
    assert!(report.objects >= 1_850, "only {} objects", report.objects);
    let syntax: Vec<_> = report.findings.iter().filter(|f| f.rule == "yaml-syntax").map(|f| &f.file).collect();
    assert!(syntax.is_empty(), "the corpus parses with PyYAML; podlint must too: {syntax:?}");
}
