//! References between objects as data: a row names where a reference is written and what it
//! points at; one extractor reads every row. A new kind of reference is one row here, and the
//! rule that judges it.
use super::labels::Label;
use crate::finding::Location;
use crate::object::Object;
use crate::yaml::{Node, Span};

/// Which objects a row reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Objects of one kind; the path starts at the object's root.
    Kind(&'static str),
    /// Every pod and pod template (Pods, workloads, CronJobs); the path starts at the pod spec.
    PodSpec,
    /// Every container (init, app, ephemeral) of every pod and pod template; the path starts at
    /// the container.
    Containers,
}

/// What a reference points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Points {
    /// The pods whose labels a selector matches.
    Pods,
    /// A port name declared by the pods that a selector of the same object matches.
    PortOfSelectedPods,
    /// An object of this kind, by name, in the referring object's namespace.
    Named(&'static str),
    /// An object whose kind is written beside its name (a binding's `roleRef`, a subject): one
    /// of these kinds, the ones the rules judge.
    Written(&'static [&'static str]),
}

/// How the reference is written at the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A map of labels (`spec.selector` of a Service); an empty map selects nothing.
    LabelMap,
    /// A LabelSelector's `matchLabels` (a Deployment's or a PodDisruptionBudget's selector).
    MatchLabels,
    /// A name; a number at the path is not a reference (a numeric `targetPort`).
    Name,
    /// A mapping that names its target under `name` (`configMapKeyRef`, a `secret` volume),
    /// maybe keys of the target under `keys` (a path: `key`, `items[].key`), and may say
    /// `optional: true`. One reference for the name, one more for each key.
    Ref { name: &'static str, keys: Option<&'static str> },
    /// A mapping that writes the target's kind, name and maybe namespace under these keys
    /// (`roleRef`, a binding's `subjects[]`, an HPA's `scaleTargetRef`).
    Object { kind: &'static str, name: &'static str, namespace: Option<&'static str> },
    /// A port number under `field` of the mapping at the path, when that mapping writes nothing
    /// under `unless_beside` (a Service port without `targetPort` forwards to its own `port`).
    /// A name is not read.
    PortNumber { field: &'static str, unless_beside: Option<&'static str> },
    /// A whole LabelSelector: `matchLabels` and `matchExpressions` (a PodDisruptionBudget's or a
    /// NetworkPolicy's). An empty one is a reference too: what it selects depends on its kind.
    LabelSelector,
}

/// Where a finding about the reference points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// The key the reference is written under (`selector:`).
    Key,
    /// The value (`targetPort: http` → `http`).
    Value,
}

#[derive(Debug, PartialEq, Eq)]
pub struct ReferenceRow {
    /// Stable, kebab-case; tests and rules name rows by it.
    pub id: &'static str,
    pub source: Source,
    /// Keys from the source, `[]` stepping into every item of a list: `spec.ports[].targetPort`.
    pub path: &'static str,
    pub form: Form,
    pub points: Points,
    pub at: At,
    /// The object writes no reference when this field has this value (an ExternalName Service
    /// has no endpoints, so its selector means nothing).
    pub unless: Option<(&'static str, &'static str)>,
}

/// The pods a Service sends traffic to.
pub static SERVICE_SELECTOR: ReferenceRow = ReferenceRow {
    id: "service-selector",
    source: Source::Kind("Service"),
    path: "spec.selector",
    form: Form::LabelMap,
    points: Points::Pods,
    at: At::Key,
    unless: Some(("spec.type", "ExternalName")),
};

/// The container port a Service port forwards to, by name.
pub static SERVICE_TARGET_PORT: ReferenceRow = ReferenceRow {
    id: "service-target-port",
    source: Source::Kind("Service"),
    path: "spec.ports[].targetPort",
    form: Form::Name,
    points: Points::PortOfSelectedPods,
    at: At::Value,
    unless: None,
};

/// A row naming a ConfigMap or Secret, with the keys it reads.
const fn config(
    id: &'static str,
    source: Source,
    path: &'static str,
    kind: &'static str,
    name: &'static str,
    keys: Option<&'static str>,
) -> ReferenceRow {
    ReferenceRow {
        id,
        source,
        path,
        form: Form::Ref { name, keys },
        points: Points::Named(kind),
        at: At::Value,
        unless: None,
    }
}

pub static ENV_CONFIG_MAP_KEY: ReferenceRow = config(
    "env-config-map-key",
    Source::Containers,
    "env[].valueFrom.configMapKeyRef",
    "ConfigMap",
    "name",
    Some("key"),
);
pub static ENV_SECRET_KEY: ReferenceRow =
    config("env-secret-key", Source::Containers, "env[].valueFrom.secretKeyRef", "Secret", "name", Some("key"));
pub static ENV_FROM_CONFIG_MAP: ReferenceRow =
    config("env-from-config-map", Source::Containers, "envFrom[].configMapRef", "ConfigMap", "name", None);
pub static ENV_FROM_SECRET: ReferenceRow =
    config("env-from-secret", Source::Containers, "envFrom[].secretRef", "Secret", "name", None);
pub static VOLUME_CONFIG_MAP: ReferenceRow =
    config("volume-config-map", Source::PodSpec, "volumes[].configMap", "ConfigMap", "name", Some("items[].key"));
pub static VOLUME_SECRET: ReferenceRow =
    config("volume-secret", Source::PodSpec, "volumes[].secret", "Secret", "secretName", Some("items[].key"));
pub static PROJECTED_CONFIG_MAP: ReferenceRow = config(
    "projected-config-map",
    Source::PodSpec,
    "volumes[].projected.sources[].configMap",
    "ConfigMap",
    "name",
    Some("items[].key"),
);
pub static PROJECTED_SECRET: ReferenceRow = config(
    "projected-secret",
    Source::PodSpec,
    "volumes[].projected.sources[].secret",
    "Secret",
    "name",
    Some("items[].key"),
);
pub static IMAGE_PULL_SECRET: ReferenceRow =
    config("image-pull-secret", Source::PodSpec, "imagePullSecrets[]", "Secret", "name", None);

/// A row naming a Service from an Ingress, with the port it sends traffic to.
const fn backend(id: &'static str, path: &'static str, name: &'static str, port: &'static str) -> ReferenceRow {
    ReferenceRow {
        id,
        source: Source::Kind("Ingress"),
        path,
        form: Form::Ref { name, keys: Some(port) },
        points: Points::Named("Service"),
        at: At::Value,
        unless: None,
    }
}

/// An Ingress rule's backend Service and port number (`networking.k8s.io/v1`).
pub static INGRESS_BACKEND: ReferenceRow =
    backend("ingress-backend", "spec.rules[].http.paths[].backend.service", "name", "port.number");
/// The same backends' port names: their name references repeat the row above and are not read.
pub static INGRESS_BACKEND_PORT_NAME: ReferenceRow =
    backend("ingress-backend-port-name", "spec.rules[].http.paths[].backend.service", "name", "port.name");
pub static INGRESS_DEFAULT_BACKEND: ReferenceRow =
    backend("ingress-default-backend", "spec.defaultBackend.service", "name", "port.number");
pub static INGRESS_DEFAULT_BACKEND_PORT_NAME: ReferenceRow =
    backend("ingress-default-backend-port-name", "spec.defaultBackend.service", "name", "port.name");
/// `extensions/v1beta1` and `networking.k8s.io/v1beta1`: `serviceName` and `servicePort`, a
/// number or a name.
pub static INGRESS_LEGACY_BACKEND: ReferenceRow =
    backend("ingress-legacy-backend", "spec.rules[].http.paths[].backend", "serviceName", "servicePort");
pub static INGRESS_LEGACY_DEFAULT_BACKEND: ReferenceRow =
    backend("ingress-legacy-default-backend", "spec.backend", "serviceName", "servicePort");

/// The rows naming an Ingress's Services.
pub static INGRESS_ROWS: [&ReferenceRow; 6] = [
    &INGRESS_BACKEND,
    &INGRESS_BACKEND_PORT_NAME,
    &INGRESS_DEFAULT_BACKEND,
    &INGRESS_DEFAULT_BACKEND_PORT_NAME,
    &INGRESS_LEGACY_BACKEND,
    &INGRESS_LEGACY_DEFAULT_BACKEND,
];

/// The ServiceAccount a pod runs as (`serviceAccount` is its deprecated alias).
pub static SERVICE_ACCOUNT_NAME: ReferenceRow = account("service-account-name", "serviceAccountName");
pub static SERVICE_ACCOUNT_ALIAS: ReferenceRow = account("service-account-alias", "serviceAccount");

const fn account(id: &'static str, path: &'static str) -> ReferenceRow {
    ReferenceRow {
        id,
        source: Source::PodSpec,
        path,
        form: Form::Name,
        points: Points::Named("ServiceAccount"),
        at: At::Value,
        unless: None,
    }
}

/// The Role or ClusterRole a binding grants.
pub static ROLE_BINDING_ROLE: ReferenceRow =
    object_row("role-binding-role", "RoleBinding", "roleRef", None, &["Role", "ClusterRole"]);
pub static CLUSTER_ROLE_BINDING_ROLE: ReferenceRow =
    object_row("cluster-role-binding-role", "ClusterRoleBinding", "roleRef", None, &["ClusterRole"]);
/// The subjects a binding grants to; the rules read those of kind ServiceAccount (users and
/// groups are not objects).
pub static ROLE_BINDING_SUBJECT: ReferenceRow =
    object_row("role-binding-subject", "RoleBinding", "subjects[]", Some("namespace"), &["ServiceAccount"]);
pub static CLUSTER_ROLE_BINDING_SUBJECT: ReferenceRow = object_row(
    "cluster-role-binding-subject",
    "ClusterRoleBinding",
    "subjects[]",
    Some("namespace"),
    &["ServiceAccount"],
);

const fn object_row(
    id: &'static str,
    kind: &'static str,
    path: &'static str,
    namespace: Option<&'static str>,
    kinds: &'static [&'static str],
) -> ReferenceRow {
    ReferenceRow {
        id,
        source: Source::Kind(kind),
        path,
        form: Form::Object { kind: "kind", name: "name", namespace },
        points: Points::Written(kinds),
        at: At::Value,
        unless: None,
    }
}

/// The claims a pod's volumes mount.
pub static VOLUME_CLAIM: ReferenceRow = ReferenceRow {
    id: "volume-claim",
    source: Source::PodSpec,
    path: "volumes[].persistentVolumeClaim",
    form: Form::Ref { name: "claimName", keys: None },
    points: Points::Named("PersistentVolumeClaim"),
    at: At::Value,
    unless: None,
};

/// The Service that governs a StatefulSet's pods' DNS names.
pub static STATEFUL_SET_SERVICE: ReferenceRow = ReferenceRow {
    id: "stateful-set-service",
    source: Source::Kind("StatefulSet"),
    path: "spec.serviceName",
    form: Form::Name,
    points: Points::Named("Service"),
    at: At::Value,
    unless: None,
};

/// The container port number a Service port forwards to.
pub static SERVICE_TARGET_PORT_NUMBER: ReferenceRow = service_port("service-target-port-number", "targetPort", None);
/// A Service port without `targetPort`, which forwards to the same number.
pub static SERVICE_PORT_AS_TARGET: ReferenceRow = service_port("service-port-as-target", "port", Some("targetPort"));

const fn service_port(id: &'static str, field: &'static str, unless_beside: Option<&'static str>) -> ReferenceRow {
    ReferenceRow {
        id,
        source: Source::Kind("Service"),
        path: "spec.ports[]",
        form: Form::PortNumber { field, unless_beside },
        points: Points::PortOfSelectedPods,
        at: At::Value,
        unless: Some(("spec.type", "ExternalName")),
    }
}

/// The rows naming ConfigMaps and Secrets.
pub static CONFIG_ROWS: [&ReferenceRow; 9] = [
    &ENV_CONFIG_MAP_KEY,
    &ENV_SECRET_KEY,
    &ENV_FROM_CONFIG_MAP,
    &ENV_FROM_SECRET,
    &VOLUME_CONFIG_MAP,
    &VOLUME_SECRET,
    &PROJECTED_CONFIG_MAP,
    &PROJECTED_SECRET,
    &IMAGE_PULL_SECRET,
];

/// The pods a PodDisruptionBudget limits evictions of (`policy/v1` and `policy/v1beta1`).
pub static PDB_SELECTOR: ReferenceRow = ReferenceRow {
    id: "pdb-selector",
    source: Source::Kind("PodDisruptionBudget"),
    path: "spec.selector",
    form: Form::LabelSelector,
    points: Points::Pods,
    at: At::Key,
    unless: None,
};

/// The pods a NetworkPolicy applies to.
pub static NETWORK_POLICY_SELECTOR: ReferenceRow = ReferenceRow {
    id: "network-policy-selector",
    source: Source::Kind("NetworkPolicy"),
    path: "spec.podSelector",
    form: Form::LabelSelector,
    points: Points::Pods,
    at: At::Key,
    unless: None,
};

/// Every row, for tests and documentation.
pub static ROWS: &[&ReferenceRow] = &[
    &SERVICE_SELECTOR,
    &SERVICE_TARGET_PORT,
    &ENV_CONFIG_MAP_KEY,
    &ENV_SECRET_KEY,
    &ENV_FROM_CONFIG_MAP,
    &ENV_FROM_SECRET,
    &VOLUME_CONFIG_MAP,
    &VOLUME_SECRET,
    &PROJECTED_CONFIG_MAP,
    &PROJECTED_SECRET,
    &IMAGE_PULL_SECRET,
    &INGRESS_BACKEND,
    &INGRESS_BACKEND_PORT_NAME,
    &INGRESS_DEFAULT_BACKEND,
    &INGRESS_DEFAULT_BACKEND_PORT_NAME,
    &INGRESS_LEGACY_BACKEND,
    &INGRESS_LEGACY_DEFAULT_BACKEND,
    &SERVICE_ACCOUNT_NAME,
    &SERVICE_ACCOUNT_ALIAS,
    &ROLE_BINDING_ROLE,
    &CLUSTER_ROLE_BINDING_ROLE,
    &ROLE_BINDING_SUBJECT,
    &CLUSTER_ROLE_BINDING_SUBJECT,
    &VOLUME_CLAIM,
    &STATEFUL_SET_SERVICE,
    &SERVICE_TARGET_PORT_NUMBER,
    &SERVICE_PORT_AS_TARGET,
    &PDB_SELECTOR,
    &NETWORK_POLICY_SELECTOR,
];

/// What a reference names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Name(String),
    Selector(Selector),
    /// A key of the object named `name` (a ConfigMap's data key).
    Key {
        name: String,
        key: String,
    },
    /// An object named with its kind, and its namespace when the reference writes one.
    Object {
        kind: String,
        name: String,
        namespace: Option<String>,
    },
    Port(i64),
}

/// Label pairs as written, and hashed once (in the parallel per-file pass) for the lookups.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Selector {
    pub pairs: Vec<(String, String)>,
    pub hashed: Vec<Label>,
    /// A LabelSelector's `matchExpressions` (`Form::LabelSelector`), ANDed with the pairs.
    pub expressions: Vec<Requirement>,
}

impl Selector {
    pub fn new(pairs: Vec<(String, String)>) -> Selector {
        let hashed = Label::all(&pairs);
        Selector { pairs, hashed, expressions: Vec::new() }
    }

    /// Selects every pod (of a kind whose empty selector means all): no pair, no expression.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.expressions.is_empty()
    }
}

/// One of a LabelSelector's `matchExpressions`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    /// Anything else (`Gt` belongs to node selectors), or an item without a key: the API server
    /// refuses the selector, so what it would select is moot.
    Invalid,
}

impl Requirement {
    /// Whether the API server accepts it: `In` and `NotIn` need values, the others none.
    pub fn is_valid(&self) -> bool {
        match self.operator {
            Operator::In | Operator::NotIn => !self.values.is_empty(),
            Operator::Exists | Operator::DoesNotExist => self.values.is_empty(),
            Operator::Invalid => false,
        }
    }
}

impl std::ops::Deref for Selector {
    type Target = [(String, String)];

    fn deref(&self) -> &[(String, String)] {
        &self.pairs
    }
}

#[derive(Debug)]
pub struct Reference {
    pub row: &'static ReferenceRow,
    pub target: Target,
    pub at: Location,
    /// Written `optional: true`: the pod starts without the target, so it is never reported.
    pub optional: bool,
}

/// Reads the references the given rows describe from one object. `locate` turns a span into a
/// location while the file's text is still at hand.
pub fn extract(
    object: &Object<'_, '_>,
    rows: &[&'static ReferenceRow],
    locate: &dyn Fn(Span) -> Location,
    out: &mut Vec<Reference>,
) {
    for &row in rows {
        let starts: Vec<&Node<'_>> = match row.source {
            Source::Kind(kind) if object.is_kind(kind) => vec![object.root],
            Source::PodSpec | Source::Containers if !object.is_kind("PodTemplate") => match object.pod_template() {
                Some(template) if row.source == Source::PodSpec => vec![template.spec()],
                Some(template) => template.containers().into_iter().map(|c| c.node).collect(),
                None => continue,
            },
            _ => continue,
        };
        for start in starts {
            if let Some((path, value)) = row.unless
                && walk_one(start, path).and_then(Node::scalar_text) == Some(value)
            {
                continue;
            }
            visit(start, row.path, &mut |key: Span, node: &Node<'_>| {
                match row.form {
                    Form::Ref { name, keys } => return read_ref(row, node, name, keys, locate, out),
                    Form::Object { kind, name, namespace } => {
                        return read_object(row, node, [kind, name], namespace, locate, out);
                    }
                    Form::PortNumber { field, unless_beside } => {
                        if unless_beside.is_some_and(|beside| node.get(beside).is_some()) {
                            return;
                        }
                        // A port name is the named-port row's business.
                        if let Some(value) = node.get(field)
                            && let Some(number) = value.as_i64()
                        {
                            out.push(Reference {
                                row,
                                target: Target::Port(number),
                                at: locate(value.span),
                                optional: false,
                            });
                        }
                        return;
                    }
                    _ => {}
                }
                let Some(target) = read(row.form, node) else { return };
                let span = match row.at {
                    At::Key => key,
                    At::Value => node.span,
                };
                out.push(Reference { row, target, at: locate(span), optional: false });
            });
        }
    }
}

/// The references of one `Form::Ref` mapping: its name, then each key it reads of the target.
fn read_ref(
    row: &'static ReferenceRow,
    node: &Node<'_>,
    name_key: &str,
    keys: Option<&str>,
    locate: &dyn Fn(Span) -> Location,
    out: &mut Vec<Reference>,
) {
    let Some(name_node) = node.get(name_key) else { return };
    let Some(name) = name_node.as_str() else { return };
    let optional = node.get("optional").and_then(Node::as_bool) == Some(true);
    out.push(Reference { row, target: Target::Name(name.to_string()), at: locate(name_node.span), optional });
    let Some(keys) = keys else { return };
    let mut found = |_: Span, key: &Node<'_>| {
        if let Some(text) = key.scalar_text() {
            let target = Target::Key { name: name.to_string(), key: text.to_string() };
            out.push(Reference { row, target, at: locate(key.span), optional });
        }
    };
    visit(node, keys, &mut found);
}

/// The reference of one `Form::Object` mapping, at its name.
fn read_object(
    row: &'static ReferenceRow,
    node: &Node<'_>,
    [kind_key, name_key]: [&str; 2],
    namespace_key: Option<&str>,
    locate: &dyn Fn(Span) -> Location,
    out: &mut Vec<Reference>,
) {
    let (Some(kind), Some(name_node)) = (node.get(kind_key).and_then(Node::as_str), node.get(name_key)) else {
        return;
    };
    let Some(name) = name_node.as_str() else { return };
    let namespace = namespace_key.and_then(|key| node.get(key)).and_then(Node::as_str).map(str::to_owned);
    let target = Target::Object { kind: kind.to_string(), name: name.to_string(), namespace };
    out.push(Reference { row, target, at: locate(name_node.span), optional: false });
}

/// The node at a path without `[]` steps.
fn walk_one<'t, 'a>(node: &'t Node<'a>, path: &str) -> Option<&'t Node<'a>> {
    path.split('.').try_fold(node, |here, key| here.get(key))
}

/// Calls `found` with (key span, value) for every node the path (`a.b[].c`) reaches.
fn visit<'t, 'a>(node: &'t Node<'a>, path: &str, found: &mut dyn FnMut(Span, &'t Node<'a>)) {
    if path.is_empty() {
        return;
    }
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    let (name, each) = match first.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (first, false),
    };
    let Some(entry) = node.entry(name) else { return };
    match (each, rest.is_empty()) {
        (false, true) => found(entry.key.span, &entry.value),
        (false, false) => visit(&entry.value, rest, found),
        (true, _) => {
            for item in entry.value.items() {
                if rest.is_empty() {
                    found(entry.key.span, item);
                } else {
                    visit(item, rest, found);
                }
            }
        }
    }
}

fn read(form: Form, node: &Node<'_>) -> Option<Target> {
    match form {
        Form::Ref { .. } | Form::Object { .. } | Form::PortNumber { .. } => None,
        Form::Name => node.as_str().map(|name| Target::Name(name.to_string())),
        Form::LabelMap => label_pairs(node),
        Form::MatchLabels => node.get("matchLabels").and_then(label_pairs),
        Form::LabelSelector => label_selector(node),
    }
}

/// A LabelSelector mapping, empty or not; nothing for a null or a value of another type.
fn label_selector(node: &Node<'_>) -> Option<Target> {
    node.as_mapping()?;
    let pairs = string_pairs(node.get("matchLabels"));
    let requirement = |item: &Node<'_>| {
        let key = item.get("key").and_then(Node::scalar_text);
        let operator = match item.get("operator").and_then(Node::scalar_text) {
            _ if key.is_none() => Operator::Invalid,
            Some("In") => Operator::In,
            Some("NotIn") => Operator::NotIn,
            Some("Exists") => Operator::Exists,
            Some("DoesNotExist") => Operator::DoesNotExist,
            _ => Operator::Invalid,
        };
        let values = item.get("values").map(Node::items).unwrap_or(&[]);
        Requirement {
            key: key.unwrap_or_default().to_string(),
            operator,
            values: values.iter().filter_map(|v| v.scalar_text().map(str::to_owned)).collect(),
        }
    };
    let expressions = node.get("matchExpressions").map(Node::items).unwrap_or(&[]).iter().map(requirement).collect();
    Some(Target::Selector(Selector { expressions, ..Selector::new(pairs) }))
}

/// String pairs of a map; no reference when it has none (an empty selector selects nothing).
fn label_pairs(node: &Node<'_>) -> Option<Target> {
    let pairs = string_pairs(Some(node));
    (!pairs.is_empty()).then(|| Target::Selector(Selector::new(pairs)))
}

pub fn string_pairs(node: Option<&Node<'_>>) -> Vec<(String, String)> {
    node.map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key.scalar_text()?.to_string(), e.value.scalar_text()?.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;
    use crate::object::objects_in;
    use crate::yaml::{Limits, load};

    static CONFIG_MAP_ENV: ReferenceRow = ReferenceRow {
        id: "test-config-map-env-from",
        source: Source::PodSpec,
        path: "containers[].envFrom[].configMapRef.name",
        form: Form::Name,
        points: Points::Named("ConfigMap"),
        at: At::Value,
        unless: None,
    };

    fn references(text: &str, rows: &[&'static ReferenceRow]) -> Vec<(&'static str, Target, u32)> {
        let loaded = load(text, Limits::default());
        let mut out = Vec::new();
        let locate = |span: Span| Location { span, ..Location::default() };
        for object in loaded.documents.iter().flat_map(objects_in) {
            extract(&object, rows, &locate, &mut out);
        }
        out.into_iter().map(|r| (r.row.id, r.target, r.at.span.start)).collect()
    }

    #[test]
    fn service_rows_read_selectors_and_named_ports() {
        let text = "apiVersion: v1\nkind: Service\nspec:\n  selector: {app: web}\n  ports:\n  - targetPort: http\n  - targetPort: 8080\n";
        let found = references(text, &[&SERVICE_SELECTOR, &SERVICE_TARGET_PORT]);
        let selector = Target::Selector(Selector::new(vec![("app".into(), "web".into())]));
        assert_eq!(
            found,
            [
                ("service-selector", selector, text.find("selector").unwrap() as u32),
                ("service-target-port", Target::Name("http".into()), text.find("http").unwrap() as u32),
            ]
        );
        let external = "apiVersion: v1\nkind: Service\nspec:\n  type: ExternalName\n  selector: {app: web}\n";
        assert!(references(external, &[&SERVICE_SELECTOR]).is_empty());
        assert!(references("apiVersion: v1\nkind: Service\nspec:\n  selector: {}\n", &[&SERVICE_SELECTOR]).is_empty());
    }

    #[test]
    fn label_selector_rows_read_pairs_expressions_and_empty_selectors() {
        let pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec:\n  selector:\n    matchLabels: {app: web}\n    matchExpressions:\n    - {key: tier, operator: In, values: [a, b]}\n    - {operator: Exists}\n";
        let found = references(pdb, &[&PDB_SELECTOR]);
        let [(_, Target::Selector(selector), at)] = &found[..] else { panic!("{found:?}") };
        assert_eq!(*at as usize, pdb.find("selector").unwrap());
        assert_eq!(selector.pairs, [("app".to_string(), "web".to_string())]);
        let tier = Requirement { key: "tier".into(), operator: Operator::In, values: vec!["a".into(), "b".into()] };
        assert_eq!(selector.expressions[0], tier);
        assert_eq!(selector.expressions[1].operator, Operator::Invalid, "an expression without a key");
        let empty = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec:\n  podSelector: {}\n";
        let found = references(empty, &[&NETWORK_POLICY_SELECTOR]);
        assert!(matches!(&found[..], [(_, Target::Selector(s), _)] if s.is_empty()), "{found:?}");
        let null = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec:\n  selector:\n";
        assert!(references(null, &[&PDB_SELECTOR]).is_empty());
    }

    #[test]
    fn pod_spec_rows_read_every_workload_kind() {
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - envFrom:\n        - configMapRef: {name: settings}\n";
        let cron = "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - envFrom: [{configMapRef: {name: jobs}}]\n";
        let names = |text| references(text, &[&CONFIG_MAP_ENV]).into_iter().map(|(_, t, _)| t).collect::<Vec<_>>();
        assert_eq!(names(deployment), [Target::Name("settings".into())]);
        assert_eq!(names(cron), [Target::Name("jobs".into())]);
        assert!(
            names("apiVersion: v1\nkind: PodTemplate\ntemplate:\n  spec:\n    containers: [{envFrom: [{configMapRef: {name: x}}]}]\n")
                .is_empty()
        );
    }

    #[test]
    fn config_rows_read_names_keys_and_optional() {
        let pod = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - env:\n    - valueFrom: {configMapKeyRef: {name: a, key: k, optional: true}}\n  volumes:\n  - secret: {secretName: s, items: [{key: x}, {key: y}]}\n";
        let found: Vec<(&str, Target)> =
            references(pod, &CONFIG_ROWS).into_iter().map(|(id, target, _)| (id, target)).collect();
        let key = |name: &str, key: &str| Target::Key { name: name.into(), key: key.into() };
        assert_eq!(
            found,
            [
                ("env-config-map-key", Target::Name("a".into())),
                ("env-config-map-key", key("a", "k")),
                ("volume-secret", Target::Name("s".into())),
                ("volume-secret", key("s", "x")),
                ("volume-secret", key("s", "y")),
            ]
        );
        let loaded = load(pod, Limits::default());
        let mut out = Vec::new();
        let locate = |span: Span| Location { span, ..Location::default() };
        for object in loaded.documents.iter().flat_map(objects_in) {
            extract(&object, &CONFIG_ROWS, &locate, &mut out);
        }
        assert_eq!(out.iter().map(|r| r.optional).collect::<Vec<_>>(), [true, true, false, false, false]);
    }
}
