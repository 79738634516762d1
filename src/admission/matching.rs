//! Which objects a policy and a binding apply to, as the API server's matcher decides it for a
//! CREATE (k8s.io/apiserver/pkg/admission/plugin/policy/matching): namespace selector, object
//! selector, excluded rules, then resource rules. A LabelSelector with an operator Kubernetes
//! does not know selects nothing: the API server refuses such a policy, so it enforces nothing.

/// The label every Namespace carries, set by the API server to the Namespace's name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    /// Refused by the API server.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

/// A `metav1.LabelSelector`: `matchLabels` and `matchExpressions`, ANDed. Empty selects all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

impl LabelSelector {
    pub fn read(node: &crate::yaml::Node<'_>) -> LabelSelector {
        use crate::yaml::Node;
        let mut requirements = Vec::new();
        for entry in node.get("matchLabels").map(Node::entries).unwrap_or(&[]) {
            let (Some(key), Some(value)) = (entry.key.scalar_text(), entry.value.scalar_text()) else { continue };
            requirements.push(Requirement { key: key.into(), operator: Operator::In, values: vec![value.into()] });
        }
        for expression in node.get("matchExpressions").map(Node::items).unwrap_or(&[]) {
            let key = expression.get("key").and_then(Node::scalar_text).unwrap_or_default().to_string();
            let operator = match expression.get("operator").and_then(Node::scalar_text) {
                Some("In") => Operator::In,
                Some("NotIn") => Operator::NotIn,
                Some("Exists") => Operator::Exists,
                Some("DoesNotExist") => Operator::DoesNotExist,
                _ => Operator::Unknown,
            };
            let values = expression.get("values").map(Node::items).unwrap_or(&[]);
            let values = values.iter().filter_map(|v| v.scalar_text().map(str::to_owned)).collect();
            requirements.push(Requirement { key, operator, values });
        }
        LabelSelector { requirements }
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let value = |key: &str| labels.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        self.requirements.iter().all(|r| match r.operator {
            Operator::In => value(&r.key).is_some_and(|v| r.values.iter().any(|x| x == v)),
            Operator::NotIn => value(&r.key).is_none_or(|v| !r.values.iter().any(|x| x == v)),
            Operator::Exists => value(&r.key).is_some(),
            Operator::DoesNotExist => value(&r.key).is_none(),
            Operator::Unknown => false,
        })
    }

    /// Whether every requirement is about `key` alone.
    fn only_about(&self, key: &str) -> bool {
        self.requirements.iter().all(|r| r.key == key)
    }
}

/// One of `resourceRules` or `excludeResourceRules`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResourceRule {
    pub api_groups: Vec<String>,
    pub api_versions: Vec<String>,
    pub resources: Vec<String>,
    pub operations: Vec<String>,
    pub resource_names: Vec<String>,
    pub scope: Option<String>,
}

/// `matchConstraints` of a policy, `matchResources` of a binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchResources {
    /// `None` and empty select every namespace.
    pub namespace_selector: Option<LabelSelector>,
    pub object_selector: Option<LabelSelector>,
    pub resource_rules: Vec<ResourceRule>,
    pub exclude_resource_rules: Vec<ResourceRule>,
    /// `matchPolicy: Exact`; the default, Equivalent, also matches the same resource through
    /// another version or an older group that serves it.
    pub exact: bool,
}

/// What the matcher knows about the object being created.
#[derive(Clone, Debug)]
pub struct Attributes<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub resource: &'a str,
    pub name: &'a str,
    /// `None` for a cluster-scoped object.
    pub namespace: Option<&'a str>,
    pub labels: &'a [(String, String)],
}

/// The labels of the Namespaces of the run.
pub trait NamespaceLabels {
    /// `None` when the run holds no such Namespace.
    fn labels(&self, namespace: &str) -> Option<Vec<(String, String)>>;
}

/// Groups that served the same resource: Equivalent matching lets a rule for one match the other.
const EQUIVALENT_GROUPS: &[(&str, &[&str])] = &[
    ("deployments", &["apps", "extensions"]),
    ("daemonsets", &["apps", "extensions"]),
    ("replicasets", &["apps", "extensions"]),
    ("ingresses", &["networking.k8s.io", "extensions"]),
    ("networkpolicies", &["networking.k8s.io", "extensions"]),
    ("podsecuritypolicies", &["policy", "extensions"]),
];

fn listed(list: &[String], value: &str) -> bool {
    list.iter().any(|x| x == "*" || x == value)
}

impl ResourceRule {
    fn matches_resource(&self, resource: &str) -> bool {
        // A CREATE of the object itself has no subresource: `deployments/scale` is another
        // request, `*` and `*/*` cover it.
        self.resources.iter().any(|r| match r.split_once('/') {
            None => r == "*" || r == resource,
            Some((res, sub)) => (res == "*" || res == resource) && sub == "*",
        })
    }

    fn matches(&self, attributes: &Attributes<'_>, exact: bool) -> bool {
        if !listed(&self.operations, "CREATE") {
            return false;
        }
        let scope_fits = match self.scope.as_deref() {
            Some("Cluster") => attributes.namespace.is_none(),
            Some("Namespaced") => attributes.namespace.is_some(),
            _ => true,
        };
        if !scope_fits || !self.matches_resource(attributes.resource) {
            return false;
        }
        if !self.resource_names.is_empty() && !self.resource_names.iter().any(|n| n == attributes.name) {
            return false;
        }
        if listed(&self.api_groups, attributes.group) && listed(&self.api_versions, attributes.version) {
            return true;
        }
        if exact {
            return false;
        }
        // Equivalent: the API server converts the object to a version the rule names.
        let groups: &[&str] = EQUIVALENT_GROUPS
            .iter()
            .find(|(resource, groups)| *resource == attributes.resource && groups.contains(&attributes.group))
            .map_or(&[], |(_, groups)| groups);
        let group_fits =
            listed(&self.api_groups, attributes.group) || groups.iter().any(|g| listed(&self.api_groups, g));
        group_fits && !self.api_versions.is_empty()
    }
}

impl MatchResources {
    pub fn matches(&self, attributes: &Attributes<'_>, namespaces: &dyn NamespaceLabels) -> bool {
        if !self.namespace_selected(attributes, namespaces) {
            return false;
        }
        if let Some(selector) = &self.object_selector
            && !selector.matches(attributes.labels)
        {
            return false;
        }
        if self.exclude_resource_rules.iter().any(|r| r.matches(attributes, self.exact)) {
            return false;
        }
        self.resource_rules.is_empty() || self.resource_rules.iter().any(|r| r.matches(attributes, self.exact))
    }

    fn namespace_selected(&self, attributes: &Attributes<'_>, namespaces: &dyn NamespaceLabels) -> bool {
        let Some(selector) = self.namespace_selector.as_ref().filter(|s| !s.is_empty()) else { return true };
        let with_name = |mut labels: Vec<(String, String)>, name: &str| {
            labels.push((NAMESPACE_NAME_LABEL.to_string(), name.to_string()));
            labels
        };
        match attributes.namespace {
            // A Namespace is matched on its own labels.
            None if attributes.resource == "namespaces" && attributes.group.is_empty() => {
                selector.matches(&with_name(attributes.labels.to_vec(), attributes.name))
            }
            // Other cluster-scoped objects are not in a namespace to select.
            None => true,
            Some(namespace) => match namespaces.labels(namespace) {
                Some(labels) => selector.matches(&with_name(labels, namespace)),
                // Without the Namespace its labels are unknown, save the one the API server
                // sets: a selector on anything else cannot be decided, and is taken as not
                // selecting rather than risk a false error.
                None => {
                    selector.only_about(NAMESPACE_NAME_LABEL) && selector.matches(&with_name(Vec::new(), namespace))
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    fn selector(yaml: &str) -> LabelSelector {
        let loaded = load(yaml, Limits::default());
        LabelSelector::read(loaded.documents[0].root.as_ref().expect("a selector"))
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    struct Run(Vec<(&'static str, Vec<(String, String)>)>);
    impl NamespaceLabels for Run {
        fn labels(&self, namespace: &str) -> Option<Vec<(String, String)>> {
            self.0.iter().find(|(n, _)| *n == namespace).map(|(_, l)| l.clone())
        }
    }

    fn rule(groups: &[&str], versions: &[&str], resources: &[&str]) -> ResourceRule {
        let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        ResourceRule {
            api_groups: list(groups),
            api_versions: list(versions),
            resources: list(resources),
            operations: vec!["CREATE".into()],
            ..ResourceRule::default()
        }
    }

    fn deployment<'a>(namespace: Option<&'a str>, labels: &'a [(String, String)]) -> Attributes<'a> {
        Attributes { group: "apps", version: "v1", resource: "deployments", name: "web", namespace, labels }
    }

    #[test]
    fn selectors_match_labels_and_expressions() {
        let s = selector("matchLabels: {env: prod}\nmatchExpressions:\n- {key: tier, operator: NotIn, values: [db]}\n");
        assert!(s.matches(&pairs(&[("env", "prod")])));
        assert!(!s.matches(&pairs(&[("env", "prod"), ("tier", "db")])));
        assert!(!s.matches(&pairs(&[("env", "dev")])));
        assert!(!selector("matchExpressions:\n- {key: a, operator: Bogus}\n").matches(&[]));
        assert!(selector("{}").matches(&[]));
    }

    #[test]
    fn resource_rules_follow_groups_versions_resources_and_operations() {
        let labels = Vec::new();
        let attributes = deployment(Some("prod"), &labels);
        let exact = |r: ResourceRule| r.matches(&attributes, true);
        assert!(exact(rule(&["apps"], &["v1"], &["deployments"])));
        assert!(exact(rule(&["*"], &["*"], &["*"])));
        assert!(exact(rule(&["*"], &["*"], &["*/*"])));
        assert!(!exact(rule(&["apps"], &["v1"], &["deployments/scale"])), "a subresource is another request");
        assert!(!exact(rule(&[""], &["v1"], &["deployments"])));
        assert!(!exact(rule(&["apps"], &["v1beta1"], &["deployments"])));
        assert!(rule(&["apps"], &["v1beta1"], &["deployments"]).matches(&attributes, false), "Equivalent");
        assert!(rule(&["extensions"], &["v1beta1"], &["deployments"]).matches(&attributes, false));
        let mut update_only = rule(&["apps"], &["v1"], &["deployments"]);
        update_only.operations = vec!["UPDATE".into()];
        assert!(!exact(update_only));
        let mut named = rule(&["apps"], &["v1"], &["deployments"]);
        named.resource_names = vec!["api".into()];
        assert!(!exact(named));
        let mut cluster = rule(&["*"], &["*"], &["*"]);
        cluster.scope = Some("Cluster".into());
        assert!(!exact(cluster));
    }

    #[test]
    fn namespace_selectors_read_the_run_and_the_name_label() {
        let run = Run(vec![("prod", pairs(&[("env", "prod")])), ("dev", pairs(&[("env", "dev")]))]);
        let constraints = MatchResources {
            namespace_selector: Some(selector("matchLabels: {env: prod}")),
            resource_rules: vec![rule(&["apps"], &["v1"], &["deployments"])],
            ..MatchResources::default()
        };
        let labels = Vec::new();
        assert!(constraints.matches(&deployment(Some("prod"), &labels), &run));
        assert!(!constraints.matches(&deployment(Some("dev"), &labels), &run));
        assert!(!constraints.matches(&deployment(Some("elsewhere"), &labels), &run), "unknown labels");
        let by_name = MatchResources {
            namespace_selector: Some(selector("matchLabels: {kubernetes.io/metadata.name: elsewhere}")),
            ..MatchResources::default()
        };
        assert!(by_name.matches(&deployment(Some("elsewhere"), &labels), &run));
        let namespace_labels = pairs(&[("env", "prod")]);
        let namespace = Attributes {
            group: "",
            version: "v1",
            resource: "namespaces",
            name: "new",
            namespace: None,
            labels: &namespace_labels,
        };
        assert!(constraints.namespace_selected(&namespace, &run), "a Namespace on its own labels");
    }

    #[test]
    fn object_selectors_and_excluded_rules() {
        let constraints = MatchResources {
            object_selector: Some(selector("matchLabels: {team: a}")),
            exclude_resource_rules: vec![rule(&["apps"], &["v1"], &["statefulsets"])],
            ..MatchResources::default()
        };
        let run = Run(Vec::new());
        let team_a = pairs(&[("team", "a")]);
        assert!(constraints.matches(&deployment(Some("x"), &team_a), &run));
        assert!(!constraints.matches(&deployment(Some("x"), &[]), &run));
        let statefulset = Attributes { resource: "statefulsets", ..deployment(Some("x"), &team_a) };
        assert!(!constraints.matches(&statefulset, &run));
    }
}
