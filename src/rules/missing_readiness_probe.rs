use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::{ContainerKind, Object};

pub struct MissingReadinessProbe;

static META: RuleMeta = RuleMeta {
    id: "missing-readiness-probe",
    severity: Severity::Warning,
    category: Category::Reliability,
    summary: "A container of a long-running workload has no readiness probe",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-readiness-probe.md"),
};

impl Rule for MissingReadinessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        // Jobs and CronJobs run to completion and serve no traffic.
        if !object.is_long_running() {
            return;
        }
        let Some(template) = object.pod_template() else { return };
        for container in template.containers() {
            // Init containers, native sidecars included, and ephemeral debug containers are
            // not what the workload exists to run.
            if container.kind != ContainerKind::App {
                continue;
            }
            // `get` takes a miscased `readinessprobe:` as the probe: the schema stage reports the
            // spelling, and a second finding saying the probe is missing would be wrong.
            if container.node.get("readinessProbe").is_some_and(|p| !p.is_null()) {
                continue;
            }
            cx.report(&META, container.anchor(), format!("{} has no readiness probe", container.describe())).help(
                "add a `readinessProbe` so that Services send traffic to the pod only once the container \
                 can serve it, and stop while it cannot",
            );
        }
    }
}
