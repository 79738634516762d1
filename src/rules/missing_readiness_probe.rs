use super::missing_liveness_probe::report_missing_probe;
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
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
    ..RuleMeta::DEFAULTS
};

impl Rule for MissingReadinessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        report_missing_probe(
            object,
            cx,
            &META,
            "readinessProbe",
            "readiness",
            "add a `readinessProbe` so that Services send traffic to the pod only once the container \
             can serve it, and stop while it cannot",
        );
    }
}
