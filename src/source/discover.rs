//! Turning the command line's paths into the list of files to lint.
use std::path::Path;

use ignore::WalkBuilder;

use super::chart;

/// One input of the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file named on the command line (or by a caller), with its path as reports show it.
    File(String),
    /// A file found by walking a folder. Whatever a repository holds is walked, so a file that
    /// is not a Kubernetes manifest is skipped without a word; a named one gets one `info`.
    /// A Helm template named on the command line (pre-commit names every staged file) is
    /// treated the same way: it is Go template text, not a manifest.
    Walked(String),
    /// `-` on the command line. The caller reads standard input and turns it into `Memory`;
    /// the engine never reads the process's standard input itself.
    Stdin,
    /// Text the caller holds: standard input, an editor's unsaved buffer, a test's file.
    Memory { name: std::sync::Arc<str>, bytes: std::sync::Arc<[u8]> },
}

impl Input {
    pub fn memory(name: &str, bytes: impl Into<std::sync::Arc<[u8]>>) -> Input {
        Input::Memory { name: name.into(), bytes: bytes.into() }
    }

    /// The name reports give it.
    pub fn name(&self) -> &str {
        match self {
            Input::File(path) | Input::Walked(path) => path,
            Input::Stdin => "-",
            Input::Memory { name, .. } => name,
        }
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    /// Paths that could not be used, each with a one-line reason.
    pub errors: Vec<String>,
}

const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

fn is_manifest_name(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "Kustomization")
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| MANIFEST_EXTENSIONS.iter().any(|m| m.eq_ignore_ascii_case(e)))
}

/// Files named on the command line are linted whatever their extension; folders are walked for
/// `*.yaml`, `*.yml` and `*.json`, honouring `.gitignore` and skipping hidden entries. Walks are
/// sorted so that output does not depend on the filesystem's order. In a Helm chart met by a
/// walk, only `Chart.yaml` (which stands for the chart) and the files Helm applies verbatim are
/// kept (see `chart::is_helm_input`).
pub fn discover(paths: &[String]) -> Discovered {
    discover_with(paths, false)
}

/// `discover`, with Markdown pages found in folders too when `markdown` is set (a walk does not
/// judge a repository's READMEs unless asked).
pub fn discover_with(paths: &[String], markdown: bool) -> Discovered {
    let mut found = Discovered::default();
    for arg in paths {
        if arg == "-" {
            found.inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(arg);
        match std::fs::metadata(path) {
            Err(e) => found.errors.push(format!("{arg}: {}", describe_io(&e))),
            Ok(meta) if meta.is_dir() => walk(arg, markdown, &mut found),
            Ok(meta) if meta.is_file() && chart::is_named_template(path) => {
                found.inputs.push(Input::Walked(arg.clone()))
            }
            Ok(meta) if meta.is_file() => found.inputs.push(Input::File(arg.clone())),
            // Reading a FIFO or a device could block forever or never end.
            Ok(_) => found.errors.push(format!("{arg}: not a regular file; skipped")),
        }
    }
    found
}

/// Walks a folder with many threads, then sorts: the same files in the same order as a sorted
/// walk (paths compare component by component). From a cold cache, reading folders is the
/// disk's latency, so many reads are kept in flight.
fn walk(root: &str, markdown: bool, found: &mut Discovered) {
    use std::sync::Mutex;
    let files: Mutex<Vec<std::path::PathBuf>> = Mutex::new(Vec::new());
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * WALKERS_PER_CORE;
    let walker =
        WalkBuilder::new(root).hidden(true).require_git(false).follow_links(false).threads(threads).build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            match entry {
                Err(e) => errors.lock().unwrap_or_else(|p| p.into_inner()).push(e.to_string()),
                Ok(entry)
                    if entry.depth() > 0
                        && (is_manifest_name(entry.path())
                            || markdown && super::markdown::is_markdown(&entry.path().to_string_lossy())) =>
                {
                    // Symlinks are not followed into folders (no loops), but a link to a regular
                    // file is a file like any other.
                    let is_file = match entry.file_type() {
                        Some(t) if t.is_file() => true,
                        Some(t) if t.is_symlink() => std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()),
                        _ => false,
                    };
                    if is_file {
                        files.lock().unwrap_or_else(|p| p.into_inner()).push(entry.into_path());
                    }
                }
                Ok(_) => {}
            }
            ignore::WalkState::Continue
        })
    });
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort();
    let charts = chart::Charts::find(Path::new(root), &files);
    files.retain(|file| !charts.is_helm_input(file));
    found.inputs.extend(files.into_iter().map(|path| Input::Walked(path.to_string_lossy().into_owned())));
    let mut errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    errors.sort();
    found.errors.extend(errors);
}

/// Walker threads per core (see `walk`).
const WALKERS_PER_CORE: usize = 8;

/// io::Error's Display adds "(os error 2)"; users want the reason only.
pub fn describe_io(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match error.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}
