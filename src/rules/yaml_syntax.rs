use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;

/// Raised by the loader: text that is not YAML, not UTF-8, or beyond podlint's limits.
pub static YAML_SYNTAX: RuleMeta = RuleMeta {
    id: "yaml-syntax",
    severity: Severity::Error,
    category: Category::Syntax,
    summary: "The file is not valid YAML (or JSON), or exceeds podlint's limits",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/yaml-syntax.md"),
    ..RuleMeta::DEFAULTS
};
