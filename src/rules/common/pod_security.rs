//! The Pod Security Standards, evaluated as the PodSecurity admission controller evaluates them.
//!
//! The controller keeps one implementation of each check per policy version, and a level is the
//! set of checks whose newest version at or below the policy version applies; a restricted check
//! may stand in for a baseline one (`overrides`). podlint keeps the same table: each
//! `pod-security-*` rule file declares the controller's checks it implements
//! (`PolicyCheck`), and `CHECKS` below lists them all, so that which checks run at a level and
//! version is decided in one place. Facts from kubernetes/pod-security-admission (Apache-2.0),
//! `policy/`; its published fixtures are run by tests/pod_security_admission.rs.
//!
//! A violation is reported where a reader must look: at the offending field, or for a setting
//! the pod lacks, at the container (or pod spec) where it belongs. Its message is worded as the
//! controller words its reason and detail for that one container, so that it can be matched with
//! an admission error.
use crate::context::RunContext;
use crate::finding::{Edit, Fix, Severity};
use crate::k8s::pod_security::{Level, Mode, Policy, PolicyVersion, namespace_policies};
use crate::object::{Container, Object, PodTemplate};
use crate::rules::{Context, Rule, RuleMeta};
use crate::yaml::{Entry, Node, Span};

/// One of the controller's checks.
pub struct PolicyCheck {
    /// The controller's check ID (`allowPrivilegeEscalation`, `capabilities_restricted`, …).
    pub id: &'static str,
    /// The rule that reports it.
    pub rule: &'static RuleMeta,
    /// The lowest level it belongs to (restricted includes every baseline check it does not
    /// override).
    pub level: Level,
    /// Its implementations, by the first policy minor version each applies to, oldest first.
    pub versions: &'static [(u16, CheckFn)],
    /// Baseline checks it stands in for at the restricted level.
    pub overrides: &'static [&'static str],
}

pub type CheckFn = fn(&Pod<'_, '_>, &mut Violations);

/// Every check of the controller, in the order its messages list them (baseline IDs sorted,
/// then restricted IDs sorted).
static CHECKS: &[&PolicyCheck] = &[
    &crate::rules::pod_security_apparmor::APPARMOR,
    &crate::rules::pod_security_capabilities::BASELINE,
    &crate::rules::pod_security_host_namespaces::CHECK,
    &crate::rules::pod_security_host_path::CHECK,
    &crate::rules::pod_security_host_ports::CHECK,
    &crate::rules::pod_security_probe_host::CHECK,
    &crate::rules::pod_security_privileged::CHECK,
    &crate::rules::pod_security_proc_mount::BASELINE,
    &crate::rules::pod_security_seccomp::BASELINE,
    &crate::rules::pod_security_selinux::CHECK,
    &crate::rules::pod_security_sysctls::CHECK,
    &crate::rules::pod_security_host_process::CHECK,
    &crate::rules::pod_security_privilege_escalation::CHECK,
    &crate::rules::pod_security_capabilities::RESTRICTED,
    &crate::rules::pod_security_proc_mount::RESTRICTED,
    &crate::rules::pod_security_volume_types::CHECK,
    &crate::rules::pod_security_run_as_non_root::CHECK,
    &crate::rules::pod_security_run_as_user::CHECK,
    &crate::rules::pod_security_seccomp::RESTRICTED,
];

type Active = Vec<(&'static PolicyCheck, CheckFn)>;

/// The implementation of each check that runs at `level` and policy `version`, worked out once
/// per level and version for the whole run.
fn active(level: Level, version: u16) -> &'static [(&'static PolicyCheck, CheckFn)] {
    static TABLE: std::sync::OnceLock<[Vec<Active>; 2]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let upto = |level| (0..=newest_version()).map(|v| compute_active(level, v)).collect();
        [upto(Level::Baseline), upto(Level::Restricted)]
    });
    let by_version = match level {
        Level::Privileged => return &[],
        Level::Baseline => &table[0],
        Level::Restricted => &table[1],
    };
    // Past the newest version any check changed at, every version judges alike.
    &by_version[usize::from(version.min(newest_version()))]
}

/// The newest policy version at which some check changed.
fn newest_version() -> u16 {
    CHECKS.iter().flat_map(|c| c.versions.iter().map(|(since, _)| *since)).max().unwrap_or(0)
}

fn compute_active(level: Level, version: u16) -> Active {
    let newest = |check: &PolicyCheck| check.versions.iter().rev().find(|(since, _)| *since <= version).map(|v| v.1);
    let applies = |check: &PolicyCheck| check.level <= level && newest(check).is_some();
    let overridden: Vec<&str> = CHECKS
        .iter()
        .filter(|c| level == Level::Restricted && applies(c))
        .flat_map(|c| c.overrides.iter().copied())
        .collect();
    CHECKS
        .iter()
        .copied()
        .filter(|c| applies(c) && !overridden.contains(&c.id))
        .filter_map(|c| newest(c).map(|f| (c, f)))
        .collect()
}

/// A Pod Security rule: its metadata, with the checks it implements declared in its file and
/// listed in `CHECKS`. Every such rule runs the same way.
pub struct PodSecurityRule(pub &'static RuleMeta);

impl Rule for PodSecurityRule {
    fn meta(&self) -> &'static RuleMeta {
        self.0
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        check(self.0, object, cx);
    }
}

/// A pod spec as the checks read it.
pub struct Pod<'t, 'a> {
    pub metadata: Option<&'t Node<'a>>,
    pub spec_entry: &'t Entry<'a>,
    /// Init, app and ephemeral containers, in the controller's order.
    pub containers: Vec<Container<'t, 'a>>,
    /// The file's text, for fixes that must match its layout.
    pub text: &'t str,
}

impl<'t, 'a> Pod<'t, 'a> {
    pub fn spec(&self) -> &'t Node<'a> {
        &self.spec_entry.value
    }

    pub fn security_context(&self) -> Option<&'t Node<'a>> {
        self.spec().get("securityContext")
    }

    /// `spec.os.name: windows`: from 1.25 the controller skips the Linux-only restricted checks.
    pub fn is_windows(&self) -> bool {
        self.spec().path(&["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// `hostUsers: false`: the pod runs in a user namespace, and from 1.35 the controller relaxes
    /// the checks about root and `/proc` for it.
    pub fn in_user_namespace(&self) -> bool {
        self.spec().get("hostUsers").and_then(Node::as_bool) == Some(false)
    }

    pub fn annotations(&self) -> &'t [Entry<'a>] {
        self.metadata.and_then(|m| m.get("annotations")).map_or(&[], Node::entries)
    }
}

pub fn security_context<'t, 'a>(container: &Container<'t, 'a>) -> Option<&'t Node<'a>> {
    container.node.get("securityContext")
}

/// The entry at `path` under `node`.
pub fn field<'t, 'a>(node: Option<&'t Node<'a>>, path: &[&str]) -> Option<&'t Entry<'a>> {
    let (last, parents) = path.split_last()?;
    node?.path(parents)?.entry(last)
}

/// A scalar's text as the controller reads the field: null (`~`, `null`, nothing) is unset, "".
pub fn text<'t>(node: &'t Node<'_>) -> &'t str {
    if node.is_null() { "" } else { node.scalar_text().unwrap_or_default() }
}

/// `container "web"`, as the controller names a container of any kind.
pub fn container(container: &Container<'_, '_>) -> String {
    format!("container {}", quote(container.name.unwrap_or_default()))
}

/// `"text"`, as the controller quotes names and values (no escaping).
pub fn quote(text: &str) -> String {
    format!("\"{text}\"")
}

/// Where a finding about a setting `container` lacks points: its `securityContext` key, else
/// its name.
pub fn container_anchor(container: &Container<'_, '_>) -> Span {
    container.node.entry("securityContext").map_or_else(|| container.anchor(), |e| e.key.span)
}

/// What a check found wrong, one per offending node.
pub struct Violation {
    pub at: Span,
    /// The controller's reason (`allowPrivilegeEscalation != false`).
    pub reason: String,
    /// The controller's detail for this node (`container "web" must set …`).
    pub detail: String,
    pub help: String,
    pub fix: Option<Fix>,
    /// Found because a setting is absent: a patch, which names only what it changes, is not
    /// judged for it.
    pub absent: bool,
}

#[derive(Default)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    pub fn push(
        &mut self,
        at: Span,
        reason: impl Into<String>,
        detail: impl Into<String>,
        help: impl Into<String>,
    ) -> &mut Violation {
        let (reason, detail, help) = (reason.into(), detail.into(), help.into());
        self.0.push(Violation { at, reason, detail, help, fix: None, absent: false });
        let last = self.0.len() - 1;
        &mut self.0[last]
    }
}

impl Violation {
    pub fn fix(&mut self, fix: Option<Fix>) -> &mut Self {
        self.fix = fix;
        self
    }

    pub fn absent(&mut self) -> &mut Self {
        self.absent = true;
        self
    }
}

/// A policy an object is judged by, and where it comes from.
struct Judged {
    policy: Policy,
    /// The Namespace that labels it, if any.
    namespace: Option<String>,
}

/// The policies that apply to `object`: its Namespace's labels when the run holds a Namespace
/// that sets any, else the run's default level, as if enforced by the cluster's defaults but
/// reported at the rule's own severity.
fn policies(object: &Object<'_, '_>, cx: &Context<'_>) -> Vec<Judged> {
    let namespace =
        cx.provenance.kustomize.as_ref().and_then(|k| k.namespace.as_deref()).or(object.namespace).unwrap_or("default");
    if let Some(policies) = namespace_labels(cx.run, namespace) {
        return policies.into_iter().map(|policy| Judged { policy, namespace: Some(namespace.to_string()) }).collect();
    }
    let policy = Policy {
        mode: Mode::Warn,
        level: cx.pod_security,
        version: PolicyVersion::Minor(cx.target().minor),
        invalid: None,
    };
    vec![Judged { policy, namespace: None }]
}

fn namespace_labels(run: &RunContext, namespace: &str) -> Option<Vec<Policy>> {
    namespace_policies(&run.namespace(namespace)?.labels)
}

/// Runs the checks `rule` implements on `object`'s pod, for every policy that applies, and
/// reports each violation once, at the strictest mode that finds it.
pub fn check(rule: &'static RuleMeta, object: &Object<'_, '_>, cx: &mut Context<'_>) {
    let Some(template) = object.pod_template() else { return };
    let pod = pod(template, cx.text);
    let partial = object.completeness == crate::object::Completeness::Patch;
    let target = cx.target();
    let mut reported: Vec<(Span, String)> = Vec::new();
    for judged in policies(object, cx) {
        let policy = &judged.policy;
        let version = policy.version.effective(target);
        let level_version = format!("{}:{}", policy.level.as_str(), policy.version.label());
        for (_, run) in active(policy.level, version).iter().filter(|(c, _)| std::ptr::eq(c.rule, rule)) {
            let mut found = Violations::default();
            run(&pod, &mut found);
            for violation in found.0.into_iter().filter(|v| !(partial && v.absent)) {
                // The same node found by a laxer mode (warn after enforce) is one mistake.
                if reported.iter().any(|(span, reason)| *span == violation.at && *reason == violation.reason) {
                    continue;
                }
                reported.push((violation.at, violation.reason.clone()));
                let message =
                    format!("violates PodSecurity {level_version:?}: {} ({})", violation.reason, violation.detail);
                let help = match &judged.namespace {
                    Some(namespace) => format!(
                        "{}; namespace `{namespace}` {} `{}` ({}{})",
                        violation.help,
                        mode_verb(policy.mode),
                        policy.level.as_str(),
                        policy.mode.label(),
                        policy.invalid.as_ref().map(|why| format!("; {why}")).unwrap_or_default()
                    ),
                    None => violation.help.clone(),
                };
                let finding = cx.report(rule, violation.at, message);
                finding.help(help);
                if let Some(fix) = violation.fix {
                    finding.fix(fix);
                }
                match (judged.namespace.is_some(), policy.mode) {
                    // Admission refuses the pod (a workload's pods are refused as it creates them).
                    (true, Mode::Enforce) => {
                        finding.severity(Severity::Error);
                    }
                    (true, Mode::Warn | Mode::Audit) => {
                        finding.severity(Severity::Warning);
                    }
                    (false, _) => {}
                }
            }
        }
    }
}

fn mode_verb(mode: Mode) -> &'static str {
    match mode {
        Mode::Enforce => "enforces",
        Mode::Warn => "warns at",
        Mode::Audit => "audits at",
    }
}

fn pod<'t, 'a>(template: PodTemplate<'t, 'a>, text: &'t str) -> Pod<'t, 'a> {
    Pod { metadata: template.metadata, spec_entry: template.spec_entry, containers: template.containers(), text }
}

// ---------------------------------------------------------------------------------------------
// Fixes: setting a field under a mapping, creating the mappings on the way.

/// An edit that makes `path` under `mapping` hold `value` (YAML text): the value replaced when
/// the field is there, else the missing keys added at the end of the deepest mapping that
/// exists, indented as its entries are. `None` for flow mappings and shapes that would need
/// guessing.
pub fn set_field(text: &str, mapping: &Node<'_>, path: &[&str], value: &str) -> Option<Edit> {
    let (first, rest) = path.split_first()?;
    match mapping.entry(first) {
        Some(entry) if rest.is_empty() => {
            entry.value.as_scalar()?;
            Some(Edit { start: entry.value.span.start, end: entry.value.span.end, replacement: value.to_string() })
        }
        Some(entry) if entry.value.as_mapping().is_some_and(|m| !m.is_empty()) && !is_flow(text, &entry.value) => {
            set_field(text, &entry.value, rest, value)
        }
        Some(_) => None,
        None => append_keys(text, mapping, path, value),
    }
}

fn is_flow(text: &str, node: &Node<'_>) -> bool {
    text.get(node.span.start as usize..).is_some_and(|t| t.starts_with(['{', '[']))
}

/// Adds `path: value` as nested block keys after the last entry of a block mapping.
fn append_keys(text: &str, mapping: &Node<'_>, path: &[&str], value: &str) -> Option<Edit> {
    let entries = mapping.as_mapping()?;
    let first = entries.first()?;
    if is_flow(text, mapping) || entries.iter().any(|e| e.merged) {
        return None;
    }
    let indent = column(text, first.key.span.start);
    let last = entries.iter().map(|e| e.value.span.end.max(e.key.span.end)).max()?;
    // After the line the mapping's last value ends on (a block scalar's span ends past its
    // newline already).
    let at = if text.as_bytes().get(last as usize - 1) == Some(&b'\n') {
        last as usize
    } else {
        text[last as usize..].find('\n').map_or(text.len(), |i| last as usize + i + 1)
    };
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut insert = String::new();
    if at == text.len() && !text.ends_with('\n') {
        insert.push_str(nl);
    }
    for (depth, key) in path.iter().enumerate() {
        insert.push_str(&" ".repeat(indent + 2 * depth));
        insert.push_str(key);
        insert.push(':');
        if depth + 1 == path.len() {
            insert.push(' ');
            insert.push_str(value);
        }
        insert.push_str(nl);
    }
    Some(Edit { start: at as u32, end: at as u32, replacement: insert })
}

fn column(text: &str, offset: u32) -> usize {
    let before = &text[..offset as usize];
    offset as usize - before.rfind('\n').map_or(0, |i| i + 1)
}

/// A container's `securityContext.<path>` set to `value`, as an unsafe fix: it changes what runs.
pub fn container_fix(pod: &Pod<'_, '_>, container: &Container<'_, '_>, path: &[&str], value: &str) -> Option<Fix> {
    let mut full = vec!["securityContext"];
    full.extend_from_slice(path);
    set_field(pod.text, container.node, &full, value).map(|edit| Fix::unsafe_(vec![edit]))
}

/// The pod's `securityContext.<path>` set to `value`, as an unsafe fix.
pub fn pod_fix(pod: &Pod<'_, '_>, path: &[&str], value: &str) -> Option<Fix> {
    let mut full = vec!["securityContext"];
    full.extend_from_slice(path);
    set_field(pod.text, pod.spec(), &full, value).map(|edit| Fix::unsafe_(vec![edit]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    fn apply(text: &str, edit: &Edit) -> String {
        format!("{}{}{}", &text[..edit.start as usize], edit.replacement, &text[edit.end as usize..])
    }

    /// `text` after setting `path` under the first container to `value`, or `None` when
    /// podlint would not edit it.
    fn set_in_first_container(text: &str, path: &[&str], value: &str) -> Option<String> {
        let loaded = load(text, Limits::default());
        let root = loaded.documents[0].root.as_ref().expect("root");
        let container = &root.path(&["spec", "containers"]).expect("list").items()[0];
        set_field(text, container, path, value).map(|edit| apply(text, &edit))
    }

    #[test]
    fn fields_are_set_at_the_mapping_indentation() {
        let text = "spec:\n  containers:\n  - name: web\n    image: nginx  # pinned\n";
        assert_eq!(
            set_in_first_container(text, &["securityContext", "runAsNonRoot"], "true").as_deref(),
            Some(
                "spec:\n  containers:\n  - name: web\n    image: nginx  # pinned\n    securityContext:\n      runAsNonRoot: true\n"
            )
        );
        let text = "spec:\n  containers:\n  - name: web\n    securityContext:\n      allowPrivilegeEscalation: true\n";
        assert_eq!(
            set_in_first_container(text, &["securityContext", "allowPrivilegeEscalation"], "false").as_deref(),
            Some("spec:\n  containers:\n  - name: web\n    securityContext:\n      allowPrivilegeEscalation: false\n")
        );
        let flow = "spec: {containers: [{name: web}]}\n";
        assert_eq!(set_in_first_container(flow, &["securityContext", "runAsNonRoot"], "true"), None);
    }

    #[test]
    fn levels_hold_the_checks_of_their_version() {
        let ids = |level, version| active(level, version).iter().map(|(c, _)| c.id).collect::<Vec<_>>();
        assert!(ids(Level::Privileged, 37).is_empty());
        let baseline = ids(Level::Baseline, 33);
        assert!(baseline.contains(&"hostPathVolumes") && !baseline.contains(&"hostProbesAndHostLifecycle"));
        assert!(ids(Level::Baseline, 34).contains(&"hostProbesAndHostLifecycle"));
        let restricted = ids(Level::Restricted, 30);
        // restrictedVolumes stands in for hostPathVolumes, capabilities_restricted for the baseline one.
        assert!(!restricted.contains(&"hostPathVolumes") && restricted.contains(&"restrictedVolumes"));
        assert!(!restricted.contains(&"capabilities_baseline") && restricted.contains(&"capabilities_restricted"));
        assert!(ids(Level::Restricted, 21).contains(&"capabilities_baseline"));
        assert!(!ids(Level::Restricted, 22).contains(&"runAsUser"));
        assert!(ids(Level::Restricted, 23).contains(&"runAsUser"));
        assert!(ids(Level::Restricted, 35).contains(&"procMount_restricted"));
        assert!(!ids(Level::Restricted, 35).contains(&"procMount"));
    }
}
