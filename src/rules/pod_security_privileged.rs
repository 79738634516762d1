use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-privileged",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A container runs privileged (Pod Security baseline)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-privileged.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck =
    PolicyCheck { id: "privileged", rule: &META, level: Level::Baseline, versions: &[(0, privileged)], overrides: &[] };

fn privileged(pod: &Pod<'_, '_>, found: &mut Violations) {
    for container in &pod.containers {
        let Some(entry) = pss::field(pss::security_context(container), &["privileged"]) else { continue };
        if entry.value.as_bool() == Some(true) {
            found.push(
                entry.key.span,
                "privileged",
                format!("{} must not set securityContext.privileged=true", pss::container(container)),
                "remove `privileged: true`: a privileged container holds every capability and the node's devices, so \
                 escaping to the node is one step; add only the capabilities the process needs",
            );
        }
    }
}
