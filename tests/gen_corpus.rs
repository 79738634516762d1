//! The benchmark corpus generator (tools/corpus.rs): deterministic, and realistic in the way
//! that matters for a benchmark of podlint: clean objects are clean, and every planted mistake is
//! one podlint finds.
#[path = "../tools/corpus.rs"]
mod corpus;

use podlint::settings::Settings;

#[test]
fn the_same_seed_gives_byte_identical_files() {
    let a = corpus::generate(3_000, 7);
    let b = corpus::generate(3_000, 7);
    assert_eq!(a.files.len(), b.files.len());
    for (x, y) in a.files.iter().zip(&b.files) {
        assert_eq!(x.path, y.path);
        assert!(x.text == y.text, "{} differs between two runs with the same seed", x.path);
    }
    let c = corpus::generate(3_000, 8);
    assert!(a.files.iter().zip(&c.files).any(|(x, y)| x.text != y.text), "another seed, another corpus");
}

#[test]
fn the_document_count_is_exact_and_files_are_varied() {
    for docs in [0, 1, 2, 37, 1_000] {
        assert_eq!(corpus::generate(docs, 1).docs(), docs);
    }
    let corpus = corpus::generate(20_000, 1);
    let bytes = corpus.bytes();
    // The reference corpus: 20,000 documents in about 19 MB.
    assert!((17_000_000..21_000_000).contains(&bytes), "{bytes} bytes");
    let largest = corpus.files.iter().map(|f| f.docs.len()).max().unwrap();
    assert!((150..=210).contains(&largest), "largest file has {largest} documents");
    assert!(corpus.files.iter().any(|f| f.docs.len() == 1));
    let rate = corpus.mistakes() as f64 / corpus.docs() as f64;
    assert!((0.04..0.06).contains(&rate), "{rate}");
    let mut paths: Vec<_> = corpus.files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), corpus.files.len(), "two files with one path");
}

#[test]
fn podlint_finds_every_planted_mistake_and_nothing_else() {
    let corpus = corpus::generate(2_500, 3);
    // Findings in rendered chart output name the template, not the file; a marker of the same
    // length keeps every offset and makes each finding name its file.
    let texts: Vec<String> = corpus.files.iter().map(|f| f.text.replace("# Source: ", "# Origin: ")).collect();
    let memory: Vec<(&str, &[u8])> =
        corpus.files.iter().zip(&texts).map(|(f, t)| (f.path.as_str(), t.as_bytes())).collect();
    let report = podlint::lint_memory(&memory, &Settings::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.objects, corpus.docs());

    // (file, document) of every finding.
    let mut flagged = std::collections::BTreeSet::new();
    for finding in &report.findings {
        let file = corpus
            .files
            .iter()
            .position(|f| *f.path == *finding.file)
            .unwrap_or_else(|| panic!("{} is not a generated file", finding.file));
        let at = finding.location.span.start as usize;
        let doc = corpus.files[file].docs.iter().rposition(|d| d.start <= at).expect("inside a document");
        flagged.insert((file, doc));
        let info = &corpus.files[file].docs[doc];
        assert!(
            info.mistake.is_some(),
            "{}: a finding on a clean {}: {} {}",
            finding.file,
            info.kind,
            finding.rule,
            finding.message
        );
    }
    for (file, f) in corpus.files.iter().enumerate() {
        for (doc, info) in f.docs.iter().enumerate() {
            if let Some(mistake) = info.mistake {
                assert!(flagged.contains(&(file, doc)), "{}: {mistake:?} in a {} went unnoticed", f.path, info.kind);
            }
        }
    }
}
