use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::object::Container;
use crate::yaml::Node;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-privilege-escalation",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A container does not set allowPrivilegeEscalation: false (Pod Security restricted)",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../rules/pod-security-privilege-escalation.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "allowPrivilegeEscalation",
    rule: &META,
    level: Level::Restricted,
    versions: &[(8, escalation_1_8), (25, escalation_1_25)],
    overrides: &[],
};

fn escalation_1_8(pod: &Pod<'_, '_>, found: &mut Violations) {
    for container in &pod.containers {
        let entry = pss::field(pss::security_context(container), &["allowPrivilegeEscalation"]);
        if entry.is_some_and(|e| e.value.as_bool() == Some(false)) {
            continue;
        }
        let set = entry.filter(|e| !e.value.is_null());
        let violation = found.push(
            set.map_or_else(|| pss::container_anchor(container), |e| e.key.span),
            "allowPrivilegeEscalation != false",
            format!("{} must set securityContext.allowPrivilegeEscalation=false", pss::container(container)),
            "set `allowPrivilegeEscalation: false` under the container's `securityContext`: setuid programs and file \
             capabilities then cannot gain more privileges than the process started with",
        );
        // The API server refuses `allowPrivilegeEscalation: false` beside `privileged: true` or an
        // added CAP_SYS_ADMIN: those must go first, which is no mechanical edit.
        if !escalates_anyway(container) {
            violation.fix(pss::container_fix(pod, container, &["allowPrivilegeEscalation"], "false"));
        }
        if set.is_none() {
            violation.absent();
        }
    }
}

fn escalation_1_25(pod: &Pod<'_, '_>, found: &mut Violations) {
    // A Linux notion: Windows pods are not asked for it.
    if !pod.is_windows() {
        escalation_1_8(pod, found);
    }
}

fn escalates_anyway(container: &Container<'_, '_>) -> bool {
    let security_context = pss::security_context(container);
    let privileged = pss::field(security_context, &["privileged"]).is_some_and(|e| e.value.as_bool() == Some(true));
    let added = security_context.and_then(|sc| sc.path(&["capabilities", "add"])).map_or(&[][..], Node::items);
    privileged || added.iter().any(|c| matches!(pss::text(c), "SYS_ADMIN" | "CAP_SYS_ADMIN"))
}
