//! The rule registry. One rule per file in this folder; each has a stable kebab-case id, a
//! default severity, a category and a doc page at `rules/<id>.md` (embedded for `podlint explain`).
use crate::check::inventory::Inventory;
use crate::finding::{Fix, Severity};
use crate::k8s::version::KubeVersion;
use crate::object::Object;
use crate::settings::Settings;
use crate::yaml::Span;

mod common;
mod deprecated_api;
mod duplicate_key;
mod field_case;
mod image_tag;
mod invalid_type;
mod invalid_value;
mod missing_required_field;
mod removed_api;
mod unknown_field;
mod unknown_kind;
pub mod unused_suppression;
mod yaml_syntax;

// Workload rules: probes, resources and units, containers per pod.
mod limit_below_request;
mod memory_units;
mod missing_liveness_probe;
mod missing_readiness_probe;
mod missing_resources;
mod multi_container_pod;
// Rules about links: selectors and the labels they pick, port names and their declarations.
mod probe_port;
mod selector_mismatch;
mod service_selector;
mod service_target_port;

pub use duplicate_key::DUPLICATE_KEY;
pub use unused_suppression::UNUSED_SUPPRESSION;
pub use yaml_syntax::YAML_SYNTAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Syntax,
    Schema,
    Api,
    Reliability,
    Resources,
    Images,
    Workloads,
    Networking,
    Suppression,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Schema => "schema",
            Category::Api => "api",
            Category::Reliability => "reliability",
            Category::Resources => "resources",
            Category::Images => "images",
            Category::Workloads => "workloads",
            Category::Networking => "networking",
            Category::Suppression => "suppression",
        }
    }
}

/// What `--fix` can do for a rule's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    /// Every fix keeps the manifest's meaning.
    Safe,
    /// Fixes change what is deployed; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Some findings have a safe fix, others an unsafe one.
    Mixed,
}

#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub summary: &'static str,
    pub fix: FixAvailability,
    /// The rule's page, `rules/<id>.md`.
    pub doc: &'static str,
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one object. Rules that look across objects leave this empty.
    fn check(&self, _object: &Object<'_, '_>, _cx: &mut Context<'_>) {}

    /// Checks the facts gathered from every file of the run.
    fn check_inventory(
        &self,
        _inventory: &Inventory,
        _out: &mut Vec<(usize, crate::finding::Finding)>,
        _settings: &Settings,
    ) {
    }

    /// Rules that need the whole run's inventory; podlint gathers it only when one is enabled.
    fn is_cross_object(&self) -> bool {
        false
    }

    /// Whether this run gave a cross-object rule what it needs to reach a verdict (a Service
    /// needs workloads to be matched against). When it did not, a suppression naming the rule
    /// is not called unused: in a run with more files the rule would have had its say.
    fn judged(&self, _inventory: &Inventory) -> bool {
        true
    }
}

/// A rule's metadata with no per-object check: rules raised by the loader or the schema stage.
struct Raised(&'static RuleMeta);

impl Rule for Raised {
    fn meta(&self) -> &'static RuleMeta {
        self.0
    }
}

static RULES: &[&dyn Rule] = &[
    &Raised(&YAML_SYNTAX),
    &Raised(&DUPLICATE_KEY),
    // Raised by the schema stage (src/schema), worded by their files here.
    &Raised(&field_case::META),
    &Raised(&unknown_field::META),
    &Raised(&invalid_type::META),
    &Raised(&missing_required_field::META),
    &Raised(&invalid_value::META),
    &Raised(&unknown_kind::META),
    &removed_api::RemovedApi,
    &deprecated_api::DeprecatedApi,
    &image_tag::ImageTag,
    // Workload rules.
    &missing_liveness_probe::MissingLivenessProbe,
    &missing_readiness_probe::MissingReadinessProbe,
    &missing_resources::MissingResources,
    &memory_units::MemoryUnits,
    &limit_below_request::LimitBelowRequest,
    &multi_container_pod::MultiContainerPod,
    // Rules about links.
    &selector_mismatch::SelectorMismatch,
    &probe_port::ProbePort,
    &service_selector::ServiceSelector,
    &service_target_port::ServiceTargetPort,
    // Raised by the suppression stage (src/suppress.rs).
    &Raised(&UNUSED_SUPPRESSION),
];

/// Every rule, in the order `podlint rules` lists them.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// Where a rule's page is published: `rules/<id>.md` in the repository.
pub fn doc_url(id: &str) -> String {
    format!("{}/blob/main/rules/{id}.md", env!("CARGO_PKG_REPOSITORY"))
}

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

/// Turns what the schema stage found into a finding of the rule it belongs to.
pub fn report_schema_issue(issue: &crate::schema::Issue, cx: &mut Context<'_>) {
    use crate::schema::Issue;
    match issue {
        Issue::KeyCase { .. } | Issue::ValueCase { .. } => field_case::report(issue, cx),
        Issue::UnknownField { .. } => unknown_field::report(issue, cx),
        Issue::InvalidType { .. } => invalid_type::report(issue, cx),
        Issue::MissingRequired { .. } => missing_required_field::report(issue, cx),
        Issue::InvalidValue { .. } => invalid_value::report(issue, cx),
        Issue::UnknownKind { .. } => unknown_kind::report(issue, cx),
    }
}

/// A finding as a rule makes it: located by span only; the engine adds file, object and
/// line:column.
#[derive(Debug)]
pub struct RawFinding {
    pub rule: &'static RuleMeta,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl RawFinding {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }
}

/// What a rule sees while checking one object: the run's settings, the file's text (for fixes
/// that must match its indentation and quoting) and a place for findings.
pub struct Context<'s> {
    pub settings: &'s Settings,
    pub text: &'s str,
    pub findings: Vec<RawFinding>,
}

impl<'s> Context<'s> {
    pub fn new(settings: &'s Settings, text: &'s str) -> Self {
        Context { settings, text, findings: Vec::new() }
    }

    pub fn target(&self) -> KubeVersion {
        self.settings.kubernetes_version
    }

    pub fn report(&mut self, rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> &mut RawFinding {
        self.findings.push(RawFinding { rule, span, message: message.into(), help: None, fix: None });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            let meta = rule.meta();
            assert!(seen.insert(meta.id), "duplicate id {}", meta.id);
            assert!(meta.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", meta.id);
            assert!(
                meta.doc.starts_with(&format!("# {}", meta.id)),
                "rules/{}.md must start with `# {}`",
                meta.id,
                meta.id
            );
            for section in ["## What it does", "## Why", "## How to fix", "## Example"] {
                assert!(meta.doc.contains(section), "rules/{}.md lacks {section}", meta.id);
            }
        }
    }
}
