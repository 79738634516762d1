use super::common::links::{MissingName, is_placeholder, place_of, report_missing_name};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::IndexView;
use crate::index::references::{STATEFUL_SET_SERVICE, Target};

pub struct StatefulsetService;

static META: RuleMeta = RuleMeta {
    id: "statefulset-service",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "A StatefulSet's serviceName names no Service in the run, or one that is not headless",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/statefulset-service.md"),
    scope: Scope::Run,
    references: &[&STATEFUL_SET_SERVICE],
    ..RuleMeta::DEFAULTS
};

impl Rule for StatefulsetService {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        let sets = index.subjects("StatefulSet");
        cx.each(
            &sets,
            || (),
            |set, _, cx| {
                let object = index.object(set);
                let namespace = object.namespace();
                let Some(reference) = object.references_of(&STATEFUL_SET_SERVICE).next() else { return };
                let Target::Name(name) = &reference.target else { return };
                // Recent versions accept an empty `serviceName`: no governing Service, by choice.
                if name.is_empty() || is_placeholder(name) {
                    return;
                }
                let found = index.named("Service", namespace, name);
                if found.is_empty() {
                    let missing = MissingName {
                        rule: &META,
                        kind: "Service",
                        name,
                        consequence: "the pods get no stable DNS names (`<pod>.<service>`)",
                        remedy: "suppress the finding",
                    };
                    report_missing_name(index, cx, set, namespace, reference, missing);
                    return;
                }
                if found.iter().any(|&id| index.object(id).facts.headless) {
                    return;
                }
                let message = format!(
                    "Service `{name}` is not headless (it sets no `clusterIP: None`), so the StatefulSet's pods get no DNS names of their own (`<pod>.{name}`)"
                );
                let service = found[0];
                cx.report(&META, set, &reference.at, message, || {
                    Some(format!(
                        "add `clusterIP: None` to Service `{name}` ({}), or point `serviceName` at a headless Service that selects these pods",
                        place_of(index, service)
                    ))
                });
            },
        );
    }
}
