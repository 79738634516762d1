//! podlint: lint and validate Kubernetes manifests.
//!
//! The pipeline, one module per stage: `source` (find and read files) → `yaml` (span-carrying
//! tree) → `object` (Kubernetes objects in it) → `engine` (per file: schema stage and per-object
//! `rules`; then the rules that read the object `index` across the run; then `suppress`ions and
//! finishing) → `report` (text, json, …). `context` holds what every file may need to know about
//! the others (CRDs, Namespaces, kustomizations); `workspace` holds the inputs and what each file
//! produced, so that one file can be checked again; `settings` resolves the configuration and
//! command line; `fix` applies fixes.
pub mod admission;
pub mod cel;
pub mod cli;
pub mod config;
pub mod context;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod helm;
pub mod index;
pub mod k8s;
pub mod kustomize;
pub mod lsp;
pub mod object;
pub mod output;
pub mod report;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod workspace;
pub mod yaml;

use settings::Settings;
use source::Input;
pub use workspace::{Report, Workspace};

/// Lints the files and folders named in `paths`. Standard input (`-`) is the caller's to read:
/// pass it as `Input::Memory` to `Workspace::new`.
pub fn lint(paths: &[String], settings: &Settings) -> Report {
    Workspace::from_paths(paths, settings.clone()).into_report()
}

/// Lints in-memory files, as if they had been read from disk under these names.
pub fn lint_memory(files: &[(&str, &[u8])], settings: &Settings) -> Report {
    let inputs = files.iter().map(|(name, bytes)| Input::memory(name, *bytes)).collect();
    Workspace::new(settings.clone(), inputs).into_report()
}
