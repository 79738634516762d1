use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::yaml::Node;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-sysctls",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod sets a sysctl outside the safe set (Pod Security baseline)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-sysctls.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "sysctls",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, sysctls_1_0), (27, sysctls_1_27), (29, sysctls_1_29), (32, sysctls_1_32), (37, sysctls_1_37)],
    overrides: &[],
};

/// The sysctls the controller allows, by the policy version that added them: namespaced in the
/// pod, and isolated from other pods on the node.
const SAFE: &[(u16, &str)] = &[
    (0, "kernel.shm_rmid_forced"),
    (0, "net.ipv4.ip_local_port_range"),
    (0, "net.ipv4.tcp_syncookies"),
    (0, "net.ipv4.ping_group_range"),
    (0, "net.ipv4.ip_unprivileged_port_start"),
    (27, "net.ipv4.ip_local_reserved_ports"),
    (29, "net.ipv4.tcp_keepalive_time"),
    (29, "net.ipv4.tcp_fin_timeout"),
    (29, "net.ipv4.tcp_keepalive_intvl"),
    (29, "net.ipv4.tcp_keepalive_probes"),
    (32, "net.ipv4.tcp_rmem"),
    (32, "net.ipv4.tcp_wmem"),
    (37, "net.ipv4.tcp_slow_start_after_idle"),
    (37, "net.ipv4.tcp_notsent_lowat"),
];

fn sysctls_1_0(pod: &Pod<'_, '_>, found: &mut Violations) {
    sysctls(pod, 0, found);
}

fn sysctls_1_27(pod: &Pod<'_, '_>, found: &mut Violations) {
    sysctls(pod, 27, found);
}

fn sysctls_1_29(pod: &Pod<'_, '_>, found: &mut Violations) {
    sysctls(pod, 29, found);
}

fn sysctls_1_32(pod: &Pod<'_, '_>, found: &mut Violations) {
    sysctls(pod, 32, found);
}

fn sysctls_1_37(pod: &Pod<'_, '_>, found: &mut Violations) {
    sysctls(pod, 37, found);
}

fn sysctls(pod: &Pod<'_, '_>, version: u16, found: &mut Violations) {
    let safe = || SAFE.iter().filter(|(since, _)| *since <= version).map(|(_, name)| *name);
    let sysctls = pod.security_context().and_then(|sc| sc.get("sysctls")).map_or(&[][..], Node::items);
    for sysctl in sysctls {
        let Some(entry) = sysctl.entry("name") else { continue };
        let name = pss::text(&entry.value);
        if safe().any(|s| s == name) {
            continue;
        }
        found.push(
            entry.value.span,
            "forbidden sysctls",
            name,
            format!(
                "remove it: the baseline level allows only sysctls that stay inside the pod ({} at this version); \
                 others change the node for every pod on it",
                safe().collect::<Vec<_>>().join(", ")
            ),
        );
    }
}
