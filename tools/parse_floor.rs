//! `parse-floor [--threads N] DIR...`: the fastest podlint could possibly be on these files.
//!
//! Reads every `*.yaml`/`*.yml` under the folders and runs a bare saphyr-parser event pass over
//! each (no tree, no checks), files in parallel on rayon's pool, with podlint's allocator. podlint
//! does this much and more, so its throughput over this one's is the share of the run that the
//! parser itself leaves to the rest of the pipeline.
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;
use saphyr_parser::{Event, Parser};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: parse-floor [--threads N] DIR...";

fn main() -> ExitCode {
    let mut threads = 0;
    let mut roots = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => match args.next().and_then(|v| v.parse().ok()) {
                Some(n) => threads = n,
                None => return usage("--threads needs a number"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ => roots.push(PathBuf::from(arg)),
        }
    }
    if roots.is_empty() {
        return usage("no folder given");
    }
    // 0 leaves the choice to rayon (RAYON_NUM_THREADS, else one per core), as podlint does.
    if let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global() {
        eprintln!("parse-floor: {e}");
        return ExitCode::from(2);
    }

    // The walk is timed too: podlint walks its folders as part of the run.
    let started = Instant::now();
    let mut files = Vec::new();
    for root in &roots {
        if let Err(e) = walk(root, &mut files) {
            eprintln!("parse-floor: {}: {e}", root.display());
            return ExitCode::from(2);
        }
    }
    let results: Vec<Result<(usize, usize), String>> = files.par_iter().map(|path| parse_file(path)).collect();
    let seconds = started.elapsed().as_secs_f64();

    let (mut bytes, mut events, mut failed) = (0usize, 0usize, 0usize);
    for result in results {
        match result {
            Ok((b, e)) => {
                bytes += b;
                events += e;
            }
            Err(message) => {
                failed += 1;
                eprintln!("parse-floor: {message}");
            }
        }
    }
    println!(
        "parse-floor: {} files, {bytes} bytes, {events} events, {seconds:.3} s, {:.1} MB/s, {} threads",
        files.len(),
        bytes as f64 / 1e6 / seconds,
        rayon::current_num_threads()
    );
    if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("parse-floor: {message}\n{USAGE}");
    ExitCode::from(2)
}

/// Sorted and without hidden entries, like podlint's walk, so both read the same files.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// (bytes, events) of one file. A syntax error counts as a failure: the floor must parse the
/// whole corpus, or its figure is not a floor.
fn parse_file(path: &Path) -> Result<(usize, usize), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut parser = Parser::new_from_str(text);
    let mut events = 0;
    loop {
        match parser.next_event() {
            None | Some(Ok((Event::StreamEnd, _))) => return Ok((bytes.len(), events + 1)),
            Some(Ok(_)) => events += 1,
            Some(Err(e)) => return Err(format!("{}: {e}", path.display())),
        }
    }
}
