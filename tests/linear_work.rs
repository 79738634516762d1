//! The regression guard against a quadratic stage: not a timing (these machines are noisy) but a
//! count of the work the object index does (hash probes, candidates walked, spellings compared)
//! on every benchmark shape at two sizes. Four times the documents must cost at most about four
//! times the work, and the work per document must stay small, so a stage that looks at every
//! pair of objects fails here long before anyone times it. `WORK_SIZES=a,b` measures other
//! sizes; `WORK_DEBUG=1` prints the counts.
#[path = "../tools/corpus.rs"]
mod corpus;

use corpus::Shape;
use podlint::settings::Settings;

fn work(shape: Shape, docs: usize) -> (u64, usize) {
    let corpus = corpus::generate_shape(shape, docs, 11);
    let memory: Vec<(&str, &[u8])> = corpus.files.iter().map(|f| (f.path.as_str(), f.text.as_bytes())).collect();
    // Snippets and the schema stage are beside the point; the cross-object work is all here.
    let settings = Settings { snippets: false, schema: false, ..Settings::default() };
    let report = podlint::lint_memory(&memory, &settings);
    assert!(report.errors.is_empty(), "{}: {:?}", shape.name(), report.errors);
    if std::env::var_os("WORK_DEBUG").is_some() {
        eprintln!("{} {docs}: {:?}", shape.name(), report.work);
    }
    (report.work.total(), report.findings.len())
}

#[test]
fn cross_object_work_grows_linearly_on_every_shape() {
    let custom = std::env::var("WORK_SIZES").ok().and_then(|v| {
        let (a, b) = v.split_once(',')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    });
    // Sizes at which every shape's namespaces hold more pods than a Service's help compares
    // (below that, the work per Service climbs to its cap: a constant, not a trend).
    let (small, large) = custom.unwrap_or((4_000, 16_000));
    let mut table = Vec::new();
    for shape in Shape::ALL {
        let (w_small, f_small) = work(shape, small);
        let (w_large, f_large) = work(shape, large);
        let growth = w_large as f64 / w_small.max(1) as f64 * (4 * small) as f64 / large as f64;
        let per_doc = w_large as f64 / large as f64;
        table.push(format!(
            "{:<16} {small}: {w_small:>7} ({f_small} findings)  {large}: {w_large:>7} ({f_large} findings)  growth {growth:.2}x  {per_doc:.1}/doc",
            shape.name()
        ));
        // A quadratic stage shows 16x. The slack over 4x is the shapes' detail changing with size:
        // one-namespace, for one, has 4.4x the findings at 4x the documents (4.8x the work).
        assert!(growth <= 5.0, "{}: work grew {growth:.2}x for 4x the documents\n{}", shape.name(), table.join("\n"));
        assert!(per_doc <= 120.0, "{}: {per_doc:.1} units of work per document\n{}", shape.name(), table.join("\n"));
    }
    println!("{}", table.join("\n"));
}
