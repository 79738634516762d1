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

/// Every row, for tests and documentation.
pub static ROWS: &[&ReferenceRow] = &[&SERVICE_SELECTOR, &SERVICE_TARGET_PORT];

/// What a reference names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Name(String),
    Selector(Selector),
}

/// Label pairs as written, and hashed once (in the parallel per-file pass) for the lookups.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Selector {
    pub pairs: Vec<(String, String)>,
    pub hashed: Vec<Label>,
}

impl Selector {
    pub fn new(pairs: Vec<(String, String)>) -> Selector {
        let hashed = Label::all(&pairs);
        Selector { pairs, hashed }
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
        let start = match row.source {
            Source::Kind(kind) if object.is_kind(kind) => object.root,
            Source::PodSpec if !object.is_kind("PodTemplate") => match object.pod_template() {
                Some(template) => template.spec(),
                None => continue,
            },
            _ => continue,
        };
        if let Some((path, value)) = row.unless
            && walk_one(start, path).and_then(Node::scalar_text) == Some(value)
        {
            continue;
        }
        visit(start, row.path, &mut |key: Span, node: &Node<'_>| {
            let Some(target) = read(row.form, node) else { return };
            let span = match row.at {
                At::Key => key,
                At::Value => node.span,
            };
            out.push(Reference { row, target, at: locate(span) });
        });
    }
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
        Form::Name => node.as_str().map(|name| Target::Name(name.to_string())),
        Form::LabelMap => label_pairs(node),
        Form::MatchLabels => node.get("matchLabels").and_then(label_pairs),
    }
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
}
