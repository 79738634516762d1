use super::common::links::{is_placeholder, place_of};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{Target, VOLUME_CLAIM};
use crate::index::{IndexView, ObjectClass, PodsAtOnce};

pub struct ReadWriteOnceClaim;

static META: RuleMeta = RuleMeta {
    id: "read-write-once-claim",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "A ReadWriteOnce claim is mounted by a workload that runs several pods at once",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/read-write-once-claim.md"),
    scope: Scope::Run,
    needs: &[ObjectClass::Pods],
    references: &[&VOLUME_CLAIM],
    ..RuleMeta::DEFAULTS
};

/// Access modes that let pods on several nodes mount the volume.
const SHARED_MODES: &[&str] = &["ReadWriteMany", "ReadOnlyMany"];

impl Rule for ReadWriteOnceClaim {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        let pods = index.pod_subjects();
        cx.each(
            &pods,
            || (),
            |pod, _, cx| {
                let object = index.object(pod);
                let Some(at_once) = object.pod.as_ref().map(|p| p.at_once) else { return };
                let runs = match at_once {
                    PodsAtOnce::One => return,
                    PodsAtOnce::Count(n) => format!("runs {n} pods at once"),
                    PodsAtOnce::EveryNode => "runs a pod on every node".to_string(),
                };
                let what = object.info.label().unwrap_or_else(|| "the workload".to_string());
                for reference in object.references_of(&VOLUME_CLAIM) {
                    let Target::Name(name) = &reference.target else { continue };
                    if is_placeholder(name) || object.facts.templated_claims.contains(name) {
                        continue;
                    }
                    let claims = index.named("PersistentVolumeClaim", object.namespace(), name);
                    // Overlays may write the claim twice: judged only when every version is
                    // single-node, and only by modes that are written.
                    let modes = |id: &crate::index::ObjectId| &index.object(*id).facts.access_modes;
                    let single_node = |id: &crate::index::ObjectId| {
                        let modes = modes(id);
                        !modes.is_empty() && !modes.iter().any(|m| SHARED_MODES.contains(&m.as_str()))
                    };
                    let Some(&claim) = claims.first() else { continue };
                    if !claims.iter().all(single_node) {
                        continue;
                    }
                    let once_pod = claims.iter().any(|id| modes(id).iter().any(|m| m == "ReadWriteOncePod"));
                    let message = if once_pod {
                        format!(
                            "claim `{name}` is ReadWriteOncePod and {what} {runs}: only one pod can use it, so the others stay Pending"
                        )
                    } else {
                        format!(
                            "claim `{name}` is ReadWriteOnce and {what} {runs}: pods scheduled on another node cannot attach it (Multi-Attach error) and never start"
                        )
                    };
                    cx.report(&META, pod, &reference.at, message, || {
                        Some(format!(
                            "the claim is at {}; give each pod its own claim (a StatefulSet's volumeClaimTemplates), use storage that offers ReadWriteMany, or run one pod",
                            place_of(index, claim)
                        ))
                    });
                }
            },
        );
    }
}
