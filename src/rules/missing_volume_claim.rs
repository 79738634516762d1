use super::common::links::{MissingName, report_if_missing};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{Target, VOLUME_CLAIM};
use crate::index::{IndexView, ObjectClass};

pub struct MissingVolumeClaim;

static META: RuleMeta = RuleMeta {
    id: "missing-volume-claim",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "A pod mounts a PersistentVolumeClaim that is not in the run",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-volume-claim.md"),
    scope: Scope::Run,
    // The references are in pod specs; without this their objects would not enter the index.
    needs: &[ObjectClass::Pods],
    references: &[&VOLUME_CLAIM],
    ..RuleMeta::DEFAULTS
};

impl Rule for MissingVolumeClaim {
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
                let namespace = object.namespace();
                for reference in object.references_of(&VOLUME_CLAIM) {
                    let Target::Name(name) = &reference.target else { continue };
                    // The controller replaces such a volume by the pod's own claim.
                    if object.facts.templated_claims.contains(name) {
                        continue;
                    }
                    let missing = MissingName {
                        rule: &META,
                        kind: "PersistentVolumeClaim",
                        name,
                        consequence: "the pod stays Pending (persistentvolumeclaim not found)",
                        remedy: "suppress the finding",
                    };
                    report_if_missing(index, cx, pod, namespace, reference, missing);
                }
            },
        );
    }
}
