use super::common::pod_security::{self as pss, Pod, PolicyCheck, Violations};
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::finding::{Edit, Fix};
use crate::k8s::pod_security::Level;
use crate::object::Container;
use crate::yaml::{Entry, Node};

pub static META: RuleMeta = RuleMeta {
    id: "pod-security-capabilities",
    severity: Severity::Warning,
    category: Category::PodSecurity,
    summary: "A container adds capabilities beyond the level's set, or (restricted) does not drop ALL",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../rules/pod-security-capabilities.md"),
    ..RuleMeta::DEFAULTS
};

pub static BASELINE: PolicyCheck = PolicyCheck {
    id: "capabilities_baseline",
    rule: &META,
    level: Level::Baseline,
    versions: &[(0, baseline)],
    overrides: &[],
};

pub static RESTRICTED: PolicyCheck = PolicyCheck {
    id: "capabilities_restricted",
    rule: &META,
    level: Level::Restricted,
    versions: &[(22, restricted_1_22), (25, restricted_1_25)],
    overrides: &["capabilities_baseline"],
};

/// The container runtime's default capabilities: adding one of them changes nothing.
const DEFAULT_SET: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn added<'t, 'a>(container: &Container<'t, 'a>) -> &'t [Node<'a>] {
    pss::security_context(container).and_then(|sc| sc.path(&["capabilities", "add"])).map_or(&[], Node::items)
}

fn baseline(pod: &Pod<'_, '_>, found: &mut Violations) {
    for container in &pod.containers {
        for item in added(container) {
            let name = pss::text(item);
            if DEFAULT_SET.contains(&name) {
                continue;
            }
            found.push(
                item.span,
                "non-default capabilities",
                format!(
                    "{} must not include {} in securityContext.capabilities.add",
                    pss::container(container),
                    pss::quote(name)
                ),
                format!(
                    "remove `{name}` from `capabilities.add`: capabilities beyond the runtime's default set give \
                     power over the node (`SYS_ADMIN` is close to root)"
                ),
            );
        }
    }
}

const RESTRICTED_REASON: &str = "unrestricted capabilities";

fn restricted_1_22(pod: &Pod<'_, '_>, found: &mut Violations) {
    for container in &pod.containers {
        let capabilities = pss::security_context(container).and_then(|sc| sc.entry("capabilities"));
        let drop = capabilities.and_then(|c| c.value.entry("drop"));
        let drops_all = drop.is_some_and(|d| d.value.items().iter().any(|i| pss::text(i) == "ALL"));
        if !drops_all {
            let at = drop.or(capabilities).map_or_else(|| pss::container_anchor(container), |e| e.key.span);
            let violation = found.push(
                at,
                RESTRICTED_REASON,
                format!(r#"{} must set securityContext.capabilities.drop=["ALL"]"#, pss::container(container)),
                "add `drop: [ALL]` under the container's `securityContext.capabilities`, and add back only \
                 `NET_BIND_SERVICE` if it binds a port below 1024",
            );
            violation.fix(drop_all(pod, container, drop));
            if drop.is_none() {
                violation.absent();
            }
        }
        for item in added(container) {
            let name = pss::text(item);
            if name == "NET_BIND_SERVICE" {
                continue;
            }
            found.push(
                item.span,
                RESTRICTED_REASON,
                format!(
                    "{} must not include {} in securityContext.capabilities.add",
                    pss::container(container),
                    pss::quote(name)
                ),
                format!("remove `{name}` from `capabilities.add`: the restricted level allows adding only `NET_BIND_SERVICE`"),
            );
        }
    }
}

fn restricted_1_25(pod: &Pod<'_, '_>, found: &mut Violations) {
    // Capabilities are a Linux notion.
    if !pod.is_windows() {
        restricted_1_22(pod, found);
    }
}

/// `ALL` added to `capabilities.drop`, or the list created.
fn drop_all(pod: &Pod<'_, '_>, container: &Container<'_, '_>, drop: Option<&Entry<'_>>) -> Option<Fix> {
    let Some(drop) = drop else { return pss::container_fix(pod, container, &["capabilities", "drop"], "[ALL]") };
    let items = drop.value.as_sequence()?;
    let span = drop.value.span;
    let text = pod.text;
    let edit = if text.get(span.start as usize..).is_some_and(|t| t.starts_with('[')) {
        let separator = if items.is_empty() { "" } else { ", " };
        Edit { start: span.start + 1, end: span.start + 1, replacement: format!("ALL{separator}") }
    } else {
        // A block list: a new first item, at the column of the dash of the current one.
        let first = items.first()?;
        let before = text.get(..first.span.start as usize)?;
        let dash = before.trim_end_matches(' ').strip_suffix('-')?.len();
        let column = dash - before[..dash].rfind('\n').map_or(0, |i| i + 1);
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        Edit { start: first.span.start, end: first.span.start, replacement: format!("ALL{nl}{}- ", " ".repeat(column)) }
    };
    Some(Fix::unsafe_(vec![edit]))
}
