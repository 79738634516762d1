use rustc_hash::FxHashSet;

use super::common::workload::{POD_KINDS, PROBE_KINDS, PROBE_NATIVE_SIDECARS, unprobed};
use super::{Category, Context, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{SERVICE_SELECTOR, Target};
use crate::index::{IndexView, ObjectClass, ObjectId};
use crate::object::Object;

pub struct MissingReadinessProbe;

static META: RuleMeta = RuleMeta {
    id: "missing-readiness-probe",
    severity: Severity::Warning,
    category: Category::Reliability,
    summary: "A container of a long-running workload has no readiness probe",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-readiness-probe.md"),
    whole_object: true,
    options: &[&PROBE_KINDS, &PROBE_NATIVE_SIDECARS],
    // A run rule: whether a Service sends the pods traffic is a question about the whole run.
    scope: Scope::Run,
    needs: &[ObjectClass::Pods],
    references: &[&SERVICE_SELECTOR],
    ..RuleMeta::DEFAULTS
};

impl Rule for MissingReadinessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Held until `check_run` knows whether a Service selects the object's pods.
    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let options = cx.options(&META);
        for container in
            unprobed(object, "readinessProbe", options.strings(&PROBE_KINDS), options.flag(&PROBE_NATIVE_SIDECARS))
        {
            cx.report(&META, container.anchor(), format!("{} has no readiness probe", container.describe())).help(
                "add a `readinessProbe` so that Services send traffic to the pod only once the container \
                 can serve it, and stop while it cannot",
            );
        }
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        if !cx.has_input(&META, index) {
            return;
        }
        let served = served_pods(index);
        // Only objects `kinds` admits hold findings; asking every kind that makes pods keeps a
        // Pod that runs to completion (judged as a `Job`) in view.
        let mut subjects: Vec<ObjectId> = POD_KINDS.iter().flat_map(|k| index.subjects(k)).collect();
        subjects.sort_unstable();
        cx.each(
            &subjects,
            || (),
            |id, _, cx| {
                if served.as_ref().is_some_and(|served| !served.contains(&id)) {
                    return;
                }
                for held in index.object(id).held_of(META.id) {
                    cx.release(&META, id, held);
                }
            },
        );
    }
}

/// The pods some Service of the run selects; `None` when the run holds no Service, so that
/// which workloads take traffic cannot be told (a run of Deployments kept apart from their
/// Services would otherwise look unserved). One selection per Service, through the index's
/// lookup by the selector's rarest pair: the same work service-selector does, and shared with it.
fn served_pods(index: &IndexView<'_>) -> Option<FxHashSet<ObjectId>> {
    use rayon::prelude::*;
    let services = index.objects_of("Service");
    // A patch of a Service names what it changes: the Service it patches may be outside the
    // run. Its selector still counts (merged, the Service selects no more than it does).
    if !services.iter().any(|&id| index.object(id).complete) {
        return None;
    }
    let selected: Vec<Vec<ObjectId>> = services
        .par_iter()
        .map(|&service| {
            let object = index.object(service);
            // A Service without a selector (its endpoints kept by hand) or of type ExternalName
            // selects nothing: it has no reference row.
            object
                .references_of(&SERVICE_SELECTOR)
                .filter_map(|reference| match &reference.target {
                    Target::Selector(selector) => Some(index.select(object.namespace(), selector).pods.clone()),
                    _ => None,
                })
                .flatten()
                .collect()
        })
        .collect();
    Some(selected.into_iter().flatten().collect())
}
