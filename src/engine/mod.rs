//! The engine: what one run checks with, and the order it checks in. Per file, in parallel
//! (`file`): load, collect suppressions, schema stage, per-object rules, the file's part of the
//! object index. Then across the run (`run_rules`): the rules that read the index. Then per file
//! again (`finish`): suppressions, per-file ignores, sorting, one finding per mistake.
//!
//! The engine holds no files: `Workspace` (src/workspace.rs) owns the inputs and what each file
//! produced, and asks the engine to check a file or the whole index again.
pub mod file;
pub mod finish;
mod markdown;
pub mod run_rules;

use crate::context::RunContext;
use crate::index::ObjectClass;
use crate::index::references::{Points, ReferenceRow, Source};
use crate::rules::{self, Rule, Scope};
use crate::schema::Catalog;
use crate::settings::Settings;

/// The rules of a run, decided once from the settings.
pub struct ActiveRules {
    pub per_object: Vec<&'static dyn Rule>,
    pub per_run: Vec<&'static dyn Rule>,
    /// Every rule that can report in this run, in registry order.
    pub ids: Vec<&'static str>,
    /// The references the run rules read: only these are extracted.
    pub references: Vec<&'static ReferenceRow>,
    /// Whether the index keeps the facts of pods (labels, port names).
    pub pods: bool,
    /// Kinds the run rules look up or read references from; other objects stay out of the
    /// index, which then costs memory in proportion to what the rules use.
    pub kinds: Vec<&'static str>,
}

impl ActiveRules {
    pub fn new(settings: &Settings) -> Self {
        let active: Vec<&'static dyn Rule> =
            rules::all().iter().copied().filter(|r| settings.severity_of(r.meta()).is_some()).collect();
        let (per_run, per_object): (Vec<_>, Vec<_>) = active.iter().partition(|r| r.meta().scope == Scope::Run);
        let mut references: Vec<&'static ReferenceRow> = Vec::new();
        for row in per_run.iter().flat_map(|r: &&'static dyn Rule| r.meta().references) {
            if !references.iter().any(|known| std::ptr::eq(*known, *row)) {
                references.push(row);
            }
        }
        let pods = per_run.iter().any(|r| r.meta().needs.contains(&ObjectClass::Pods));
        let mut kinds: Vec<&'static str> = Vec::new();
        for row in &references {
            if let Source::Kind(kind) = row.source {
                kinds.push(kind);
            }
            match row.points {
                Points::Named(kind) => kinds.push(kind),
                Points::Written(written) => kinds.extend_from_slice(written),
                Points::Pods | Points::PortOfSelectedPods => {}
            }
        }
        for class in per_run.iter().flat_map(|r| r.meta().needs) {
            if let ObjectClass::Kind(kind) = class {
                kinds.push(kind);
            }
        }
        kinds.extend(per_run.iter().flat_map(|r| r.meta().looks_up));
        kinds.sort_unstable();
        kinds.dedup();
        let ids = active.iter().map(|r| r.meta().id).collect();
        ActiveRules { ids, per_object, per_run, references, pods, kinds }
    }

    /// Whether the run rules can use this object: a pod (when they need pods), a custom
    /// resource (an operator may make pods from it), or an object of a kind they read.
    pub fn indexes(&self, kind: Option<&str>, makes_pods: bool, custom: bool) -> bool {
        (self.pods && (makes_pods || custom)) || kind.is_some_and(|k| self.kinds.contains(&k))
    }

    pub fn is_active(&self, id: &str) -> bool {
        self.ids.contains(&id)
    }

    /// Whether the run keeps an object index at all.
    pub fn indexing(&self) -> bool {
        !self.per_run.is_empty()
    }
}

/// Everything a run checks with: settings, rules, schemas and the run context.
pub struct Engine {
    pub settings: Settings,
    pub rules: ActiveRules,
    pub catalog: Option<Catalog>,
    pub context: RunContext,
}

impl Engine {
    /// The engine for a run over inputs whose context has been gathered.
    pub fn new(settings: Settings, mut context: RunContext) -> Engine {
        let rules = ActiveRules::new(&settings);
        let mut catalog = settings.schema.then(|| {
            let locations = settings.schema_locations.clone();
            Catalog::new(settings.kubernetes_version, locations, settings.cache_dir.clone())
        });
        if let Some(catalog) = &mut catalog {
            for (api_version, kind, schema) in std::mem::take(&mut context.crds) {
                catalog.add_crd(api_version, kind, schema);
            }
        }
        // Every policy expression is compiled here, once per run.
        if !context.admission.policies.is_empty() {
            let labels = context.namespaces.iter().map(|(name, facts)| (name.clone(), facts.labels.clone())).collect();
            let policies = crate::admission::PolicySet::compile(&context.admission, labels);
            context.policies = Some(std::sync::Arc::new(policies));
        }
        Engine { settings, rules, catalog, context }
    }
}
