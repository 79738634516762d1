use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-proc-mount",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A container unmasks /proc (procMount other than Default)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-proc-mount.md"),
    ..RuleMeta::DEFAULTS
};

pub static BASELINE: PolicyCheck = PolicyCheck {
    id: "procMount",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, proc_mount), (35, baseline_1_35)],
    overrides: &[],
};

pub static RESTRICTED: PolicyCheck = PolicyCheck {
    id: "procMount_restricted",
    rule: &META,
    level: Level::Restricted,
    versions: &[(35, proc_mount)],
    overrides: &["procMount"],
};

fn proc_mount(pod: &Pod<'_, '_>, found: &mut Violations) {
    for container in &pod.containers {
        let Some(entry) = pss::field(pss::security_context(container), &["procMount"]) else { continue };
        let value = pss::text(&entry.value);
        // Null is unset; the controller compares any other value with Default.
        if entry.value.is_null() || value == "Default" {
            continue;
        }
        found.push(
            entry.key.span,
            "procMount",
            format!("{} must not set securityContext.procMount to {}", pss::container(container), pss::quote(value)),
            "remove `procMount` (or set `Default`): `Unmasked` shows the container the node's /proc without the masks \
             that hide kernel interfaces",
        );
    }
}

fn baseline_1_35(pod: &Pod<'_, '_>, found: &mut Violations) {
    // In a user namespace (`hostUsers: false`) an unmasked /proc is the pod's own.
    if !pod.in_user_namespace() {
        proc_mount(pod, found);
    }
}
