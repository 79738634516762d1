use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use podlint::cli::{Cli, ColorChoice, Command};
use podlint::finding::Severity;
use podlint::report::{self, Format, PathBase, RenderOptions};
use podlint::settings::Settings;
use podlint::source::discover::describe_io;
use podlint::{config, output, rules};

#[global_allocator]
static GLOBAL: Allocator = Allocator;

/// mimalloc, configured before its first allocation. By default it commits memory for whole
/// arenas eagerly; with that off, peak RSS on 20,000 documents fell from ~63 MB to ~31 MB at the
/// same speed (measured; see the commit). The option must be set before the first arena is
/// reserved, which happens at the runtime's first allocation, before `main`.
struct Allocator;

/// mimalloc's `arena_eager_commit` option (v3 numbering; the crate's constants are v2's).
const MI_OPTION_ARENA_EAGER_COMMIT: i32 = 4;

static CONFIGURED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[inline]
fn configure_allocator() {
    use std::sync::atomic::Ordering::Relaxed;
    if !CONFIGURED.load(Relaxed) {
        // SAFETY: sets a process-wide option; it allocates nothing. A race between two first
        // allocations sets the same value twice.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
        CONFIGURED.store(true, Relaxed);
    }
}

// SAFETY: every call is forwarded to mimalloc unchanged.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        configure_allocator();
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        configure_allocator();
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Rules) => print_rules(),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Completions { shell }) => completions(shell),
        Some(Command::Man) => man_page(),
        None => lint(cli.lint),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("podlint: error: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn lint(args: podlint::cli::LintArgs) -> ExitCode {
    if let Some(threads) = args.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(threads.into()).build_global()
    {
        return usage_error(&format!("--threads: {e}"));
    }
    // Like yamllint, annotate by default on GitHub Actions: a plain `podlint` step then marks the
    // pull request's lines.
    let in_actions = std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true");
    let format = args.format.unwrap_or(if in_actions { Format::Github } else { Format::Text });
    // GitHub attaches only 10 annotations of each kind per step, so the log also gets the full
    // report and the job summary a table.
    let actions_extras = in_actions && format == Format::Github && !args.statistics;

    let mut files: Vec<&Path> = Vec::new();
    for path in args.output.iter().chain(args.output_format.iter().map(|o| &o.path)) {
        if files.contains(&path.as_path()) {
            eprintln!("podlint: error: {} is named by two outputs", path.display());
            return ExitCode::from(EXIT_USAGE);
        }
        files.push(path);
    }

    let mut settings = Settings::default();
    let config_path = match (&args.config, args.isolated) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => std::env::current_dir().ok().and_then(|cwd| config::discover(&cwd)),
    };
    let config = match config_path.as_deref().map(config::load).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(message) => return usage_error(&message),
    };
    if let Err(message) = settings.apply_config(&config) {
        return usage_error(&message);
    }
    for selector in args.select.iter().flatten().chain(&args.ignore) {
        if let Err(message) = config::check_selector(selector) {
            return usage_error(&message);
        }
    }
    let select = args.select.as_deref().or(config.select.as_deref());
    let ignore: Vec<String> = config.ignore.iter().chain(&args.ignore).cloned().collect();
    let severities: Vec<_> = config.rules.iter().filter_map(|(id, r)| r.severity.map(|s| (id.clone(), s))).collect();
    settings.select_rules(select, &ignore, &severities);
    let fail_on = args.fail_on.map(|f| f.severity()).or(config.fail_on).unwrap_or(Severity::Error);

    if let Some(version) = args.kubernetes_version {
        settings.kubernetes_version = version;
    }
    if let Some(name) = &args.stdin_filename {
        settings.stdin_name = name.clone();
    }
    settings.snippets = (!args.statistics && format.needs_snippets())
        || actions_extras
        || args.output_format.iter().any(|o| o.format.needs_snippets());
    settings.schema = !args.no_schema;
    settings.jsonschema_for_builtins = args.jsonschema_for_builtins;
    settings.schema_locations.extend(args.schema_location.iter().cloned());
    let stdin_fix = (args.fix || args.diff) && args.paths == ["-"];
    let report = if args.fix || args.diff {
        match fix_files(&args, &settings) {
            Fixing::Report(report) => report,
            Fixing::Done(code) => return code,
        }
    } else {
        podlint::lint(&args.paths, &settings)
    };

    let stdout = std::io::stdout();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never
                && stdout.is_terminal()
        }
    };
    let options = RenderOptions { color, quiet: args.quiet, base: PathBase::from_env() };
    let main_report = |out: &mut dyn Write| -> io::Result<()> {
        if args.statistics {
            return report::statistics::render(&report, &options, out);
        }
        report::render(format, &report, &options, out)?;
        if actions_extras {
            report::render(Format::Text, &report, &options, out)?;
        }
        Ok(())
    };

    let mut io_failed = false;
    match &args.output {
        Some(path) => {
            let mut bytes = Vec::new();
            let written = main_report(&mut bytes).and_then(|_| output::write_atomically(path, &bytes));
            if let Err(e) = written {
                eprintln!("podlint: error: writing the report to {}: {}", path.display(), describe_io(&e));
                io_failed = true;
            }
        }
        // With `--fix` on standard input, standard output carries the fixed manifest.
        None if stdin_fix => {
            if let Err(e) = main_report(&mut std::io::stderr().lock()) {
                eprintln!("podlint: error: writing the report: {e}");
                io_failed = true;
            }
        }
        None => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            let written = main_report(&mut out).and_then(|_| out.flush());
            drop(out);
            // A closed pipe (`podlint … | head`) is the reader's choice, not a failure.
            if let Err(e) = written
                && e.kind() != io::ErrorKind::BrokenPipe
            {
                eprintln!("podlint: error: writing the report: {e}");
                io_failed = true;
            }
        }
    }
    if actions_extras && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        let summary = report::github::step_summary(&report, &options);
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut file| file.write_all(summary.as_bytes()));
        if let Err(e) = appended {
            let path = Path::new(&path).display();
            eprintln!("podlint: error: writing the job summary to {path}: {}", describe_io(&e));
            io_failed = true;
        }
    }
    let file_options = RenderOptions { color: false, ..options.clone() };
    for spec in &args.output_format {
        let mut bytes = Vec::new();
        let written = report::render(spec.format, &report, &file_options, &mut bytes)
            .and_then(|_| output::write_atomically(&spec.path, &bytes));
        if let Err(e) = written {
            let (format, path) = (spec.format.name(), spec.path.display());
            eprintln!("podlint: error: writing the {format} report to {path}: {}", describe_io(&e));
            io_failed = true;
        }
    }

    for error in &report.errors {
        eprintln!("podlint: error: {error}");
    }
    if io_failed || !report.errors.is_empty() {
        ExitCode::from(EXIT_USAGE)
    } else if !args.exit_zero && report.findings.iter().any(|f| f.severity >= fail_on) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn completions(shell: podlint::cli::Shell) -> ExitCode {
    use clap::CommandFactory;
    use clap_complete::Shell as S;
    let shell = match shell {
        podlint::cli::Shell::Bash => S::Bash,
        podlint::cli::Shell::Zsh => S::Zsh,
        podlint::cli::Shell::Fish => S::Fish,
        podlint::cli::Shell::Elvish => S::Elvish,
        podlint::cli::Shell::Powershell => S::PowerShell,
    };
    clap_complete::generate(shell, &mut Cli::command(), "podlint", &mut std::io::stdout());
    ExitCode::SUCCESS
}

fn man_page() -> ExitCode {
    use clap::CommandFactory;
    let mut out = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        Ok(()) => {
            let _ = std::io::stdout().write_all(&out);
            ExitCode::SUCCESS
        }
        Err(e) => usage_error(&format!("rendering the man page: {e}")),
    }
}

/// A file's original text and what fixing made of it.
type Fixed = (String, podlint::fix::FixResult);

enum Fixing {
    /// Fixes were written: report what remains.
    Report(podlint::Report),
    /// Nothing to report (`--diff`), or a usage error.
    Done(ExitCode),
}

/// `--fix` and `--diff`. Files with applicable fixes are fixed to a fixed point (src/fix.rs),
/// then written atomically, or shown as a diff; a final run reports what remains.
fn fix_files(args: &podlint::cli::LintArgs, settings: &Settings) -> Fixing {
    use podlint::fix::{applicable, fix_text, unified_diff};
    use rayon::prelude::*;
    let unsafe_fixes = args.unsafe_fixes;
    if args.paths.len() > 1 && args.paths.iter().any(|p| p == "-") {
        return Fixing::Done(usage_error("--fix and --diff take standard input only on its own"));
    }
    if args.paths == ["-"] {
        let mut text = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            return Fixing::Done(usage_error(&format!("standard input: {}", describe_io(&e))));
        }
        let linter = podlint::Linter::new(&[], settings);
        let name = settings.stdin_name.as_str();
        let result = fix_text(&text, unsafe_fixes, |t| linter.lint_text(name, t));
        if args.diff {
            print!("{}", unified_diff(name, &text, &result.text));
            return Fixing::Done(if result.text == text { ExitCode::SUCCESS } else { ExitCode::from(EXIT_FINDINGS) });
        }
        print!("{}", result.text);
        let mut report = podlint::lint_memory(&[(name, result.text.as_bytes())], settings);
        report.fixing = true;
        report.fixed = result.fixed.into_iter().map(|f| podlint::finding::Finding { fixed: true, ..f }).collect();
        if let Some(why) = result.refused {
            eprintln!("podlint: {name}: {why}");
        }
        return Fixing::Report(report);
    }

    let first = podlint::lint(&args.paths, settings);
    let mut candidates: Vec<&str> = Vec::new();
    for finding in &first.findings {
        // Findings mapped to a Helm template name a file that is not the one on disk.
        if applicable(finding, unsafe_fixes)
            && finding.location.template.is_none()
            && !candidates.contains(&&*finding.file)
        {
            candidates.push(&finding.file);
        }
    }
    let linter = podlint::Linter::new(&args.paths, settings);
    let results: Vec<(&str, Result<Fixed, String>)> = candidates
        .par_iter()
        .map(|&path| {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {}", describe_io(&e)));
            (
                path,
                text.map(|text| {
                    let result = fix_text(&text, unsafe_fixes, |t| linter.lint_text(path, t));
                    (text, result)
                }),
            )
        })
        .collect();
    let mut errors = Vec::new();
    let mut fixed = Vec::new();
    let mut changed = false;
    for (path, result) in results {
        let (original, result) = match result {
            Ok(done) => done,
            Err(message) => {
                errors.push(message);
                continue;
            }
        };
        if let Some(why) = &result.refused {
            eprintln!("podlint: {path}: {why}");
        }
        if result.text == original {
            continue;
        }
        changed = true;
        if args.diff {
            print!("{}", unified_diff(path, &original, &result.text));
            continue;
        }
        match output::write_atomically(Path::new(path), result.text.as_bytes()) {
            Ok(()) => fixed.extend(result.fixed.into_iter().map(|f| podlint::finding::Finding { fixed: true, ..f })),
            Err(e) => errors.push(format!("{path}: writing the fixed file: {}", describe_io(&e))),
        }
    }
    if args.diff {
        for error in &errors {
            eprintln!("podlint: error: {error}");
        }
        let code = if !errors.is_empty() {
            EXIT_USAGE
        } else if changed {
            EXIT_FINDINGS
        } else {
            0
        };
        return Fixing::Done(ExitCode::from(code));
    }
    let mut report = podlint::lint(&args.paths, settings);
    report.errors.extend(errors);
    report.fixing = true;
    report.fixed = fixed;
    Fixing::Report(report)
}

fn print_rules() -> ExitCode {
    let mut out = String::new();
    out.push_str(&format!("{:<26} {:<9} {:<12} {:<7} {}\n", "ID", "SEVERITY", "CATEGORY", "FIX", "SUMMARY"));
    for rule in rules::all() {
        let meta = rule.meta();
        let fix = match meta.fix {
            rules::FixAvailability::None => "-",
            rules::FixAvailability::Safe => "safe",
            rules::FixAvailability::Unsafe => "unsafe",
            rules::FixAvailability::Mixed => "mixed",
        };
        out.push_str(&format!(
            "{:<26} {:<9} {:<12} {:<7} {}\n",
            meta.id,
            meta.severity.as_str(),
            meta.category.as_str(),
            fix,
            meta.summary
        ));
    }
    print!("{out}");
    ExitCode::SUCCESS
}

fn explain(id: &str) -> ExitCode {
    match rules::find(id) {
        Some(rule) => {
            print!("{}", rule.meta().doc);
            ExitCode::SUCCESS
        }
        None => {
            let ids = rules::all().iter().map(|r| r.meta().id);
            let guess = ids.max_by(|a, b| strsim::jaro_winkler(id, a).total_cmp(&strsim::jaro_winkler(id, b)));
            match guess.filter(|g| strsim::jaro_winkler(id, g) > 0.8) {
                Some(g) => {
                    eprintln!("podlint: error: unknown rule `{id}`; did you mean `{g}`? (`podlint rules` lists them)")
                }
                None => eprintln!("podlint: error: unknown rule `{id}` (`podlint rules` lists them)"),
            }
            ExitCode::from(EXIT_USAGE)
        }
    }
}
