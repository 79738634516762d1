use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;

/// Raised by the engine for a file the user named that holds no Kubernetes object: a tool's
/// config, a Helm template, JSON with comments. Files found by walking a folder are skipped
/// without it, since a repository holds many such files.
pub static NOT_A_MANIFEST: RuleMeta = RuleMeta {
    id: "not-a-manifest",
    severity: Severity::Info,
    category: Category::Syntax,
    summary: "A file named on the command line holds no Kubernetes object, so nothing in it was linted",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/not-a-manifest.md"),
    ..RuleMeta::DEFAULTS
};
