use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::yaml::{Entry, Node};

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-volume-types",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod uses a volume type the restricted level forbids (hostPath, nfs, …)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-volume-types.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "restrictedVolumes",
    rule: &META,
    level: Level::Restricted,
    versions: &[(0, volume_types)],
    overrides: &["hostPathVolumes"],
};

/// The inline volume sources the restricted level allows.
const ALLOWED: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// The sources it names as forbidden; any other key is not a volume source the API server knows.
const RESTRICTED: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

fn volume_types(pod: &Pod<'_, '_>, found: &mut Violations) {
    for volume in pod.spec().get("volumes").map_or(&[][..], Node::items) {
        let sources: Vec<_> = volume.entries().iter().filter(|e| !e.value.is_null()).collect();
        let key = |e: &&Entry<'_>| e.key.scalar_text().unwrap_or_default().to_string();
        if sources.iter().any(|e| ALLOWED.contains(&key(e).as_str())) {
            continue;
        }
        // A volume with no source is an emptyDir by the time admission sees it.
        let Some(source) = sources.iter().find(|e| RESTRICTED.contains(&key(e).as_str())) else { continue };
        let name = volume.get("name").map_or("", pss::text);
        found.push(
            source.key.span,
            "restricted volume types",
            format!("volume {} uses restricted volume type {}", pss::quote(name), pss::quote(&key(source))),
            "use a PersistentVolumeClaim (the cluster's storage class reaches the same storage), or a csi, \
             ephemeral, configMap, secret, projected, downwardAPI or emptyDir volume",
        );
    }
}
