//! Follows an object's schema over its YAML tree, normalising as it goes (see the module docs
//! of `schema`): miscased keys and values are renamed to what was meant, unknown fields are
//! reported and removed, and value checks run where the schema's types say they apply.
use std::borrow::Cow;

use serde_json::{Map, Value as Json};

use super::bundle::bundle;
use super::catalog::{Catalog, SchemaRef};
use super::crds::builtin_crds;
use super::validate::{
    INT_OR_STRING_TYPES, QUANTITY_TYPES, expected_words, field_words, item_anchor, parent_words, type_mismatch_issue,
};
use super::values::{ValueCheck, checks_for, has_checks};
use super::{Issue, KindNote, Placement, properties, short_name};
use crate::k8s::deprecations::{ApiStatus, lookup as lookup_lifecycle, status_at};
use crate::k8s::enums::{self, EnumCheck};
use crate::k8s::kinds::canonical_kind;
use crate::k8s::names;
use crate::k8s::version::KubeVersion;
use crate::suggest::closest;
use crate::yaml::{Entry, Node, Resolved, Scalar, ScalarStyle, Span, Value};

/// How `$ref`s are resolved: against the embedded schemas of one version, or within a document.
#[derive(Clone, Copy)]
pub enum Resolver<'c> {
    Bundle(KubeVersion),
    Doc(&'c Json),
}

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const LABEL_SELECTOR: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector";

thread_local! {
    /// Resolved `$ref`s of the embedded schemas, by the address of the reference string (the
    /// parsed bundle is never freed, so addresses are stable). Resolving by name is a binary
    /// search over every definition name, and the walk resolves a reference at every node.
    static REFS: std::cell::RefCell<rustc_hash::FxHashMap<(KubeVersion, usize), Option<&'static Json>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

fn bundle_ref(version: KubeVersion, name: &str) -> Option<&'static Json> {
    let key = (version, name.as_ptr() as usize);
    if let Some(found) = REFS.with(|refs| refs.borrow().get(&key).copied()) {
        return found;
    }
    let found = bundle().definition(version, name);
    REFS.with(|refs| refs.borrow_mut().insert(key, found));
    found
}

impl<'c> Resolver<'c> {
    /// Follows `$ref`s (and single-entry `allOf`s, which generators use to wrap one); returns the
    /// schema reached and the name of the last embedded definition on the way.
    pub fn resolve(self, mut schema: &'c Json) -> (&'c Json, Option<&'c str>) {
        let mut definition = None;
        for _ in 0..32 {
            if let Some(target) = schema.get("$ref").and_then(Json::as_str) {
                let next = match self {
                    Resolver::Bundle(version) => target.strip_prefix("#/$defs/").and_then(|name| {
                        definition = Some(name);
                        bundle_ref(version, name)
                    }),
                    Resolver::Doc(root) => {
                        // A named definition names the type in messages ("in Patch").
                        if let Some(name) = target.strip_prefix("#/$defs/") {
                            definition = Some(name);
                        }
                        target.strip_prefix('#').and_then(|pointer| root.pointer(pointer))
                    }
                };
                match next {
                    Some(next) => schema = next,
                    None => break,
                }
            } else if let Some([only]) = schema.get("allOf").and_then(Json::as_array).map(Vec::as_slice) {
                if properties(schema).is_some() {
                    break;
                }
                schema = only;
            } else {
                break;
            }
        }
        (schema, definition)
    }
}

fn preserves_unknown(schema: &Json) -> bool {
    schema.get("x-kubernetes-preserve-unknown-fields").and_then(Json::as_bool) == Some(true)
}

/// The object's schema, once its apiVersion and kind are read as meant. A miscased `kind`
/// (`pod`) or `apiVersion` (`Apps/v1`) is reported and renamed in the tree.
pub fn identify(root: &mut Node<'_>, catalog: &Catalog, issues: &mut Vec<Issue>) -> Option<SchemaRef> {
    match (root.get("apiVersion"), root.get("kind")) {
        (None, Some(kind)) => {
            let parent = "the object".to_string();
            issues.push(Issue::MissingRequired { at: kind.span, property: "apiVersion".into(), parent });
        }
        (Some(api_version), None) => {
            let parent = "the object".to_string();
            issues.push(Issue::MissingRequired { at: api_version.span, property: "kind".into(), parent });
        }
        _ => {}
    }
    let api_version = root.get("apiVersion").and_then(Node::scalar_text)?.to_string();
    let kind = root.get("kind").and_then(Node::scalar_text)?.to_string();
    if let Some(found) = catalog.lookup(&api_version, &kind) {
        return Some(found);
    }
    let b = bundle();
    let served: Vec<(&str, &str)> = b.kinds(catalog.version).collect();
    let kind_fixed = served.iter().find(|(_, k)| k.eq_ignore_ascii_case(&kind)).map(|(_, k)| *k);
    let canonical_kind = kind_fixed
        .or_else(|| canonical_kind(&kind))
        .or_else(|| builtin_crds().kind_ignoring_case(&api_version, &kind))
        .unwrap_or(&kind)
        .to_string();
    let api_fixed = served
        .iter()
        .find(|(a, k)| *k == canonical_kind && a.eq_ignore_ascii_case(&api_version))
        .map(|(a, _)| a.to_string())
        .unwrap_or_else(|| api_version.clone());
    if (canonical_kind.as_str(), api_fixed.as_str()) != (kind.as_str(), api_version.as_str())
        && let Some(found) = catalog.lookup(&api_fixed, &canonical_kind)
    {
        for (key, written, canonical) in [("kind", &kind, &canonical_kind), ("apiVersion", &api_version, &api_fixed)] {
            if written != canonical
                && let Some(value) = root.entry_mut(key).map(|e| &mut e.value)
            {
                issues.push(Issue::ValueCase {
                    value: value.span,
                    written: written.clone(),
                    canonical: canonical.clone(),
                    field: key.to_string(),
                    quoted: is_quoted(value),
                });
                rename(value, canonical);
            }
        }
        return Some(found);
    }
    // An API from the lifecycle table (removed, or older than the embedded schemas) is
    // removed-api's or deprecated-api's to report; the object is still checked, against the
    // schema of the API it should move to, so that its other mistakes are not hidden.
    if let Some(entry) = lookup_lifecycle(&api_version, &canonical_kind) {
        if let Some(to) = entry.replacement_at(catalog.version)
            && let Some(found) = catalog.lookup(to, &canonical_kind)
        {
            return Some(found.substituted());
        }
        if let Some(ApiStatus::Removed(_)) = status_at(&api_version, &canonical_kind, catalog.target) {
            return None;
        }
    }
    if is_not_a_cluster_object(&api_version) {
        return None;
    }
    let at = root.get("apiVersion").map_or(Span::default(), |n| n.span);
    let elsewhere: Vec<String> =
        served.iter().filter(|(_, k)| *k == canonical_kind).map(|(a, _)| a.to_string()).collect();
    let note = if !elsewhere.is_empty() {
        KindNote::ServedAs(elsewhere)
    } else {
        let versions = b.versions_serving(&api_version, &canonical_kind);
        if !versions.is_empty() {
            KindNote::OnlyIn(versions.iter().map(ToString::to_string).collect())
        } else if api_version.contains('/') && !is_builtin_group(&api_version) {
            custom_kind_note(&api_version, &canonical_kind)
        } else {
            KindNote::Unknown
        }
    };
    issues.push(Issue::UnknownKind { at, api_version, kind: canonical_kind, note });
    None
}

/// What the built-in custom-resource schemas know of an apiVersion and kind they do not have:
/// the versions that have the kind, the group's nearest kind, or the built-in group the
/// apiVersion's group is likely a typo of.
fn custom_kind_note(api_version: &str, kind: &str) -> KindNote {
    let crds = builtin_crds();
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let Some((project, kinds)) = crds.kinds_of(group) else {
        // A typo of a group, not a group of the same domain: `monitoring.example.com` is not
        // `monitoring.coreos.com` mistyped.
        let nearest_group = crds
            .group_names()
            .map(|g| (strsim::damerau_levenshtein(group, g), g))
            .filter(|&(distance, _)| distance <= 2 && distance * 6 <= group.len())
            .min()
            .map(|(_, g)| g.to_string());
        return KindNote::NoCrd { nearest_group };
    };
    let project = project.to_string();
    match kinds.iter().find(|(k, _)| k == kind) {
        Some((_, versions)) => KindNote::OtherVersions { project, versions: versions.clone() },
        None => {
            let nearest = crate::suggest::closest(kind, kinds.iter().map(|(k, _)| k.as_str())).map(str::to_owned);
            KindNote::NotInGroup { project, nearest }
        }
    }
}

/// Whether any Kubernetes version podlint knows serves the apiVersion's group. Groups that none
/// serves belong to custom resources, `.k8s.io` ones included (Gateway API, snapshots).
fn is_builtin_group(api_version: &str) -> bool {
    static GROUPS: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    let group = |a: &str| a.rsplit_once('/').map_or(String::new(), |(g, _)| g.to_string());
    let groups = GROUPS.get_or_init(|| {
        let b = bundle();
        b.versions().iter().flat_map(|&v| b.kinds(v).map(|(a, _)| group(a))).collect()
    });
    groups.contains(&group(api_version))
}

/// Files that look like objects but configure tools rather than the cluster: kustomize,
/// kubeadm, the kubelet. They are not applied, so no schema is expected. The tool kinds
/// `object::looks_like_object` already refuses (a kubeconfig, kubeadm's and the kubelet's
/// configurations, kustomize's `apiVersion: builtin`) never get here; these groups also cover
/// their other kinds.
fn is_not_a_cluster_object(api_version: &str) -> bool {
    const TOOL_GROUPS: &[&str] = &[
        "kustomize.config.k8s.io/",
        "kubeadm.k8s.io/",
        "kubelet.config.k8s.io/",
        "kubeproxy.config.k8s.io/",
        "apiserver.config.k8s.io/",
        "apiserver.k8s.io/",
        "audit.k8s.io/",
        "kubescheduler.config.k8s.io/",
        "kubecontrollermanager.config.k8s.io/",
        "client.authentication.k8s.io/",
        "config.kubernetes.io/",
        "builtin/",
    ];
    TOOL_GROUPS.iter().any(|g| api_version.starts_with(g))
}

fn is_quoted(node: &Node<'_>) -> bool {
    matches!(node.as_scalar(), Some(s) if matches!(s.style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted))
}

/// Renaming in the tree keeps the span: findings inside still point at what was written.
fn rename(node: &mut Node<'_>, canonical: &str) {
    if let Value::Scalar(Scalar { text, .. }) = &mut node.value {
        *text = Cow::Owned(canonical.to_string());
    }
}

/// Walks `root` against `schema`, normalising the tree; issues are appended. `native`: also
/// check types and required fields here (the embedded schemas use only the keywords this walk
/// follows), instead of leaving them to jsonschema.
pub fn walk_object(
    root: &mut Node<'_>,
    schema: &SchemaRef,
    catalog: &Catalog,
    kind: &str,
    native: bool,
    issues: &mut Vec<Issue>,
) {
    let substitute = matches!(schema, SchemaRef::Substitute(_));
    let root_anchor = root.entry("kind").map_or(root.span, |e| e.value.span);
    let mut walker = Walker { issues, root_kind: kind, substitute, native: false };
    let base = Here {
        resolver: Resolver::Bundle(catalog.version),
        definition: None,
        parent: None,
        closed: true,
        document_root: false,
        field: "",
        anchor: root_anchor,
        root: true,
        item: false,
        env_value: false,
        check_type: false,
    };
    match schema {
        SchemaRef::Builtin(definition) | SchemaRef::Substitute(definition) => {
            walker.native = native;
            if let Some(def) = bundle().definition(catalog.version, definition) {
                walker.node(root, def, Here { definition: Some(definition), ..base });
            }
        }
        SchemaRef::Document(doc) => {
            let here = Here { resolver: Resolver::Doc(&doc.root), closed: doc.closed, document_root: true, ..base };
            walker.node(root, &doc.root, here);
        }
    }
}

const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const ENV_VAR: &str = "io.k8s.api.core.v1.EnvVar";

/// Whether a node has one of the JSON types, as jsonschema would judge the node's JSON form.
fn has_type(node: &Node<'_>, json_type: &str) -> bool {
    match (&node.value, json_type) {
        (Value::Mapping(_), "object") | (Value::Sequence(_), "array") => true,
        (Value::Scalar(s), _) => match (s.resolved, json_type) {
            (Resolved::Str, "string") | (Resolved::Bool(_), "boolean") | (Resolved::Null, "null") => true,
            (Resolved::Int(_), "integer" | "number") => true,
            // Infinity and NaN have no JSON form: they reach the API server as null.
            (Resolved::Float(f), "null") => !f.is_finite(),
            (Resolved::Float(f), "number") => f.is_finite(),
            (Resolved::Float(f), "integer") => f.is_finite() && f.fract() == 0.0,
            _ => false,
        },
        _ => false,
    }
}

/// The types a schema's `type` names (a string or a list of them).
fn type_names(t: &Json) -> impl Iterator<Item = &str> {
    let (one, many) = match t {
        Json::String(one) => (Some(one.as_str()), None),
        Json::Array(many) => (None, Some(many.iter().filter_map(Json::as_str))),
        _ => (None, None),
    };
    one.into_iter().chain(many.into_iter().flatten())
}

/// The types a node failed to have, worded for the message, or `None` when it has one of them.
/// Handles `type` and the `anyOf` of plain types that int-or-string and quantity use. Runs for
/// every node, so the common case (the type matches) allocates nothing.
fn type_mismatch(node: &Node<'_>, schema: &Json, definition: Option<&str>) -> Option<String> {
    if let Some(t) = schema.get("type") {
        let mut types = type_names(t).peekable();
        if types.peek().is_none() || type_names(t).any(|name| has_type(node, name)) {
            return None;
        }
        return Some(expected_words(type_names(t)));
    }
    let branches = schema.get("anyOf")?.as_array()?;
    let mut matched = false;
    for branch in branches {
        match (branch.get("type"), branch.as_object().map(|b| b.len())) {
            (Some(t), Some(1)) => matched |= type_names(t).any(|name| has_type(node, name)),
            // Anything richer than a choice of types is jsonschema's to judge.
            _ => return None,
        }
    }
    if matched {
        return None;
    }
    Some(match definition {
        Some(INT_OR_STRING) => INT_OR_STRING_TYPES.to_string(),
        Some(QUANTITY) => QUANTITY_TYPES.to_string(),
        _ => expected_words(branches.iter().filter_map(|b| b.get("type")).flat_map(type_names)),
    })
}

#[derive(Clone, Copy)]
struct Here<'c> {
    /// The property that led here (for a list item, the list's), for messages.
    field: &'c str,
    /// Where a "missing required field" finding about this node points: its key, the list
    /// item's `name:`, or the object's kind.
    anchor: Span,
    root: bool,
    item: bool,
    /// An EnvVar's `value`, whose type mistakes get their own wording.
    env_value: bool,
    /// Whether `node` checks this node's type (map values are checked where their key is known).
    check_type: bool,
    resolver: Resolver<'c>,
    /// The embedded definition whose properties are being walked, for value checks.
    definition: Option<&'c str>,
    /// Properties of the enclosing object and the key that led here, for "belongs one level up".
    parent: Option<(&'c Map<String, Json>, &'c str)>,
    /// Whether an object schema without `additionalProperties` forbids unknown fields.
    closed: bool,
    /// The root of a document schema (CRD), whose `metadata` is an ObjectMeta.
    document_root: bool,
}

struct Walker<'i, 'k> {
    issues: &'i mut Vec<Issue>,
    root_kind: &'k str,
    /// Check types and required fields (see `walk_object`).
    native: bool,
    /// Checking an old API against its replacement's schema: fields the move renamed are not
    /// mistakes, so unknown fields are reported only where the shape did not change.
    substitute: bool,
}

/// Types whose shape the API moves in the lifecycle table kept: the pod template and object
/// metadata. An unknown field there was unknown in the old API too.
fn shape_is_stable(definition: Option<&str>) -> bool {
    definition.is_some_and(|d| d.starts_with("io.k8s.api.core.v1.") || d == OBJECT_META)
}

/// What to do with one key of a mapping, decided before anything is renamed or removed.
enum Action<'c> {
    Known(&'c str, &'c Json),
    Miscased(&'c str, &'c Json),
    ByAdditional(&'c Json),
    Unknown,
    Allowed,
}

impl<'c> Walker<'_, '_> {
    fn node(&mut self, node: &mut Node<'_>, schema: &'c Json, here: Here<'c>) {
        let (schema, definition) = here.resolver.resolve(schema);
        if self.native
            && here.check_type
            && let Some(expected) = type_mismatch(node, schema, definition)
        {
            let field = field_words(here.field, here.env_value);
            self.issues.push(type_mismatch_issue(node, field, expected));
            return;
        }
        let here = Here { definition: definition.or(here.definition), ..here };
        match &mut node.value {
            Value::Mapping(entries) => self.mapping(entries, schema, here),
            Value::Sequence(items) => {
                if let Some(items_schema) = schema.get("items") {
                    for item in items {
                        let anchor = item_anchor(item);
                        let item_here =
                            Here { anchor, item: true, root: false, env_value: false, check_type: true, ..here };
                        self.node(item, items_schema, item_here);
                    }
                }
            }
            Value::Scalar(_) => {}
        }
    }

    fn mapping(&mut self, entries: &mut Vec<Entry<'_>>, schema: &'c Json, here: Here<'c>) {
        let additional = schema.get("additionalProperties");
        let Some(props) = properties(schema) else {
            // A map type (labels, data): every value follows `additionalProperties`.
            if let Some(each @ Json::Object(_)) = additional {
                for entry in entries.iter_mut() {
                    self.map_value(entry, each, here);
                }
            }
            return;
        };
        let closed = match additional {
            Some(Json::Bool(allowed)) => !allowed,
            Some(Json::Object(_)) => false,
            _ => here.closed && !preserves_unknown(schema),
        };
        let actions: Vec<Action<'c>> = entries
            .iter()
            .map(|entry| {
                let Some(key) = entry.key.scalar_text() else { return Action::Allowed };
                // Strategic-merge-patch directives (`$patch: delete`) belong to kustomize and
                // kubectl patch files, which podlint lints like any manifest.
                if key.starts_with('$') {
                    return Action::Allowed;
                }
                if let Some((name, prop)) = props.get_key_value(key) {
                    return Action::Known(name, prop);
                }
                let miscased = props.iter().find(|(name, _)| name.eq_ignore_ascii_case(key));
                if let Some((name, prop)) = miscased
                    && !entries.iter().any(|e| e.key.scalar_text() == Some(name))
                {
                    return Action::Miscased(name, prop);
                }
                match additional {
                    Some(each @ Json::Object(_)) => Action::ByAdditional(each),
                    _ if closed => Action::Unknown,
                    _ => Action::Allowed,
                }
            })
            .collect();

        // Labels written straight under a LabelSelector (the ReplicationController habit) mean
        // `matchLabels`; they are read that way, so the selector is checked as intended.
        let meant_match_labels = here.definition == Some(LABEL_SELECTOR)
            && !entries.iter().any(|e| e.key.scalar_text() == Some("matchLabels"));
        let mut unknown = Vec::new();
        for (index, (entry, action)) in entries.iter_mut().zip(actions).enumerate() {
            match action {
                Action::Known(name, prop) => self.field(entry, name, prop, props, here),
                Action::Miscased(name, prop) => {
                    self.issues.push(Issue::KeyCase {
                        key: entry.key.span,
                        written: entry.key.scalar_text().unwrap_or_default().to_string(),
                        canonical: name.to_string(),
                        quoted: is_quoted(&entry.key),
                    });
                    rename(&mut entry.key, name);
                    self.field(entry, name, prop, props, here);
                }
                Action::ByAdditional(each) => self.map_value(entry, each, here),
                // Kept, not reported: a field of the old API, which its migration fix rewrites.
                Action::Unknown if self.substitute && here.parent.is_some() && !shape_is_stable(here.definition) => {}
                Action::Unknown => {
                    let name = entry.key.scalar_text().unwrap_or_default().to_string();
                    let as_label = meant_match_labels && entry.value.as_scalar().is_some();
                    let suggestion = closest(&name, props.keys().map(String::as_str)).map(str::to_string);
                    let placement = if as_label {
                        Some(Placement::Under("matchLabels".into()))
                    } else {
                        placement(&name, props, here)
                    };
                    let parent = here.definition.map(short_name).unwrap_or(self.root_kind).to_string();
                    self.issues.push(Issue::UnknownField { key: entry.key.span, name, parent, suggestion, placement });
                    unknown.push(index);
                }
                Action::Allowed => {}
            }
        }
        // What Kubernetes would drop (or reject) should not be linted as if it were there.
        let mut labels = Vec::new();
        for index in unknown.into_iter().rev() {
            let entry = entries.remove(index);
            if meant_match_labels && entry.value.as_scalar().is_some() {
                labels.insert(0, entry);
            }
        }
        if self.native && !self.substitute {
            self.required(entries, schema, here);
        }
        if let Some(first) = labels.first() {
            let span = first.key.span.to(labels.last().map_or(first.value.span, |l| l.value.span));
            let key = Node {
                span: first.key.span,
                value: Value::Scalar(Scalar {
                    text: Cow::Borrowed("matchLabels"),
                    style: ScalarStyle::Plain,
                    resolved: crate::yaml::Resolved::Str,
                }),
            };
            entries.push(Entry { key, value: Node { span, value: Value::Mapping(labels) }, merged: false });
        }
    }

    /// A value of a map type (labels, annotations, data), named by its key in messages.
    fn map_value(&mut self, entry: &mut Entry<'_>, schema: &'c Json, here: Here<'c>) {
        let (resolved, definition) = here.resolver.resolve(schema);
        if self.native
            && let Some(expected) = type_mismatch(&entry.value, resolved, definition)
        {
            let field = field_words(entry.key.scalar_text().unwrap_or_default(), false);
            self.issues.push(type_mismatch_issue(&entry.value, field, expected));
            return;
        }
        let child = Here { definition: None, parent: None, check_type: false, anchor: entry.key.span, ..here };
        self.node(&mut entry.value, schema, child);
    }

    fn required(&mut self, entries: &[Entry<'_>], schema: &Json, here: Here<'c>) {
        let Some(required) = schema.get("required").and_then(Json::as_array) else { return };
        for property in required.iter().filter_map(Json::as_str) {
            if !entries.iter().any(|e| e.key.scalar_text() == Some(property)) {
                self.issues.push(Issue::MissingRequired {
                    at: here.anchor,
                    property: property.to_string(),
                    parent: parent_words(here.root, here.item, here.field),
                });
            }
        }
    }

    fn field(
        &mut self,
        entry: &mut Entry<'_>,
        name: &'c str,
        schema: &'c Json,
        props: &'c Map<String, Json>,
        here: Here<'c>,
    ) {
        if let Some(definition) = here.definition
            && has_checks(definition)
        {
            for check in checks_for(definition, name) {
                self.check_value(&mut entry.value, name, *check);
            }
        }
        let child = Here {
            parent: Some((props, name)),
            definition: None,
            document_root: false,
            field: name,
            anchor: entry.key.span,
            root: false,
            item: false,
            env_value: here.definition == Some(ENV_VAR) && name == "value",
            check_type: true,
            ..here
        };
        if here.document_root && name == "metadata" {
            // CRD schemas rarely describe metadata; the API server validates it as ObjectMeta.
            let bundle_resolver = Resolver::Bundle(match here.resolver {
                Resolver::Bundle(v) => v,
                Resolver::Doc(_) => bundle().newest(),
            });
            if let Some(meta) = bundle().definition(bundle().newest(), OBJECT_META) {
                let meta_here =
                    Here { resolver: bundle_resolver, definition: Some(OBJECT_META), closed: true, ..child };
                self.node(&mut entry.value, meta, meta_here);
                return;
            }
        }
        self.node(&mut entry.value, schema, child);
    }

    fn check_value(&mut self, node: &mut Node<'_>, field: &str, check: ValueCheck) {
        match check {
            ValueCheck::Enum(known) => {
                let items: Vec<&mut Node<'_>> = if known.list {
                    match &mut node.value {
                        Value::Sequence(items) => items.iter_mut().collect(),
                        _ => Vec::new(),
                    }
                } else {
                    vec![node]
                };
                for item in items {
                    let Some(value) = item.as_str().map(str::to_string) else { continue };
                    match enums::check(known, &value) {
                        EnumCheck::Valid => {}
                        EnumCheck::CaseMistake(canonical) => {
                            self.issues.push(Issue::ValueCase {
                                value: item.span,
                                written: value,
                                canonical: canonical.to_string(),
                                field: field.to_string(),
                                quoted: is_quoted(item),
                            });
                            rename(item, canonical);
                        }
                        EnumCheck::Invalid if known.strict => {
                            let suggestion = closest(&value, known.values.iter().copied());
                            self.issues.push(Issue::InvalidValue {
                                value: item.span,
                                field: field.to_string(),
                                reason: format!("`{value}` is not a valid {field}"),
                                help: Some(match suggestion {
                                    Some(s) => format!("did you mean `{s}`? allowed: {}", known.values.join(", ")),
                                    None => format!("allowed: {}", known.values.join(", ")),
                                }),
                            });
                        }
                        EnumCheck::Invalid => {}
                    }
                }
            }
            ValueCheck::Port { allow_zero, allow_name } => {
                if let Some(port) = node.as_i64() {
                    let low = if allow_zero { 0 } else { 1 };
                    if !(low..=65535).contains(&port) {
                        self.invalid(node.span, field, format!("{field} {port} is out of range ({low}–65535)"), None);
                    }
                } else if let Some(name) = node.as_str().filter(|_| allow_name) {
                    // int-or-string ports: a string is a port *name*.
                    if let Err(reason) = names::port_name(name) {
                        let help = name
                            .parse::<u32>()
                            .is_ok()
                            .then(|| "a number in quotes is a port name; remove the quotes".into());
                        self.invalid(node.span, field, format!("`{name}` is not a valid port name: it {reason}"), help);
                    }
                }
            }
            ValueCheck::PortName => {
                if let Some(name) = node.as_str()
                    && let Err(reason) = names::port_name(name)
                {
                    self.invalid(node.span, field, format!("port name `{name}` {reason}"), None);
                }
            }
            ValueCheck::Dns1123Label => {
                if let Some(name) = node.as_str()
                    && let Err(reason) = names::dns1123_label(name)
                {
                    self.invalid(node.span, field, format!("{field} `{name}` {reason}"), None);
                }
            }
            ValueCheck::Labels | ValueCheck::AnnotationKeys => {
                for entry in node.entries() {
                    let Some(key) = entry.key.scalar_text() else { continue };
                    if let Err(reason) = names::qualified_name(key) {
                        self.invalid(entry.key.span, field, format!("key `{key}` in {field}: {reason}"), None);
                    }
                    if matches!(check, ValueCheck::Labels)
                        && let Some(value) = entry.value.as_str()
                        && let Err(reason) = names::label_value(value)
                    {
                        self.invalid(entry.value.span, field, format!("label value `{value}`: {reason}"), None);
                    }
                }
            }
        }
    }

    fn invalid(&mut self, value: Span, field: &str, reason: String, help: Option<String>) {
        self.issues.push(Issue::InvalidValue { value, field: field.to_string(), reason, help });
    }
}

/// Where an unknown key belongs, when it is a field one level down or one level up.
fn placement<'c>(key: &str, props: &'c Map<String, Json>, here: Here<'c>) -> Option<Placement> {
    // A CRD's schema leaves metadata to the API server, so its own properties cannot say that a
    // stray `namespace` or `labels` belongs there.
    if here.document_root
        && let Some(meta) = bundle().definition(bundle().newest(), OBJECT_META).and_then(properties)
        && meta.contains_key(key)
    {
        return Some(Placement::Under("metadata".into()));
    }
    let child_props = |schema: &'c Json| {
        let (schema, _) = here.resolver.resolve(schema);
        let schema = match schema.get("items") {
            Some(items) => here.resolver.resolve(items).0,
            None => schema,
        };
        properties(schema)
    };
    for exact in [true, false] {
        for (name, schema) in props {
            if let Some(inner) = child_props(schema)
                && inner.keys().any(|k| if exact { k == key } else { k.eq_ignore_ascii_case(key) })
            {
                return Some(Placement::Under(name.clone()));
            }
        }
    }
    let (parent_props, parent_key) = here.parent?;
    parent_props.keys().any(|k| k.eq_ignore_ascii_case(key)).then(|| Placement::Beside(parent_key.to_string()))
}
