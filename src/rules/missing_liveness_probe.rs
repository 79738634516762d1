use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::{ContainerKind, Object};

pub struct MissingLivenessProbe;

static META: RuleMeta = RuleMeta {
    id: "missing-liveness-probe",
    severity: Severity::Warning,
    category: Category::Reliability,
    summary: "A container of a long-running workload has no liveness probe",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-liveness-probe.md"),
    whole_object: true,
    ..RuleMeta::DEFAULTS
};

impl Rule for MissingLivenessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        report_missing_probe(
            object,
            cx,
            &META,
            "livenessProbe",
            "liveness",
            "add a `livenessProbe` (httpGet, tcpSocket, grpc or exec) so that the kubelet restarts the \
             container when it stops responding",
        );
    }
}

/// Shared with missing-readiness-probe: the same containers need both probes.
pub(super) fn report_missing_probe(
    object: &Object<'_, '_>,
    cx: &mut Context<'_>,
    meta: &'static RuleMeta,
    key: &str,
    what: &str,
    help: &str,
) {
    // Jobs and CronJobs run to completion and serve no traffic: a hung batch pod is their
    // deadline's business.
    if !object.is_long_running() {
        return;
    }
    let Some(template) = object.pod_template() else { return };
    for container in template.containers() {
        // Init containers, native sidecars included, and ephemeral debug containers are not what
        // the workload exists to run.
        if container.kind != ContainerKind::App {
            continue;
        }
        // `get` takes a miscased `livenessprobe:` as the probe: the schema stage reports the
        // spelling, and a second finding saying the probe is missing would be wrong.
        if container.node.get(key).is_some_and(|p| !p.is_null()) {
            continue;
        }
        cx.report(meta, container.anchor(), format!("{} has no {what} probe", container.describe())).help(help);
    }
}
