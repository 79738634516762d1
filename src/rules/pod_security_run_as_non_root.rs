use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::finding::{Applicability, Fix};
use crate::k8s::pod_security::Level;
use crate::yaml::{Entry, Node};

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-run-as-non-root",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod does not require its containers to run as a non-root user (Pod Security restricted)",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../rules/pod-security-run-as-non-root.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "runAsNonRoot",
    rule: &META,
    level: Level::Restricted,
    versions: &[(0, non_root_1_0), (35, non_root_1_35)],
    overrides: &[],
};

const REASON: &str = "runAsNonRoot != true";

/// `runAsNonRoot` where it is set to something (null is unset).
fn setting<'t, 'a>(security_context: Option<&'t Node<'a>>) -> Option<&'t Entry<'a>> {
    pss::field(security_context, &["runAsNonRoot"]).filter(|e| !e.value.is_null())
}

fn non_root_1_0(pod: &Pod<'_, '_>, found: &mut Violations) {
    let pod_setting = setting(pod.security_context());
    let mut explicit = Vec::new();
    if let Some(entry) = pod_setting.filter(|e| e.value.as_bool() != Some(true)) {
        explicit.push(("pod".to_string(), entry));
    }
    let pod_requires = pod_setting.is_some_and(|e| e.value.as_bool() == Some(true));
    let mut implicit = Vec::new();
    for container in &pod.containers {
        match setting(pss::security_context(container)) {
            Some(entry) if entry.value.as_bool() != Some(true) => explicit.push((pss::container(container), entry)),
            Some(_) => {}
            None if !pod_requires => implicit.push(container),
            None => {}
        }
    }
    // The controller names the settings that say false first, and only them.
    if !explicit.is_empty() {
        for (who, entry) in explicit {
            found
                .push(
                    entry.key.span,
                    REASON,
                    format!("{who} must not set securityContext.runAsNonRoot=false"),
                    "set `runAsNonRoot: true`, and give the image a non-zero user (`runAsUser`, or a numeric USER)",
                )
                .fix(Some(Fix::replace(Applicability::Unsafe, entry.value.span, "true")));
        }
        return;
    }
    for container in implicit {
        found
            .push(
                pss::container_anchor(container),
                REASON,
                format!("pod or {} must set securityContext.runAsNonRoot=true", pss::container(container)),
                "set `runAsNonRoot: true` under the pod's `securityContext` (it covers every container); the image \
                 must then run as a non-zero user (`runAsUser`, or a numeric USER in the image)",
            )
            .fix(pss::pod_fix(pod, &["runAsNonRoot"], "true"))
            .absent();
    }
}

fn non_root_1_35(pod: &Pod<'_, '_>, found: &mut Violations) {
    // In a user namespace (`hostUsers: false`) root in the container is not root on the node.
    if !pod.in_user_namespace() {
        non_root_1_0(pod, found);
    }
}
