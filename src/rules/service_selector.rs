use rustc_hash::FxHashMap;

use super::common::links::labels_text;
use super::common::selector_help::{Plan, PlanKey, made_by_the_cluster, plan, render, within};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{SERVICE_SELECTOR, Target};
use crate::index::{IndexView, ObjectClass};

pub struct ServiceSelector;

static META: RuleMeta = RuleMeta {
    id: "service-selector",
    severity: Severity::Warning,
    category: Category::Networking,
    summary: "A Service's selector matches no pod among the linted files",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/service-selector.md"),
    scope: Scope::Run,
    // Without a single workload the run is a slice of the manifests (Services kept apart from
    // Deployments, say), and every Service would look unmatched.
    needs: &[ObjectClass::Pods],
    references: &[&SERVICE_SELECTOR],
    ..RuleMeta::DEFAULTS
};

impl Rule for ServiceSelector {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        if !cx.has_input(&META, index) {
            return;
        }
        let services = index.subjects("Service");
        cx.each(&services, FxHashMap::<PlanKey<'_>, Plan>::default, |service, plans, cx| {
            let object = index.object(service);
            let namespace = object.namespace();
            for reference in object.references_of(&SERVICE_SELECTOR) {
                let Target::Selector(selector) = &reference.target else { continue };
                // Pods an operator makes from a custom resource of the run, and the cluster's own,
                // are in no manifest.
                if !index.select(namespace, selector).pods.is_empty()
                    || index.operated_by(namespace, selector).is_some()
                    || made_by_the_cluster(namespace, selector)
                {
                    continue;
                }
                let within = within(namespace);
                let message = format!(
                    "the selector {} matches no pod{within} among the linted files, so the Service has no endpoints",
                    labels_text(selector)
                );
                cx.report(&META, service, &reference.at, message, || {
                    let plan = plans.entry((namespace, selector)).or_insert_with(|| plan(index, namespace, selector));
                    Some(render(index, plan, service, namespace, "a Service"))
                });
            }
        });
    }
}
