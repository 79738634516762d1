use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::yaml::Node;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-run-as-user",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod or container sets runAsUser: 0, root (Pod Security restricted)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-run-as-user.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "runAsUser",
    rule: &META,
    level: Level::Restricted,
    versions: &[(23, run_as_user_1_23), (35, run_as_user_1_35)],
    overrides: &[],
};

const HELP: &str =
    "use a non-zero user ID (for example 1000, or 65532 for distroless images) that the image can run as";

fn run_as_user_1_23(pod: &Pod<'_, '_>, found: &mut Violations) {
    let root = |sc: Option<&Node<'_>>| {
        pss::field(sc, &["runAsUser"]).filter(|e| e.value.as_i64() == Some(0)).map(|e| e.key.span)
    };
    if let Some(at) = root(pod.security_context()) {
        found.push(at, "runAsUser=0", "pod must not set runAsUser=0", HELP);
    }
    for container in &pod.containers {
        if let Some(at) = root(pss::security_context(container)) {
            found.push(at, "runAsUser=0", format!("{} must not set runAsUser=0", pss::container(container)), HELP);
        }
    }
}

fn run_as_user_1_35(pod: &Pod<'_, '_>, found: &mut Violations) {
    // In a user namespace (`hostUsers: false`) user 0 is mapped to an unprivileged user on the node.
    if !pod.in_user_namespace() {
        run_as_user_1_23(pod, found);
    }
}
