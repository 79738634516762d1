use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::yaml::Node;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-selinux",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod or container sets an SELinux user, role or type baseline forbids",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-selinux.md"),
    ..RuleMeta::DEFAULTS
};

pub static CHECK: PolicyCheck = PolicyCheck {
    id: "seLinuxOptions",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, selinux_1_0), (31, selinux_1_31)],
    overrides: &[],
};

const TYPES_1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
const TYPES_1_31: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

fn selinux_1_0(pod: &Pod<'_, '_>, found: &mut Violations) {
    selinux(pod, TYPES_1_0, found);
}

fn selinux_1_31(pod: &Pod<'_, '_>, found: &mut Violations) {
    selinux(pod, TYPES_1_31, found);
}

fn selinux(pod: &Pod<'_, '_>, types: &[&str], found: &mut Violations) {
    options(pod.security_context(), "pod", types, found);
    for container in &pod.containers {
        options(pss::security_context(container), &pss::container(container), types, found);
    }
}

fn options(security_context: Option<&Node<'_>>, who: &str, types: &[&str], found: &mut Violations) {
    let Some(options) = security_context.and_then(|sc| sc.get("seLinuxOptions")) else { return };
    let detail = |what: String| format!("{who} set forbidden securityContext.seLinuxOptions: {what}");
    if let Some(entry) = options.entry("type") {
        let value = pss::text(&entry.value);
        if !types.contains(&value) {
            let allowed = types[1..].join("`, `");
            found.push(
                entry.key.span,
                "seLinuxOptions",
                detail(format!("type {}", pss::quote(value))),
                format!("leave `type` unset or use one of `{allowed}`: other types (`spc_t`) lift the container's confinement"),
            );
        }
    }
    for key in ["user", "role"] {
        let Some(entry) = options.entry(key) else { continue };
        if !pss::text(&entry.value).is_empty() {
            found.push(
                entry.key.span,
                "seLinuxOptions",
                detail(format!("{key} may not be set")),
                format!("remove `{key}`: the baseline level lets no pod choose its SELinux {key}"),
            );
        }
    }
}
