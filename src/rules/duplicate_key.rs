use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;

/// Raised by the loader, which sees every key of every mapping as it builds the tree.
pub static DUPLICATE_KEY: RuleMeta = RuleMeta {
    id: "duplicate-key",
    severity: Severity::Error,
    category: Category::Syntax,
    summary: "A mapping has the same key twice; only one value survives",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/duplicate-key.md"),
    ..RuleMeta::DEFAULTS
};
