//! Lints the shared corpus of real manifests (../shared/corpus, beside the repository) when it
//! is present: no crash, no I/O error, every file accounted for. Skipped where it is absent.
mod common;

use common::{corpus_dir, files_under, is_manifest};
use podlint::settings::Settings;

#[test]
fn every_corpus_file_is_read_and_linted() {
    let Some(dir) = corpus_dir() else { return };
    let files = files_under(&dir, &is_manifest);
    let report = podlint::lint(&[dir.to_string_lossy().into_owned()], &Settings::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.files, files.len());
    // The census in SOURCES.md counts 1,900 documents plus 14 List items; a few documents are
    // not objects (kustomize Components without apiVersion are, broken fixtures are not).
    assert!(report.objects >= 1_850, "only {} objects", report.objects);
    let syntax: Vec<_> = report.findings.iter().filter(|f| f.rule == "yaml-syntax").map(|f| &f.file).collect();
    assert!(syntax.is_empty(), "the corpus parses with PyYAML; podlint must too: {syntax:?}");
}
