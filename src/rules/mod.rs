//! The rule registry. One rule per file in this folder; each has a stable kebab-case id, a
//! default severity, a category and a doc page at `rules/<id>.md` (embedded for `podlint explain`).
//! A rule declares everything else about itself on its metadata too: its options, whether it is
//! stable or a preview, whether it looks at one object or across the run, and which objects and
//! references it needs. The engine, the config loader and the docs read those declarations.
use std::borrow::Cow;

use crate::context::{Provenance, RunContext};
use crate::finding::{Fix, Location, Severity};
use crate::index::references::ReferenceRow;
use crate::index::{HeldFinding, IndexView, ObjectClass, ObjectId};
use crate::k8s::version::KubeVersion;
use crate::object::Object;
use crate::yaml::Span;

pub mod options;
pub use options::{OptionSpec, OptionsTable, RuleOptions};

mod admission_policy_invalid;
mod common;
pub mod dynamic;
use common::pod_security::PodSecurityRule;
mod deprecated_api;
mod duplicate_key;
mod field_case;
pub mod helm_chart_not_rendered;
mod image_tag;
mod invalid_type;
mod invalid_value;
mod json_patch_invalid;
mod kustomize_deprecated_field;
mod kustomize_missing_path;
mod missing_required_field;
mod not_a_manifest;
mod removed_api;
mod unknown_field;
mod unknown_kind;
pub mod unused_suppression;
mod yaml_syntax;

// Workload rules: probes, resources and units, containers per pod.
mod limit_below_request;
mod memory_units;
mod missing_liveness_probe;
mod missing_readiness_probe;
mod missing_resources;
mod multi_container_pod;
// The Pod Security Standards (one rule per control; src/rules/common/pod_security.rs runs them).
mod pod_security_apparmor;
mod pod_security_capabilities;
mod pod_security_host_namespaces;
mod pod_security_host_path;
mod pod_security_host_ports;
mod pod_security_host_process;
mod pod_security_privilege_escalation;
mod pod_security_privileged;
mod pod_security_probe_host;
mod pod_security_proc_mount;
mod pod_security_run_as_non_root;
mod pod_security_run_as_user;
mod pod_security_seccomp;
mod pod_security_selinux;
mod pod_security_sysctls;
mod pod_security_volume_types;
// Rules about links: selectors and the labels they pick, port names and their declarations.
mod hpa_target;
mod ingress_backend;
mod missing_config_reference;
mod missing_role;
mod missing_service_account;
mod missing_volume_claim;
mod network_policy_selector;
mod pdb_selector;
mod probe_port;
mod read_write_once_claim;
mod selector_mismatch;
mod service_selector;
mod service_target_port;
mod statefulset_service;
mod undeclared_target_port;
// Security beyond the Pod Security Standards: RBAC, credentials, node access; opt-in hardening.
mod container_runtime_socket;
mod env_literal_secret;
mod rbac_cluster_admin_binding;
mod rbac_default_service_account;
mod rbac_secrets_access;
mod rbac_wildcard;
mod read_only_root_filesystem;
// API-server validation: the pod spec (every pod template) and the warnings the server sends.
mod invalid_pod_spec;
mod server_warning;
// API-server validation: workloads, Services, object metadata.
mod invalid_metadata;
mod invalid_service;
mod invalid_workload_spec;
// API-server validation: configuration, storage, networking and policy objects.
mod invalid_config_data;
mod invalid_networking;
mod invalid_policy;

pub use duplicate_key::DUPLICATE_KEY;
pub use not_a_manifest::NOT_A_MANIFEST;
pub use unused_suppression::UNUSED_SUPPRESSION;
pub use yaml_syntax::YAML_SYNTAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Syntax,
    Schema,
    Api,
    Reliability,
    Resources,
    Images,
    Workloads,
    Networking,
    /// What the API server's own validation refuses beyond the schema (`Validate*` functions).
    Validation,
    /// The Pod Security Standards, as the PodSecurity admission controller enforces them.
    PodSecurity,
    /// Security beyond the Pod Security Standards: RBAC, credentials, node access.
    Security,
    /// Opt-in hardening beyond the restricted level: run only when selected.
    Hardening,
    Suppression,
    /// The findings of ValidatingAdmissionPolicies evaluated offline, and their compile errors.
    AdmissionPolicy,
    /// Rules a team writes in `.podlint.yaml` (`custom-rules`).
    Custom,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Schema => "schema",
            Category::Api => "api",
            Category::Reliability => "reliability",
            Category::Resources => "resources",
            Category::Images => "images",
            Category::Workloads => "workloads",
            Category::Networking => "networking",
            Category::Validation => "validation",
            Category::PodSecurity => "pod-security",
            Category::Security => "security",
            Category::Hardening => "hardening",
            Category::Suppression => "suppression",
            Category::AdmissionPolicy => "admission-policy",
            Category::Custom => "custom",
        }
    }
}

/// What `--fix` can do for a rule's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    /// Every fix keeps the manifest's meaning.
    Safe,
    /// Fixes change what is deployed; applied only with `--unsafe-fixes`.
    Unsafe,
    /// Some findings have a safe fix, others an unsafe one.
    Mixed,
}

/// Whether a rule runs by default. New rules ship as previews: they run with `--preview` (or
/// `preview: true`) or when selected by id, until their findings have been checked on real
/// repositories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Stable,
    Preview,
    /// Runs only when asked for: selected by id or by its category (`--select hardening`), or
    /// given a severity. For checks that are right for some teams and noise for others.
    OptIn,
}

/// What a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One object at a time (`Rule::check`), while its file's tree is loaded.
    Object,
    /// The object index of the whole run (`Rule::check_run`), once every file is read.
    Run,
}

#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub summary: &'static str,
    pub fix: FixAvailability,
    /// The rule's page, `rules/<id>.md`.
    pub doc: &'static str,
    pub status: Status,
    pub scope: Scope,
    /// Options under `rules.<id>` in `.podlint.yaml`.
    pub options: &'static [&'static OptionSpec],
    /// What the run must hold for the rule to reach a verdict (a Service's selector is judged
    /// only against pods). Without it a rule stays silent, and a suppression naming it is not
    /// called unused: in a run with more files the rule would have had its say.
    pub needs: &'static [ObjectClass],
    /// The references the rule reads from the index; only those are extracted.
    pub references: &'static [&'static ReferenceRow],
    /// Whether the rule judges an object as a whole (what it lacks, how its parts fit). Such a
    /// rule does not run on a partial object, a strategic-merge patch, which names only what it
    /// changes.
    pub whole_object: bool,
    /// Kinds the rule looks up in the index beyond those its references and needs name: they
    /// enter the index without the run having to hold them (a LimitRange that may supply
    /// requests).
    pub looks_up: &'static [&'static str],
}

impl RuleMeta {
    /// The defaults every rule starts from: `..RuleMeta::DEFAULTS` after the fields it sets.
    pub const DEFAULTS: RuleMeta = RuleMeta {
        id: "",
        severity: Severity::Warning,
        category: Category::Syntax,
        summary: "",
        fix: FixAvailability::None,
        doc: "",
        status: Status::Stable,
        scope: Scope::Object,
        options: &[],
        needs: &[],
        references: &[],
        whole_object: false,
        looks_up: &[],
    };

    pub fn option(&self, name: &str) -> Option<&'static OptionSpec> {
        self.options.iter().copied().find(|o| o.name == name)
    }
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one object. For rules of `Scope::Run` it runs too, in the per-file pass, when
    /// the object enters the index: what it reports there is held, located, until `check_run`
    /// has seen the run and releases it (`RunRuleContext::release`) or lets it go.
    fn check(&self, _object: &Object<'_, '_>, _cx: &mut Context<'_>) {}

    /// Checks the run's object index (rules of `Scope::Run`).
    fn check_run(&self, _index: &IndexView<'_>, _cx: &mut RunRuleContext<'_>) {}
}

/// A rule's metadata with no per-object check: rules raised by the loader or the schema stage.
struct Raised(&'static RuleMeta);

impl Rule for Raised {
    fn meta(&self) -> &'static RuleMeta {
        self.0
    }
}

static RULES: &[&dyn Rule] = &[
    &Raised(&YAML_SYNTAX),
    &Raised(&DUPLICATE_KEY),
    &Raised(&NOT_A_MANIFEST),
    // Raised by the schema stage (src/schema), worded by their files here.
    &Raised(&field_case::META),
    &Raised(&unknown_field::META),
    &Raised(&invalid_type::META),
    &Raised(&missing_required_field::META),
    &Raised(&invalid_value::META),
    &Raised(&unknown_kind::META),
    // Kustomize: kustomization files and the patches they list.
    &kustomize_missing_path::KustomizeMissingPath,
    &kustomize_deprecated_field::KustomizeDeprecatedField,
    &json_patch_invalid::JsonPatchInvalid,
    &removed_api::RemovedApi,
    &deprecated_api::DeprecatedApi,
    &image_tag::ImageTag,
    // Workload rules.
    &missing_liveness_probe::MissingLivenessProbe,
    &missing_readiness_probe::MissingReadinessProbe,
    &missing_resources::MissingResources,
    &memory_units::MemoryUnits,
    &limit_below_request::LimitBelowRequest,
    &multi_container_pod::MultiContainerPod,
    // The Pod Security Standards, in the order the standard lists its controls.
    &PodSecurityRule(&pod_security_host_process::META),
    &PodSecurityRule(&pod_security_host_namespaces::META),
    &PodSecurityRule(&pod_security_privileged::META),
    &PodSecurityRule(&pod_security_capabilities::META),
    &PodSecurityRule(&pod_security_host_path::META),
    &PodSecurityRule(&pod_security_host_ports::META),
    &PodSecurityRule(&pod_security_probe_host::META),
    &PodSecurityRule(&pod_security_apparmor::META),
    &PodSecurityRule(&pod_security_selinux::META),
    &PodSecurityRule(&pod_security_proc_mount::META),
    &PodSecurityRule(&pod_security_seccomp::META),
    &PodSecurityRule(&pod_security_sysctls::META),
    &PodSecurityRule(&pod_security_volume_types::META),
    &PodSecurityRule(&pod_security_privilege_escalation::META),
    &PodSecurityRule(&pod_security_run_as_non_root::META),
    &PodSecurityRule(&pod_security_run_as_user::META),
    // Rules about links.
    &selector_mismatch::SelectorMismatch,
    &probe_port::ProbePort,
    &service_selector::ServiceSelector,
    &service_target_port::ServiceTargetPort,
    &missing_config_reference::MissingConfigReference,
    &ingress_backend::IngressBackend,
    &missing_service_account::MissingServiceAccount,
    &missing_role::MissingRole,
    &missing_volume_claim::MissingVolumeClaim,
    &read_write_once_claim::ReadWriteOnceClaim,
    &statefulset_service::StatefulsetService,
    &undeclared_target_port::UndeclaredTargetPort,
    &pdb_selector::PdbSelector,
    &network_policy_selector::NetworkPolicySelector,
    &hpa_target::HpaTarget,
    // Security beyond the Pod Security Standards.
    &rbac_cluster_admin_binding::RbacClusterAdminBinding,
    &rbac_wildcard::RbacWildcard,
    &rbac_default_service_account::RbacDefaultServiceAccount,
    &env_literal_secret::EnvLiteralSecret,
    &container_runtime_socket::ContainerRuntimeSocket,
    &rbac_secrets_access::RbacSecretsAccess,
    &read_only_root_filesystem::ReadOnlyRootFilesystem,
    // API-server validation: the pod spec.
    &invalid_pod_spec::InvalidPodSpec,
    &server_warning::ServerWarning,
    // API-server validation: workloads, Services, object metadata.
    &invalid_workload_spec::InvalidWorkloadSpec,
    &invalid_service::InvalidService,
    &invalid_metadata::InvalidMetadata,
    // API-server validation: configuration, storage, networking and policy objects.
    &invalid_config_data::InvalidConfigData,
    &invalid_networking::InvalidNetworking,
    &invalid_policy::InvalidPolicy,
    // ValidatingAdmissionPolicies whose expressions do not compile (src/admission).
    &admission_policy_invalid::AdmissionPolicyInvalid,
    // Raised by the suppression stage (src/suppress.rs).
    &Raised(&UNUSED_SUPPRESSION),
    // Raised for a Helm chart's Chart.yaml (src/helm.rs).
    &Raised(&helm_chart_not_rendered::META),
];

/// Every rule, in the order `podlint rules` lists them.
pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

/// Where a rule's page is published: `rules/<id>.md` in the repository.
pub fn doc_url(id: &str) -> String {
    format!("{}/blob/main/rules/{id}.md", env!("CARGO_PKG_REPOSITORY"))
}

/// The rule with this id: a built-in one, else one defined at run time (a policy's, a custom
/// rule) that this process has registered.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id).or_else(|| dynamic::find(id))
}

/// Whether `id` names a built-in rule.
pub fn is_builtin(id: &str) -> bool {
    RULES.iter().any(|r| r.meta().id == id)
}

/// Turns what the schema stage found into a finding of the rule it belongs to.
pub fn report_schema_issue(issue: &crate::schema::Issue, cx: &mut Context<'_>) {
    use crate::schema::Issue;
    match issue {
        Issue::KeyCase { .. } | Issue::ValueCase { .. } => field_case::report(issue, cx),
        Issue::UnknownField { .. } => unknown_field::report(issue, cx),
        Issue::InvalidType { .. } => invalid_type::report(issue, cx),
        Issue::MissingRequired { .. } => missing_required_field::report(issue, cx),
        Issue::InvalidValue { .. } => invalid_value::report(issue, cx),
        Issue::UnknownKind { .. } => unknown_kind::report(issue, cx),
    }
}

/// Where a finding points: a span of the file being checked, or a location kept in the index
/// (the file's text is gone by the time rules look across the run).
#[derive(Debug)]
pub enum At {
    Span(Span),
    Located(Location),
}

/// A finding as a rule makes it; the engine adds severity, file, object and line:column.
#[derive(Debug)]
pub struct RawFinding {
    pub rule: &'static RuleMeta,
    /// A severity this finding has whatever the rule's default (a Pod Security violation in a
    /// namespace that enforces the level is an error); `None` takes the configured one.
    pub severity: Option<Severity>,
    pub at: At,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl RawFinding {
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = Some(severity);
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }

    pub fn span(&self) -> Span {
        match &self.at {
            At::Span(span) => *span,
            At::Located(location) => location.span,
        }
    }
}

/// What a rule sees while checking one object: the target version, the file's text (for fixes
/// that must match its indentation and quoting), the run context, its options, and a place for
/// findings.
pub struct Context<'s> {
    pub text: &'s str,
    pub run: &'s RunContext,
    /// Where the object comes from: a kustomization's resource or patch, a Helm template.
    pub provenance: Provenance,
    /// The Pod Security level for objects whose namespace no Namespace of the run labels.
    pub pod_security: crate::k8s::pod_security::Level,
    /// The file's name, when the engine checks one.
    pub file: Option<std::sync::Arc<str>>,
    target: KubeVersion,
    options: &'s OptionsTable,
    pub findings: Vec<RawFinding>,
}

impl<'s> Context<'s> {
    pub fn new(text: &'s str, target: KubeVersion, run: &'s RunContext, options: &'s OptionsTable) -> Self {
        Context {
            text,
            run,
            provenance: Provenance::default(),
            pod_security: crate::k8s::pod_security::Level::Baseline,
            file: None,
            target,
            options,
            findings: Vec::new(),
        }
    }

    pub fn target(&self) -> KubeVersion {
        self.target
    }

    pub fn options(&self, rule: &'static RuleMeta) -> Cow<'s, RuleOptions> {
        self.options.for_rule(rule)
    }

    pub fn report(&mut self, rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> &mut RawFinding {
        self.findings.push(RawFinding {
            rule,
            severity: None,
            at: At::Span(span),
            message: message.into(),
            help: None,
            fix: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

/// Whether a finding will be shown: suppressed ones are still made (so that their suppression
/// counts as used), but their help, often the costly part, is not.
pub trait Shown: Sync {
    fn shown(&self, rule: &'static RuleMeta, file: u32, span: Span) -> bool;
}

/// What a rule sees while checking the run's index.
pub struct RunRuleContext<'s> {
    pub run: &'s RunContext,
    target: KubeVersion,
    options: &'s OptionsTable,
    shown: &'s dyn Shown,
    /// Findings with the object they are about.
    pub findings: Vec<(ObjectId, RawFinding)>,
}

impl<'s> RunRuleContext<'s> {
    pub fn new(run: &'s RunContext, target: KubeVersion, options: &'s OptionsTable, shown: &'s dyn Shown) -> Self {
        RunRuleContext { run, target, options, shown, findings: Vec::new() }
    }

    pub fn target(&self) -> KubeVersion {
        self.target
    }

    pub fn options(&self, rule: &'static RuleMeta) -> Cow<'s, RuleOptions> {
        self.options.for_rule(rule)
    }

    /// Whether the run holds what `rule` needs to reach a verdict.
    pub fn has_input(&self, rule: &'static RuleMeta, index: &IndexView<'_>) -> bool {
        rule.needs.iter().all(|&class| index.holds(class))
    }

    /// Checks `subjects` in parallel, a chunk per task, each with its own `state` (a memo of
    /// what the chunk has worked out) and its own context; findings come back in the subjects'
    /// order, whatever the number of threads.
    pub fn each<T>(
        &mut self,
        subjects: &[ObjectId],
        state: impl Fn() -> T + Sync,
        check: impl Fn(ObjectId, &mut T, &mut RunRuleContext<'s>) + Sync,
    ) {
        use rayon::prelude::*;
        const CHUNK: usize = 256;
        let (run, target, options, shown) = (self.run, self.target, self.options, self.shown);
        let found: Vec<Vec<(ObjectId, RawFinding)>> = subjects
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut cx = RunRuleContext::new(run, target, options, shown);
                let mut memo = state();
                for &subject in chunk {
                    check(subject, &mut memo, &mut cx);
                }
                cx.findings
            })
            .collect();
        self.findings.extend(found.into_iter().flatten());
    }

    /// Reports a finding the rule held for `object` in the per-file pass, as it was made.
    pub fn release(&mut self, rule: &'static RuleMeta, object: ObjectId, held: &HeldFinding) {
        debug_assert_eq!(held.rule, rule.id, "a rule releases only the findings it held");
        let raw = RawFinding {
            rule,
            severity: None,
            at: At::Located(held.at.clone()),
            message: held.message.clone(),
            help: held.help.clone(),
            fix: None,
        };
        self.findings.push((object, raw));
    }

    /// Reports a finding about `object` at `at`; `help` runs only when the finding will be shown.
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        object: ObjectId,
        at: &Location,
        message: String,
        help: impl FnOnce() -> Option<String>,
    ) {
        let help = if self.shown.shown(rule, object.file, at.span) { help() } else { None };
        let raw = RawFinding { rule, severity: None, at: At::Located(at.clone()), message, help, fix: None };
        self.findings.push((object, raw));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            let meta = rule.meta();
            assert!(seen.insert(meta.id), "duplicate id {}", meta.id);
            assert!(meta.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", meta.id);
            assert!(
                meta.doc.starts_with(&format!("# {}", meta.id)),
                "rules/{}.md must start with `# {}`",
                meta.id,
                meta.id
            );
            for section in ["## What it does", "## Why", "## How to fix", "## Example"] {
                assert!(meta.doc.contains(section), "rules/{}.md lacks {section}", meta.id);
            }
            // The options section is generated from the declarations; the page must hold it.
            if !meta.options.is_empty() {
                assert!(meta.doc.contains(options::SECTION_START), "rules/{}.md has no options markers", meta.id);
            }
            assert_eq!(options::page(meta), meta.doc, "rules/{}.md: the options section is stale", meta.id);
            for option in meta.options {
                assert!(
                    option.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                    "{}: option {}",
                    meta.id,
                    option.name
                );
            }
        }
    }
}
