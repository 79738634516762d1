use super::common::links::{MissingName, report_if_missing};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::IndexView;
use crate::index::references::{CLUSTER_ROLE_BINDING_ROLE, ROLE_BINDING_ROLE, Target};

pub struct MissingRole;

static META: RuleMeta = RuleMeta {
    id: "missing-role",
    severity: Severity::Warning,
    category: Category::Security,
    summary: "A RoleBinding or ClusterRoleBinding grants a Role or ClusterRole that is not in the run",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-role.md"),
    scope: Scope::Run,
    references: &[&ROLE_BINDING_ROLE, &CLUSTER_ROLE_BINDING_ROLE],
    ..RuleMeta::DEFAULTS
};

/// Whether the API server makes a role of this kind and name itself (its bootstrap policy,
/// plugin/pkg/auth/authorizer/rbac/bootstrappolicy): the user-facing ClusterRoles, every
/// `system:` role, and the Role that lets extension API servers read the authentication
/// configuration in kube-system.
pub fn is_built_in_role(kind: &str, namespace: Option<&str>, name: &str) -> bool {
    name.starts_with("system:")
        || (kind == "ClusterRole" && matches!(name, "cluster-admin" | "admin" | "edit" | "view"))
        || (kind == "Role" && namespace == Some("kube-system") && name == "extension-apiserver-authentication-reader")
}

impl Rule for MissingRole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        let mut bindings = index.subjects("RoleBinding");
        bindings.extend(index.subjects("ClusterRoleBinding"));
        cx.each(
            &bindings,
            || (),
            |binding, _, cx| {
                let object = index.object(binding);
                let reference = object
                    .references_of(&ROLE_BINDING_ROLE)
                    .chain(object.references_of(&CLUSTER_ROLE_BINDING_ROLE))
                    .next();
                let Some(reference) = reference else { return };
                let Target::Object { kind, name, .. } = &reference.target else { return };
                // A ClusterRole lives outside namespaces; a Role in the binding's own. Another
                // kind (a Role under a ClusterRoleBinding) is the API server's refusal to report.
                let (kind, namespace) = match (kind.as_str(), object.kind()) {
                    ("ClusterRole", _) => ("ClusterRole", None),
                    ("Role", Some("RoleBinding")) => ("Role", object.namespace()),
                    _ => return,
                };
                if is_built_in_role(kind, namespace, name) {
                    return;
                }
                let missing = MissingName {
                    rule: &META,
                    kind,
                    name,
                    consequence: "the binding grants nothing and its subjects' requests are refused (403 Forbidden)",
                    remedy: "suppress the finding",
                };
                report_if_missing(index, cx, binding, namespace, reference, missing);
            },
        );
    }
}
