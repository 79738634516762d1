//! `gen-corpus [--shape NAME] --docs N --seed S --out DIR`: writes a synthetic Kubernetes corpus
//! for benchmarks, of one of the shapes of tools/corpus.rs (`mixed` unless told).
//!
//! The same arguments give byte-identical files. DIR gets a `.gen-corpus` stamp naming the
//! arguments and the generator's source, so a second run with the same ones reuses the corpus,
//! and a folder without the stamp is never overwritten.
#[path = "corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn usage() -> String {
    let shapes: Vec<&str> = corpus::Shape::ALL.iter().map(|s| s.name()).collect();
    // tools/bench reads the second line to check the shapes it is given.
    format!("usage: gen-corpus [--shape NAME] --docs N --seed S --out DIR\nshapes: {}", shapes.join(" "))
}
const STAMP: &str = ".gen-corpus";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("gen-corpus: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut shape = corpus::Shape::Mixed;
    let mut docs = None;
    let mut seed = 1u64;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value\n{}", usage()));
        match arg.as_str() {
            "--shape" => {
                let name = value()?;
                shape = corpus::Shape::parse(&name)
                    .ok_or_else(|| format!("--shape: unknown shape `{name}`\n{}", usage()))?;
            }
            "--docs" => docs = Some(value()?.parse::<usize>().map_err(|e| format!("--docs: {e}"))?),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "-h" | "--help" => {
                println!("{}", usage());
                return Ok(());
            }
            _ => return Err(format!("unexpected argument `{arg}`\n{}", usage())),
        }
    }
    let (Some(docs), Some(out)) = (docs, out) else { return Err(usage()) };

    // The generator's own source is part of the stamp: a changed generator is a changed corpus,
    // even under the same seed.
    let stamp = format!(
        "shape={} docs={docs} seed={seed} generator={:016x}\n",
        shape.name(),
        fnv1a(include_str!("corpus.rs").as_bytes())
    );
    let stamp_path = out.join(STAMP);
    if out.exists() {
        match std::fs::read_to_string(&stamp_path) {
            Ok(existing) if existing == stamp => {
                println!("{}: up to date ({})", out.display(), stamp.trim_end());
                return Ok(());
            }
            Ok(_) => std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?,
            Err(_) if is_empty_dir(&out) => {}
            Err(_) => {
                return Err(format!("{} exists and was not written by gen-corpus; not touching it", out.display()));
            }
        }
    }

    let started = std::time::Instant::now();
    let corpus = corpus::generate_shape(shape, docs, seed);
    // An empty corpus has no file to create the folder; the stamp needs it all the same.
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for file in &corpus.files {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &file.text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // Written last: an interrupted run leaves no stamp, so the next one starts over.
    std::fs::write(&stamp_path, &stamp).map_err(|e| format!("{}: {e}", stamp_path.display()))?;
    let bytes = corpus.bytes();
    let sizes: Vec<usize> = corpus.files.iter().map(|f| f.docs.len()).collect();
    println!(
        "{}: {} {} documents ({} podlint should flag: planted mistakes and findings by design, {:.1}%), {} files (1 to {} documents each), {:.1} MB in {:.2} s",
        out.display(),
        corpus.docs(),
        shape.name(),
        corpus.mistakes(),
        100.0 * corpus.mistakes() as f64 / corpus.docs().max(1) as f64,
        corpus.files.len(),
        sizes.iter().max().unwrap_or(&0),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn is_empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}
