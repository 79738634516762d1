use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-probe-host",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A probe or lifecycle hook sends the kubelet to another host (Pod Security baseline, 1.34+)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-probe-host.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "hostProbesAndHostLifecycle",
    rule: &META,
    level: Level::Baseline,
    versions: &[(34, probe_host)],
    overrides: &[],
};

fn probe_host(pod: &Pod<'_, '_>, found: &mut Violations) {
    const HANDLERS: [&str; 2] = ["httpGet", "tcpSocket"];
    for container in &pod.containers {
        let probes = ["livenessProbe", "readinessProbe", "startupProbe"].map(|p| vec![p]);
        let hooks = ["postStart", "preStop"].map(|h| vec!["lifecycle", h]);
        for place in probes.iter().chain(&hooks) {
            for handler in HANDLERS {
                let mut path = place.clone();
                path.extend([handler, "host"]);
                let Some(entry) = pss::field(Some(container.node), &path) else { continue };
                let host = pss::text(&entry.value);
                if host.is_empty() {
                    continue;
                }
                found.push(
                    entry.key.span,
                    "probe or lifecycle host",
                    format!("{} uses probe or lifecycle host {}", pss::container(container), pss::quote(host)),
                    "remove `host`: the kubelet then checks the pod's own IP; aimed elsewhere, a probe makes the \
                     node's kubelet send requests to any address the pod's author picks",
                );
            }
        }
    }
}
