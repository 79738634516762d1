//! Stage benchmarks on a fixed ~1 MB generated corpus: the YAML loader alone, schema validation
//! (the same lint with and without it), and the whole in-memory pipeline, also on one small
//! file. `tools/bench` measures the binary end to end; these say which stage a change moved.
//!
//! Every lint here builds its own schema catalog (validators compiled again) but shares the
//! process-wide decompressed bundle, as runs in one process do.
//!
//! `cargo bench --bench pipeline`; a name filters (`cargo bench --bench pipeline -- load`).
#[path = "../tools/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use podlint::settings::Settings;
use podlint::yaml::{Limits, load};

// The binary's allocator: without it the loader measures a different malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// About 1 MB: large enough to hold every kind and mistake, small enough for quick samples.
const DOCS: usize = 1_100;
const SEED: u64 = 42;

fn input() -> Vec<(String, String)> {
    corpus::generate(DOCS, SEED).files.into_iter().map(|f| (f.path, f.text)).collect()
}

fn bytes(files: &[(String, String)]) -> u64 {
    files.iter().map(|(_, t)| t.len() as u64).sum()
}

fn as_memory(files: &[(String, String)]) -> Vec<(&str, &[u8])> {
    files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())).collect()
}

fn loader(c: &mut Criterion) {
    let files = input();
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Bytes(bytes(&files)));
    group.bench_function("yaml::load", |b| {
        b.iter(|| {
            for (_, text) in &files {
                black_box(load(black_box(text), Limits::default()));
            }
        })
    });
    group.finish();
}

/// The schema and syntax rules alone, with schema validation on and off: the difference is what
/// validation costs, without the other rules' time in either figure.
fn schema(c: &mut Criterion) {
    let files = input();
    let memory = as_memory(&files);
    let mut on = Settings::default();
    on.select_rules(Some(&["schema".to_string(), "syntax".to_string()]), &[], &[]);
    let off = Settings { schema: false, ..on.clone() };
    let mut group = c.benchmark_group("schema");
    group.throughput(Throughput::Bytes(bytes(&files)));
    group.bench_function("on", |b| b.iter(|| black_box(podlint::lint_memory(&memory, &on))));
    group.bench_function("off", |b| b.iter(|| black_box(podlint::lint_memory(&memory, &off))));
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let files = input();
    let memory = as_memory(&files);
    let settings = Settings::default();
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(bytes(&files)));
    group.bench_function("lint_memory", |b| b.iter(|| black_box(podlint::lint_memory(&memory, &settings))));
    // One small file is nearly all fixed cost. The schema bundle is decompressed and parsed once
    // per process (a static), so after the first iteration this measures the rest of it, the
    // validators compiled for each run; `tools/bench` times the whole process.
    let small = include_bytes!("../examples/guestbook/frontend.yaml");
    let one = [("frontend.yaml", &small[..])];
    group.throughput(Throughput::Bytes(small.len() as u64));
    group.bench_function("small_file", |b| b.iter(|| black_box(podlint::lint_memory(&one, &settings))));
    group.finish();
}

criterion_group! {
    name = benches;
    // Few, short samples: these guide work in progress on a shared 2-core machine; tools/bench
    // gives the figures that are quoted.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    targets = loader, schema, pipeline
}
criterion_main!(benches);
