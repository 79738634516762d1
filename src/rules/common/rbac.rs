//! Reading RBAC objects, shared by the rbac-* rules: which objects are roles and bindings, the
//! policy rules of a role, the subjects of a binding and how messages name them.
use crate::object::Object;
use crate::yaml::Node;

pub const GROUP: &str = "rbac.authorization.k8s.io";

/// A Role or ClusterRole of the RBAC API (any version: v1beta1 manifests still grant what they say).
pub fn is_role(object: &Object<'_, '_>) -> bool {
    object.group() == Some(GROUP) && matches!(object.kind, Some("Role" | "ClusterRole"))
}

pub fn is_binding(object: &Object<'_, '_>) -> bool {
    object.group() == Some(GROUP) && matches!(object.kind, Some("RoleBinding" | "ClusterRoleBinding"))
}

/// The policy rules a role's manifest grants. An aggregated ClusterRole's `rules` are written by
/// the controller from the roles its `aggregationRule` selects: what the manifest holds there is
/// overwritten, so it is not judged.
pub fn policy_rules<'t, 'a>(object: &Object<'t, 'a>) -> &'t [Node<'a>] {
    if !is_role(object) || object.root.get("aggregationRule").is_some_and(|a| !a.is_null()) {
        return &[];
    }
    object.root.get("rules").map(Node::items).unwrap_or(&[])
}

/// The string items of a policy rule's list (`verbs`, `resources`, `apiGroups`, …) with their
/// nodes, so that a finding can point at the item.
pub fn items<'t, 'a>(rule: &'t Node<'a>, key: &str) -> Vec<(&'t Node<'a>, &'t str)> {
    rule.get(key).map(Node::items).unwrap_or(&[]).iter().filter_map(|item| Some((item, item.as_str()?))).collect()
}

pub struct Subject<'t, 'a> {
    pub node: &'t Node<'a>,
    pub kind: &'t str,
    pub name: &'t str,
    pub namespace: Option<&'t str>,
}

impl Subject<'_, '_> {
    pub fn is_service_account(&self) -> bool {
        self.kind == "ServiceAccount"
    }

    /// How messages name a subject: "ServiceAccount `argocd/argocd-server`", "Group
    /// `system:masters`". A ServiceAccount of a RoleBinding that names no namespace is the one
    /// in the binding's namespace.
    pub fn describe(&self, binding_namespace: Option<&str>) -> String {
        let namespace = self.namespace.filter(|n| !n.is_empty()).or(binding_namespace);
        match namespace {
            Some(namespace) if self.is_service_account() => format!("ServiceAccount `{namespace}/{}`", self.name),
            _ => format!("{} `{}`", self.kind, self.name),
        }
    }
}

/// A binding's subjects that name a kind and a name (others are the schema stage's business).
pub fn subjects<'t, 'a>(object: &Object<'t, 'a>) -> Vec<Subject<'t, 'a>> {
    let list = object.root.get("subjects").map(Node::items).unwrap_or(&[]);
    list.iter()
        .filter_map(|node| {
            Some(Subject {
                node,
                kind: node.get("kind").and_then(Node::scalar_text)?,
                name: node.get("name").and_then(Node::scalar_text)?,
                namespace: node.get("namespace").and_then(Node::scalar_text),
            })
        })
        .collect()
}

/// "X", "X and Y", "X, Y and 3 more": subjects named in a message, a long list cut short.
pub fn describe_subjects(subjects: &[String]) -> String {
    const SHOWN: usize = 3;
    match subjects {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if subjects.len() <= SHOWN => format!("{} and {last}", init.join(", ")),
        _ => format!("{} and {} more", subjects[..SHOWN - 1].join(", "), subjects.len() - (SHOWN - 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_subject_lists_are_cut() {
        let names: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(describe_subjects(&names[..1]), "a");
        assert_eq!(describe_subjects(&names[..2]), "a and b");
        assert_eq!(describe_subjects(&names[..3]), "a, b and c");
        assert_eq!(describe_subjects(&names), "a, b and 2 more");
    }
}
