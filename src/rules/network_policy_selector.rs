use rustc_hash::FxHashMap;

use super::common::selector_help::{Plan, PlanKey, Selecting, report_unselected};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{NETWORK_POLICY_SELECTOR, Target};
use crate::index::{IndexView, ObjectClass};

pub struct NetworkPolicySelector;

static META: RuleMeta = RuleMeta {
    id: "network-policy-selector",
    severity: Severity::Warning,
    category: Category::Networking,
    summary: "A NetworkPolicy's pod selector matches no pod among the linted files",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/network-policy-selector.md"),
    scope: Scope::Run,
    // Without a single workload the run is a slice of the manifests, and every policy would
    // look unmatched.
    needs: &[ObjectClass::Pods],
    references: &[&NETWORK_POLICY_SELECTOR],
    ..RuleMeta::DEFAULTS
};

const WORDS: Selecting<'static> = Selecting {
    rule: &META,
    kind: "a NetworkPolicy",
    what: "the pod selector",
    consequence: "the policy applies to no pod and isolates nothing",
};

impl Rule for NetworkPolicySelector {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        if !cx.has_input(&META, index) {
            return;
        }
        let policies = index.subjects("NetworkPolicy");
        cx.each(&policies, FxHashMap::<PlanKey<'_>, Plan>::default, |policy, plans, cx| {
            let object = index.object(policy);
            // `podSelector: {}` selects every pod of the namespace: `report_unselected` passes it.
            for reference in object.references_of(&NETWORK_POLICY_SELECTOR) {
                let Target::Selector(selector) = &reference.target else { continue };
                report_unselected(index, cx, plans, policy, reference, selector, &WORDS);
            }
        });
    }
}
