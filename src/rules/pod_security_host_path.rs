use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::yaml::Node;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-host-path",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod mounts a hostPath volume (Pod Security baseline)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-host-path.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "hostPathVolumes",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, host_path)],
    overrides: &[],
};

fn host_path(pod: &Pod<'_, '_>, found: &mut Violations) {
    for volume in pod.spec().get("volumes").map_or(&[][..], Node::items) {
        let Some(entry) = volume.entry("hostPath") else { continue };
        if entry.value.is_null() {
            continue;
        }
        let name = volume.get("name").map_or("", pss::text);
        found.push(
            entry.key.span,
            "hostPath volumes",
            format!("volume {}", pss::quote(name)),
            "use an `emptyDir`, a ConfigMap or Secret, or a PersistentVolumeClaim instead: a hostPath volume reads \
             and writes the node's own files",
        );
    }
}
