use super::common::links::quoted_list;
use super::common::rbac;
use super::{Category, Context, FixAvailability, Rule, RuleMeta, Status};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::Node;

pub struct RbacSecretsAccess;

static META: RuleMeta = RuleMeta {
    id: "rbac-secrets-access",
    // Opt-in: whoever selects it wants these grants to count like other findings (and fail
    // `--fail-on warning`); an info would be easy to select and then never see.
    severity: Severity::Warning,
    category: Category::Hardening,
    status: Status::OptIn,
    summary: "A Role or ClusterRole lets its subjects read Secrets or open exec, attach or port-forward sessions in pods",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/rbac-secrets-access.md"),
    ..RuleMeta::DEFAULTS
};

/// Verbs that hand over a Secret's data: `list` and `watch` return whole objects, not names.
const READ_VERBS: [&str; 4] = ["get", "list", "watch", "*"];
/// Verbs that open a session on a pod subresource: `create` is kubectl's POST; a WebSocket
/// client's upgrade is a GET, which needed only `get` before Kubernetes 1.35 made `create`
/// required too (feature gate AuthorizePodWebsocketUpgradeCreatePermission, kubernetes#134577).
const SESSION_VERBS: [&str; 3] = ["create", "get", "*"];
const SESSIONS: [&str; 4] = ["pods/exec", "pods/attach", "pods/portforward", "pods/*"];

impl Rule for RbacSecretsAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        for rule in rbac::policy_rules(object) {
            if !covers_core_group(rule) {
                continue;
            }
            // Named Secrets are the narrow grant this rule would suggest.
            if rule.get("resourceNames").is_some_and(|n| !n.items().is_empty()) {
                continue;
            }
            let verbs: Vec<&str> = rbac::items(rule, "verbs").into_iter().map(|(_, v)| v).collect();
            let granted =
                |among: &[&str]| -> Vec<&str> { verbs.iter().copied().filter(|v| among.contains(v)).collect() };
            let (read, session) = (granted(&READ_VERBS), granted(&SESSION_VERBS));
            for (item, resource) in rbac::items(rule, "resources") {
                let (message, help) = match resource {
                    "secrets" if !read.is_empty() => (secrets_message(&read), SECRETS_HELP),
                    _ if SESSIONS.contains(&resource) && !session.is_empty() => {
                        (session_message(resource, &session), SESSIONS_HELP)
                    }
                    "*" if !read.is_empty() || !session.is_empty() => {
                        (format!("`*` in resources of the core group: {}", both(&read, &session)), WILDCARD_HELP)
                    }
                    _ => continue,
                };
                cx.report(&META, item.span, message).help(help);
            }
        }
    }
}

/// Whether a policy rule applies to the core API group (`""`), where Secrets and pods live.
fn covers_core_group(rule: &Node<'_>) -> bool {
    rbac::items(rule, "apiGroups").iter().any(|(_, group)| group.is_empty() || *group == "*")
}

const SECRETS_HELP: &str = "name the Secrets the subjects need with `resourceNames` and grant `get` on those only; \
     if reading every Secret is intended (a controller that manages them), say why in a suppression comment";
const SESSIONS_HELP: &str = "grant exec, attach and port-forward only to the people and tools that debug these pods; \
     if this grant is intended, say why in a suppression comment";
const WILDCARD_HELP: &str = "list the resources the subjects use instead of `*`; for Secrets, name them with \
     `resourceNames`";

fn secrets_message(verbs: &[&str]) -> String {
    format!(
        "{} on `secrets` lets the role's subjects read every Secret where it is bound: the passwords, \
         tokens and keys in them",
        quoted_list(verbs, "and")
    )
}

fn session_message(resource: &str, verbs: &[&str]) -> String {
    let what = match resource {
        "pods/exec" => "run commands in any container of the pods where it is bound",
        "pods/attach" => "attach to the running processes of the pods where it is bound",
        "pods/portforward" => "reach any port of the pods where it is bound, past their NetworkPolicies",
        _ => "open exec, attach and port-forward sessions in the pods where it is bound",
    };
    format!("{} on `{resource}` lets the role's subjects {what}", quoted_list(verbs, "and"))
}

fn both(read: &[&str], session: &[&str]) -> String {
    let verbs = |verbs: &[&str]| quoted_list(verbs, "and");
    let secrets = format!("read every Secret (verbs {})", verbs(read));
    let sessions = format!("open exec, attach and port-forward sessions in pods (verbs {})", verbs(session));
    match (read.is_empty(), session.is_empty()) {
        (false, false) => format!("the role's subjects can {secrets} and {sessions}"),
        (false, true) => format!("the role's subjects can {secrets}"),
        _ => format!("the role's subjects can {sessions}"),
    }
}
