use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use podlint::cli::{Cli, ColorChoice, Command};
use podlint::report::{self, Format, PathBase, RenderOptions};
use podlint::settings::{self, Settings};
use podlint::source::Input;
use podlint::source::discover::describe_io;
use podlint::{Workspace, output, rules};

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
        Some(Command::Schemas) => {
            print!("{}", podlint::schema::builtin_listing());
            ExitCode::SUCCESS
        }
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Completions { shell }) => completions(shell),
        Some(Command::Man) => man_page(),
        Some(Command::Server) => match podlint::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            // The protocol's status for a server that ends without a clean shutdown.
            Err(message) => {
                eprintln!("podlint: error: {message}");
                ExitCode::FAILURE
            }
        },
        None => lint(cli.lint),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("podlint: error: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn lint(args: podlint::cli::LintArgs) -> ExitCode {
    if args.unsafe_fixes && !args.fix && !args.diff {
        return usage_error("--unsafe-fixes only applies with --fix or --diff");
    }
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

    let snippets = (!args.statistics && format.needs_snippets())
        || actions_extras
        || args.output_format.iter().any(|o| o.format.needs_snippets());
    let working_dir = match std::env::current_dir() {
        Ok(dir) => dir,
        Err(e) => return usage_error(&format!("the current folder: {}", describe_io(&e))),
    };
    let resolved = match settings::resolve(&args.request(snippets), &working_dir) {
        Ok(resolved) => resolved,
        Err(message) => return usage_error(&message),
    };
    let fail_on = resolved.fail_on;
    let settings = resolved.settings;
    if settings.helm.render && podlint::helm::find_helm().is_none() {
        return usage_error(&podlint::helm::not_found());
    }
    let stdin_fix = (args.fix || args.diff) && args.paths == ["-"];
    let report = if args.fix || args.diff {
        match fix_files(&args, settings) {
            Fixing::Report(report) => report,
            Fixing::Done(code) => return code,
        }
    } else {
        workspace(&args.paths, settings).into_report()
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
    let human = matches!(format, Format::Text | Format::Concise) || args.statistics && format != Format::Json;
    let main_report = |out: &mut dyn Write| -> io::Result<()> {
        // With nothing linted, "No problems found in 0 files" would read as a pass: a path that
        // could not be read says so on standard error, and a walk that found nothing says that.
        if report.files == 0 && human {
            if report.errors.is_empty() && !args.quiet {
                writeln!(out, "No YAML or JSON files to lint under {}.", args.paths.join(", "))?;
            }
            return Ok(());
        }
        if args.statistics && format == Format::Json {
            return statistics_json(&report, out);
        }
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

/// `--statistics --format json`: the JSON report with a `statistics` array added (count, rule,
/// severity and summary per rule, most first), so that the report's shape is unchanged.
fn statistics_json(report: &podlint::Report, out: &mut dyn Write) -> io::Result<()> {
    let mut bytes = Vec::new();
    report::json::render(report, &mut bytes)?;
    let rows: Vec<serde_json::Value> = report::statistics::counts(report)
        .into_iter()
        .map(|(count, rule, severity)| {
            let summary = rules::find(rule).map_or("", |r| r.meta().summary);
            serde_json::json!({"rule": rule, "severity": severity.as_str(), "count": count, "summary": summary})
        })
        .collect();
    let statistics = serde_json::to_string(&rows).map_err(io::Error::other)?;
    // The document is one object: the field goes before its closing brace, leaving the rest of
    // the report byte for byte as `--format json` prints it.
    let text = String::from_utf8_lossy(&bytes);
    let body = text.trim_end().strip_suffix('}').ok_or_else(|| io::Error::other("the JSON report is not an object"))?;
    writeln!(out, "{body},\"statistics\":{statistics}}}")
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

/// The workspace of the command line's paths, with standard input read when `-` is among them.
fn workspace(paths: &[String], settings: Settings) -> Workspace {
    let (inputs, mut errors) = podlint::workspace::inputs(paths, &settings);
    let inputs = inputs
        .into_iter()
        .filter_map(|input| {
            if input != Input::Stdin {
                return Some(input);
            }
            let mut bytes = Vec::new();
            match std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes) {
                Ok(_) => Some(Input::memory(&settings.stdin_name, bytes)),
                Err(e) => {
                    errors.push(format!("standard input: {}", describe_io(&e)));
                    None
                }
            }
        })
        .collect();
    let mut workspace = Workspace::new(settings, inputs);
    workspace.add_errors(errors);
    workspace
}

enum Fixing {
    /// Fixes were written: report what remains.
    Report(podlint::Report),
    /// Nothing to report (`--diff`), or a usage error.
    Done(ExitCode),
}

/// `--fix` and `--diff` (src/fix.rs does the fixing): print the diffs, or the fixed standard
/// input, and report what remains.
fn fix_files(args: &podlint::cli::LintArgs, settings: Settings) -> Fixing {
    if args.paths.len() > 1 && args.paths.iter().any(|p| p == "-") {
        return Fixing::Done(usage_error("--fix and --diff take standard input only on its own"));
    }
    let stdin = args.paths == ["-"];
    let mut workspace = workspace(&args.paths, settings);
    let outcome = podlint::fix::fix_workspace(&mut workspace, args.unsafe_fixes, args.diff);
    for diff in &outcome.diffs {
        print!("{diff}");
    }
    if stdin && !args.diff {
        // Standard input's text goes back out, fixed or not.
        let name = workspace.settings().stdin_name.clone();
        match outcome.texts.first() {
            Some((_, text)) => print!("{text}"),
            None => match workspace.text_of(&name) {
                Ok((text, _)) => print!("{text}"),
                Err(message) => eprintln!("podlint: error: {message}"),
            },
        }
    }
    for why in &outcome.refused {
        eprintln!("podlint: {why}");
    }
    if args.diff {
        for error in &outcome.errors {
            eprintln!("podlint: error: {error}");
        }
        let code = if !outcome.errors.is_empty() {
            EXIT_USAGE
        } else if outcome.changed {
            EXIT_FINDINGS
        } else {
            0
        };
        return Fixing::Done(ExitCode::from(code));
    }
    let mut report = workspace.into_report();
    report.errors.extend(outcome.errors);
    report.fixing = true;
    report.fixed = outcome.fixed;
    Fixing::Report(report)
}

/// The custom rules of the configuration that applies in the current folder: `podlint rules`
/// lists them and `podlint explain` explains them like built-in rules.
fn custom_rules_here() -> Result<podlint::admission::custom::CustomRules, String> {
    let working_dir = std::env::current_dir().map_err(|e| format!("the current folder: {}", describe_io(&e)))?;
    match podlint::config::discover(&working_dir) {
        Some(path) => Ok(podlint::config::load(&path)?.custom_rules),
        None => Ok(Default::default()),
    }
}

fn print_rules() -> ExitCode {
    let custom = match custom_rules_here() {
        Ok(custom) => custom,
        Err(message) => return usage_error(&message),
    };
    let metas: Vec<&rules::RuleMeta> = rules::all().iter().map(|r| r.meta()).chain(custom.metas()).collect();
    let mut out = String::new();
    let id_width = metas.iter().map(|m| m.id.len()).max().unwrap_or(2);
    out.push_str(&format!("{:<id_width$} {:<9} {:<16} {:<7} {}\n", "ID", "SEVERITY", "CATEGORY", "FIX", "SUMMARY"));
    for meta in metas {
        let fix = match meta.fix {
            rules::FixAvailability::None => "-",
            rules::FixAvailability::Safe => "safe",
            rules::FixAvailability::Unsafe => "unsafe",
            rules::FixAvailability::Mixed => "mixed",
        };
        let preview = match meta.status {
            rules::Status::Stable => "",
            rules::Status::Preview => " (preview: --preview)",
            rules::Status::OptIn => " (opt-in: --select it)",
        };
        out.push_str(&format!(
            "{:<id_width$} {:<9} {:<16} {:<7} {}{preview}\n",
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
    let custom = match custom_rules_here() {
        Ok(custom) => custom,
        Err(message) => return usage_error(&message),
    };
    let known = rules::all().iter().map(|r| r.meta()).chain(custom.metas()).find(|m| m.id == id);
    match known {
        Some(meta) => {
            print!("{}", rules::options::page(meta));
            ExitCode::SUCCESS
        }
        None => explain_unknown(id),
    }
}

fn explain_unknown(id: &str) -> ExitCode {
    match rules::find(id).filter(|r| rules::is_builtin(r.meta().id)) {
        Some(rule) => {
            print!("{}", rules::options::page(rule.meta()));
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
