use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::yaml::Node;

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-apparmor",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod or container turns AppArmor off or picks a profile type baseline forbids",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/pod-security-apparmor.md"),
    ..RuleMeta::DEFAULTS
};

pub static APPARMOR: PolicyCheck = PolicyCheck {
    id: "appArmorProfile",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, apparmor)],
    overrides: &[],
};

const REASON: &str = "forbidden AppArmor profile";
const HELP: &str = "use `appArmorProfile: {type: RuntimeDefault}` (or `Localhost` with a profile loaded on the node): \
                    `Unconfined` turns AppArmor off";
/// The annotations AppArmor was set with before `appArmorProfile` (Kubernetes 1.30).
const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn apparmor(pod: &Pod<'_, '_>, found: &mut Violations) {
    profile(pod.security_context(), "pod".to_string(), found);
    for container in &pod.containers {
        profile(pss::security_context(container), pss::container(container), found);
    }
    for entry in pod.annotations() {
        let key = entry.key.scalar_text().unwrap_or_default();
        let value = pss::text(&entry.value);
        let allowed = value.is_empty() || value == "runtime/default" || value.starts_with("localhost/");
        if key.starts_with(ANNOTATION_PREFIX) && !allowed {
            let setting = pss::quote(&format!("{key}={value:?}"));
            found.push(
                entry.key.span,
                REASON,
                format!("annotation must not set AppArmor profile type to {setting}"),
                "use `runtime/default` or `localhost/<profile>`; better, `appArmorProfile` in the securityContext",
            );
        }
    }
}

fn profile(security_context: Option<&Node<'_>>, who: String, found: &mut Violations) {
    let Some(profile) = pss::field(security_context, &["appArmorProfile"]) else { return };
    if profile.value.is_null() {
        return;
    }
    let kind = profile.value.entry("type");
    let value = kind.map_or("", |e| pss::text(&e.value));
    if value == "RuntimeDefault" || value == "Localhost" {
        return;
    }
    let at = kind.map_or(profile.key.span, |e| e.key.span);
    found.push(at, REASON, format!("{who} must not set AppArmor profile type to {}", pss::quote(value)), HELP);
}
