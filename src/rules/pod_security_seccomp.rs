use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::finding::{Applicability, Fix};
use crate::k8s::pod_security::Level;
use crate::yaml::{Node, Span};

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-seccomp",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A pod or container turns seccomp off, or (restricted) sets no seccomp profile",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../rules/pod-security-seccomp.md"),
    ..RuleMeta::DEFAULTS
};

pub static BASELINE: PolicyCheck = PolicyCheck {
    id: "seccompProfile_baseline",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, baseline_annotations), (19, baseline_1_19)],
    overrides: &[],
};

pub static RESTRICTED: PolicyCheck = PolicyCheck {
    id: "seccompProfile_restricted",
    rule: &META,
    level: Level::Restricted,
    versions: &[(19, restricted_1_19), (25, restricted_1_25)],
    overrides: &["seccompProfile_baseline"],
};

const REASON: &str = "seccompProfile";
const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

fn valid(kind: &str) -> bool {
    kind == "RuntimeDefault" || kind == "Localhost"
}

/// A `seccompProfile` that is set, with its type ("" when it has none) and where to point.
fn profile<'t>(security_context: Option<&'t Node<'_>>) -> Option<(&'t str, Span, Option<Span>)> {
    let entry = pss::field(security_context, &["seccompProfile"]).filter(|e| !e.value.is_null())?;
    let kind = entry.value.entry("type");
    let text = kind.map_or("", |k| pss::text(&k.value));
    Some((text, kind.map_or(entry.key.span, |k| k.key.span), kind.map(|k| k.value.span)))
}

/// Before 1.19 seccomp was set by annotations.
fn baseline_annotations(pod: &Pod<'_, '_>, found: &mut Violations) {
    let names: Vec<String> =
        pod.containers.iter().map(|c| format!("{CONTAINER_ANNOTATION_PREFIX}{}", c.name.unwrap_or_default())).collect();
    for entry in pod.annotations() {
        let key = entry.key.scalar_text().unwrap_or_default();
        if key != POD_ANNOTATION && !names.iter().any(|n| n == key) {
            continue;
        }
        let value = pss::text(&entry.value);
        if value == "runtime/default" || value == "docker/default" || value.starts_with("localhost/") {
            continue;
        }
        found.push(
            entry.key.span,
            REASON,
            format!("forbidden annotation {key}={value:?}"),
            "use `runtime/default` or `localhost/<profile>`: `unconfined` turns seccomp off",
        );
    }
}

/// Profiles set to a type other than RuntimeDefault or Localhost, by the pod and by containers.
fn explicitly_bad(pod: &Pod<'_, '_>) -> Violations {
    let mut found = Violations::default();
    let help = "use `seccompProfile: {type: RuntimeDefault}` (or `Localhost` with a profile on the node): \
                `Unconfined` turns seccomp off";
    let mut setters = vec![("pod".to_string(), pod.security_context())];
    setters.extend(pod.containers.iter().map(|c| (pss::container(c), pss::security_context(c))));
    for (who, security_context) in setters {
        let Some((kind, at, value)) = profile(security_context) else { continue };
        if valid(kind) {
            continue;
        }
        let detail = format!("{who} must not set securityContext.seccompProfile.type to {}", pss::quote(kind));
        let fix = value.map(|span| Fix::replace(Applicability::Unsafe, span, "RuntimeDefault"));
        found.push(at, REASON, detail, help).fix(fix);
    }
    found
}

fn baseline_1_19(pod: &Pod<'_, '_>, found: &mut Violations) {
    found.0.extend(explicitly_bad(pod).0);
}

fn restricted_1_19(pod: &Pod<'_, '_>, found: &mut Violations) {
    let explicit = explicitly_bad(pod);
    // The controller names the profiles set wrong first, and only them.
    if !explicit.0.is_empty() {
        found.0.extend(explicit.0);
        return;
    }
    if profile(pod.security_context()).is_some() {
        return;
    }
    for container in &pod.containers {
        if profile(pss::security_context(container)).is_some() {
            continue;
        }
        found
            .push(
                pss::container_anchor(container),
                REASON,
                format!(
                    r#"pod or {} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#,
                    pss::container(container)
                ),
                "set `seccompProfile: {type: RuntimeDefault}` under the pod's `securityContext`: it covers every \
                 container, and filters the system calls a process can make",
            )
            .fix(pss::pod_fix(pod, &["seccompProfile", "type"], "RuntimeDefault"))
            .absent();
    }
}

fn restricted_1_25(pod: &Pod<'_, '_>, found: &mut Violations) {
    // Seccomp is a Linux notion.
    if !pod.is_windows() {
        restricted_1_19(pod, found);
    }
}
