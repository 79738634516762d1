use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-host-process",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod or container runs as a Windows HostProcess container (Pod Security baseline)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-host-process.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "windowsHostProcess",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, host_process)],
    overrides: &[],
};

const REASON: &str = "hostProcess";
const HELP: &str =
    "remove `hostProcess: true`: a HostProcess container runs on the Windows node itself, with the node's privileges";

fn host_process(pod: &Pod<'_, '_>, found: &mut Violations) {
    let path = ["windowsOptions", "hostProcess"];
    if let Some(entry) = pss::field(pod.security_context(), &path).filter(|e| e.value.as_bool() == Some(true)) {
        found.push(entry.key.span, REASON, "pod must not set securityContext.windowsOptions.hostProcess=true", HELP);
    }
    for container in &pod.containers {
        let Some(entry) = pss::field(pss::security_context(container), &path) else { continue };
        if entry.value.as_bool() == Some(true) {
            let detail =
                format!("{} must not set securityContext.windowsOptions.hostProcess=true", pss::container(container));
            found.push(entry.key.span, REASON, detail, HELP);
        }
    }
}
