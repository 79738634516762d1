//! Rules whose ids are known only at run time: one per ValidatingAdmissionPolicy
//! (`policy/<name>`) and one per custom rule of `.podlint.yaml`.
//!
//! Every stage after a rule reports (settings, suppressions, reports) names a rule by a
//! `&'static RuleMeta` or a `&'static str`. Rather than widen those types for a few ids, each
//! distinct rule is interned: its metadata is leaked once per process and shared by every run
//! after. What leaks is bounded by the distinct ids a process ever sees (the policies and
//! custom rules of the repositories it lints, and the `policy/…` names suppression comments
//! write), a few hundred bytes each; an editor's server that lints one repository for hours
//! leaks nothing more after its first run.
use std::sync::{Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Category, Rule, RuleMeta};
use crate::finding::Severity;

/// The prefix of the rule id of a ValidatingAdmissionPolicy's findings.
pub const POLICY_PREFIX: &str = "policy/";

struct Dynamic(&'static RuleMeta);

impl Rule for Dynamic {
    fn meta(&self) -> &'static RuleMeta {
        self.0
    }
}

/// What defines a dynamic rule; two runs with the same definition share one interned meta.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Definition {
    pub id: String,
    pub severity: Severity,
    pub category: Category,
    pub summary: String,
    pub doc: String,
}

#[derive(Default)]
struct Registry {
    /// Every definition interned, for reuse.
    by_definition: FxHashMap<Definition, &'static Dynamic>,
    /// The latest definition of each id: what `rules::find` answers.
    by_id: FxHashMap<&'static str, &'static Dynamic>,
    /// Ids written in suppressions and selectors, interned without a rule behind them.
    ids: FxHashSet<&'static str>,
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(Mutex::default)
}

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_string().into_boxed_str())
}

/// The metadata of a rule defined at run time, interned.
pub fn register(definition: Definition) -> &'static RuleMeta {
    let mut registry = registry().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(known) = registry.by_definition.get(&definition) {
        let known = *known;
        registry.by_id.insert(known.0.id, known);
        return known.0;
    }
    let id = registry.ids.get(definition.id.as_str()).copied().unwrap_or_else(|| leak(&definition.id));
    registry.ids.insert(id);
    let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
        id,
        severity: definition.severity,
        category: definition.category,
        summary: leak(&definition.summary),
        doc: leak(&definition.doc),
        ..RuleMeta::DEFAULTS
    }));
    let rule: &'static Dynamic = Box::leak(Box::new(Dynamic(meta)));
    registry.by_definition.insert(definition, rule);
    registry.by_id.insert(id, rule);
    meta
}

/// The latest rule registered under `id`.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    let registry = registry().lock().unwrap_or_else(|p| p.into_inner());
    registry.by_id.get(id).map(|r| *r as &'static dyn Rule)
}

/// Whether `id` names a policy's findings: `policy/` and a Kubernetes object name.
pub fn is_policy_id(id: &str) -> bool {
    id.strip_prefix(POLICY_PREFIX).is_some_and(|name| {
        !name.is_empty()
            && name.len() <= 253
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    })
}

/// `id` as a `'static` string, leaked once per distinct id.
pub fn intern_id(id: &str) -> &'static str {
    let mut registry = registry().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(known) = registry.ids.get(id) {
        return known;
    }
    let leaked = leak(id);
    registry.ids.insert(leaked);
    leaked
}

/// The metadata of a policy's findings: `policy/<name>`. A finding carries the severity its
/// binding's `validationActions` give it; the rule's own severity is the Deny one.
pub fn policy_meta(name: &str) -> &'static RuleMeta {
    let id = format!("{POLICY_PREFIX}{name}");
    register(Definition {
        summary: format!("ValidatingAdmissionPolicy `{name}` rejects the object"),
        doc: format!(
            "# {id}\n\nFindings of the ValidatingAdmissionPolicy `{name}`, evaluated offline as the API server would on CREATE.\n\n\
             ## What it does\nSee the policy's own `validations`; the README's section \"Your own rules\" explains how policies are evaluated.\n\n\
             ## Why\nThe API server would refuse (Deny), warn about (Warn) or record (Audit) the object.\n\n\
             ## How to fix\nChange the object so that the policy's expressions hold.\n\n## Example\nSee the policy.\n"
        ),
        id,
        severity: Severity::Error,
        category: Category::AdmissionPolicy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_interned_once_and_found_by_id() {
        let definition = Definition {
            id: "team-label-dyn-test".into(),
            severity: Severity::Warning,
            category: Category::Custom,
            summary: "s".into(),
            doc: "# team-label-dyn-test\n".into(),
        };
        let a = register(definition.clone());
        let b = register(definition);
        assert!(std::ptr::eq(a, b));
        assert!(find("team-label-dyn-test").is_some_and(|r| std::ptr::eq(r.meta(), a)));
        assert!(std::ptr::eq(intern_id("team-label-dyn-test"), a.id));
        assert!(is_policy_id("policy/replicas.example.com"));
        assert!(!is_policy_id("policy/"));
        assert!(!is_policy_id("policy/Bad_Name"));
        assert!(std::ptr::eq(policy_meta("p1"), policy_meta("p1")));
    }
}
