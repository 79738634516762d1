//! What the integration tests share: a scratch folder per test, the built podlint run as users
//! run it, its output read back, and the shared corpus when it is present.
// Every test file is a crate of its own and uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh folder for one test, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        // The process id sets apart test binaries run at once, the counter tests of one binary
        // that chose the same name; the crate name says which test file left a folder behind.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let folder = format!("podlint-{}-{name}-{}-{n}", env!("CARGO_CRATE_NAME"), std::process::id());
        let path = std::env::temp_dir().join(folder);
        // A run killed before its drop may have left this folder to a later process of the same id.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        // Canonical, so that it compares equal to the child's getcwd.
        TempDir(std::fs::canonicalize(&path).expect("canonical temp dir"))
    }

    /// Writes `contents` to `relative`, creating its folders, and returns the full path.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(&path, contents).expect("write");
        path
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.0.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// podlint with none of the colour or CI variables of the machine running the tests, which
/// would change its default format and colours.
pub fn podlint() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_podlint"));
    for var in ["NO_COLOR", "CLICOLOR_FORCE", "GITHUB_ACTIONS", "GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY"] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs podlint in `dir`, where the relative paths in `args` and the config search start.
pub fn run(args: &[&str], dir: &Path) -> Output {
    podlint().args(args).current_dir(dir).output().expect("podlint runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The report on standard output; when it is not JSON, the panic shows what was printed instead.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON output ({e}): {}{}", stdout(out), stderr(out)))
}

/// (file, rule, line, column) of every finding of a JSON report, in report order.
pub fn findings(report: &serde_json::Value) -> Vec<(String, String, u64, u64)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// `file:line:column rule`: one line per finding makes a failed comparison easy to read.
pub fn located(f: &podlint::finding::Finding) -> String {
    format!("{}:{}:{} {}", f.file, f.location.start.line, f.location.start.column, f.rule)
}

/// The shared corpus of real manifests beside the repository. It is not part of the repository,
/// so the tests that need it are skipped, saying so, where it is absent.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !dir.is_dir() {
        eprintln!("../shared/corpus not found; skipping");
        return None;
    }
    Some(dir)
}

pub fn is_manifest(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| ["yaml", "yml", "json"].contains(&e))
}

/// Files under `dir`, recursively, that `keep` accepts; a folder that cannot be read is skipped.
pub fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path, keep));
        } else if keep(&path) {
            out.push(path);
        }
    }
    out
}
