use super::common::rbac;
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::Node;

pub struct RbacClusterAdminBinding;

static META: RuleMeta = RuleMeta {
    id: "rbac-cluster-admin-binding",
    severity: Severity::Warning,
    category: Category::Security,
    summary: "A binding gives the `cluster-admin` ClusterRole to its subjects",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/rbac-cluster-admin-binding.md"),
    ..RuleMeta::DEFAULTS
};

/// Members of this group pass the API server's authorization before RBAC is asked (kube-apiserver's
/// privileged-groups authorizer, `user.SystemPrivilegedGroup`), and Kubernetes binds it to
/// `cluster-admin` itself (the default `cluster-admin` ClusterRoleBinding): binding it again
/// grants nothing.
const SUPERUSER_GROUP: &str = "system:masters";

impl Rule for RbacClusterAdminBinding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if !rbac::is_binding(object) {
            return;
        }
        let Some(role_ref) = object.root.get("roleRef") else { return };
        if role_ref.get("kind").and_then(Node::scalar_text) != Some("ClusterRole") {
            return;
        }
        let Some(name) = role_ref.get("name") else { return };
        if name.scalar_text() != Some("cluster-admin") {
            return;
        }
        let subjects = rbac::subjects(object);
        let granted: Vec<String> = subjects
            .iter()
            .filter(|s| !(s.kind == "Group" && s.name == SUPERUSER_GROUP))
            .map(|s| s.describe(object.namespace))
            .collect();
        if granted.is_empty() && !subjects.is_empty() {
            return;
        }
        // A RoleBinding grants a ClusterRole's rules in its own namespace only.
        let reach = match (object.kind, object.namespace) {
            (Some("RoleBinding"), Some(namespace)) => {
                format!("every action on every resource of namespace `{namespace}`")
            }
            (Some("RoleBinding"), None) => "every action on every resource of the binding's namespace".to_string(),
            _ => "every action on every resource of the cluster".to_string(),
        };
        let message = if granted.is_empty() {
            format!("this binding gives `cluster-admin` ({reach}) to whoever is added to its subjects")
        } else {
            format!("gives `cluster-admin` to {}: {reach}", rbac::describe_subjects(&granted))
        };
        cx.report(&META, name.span, message).help(
            "bind a role that grants only the verbs and resources these subjects use (a ClusterRole or Role \
             listing them); if full control is intended, say why in a suppression comment",
        );
    }
}
