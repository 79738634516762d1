use super::common::links::quoted_list;
use super::common::rbac;
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::Node;

pub struct RbacWildcard;

static META: RuleMeta = RuleMeta {
    id: "rbac-wildcard",
    severity: Severity::Warning,
    category: Category::Security,
    summary: "A Role or ClusterRole rule grants `*`: every verb, resource or API group",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/rbac-wildcard.md"),
    ..RuleMeta::DEFAULTS
};

/// The lists of a policy rule where `*` means "all", in the order messages name them.
const LISTS: [&str; 4] = ["verbs", "resources", "apiGroups", "nonResourceURLs"];

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        for rule in rbac::policy_rules(object) {
            if read_only_api(rule) {
                continue;
            }
            let mut wildcards: Vec<(&str, &Node<'_>)> = Vec::new();
            for list in LISTS {
                if let Some((item, _)) = rbac::items(rule, list).into_iter().find(|(_, v)| is_wildcard(list, v)) {
                    wildcards.push((list, item));
                }
            }
            // The finding points at the first `*` as written, whichever list it is in.
            let Some(first) = wildcards.iter().map(|(_, item)| *item).min_by_key(|item| item.span.start) else {
                continue;
            };
            let lists: Vec<&str> = wildcards.iter().map(|(list, _)| *list).collect();
            let message = format!("`*` in {}: {}", quoted_list(&lists, "and"), grant(rule, &lists));
            cx.report(&META, first.span, message).help(
                "list the verbs and resources the role needs, for example `verbs: [get, list, watch]` and \
                 `resources: [pods]`: `*` also grants whatever later Kubernetes versions and CRDs add",
            );
        }
    }
}

/// A trailing `*` in a non-resource URL is a prefix match, so `/*` is every URL as `*` is.
fn is_wildcard(list: &str, value: &str) -> bool {
    value == "*" || (list == "nonResourceURLs" && value == "/*")
}

/// What the rule grants, in words: "every verb on every resource of every API group".
fn grant(rule: &Node<'_>, wildcarded: &[&str]) -> String {
    let all = |list: &str| wildcarded.contains(&list);
    let named = |list: &str| {
        let values: Vec<&str> = rbac::items(rule, list).into_iter().map(|(_, v)| v).collect();
        quoted_list(&values, "and")
    };
    let verbs = if all("verbs") { "every verb".to_string() } else { named("verbs") };
    let mut targets = Vec::new();
    if all("resources") || all("apiGroups") {
        let resources = if all("resources") { "every resource".to_string() } else { named("resources") };
        let groups = if all("apiGroups") { " of every API group".to_string() } else { groups(rule) };
        targets.push(format!("{resources}{groups}"));
    }
    if all("nonResourceURLs") {
        targets.push("every non-resource URL of the API server".to_string());
    }
    if targets.is_empty() {
        let resources = named("resources");
        let urls = named("nonResourceURLs");
        targets.push(if resources.is_empty() { urls } else { resources });
    }
    format!("the rule grants {verbs} on {}", targets.join(" and on "))
}

/// " of the core API group", " of API group `apps`": where a `*` in resources applies.
fn groups(rule: &Node<'_>) -> String {
    let named: Vec<&str> = rbac::items(rule, "apiGroups").into_iter().map(|(_, v)| v).collect();
    match named.as_slice() {
        [] => String::new(),
        [""] => " of the core API group".to_string(),
        [one] => format!(" of API group `{one}`"),
        _ => {
            let shown: Vec<&str> = named.iter().map(|g| if g.is_empty() { "\"\"" } else { g }).collect();
            format!(" of API groups {}", quoted_list(&shown, "and"))
        }
    }
}

/// The metrics APIs serve only reads (`get`, `list`): `*` there cannot grant more, and the
/// metrics adapters' own manifests grant it that way.
fn read_only_api(rule: &Node<'_>) -> bool {
    let groups = rbac::items(rule, "apiGroups");
    !groups.is_empty()
        && groups
            .iter()
            .all(|(_, g)| matches!(*g, "metrics.k8s.io" | "custom.metrics.k8s.io" | "external.metrics.k8s.io"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    fn grant_of(rule: &str, lists: &[&str]) -> String {
        let loaded = load(rule, Limits::default());
        let root = loaded.documents[0].root.as_ref().expect("a rule");
        grant(root, lists)
    }

    #[test]
    fn grants_in_words() {
        let all = "{apiGroups: ['*'], resources: ['*'], verbs: ['*']}";
        assert_eq!(
            grant_of(all, &["verbs", "resources", "apiGroups"]),
            "the rule grants every verb on every resource of every API group"
        );
        let verbs = "{apiGroups: [''], resources: [configmaps, secrets], verbs: ['*']}";
        assert_eq!(grant_of(verbs, &["verbs"]), "the rule grants every verb on `configmaps` and `secrets`");
        let groups = "{apiGroups: ['*'], resources: [deployments], verbs: [get]}";
        assert_eq!(grant_of(groups, &["apiGroups"]), "the rule grants `get` on `deployments` of every API group");
        let urls = "{nonResourceURLs: ['/*'], verbs: [get]}";
        assert_eq!(
            grant_of(urls, &["nonResourceURLs"]),
            "the rule grants `get` on every non-resource URL of the API server"
        );
        let core = "{apiGroups: [''], resources: ['*'], verbs: [get, list]}";
        assert_eq!(
            grant_of(core, &["resources"]),
            "the rule grants `get` and `list` on every resource of the core API group"
        );
        let two = "{apiGroups: ['', apps], resources: ['*'], verbs: [get]}";
        assert_eq!(
            grant_of(two, &["resources"]),
            "the rule grants `get` on every resource of API groups `\"\"` and `apps`"
        );
    }
}
