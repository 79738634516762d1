use super::common::workload::{PROBE_KINDS, PROBE_NATIVE_SIDECARS, unprobed};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;

pub struct MissingLivenessProbe;

static META: RuleMeta = RuleMeta {
    id: "missing-liveness-probe",
    severity: Severity::Warning,
    category: Category::Reliability,
    summary: "A container of a long-running workload has no liveness probe",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-liveness-probe.md"),
    whole_object: true,
    options: &[&PROBE_KINDS, &PROBE_NATIVE_SIDECARS],
    ..RuleMeta::DEFAULTS
};

impl Rule for MissingLivenessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let options = cx.options(&META);
        // Jobs, CronJobs and Pods that run to completion are left out by default: a hung batch
        // pod is its deadline's business.
        for container in
            unprobed(object, "livenessProbe", options.strings(&PROBE_KINDS), options.flag(&PROBE_NATIVE_SIDECARS))
        {
            cx.report(&META, container.anchor(), format!("{} has no liveness probe", container.describe())).help(
                "add a `livenessProbe` (httpGet, tcpSocket, grpc or exec) so that the kubelet restarts the \
                 container when it stops responding",
            );
        }
    }
}
