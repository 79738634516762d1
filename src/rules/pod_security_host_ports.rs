use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::yaml::Node;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-host-ports",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A container binds a port on the node (hostPort) (Pod Security baseline)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-host-ports.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck =
    PolicyCheck { id: "hostPorts", rule: &META, level: Level::Baseline, versions: &[(0, host_ports)], overrides: &[] };

fn host_ports(pod: &Pod<'_, '_>, found: &mut Violations) {
    for container in &pod.containers {
        for port in container.node.get("ports").map_or(&[][..], Node::items) {
            let Some(entry) = port.entry("hostPort") else { continue };
            let Some(number) = entry.value.as_i64().filter(|n| *n != 0) else { continue };
            found.push(
                entry.key.span,
                "hostPort",
                format!("{} uses hostPort {number}", pss::container(container)),
                "remove `hostPort`: it opens the port on the node's own address and ties the pod to nodes where it \
                 is free; expose the pod through a Service",
            );
        }
    }
}
