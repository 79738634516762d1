use rustc_hash::FxHashMap;

use super::common::selector_help::{Plan, PlanKey, Selecting, report_unselected};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{PDB_SELECTOR, Target};
use crate::index::{IndexView, ObjectClass};

pub struct PdbSelector;

static META: RuleMeta = RuleMeta {
    id: "pdb-selector",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "A PodDisruptionBudget's selector matches no pod among the linted files",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pdb-selector.md"),
    scope: Scope::Run,
    // Without a single workload the run is a slice of the manifests, and every budget would
    // look unmatched.
    needs: &[ObjectClass::Pods],
    references: &[&PDB_SELECTOR],
    ..RuleMeta::DEFAULTS
};

const WORDS: Selecting<'static> = Selecting {
    rule: &META,
    kind: "a PodDisruptionBudget",
    what: "the selector",
    consequence: "the budget protects no pod and a node drain may evict every replica at once",
};

impl Rule for PdbSelector {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        if !cx.has_input(&META, index) {
            return;
        }
        let budgets = index.subjects("PodDisruptionBudget");
        cx.each(&budgets, FxHashMap::<PlanKey<'_>, Plan>::default, |budget, plans, cx| {
            let object = index.object(budget);
            for reference in object.references_of(&PDB_SELECTOR) {
                let Target::Selector(selector) = &reference.target else { continue };
                // `policy/v1beta1` stored `selector: {}` as a selector of nothing; `policy/v1`
                // made it select every pod of the namespace.
                if selector.is_empty() && object.info.api_version.as_deref() == Some("policy/v1beta1") {
                    let message = "in `policy/v1beta1` an empty selector selects no pod (unlike `policy/v1`, where it selects every pod of the namespace), so the budget protects no pod".to_string();
                    cx.report(&META, budget, &reference.at, message, || {
                        Some("select the pods to protect under `matchLabels`, or move to `policy/v1` (served since Kubernetes 1.21; `policy/v1beta1` is gone since 1.25), where `selector: {}` covers every pod of the namespace".to_string())
                    });
                    continue;
                }
                report_unselected(index, cx, plans, budget, reference, selector, &WORDS);
            }
        });
    }
}
