use super::common::pod_security::{Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-host-namespaces",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod shares the node's network, process or IPC namespace (Pod Security baseline)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-host-namespaces.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "hostNamespaces",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, host_namespaces)],
    overrides: &[],
};

fn host_namespaces(pod: &Pod<'_, '_>, found: &mut Violations) {
    for (key, shares) in [
        ("hostNetwork", "the node's network stack: it can bind the node's ports and reach what only the node should"),
        ("hostPID", "the node's process table: it can see, and signal, every process on the node"),
        ("hostIPC", "the node's shared memory and IPC with every process on the node"),
    ] {
        let Some(entry) = pod.spec().entry(key) else { continue };
        if entry.value.as_bool() == Some(true) {
            let help = format!("remove `{key}: true`; the pod would share {shares}");
            found.push(entry.key.span, "host namespaces", format!("{key}=true"), help);
        }
    }
}
