use super::common::rbac;
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::Node;

pub struct RbacDefaultServiceAccount;

static META: RuleMeta = RuleMeta {
    id: "rbac-default-service-account",
    severity: Severity::Warning,
    category: Category::Security,
    summary: "A binding grants a role to a namespace's `default` ServiceAccount, which every pod without its own gets",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/rbac-default-service-account.md"),
    ..RuleMeta::DEFAULTS
};

impl Rule for RbacDefaultServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if !rbac::is_binding(object) {
            return;
        }
        let role = object.root.get("roleRef").map_or_else(String::new, |r| {
            let kind = r.get("kind").and_then(Node::scalar_text).unwrap_or("role");
            let name = r.get("name").and_then(Node::scalar_text).unwrap_or_default();
            format!(" {kind} `{name}`")
        });
        for subject in rbac::subjects(object) {
            if !subject.is_service_account() || subject.name != "default" {
                continue;
            }
            let Some(name) = subject.node.get("name") else { continue };
            let namespace = subject.namespace.filter(|n| !n.is_empty()).or(object.namespace);
            let pods = match namespace {
                Some(namespace) => format!("every pod in namespace `{namespace}`"),
                None => "every pod in its namespace".to_string(),
            };
            cx.report(
                &META,
                name.span,
                format!(
                    "grants{role} to the `default` ServiceAccount: {pods} that names no service account gets \
                     these permissions"
                ),
            )
            .help(
                "create a ServiceAccount for the workload that needs the role, bind the role to it, and set \
                 `serviceAccountName:` in that workload's pod template",
            );
        }
    }
}
