//! The per-file pass: one file's text to its findings, its suppression table and its part of the
//! object index. Files are independent here, so the run checks them in parallel.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::Engine;
use super::finish::to_findings;
use std::path::Path;

use crate::admission;
use crate::context::{KustomizationFile, KustomizeRole, Kustomized, Provenance, is_kustomization};
use crate::finding::{Finding, Location, ObjectInfo};
use crate::index::references::{extract, string_pairs};
use crate::index::scaling;
use crate::index::{HeldFinding, IndexPart, IndexedObject, PodFacts, PodLabels, PodsAtOnce, TargetFacts};
use crate::kustomize;
use crate::object::{Completeness, ContainerKind, Object, is_assertion_file, object_roots_mut, objects_in};
use crate::rules::{self, At, Context, DUPLICATE_KEY, NOT_A_MANIFEST, RawFinding, YAML_SYNTAX};
use crate::schema::{Issue, SchemaRef, validate, values, walk};
use crate::source::SourceFile;
use crate::suppress::{self, Suppressions};
use crate::yaml::{self, Document, Node, ProblemKind, Span, Value};

/// What one file contributes to the run.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub findings: Vec<Finding>,
    pub objects: usize,
    pub index: IndexPart,
    /// Applied after the run rules, so that they cover those findings too.
    pub suppressions: Suppressions,
}

/// How a file came to be checked, which decides how much is said about a file that turns out
/// not to be a Kubernetes manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Named on the command line, piped in, or handed over by an editor: the user asked about it.
    Named,
    /// Found by walking a folder, among whatever else the repository holds.
    Walked,
}

/// Checks a file given as raw bytes: text that is not UTF-8 is itself a finding.
pub fn check_bytes(engine: &Engine, path: Arc<str>, bytes: Vec<u8>, origin: Origin) -> FileOutcome {
    match String::from_utf8(bytes) {
        Ok(text) if crate::source::markdown::is_markdown(&path) => {
            super::markdown::check_page(engine, path, text, origin)
        }
        Ok(text) => check_file(engine, &SourceFile::new(path, text), origin),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let message = if bytes.contains(&0) {
                "this is a binary file, not YAML or JSON text".to_string()
            } else {
                format!("the file is not valid UTF-8 (invalid byte 0x{:02X})", bytes[valid])
            };
            // Locate against the valid prefix: it is all a reader can trust.
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let file = SourceFile::new(path.clone(), prefix);
            let span = Span::new(valid as u32, valid as u32);
            let raw =
                RawFinding { rule: &YAML_SYNTAX, severity: None, at: At::Span(span), message, help: None, fix: None };
            let mut outcome = FileOutcome { index: IndexPart { path, objects: Vec::new() }, ..FileOutcome::default() };
            outcome.findings.extend(to_findings(&engine.settings, Some(&file), &file.path, vec![raw], None));
            outcome
        }
    }
}

/// Files this large are parsed and checked in parts, in parallel; smaller ones are already one
/// task among many.
const PARALLEL_FILE: usize = 512 * 1024;
const PART: usize = 128 * 1024;

pub fn check_file(engine: &Engine, file: &SourceFile, origin: Origin) -> FileOutcome {
    let intent = Intent::new(&file.text);
    let mut outcome = check_parts(engine, file, &intent);
    if intent.templated.load(Ordering::Relaxed) {
        // A template that parses is still a template: `replicas: {{ .Values.n }}` judged as YAML
        // would be a wrong type, not the chart author's mistake.
        outcome =
            FileOutcome { index: IndexPart { path: file.path.clone(), objects: Vec::new() }, ..Default::default() };
    }
    // A file a kustomization names (a transformer config, a generator's input) is understood
    // for what it is, not skipped.
    let understood = engine.context.kustomized(&file.path).is_some();
    if origin == Origin::Named && outcome.objects == 0 && outcome.findings.is_empty() && !understood {
        let raw = intent.not_a_manifest();
        outcome.findings.extend(to_findings(&engine.settings, Some(file), &file.path, vec![raw], None));
    }
    outcome
}

/// What a file was meant to be, for the files that are not plainly manifests: a template, or
/// something that does not parse.
pub(super) struct Intent<'t> {
    text: &'t str,
    /// Where the first `{{` is: a Go or Helm template's syntax is its engine's, not YAML's.
    template_mark: Option<usize>,
    /// Set when the file turned out to be a template although it parses as YAML.
    pub(super) templated: AtomicBool,
    /// Whether a file that does not parse says it is a manifest. Decided only when a part of
    /// the file does not parse: it costs a scan of the whole text.
    says_manifest: OnceLock<bool>,
    /// The first syntax error not reported because the file was not meant as a manifest.
    unreported: Mutex<Option<(Span, String)>>,
}

impl<'t> Intent<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Intent {
            text,
            template_mark: memchr::memmem::find(text.as_bytes(), b"{{"),
            templated: AtomicBool::new(false),
            says_manifest: OnceLock::new(),
            unreported: Mutex::new(None),
        }
    }

    fn meant_as_manifest(&self) -> bool {
        self.template_mark.is_none() && *self.says_manifest.get_or_init(|| says_manifest(self.text))
    }

    /// Whether a syntax error is reported: only in a file meant as a manifest. A `tsconfig.json`
    /// with comments or a Helm template is not YAML's to judge.
    fn reports_syntax(&self, span: Span, message: &str) -> bool {
        if self.meant_as_manifest() {
            return true;
        }
        let mut first = self.unreported.lock().unwrap_or_else(|p| p.into_inner());
        if first.as_ref().is_none_or(|(at, _)| span.start < at.start) {
            *first = Some((span, message.to_string()));
        }
        false
    }

    /// The one notice a named file with no object gets.
    fn not_a_manifest(&self) -> RawFinding {
        let unreported = self.unreported.lock().unwrap_or_else(|p| p.into_inner()).take();
        let template = self.templated.load(Ordering::Relaxed) || unreported.is_some();
        let (span, message, help) = match (self.template_mark.filter(|_| template), unreported) {
            (Some(at), _) => (
                Span::new(at as u32, at as u32 + 2),
                "this file is a template (`{{ … }}`), not YAML, so it was not linted".to_string(),
                Some("lint what it renders to; for a Helm chart: `helm template . | podlint -`".to_string()),
            ),
            (None, Some((span, error))) => (
                span,
                format!("this file does not parse as YAML ({error}) and does not look like a Kubernetes manifest, so it was not linted"),
                None,
            ),
            (None, None) => (
                Span::new(0, 0),
                "no Kubernetes object in this file (no document has an `apiVersion` such as `v1` or `apps/v1` and a `kind`), so nothing was linted".to_string(),
                None,
            ),
        };
        RawFinding { rule: &NOT_A_MANIFEST, severity: None, at: At::Span(span), message, help, fix: None }
    }
}

/// Text that did not parse was meant as a manifest when it says both `apiVersion:` and `kind:`
/// at the start of a line (or `"apiVersion"` and `"kind"` as JSON keys).
fn says_manifest(text: &str) -> bool {
    let starts = |line: &str, key: &str| line.get(..key.len()).is_some_and(|head| head.eq_ignore_ascii_case(key));
    let says = |key: &str| {
        let (yaml, json) = (format!("{key}:"), format!("\"{key}\""));
        text.lines()
            .any(|line| starts(line, &yaml) || starts(line.trim_start().trim_start_matches(['{', ',', ' ']), &json))
    };
    says("apiVersion") && says("kind")
}

/// Whether a document that parsed is a template all the same: `replicas: {{ .Values.n }}` is a
/// flow mapping holding a flow mapping, which no manifest writes.
fn template_in(node: &Node<'_>, text: &str) -> bool {
    let template_at =
        |n: &Node<'_>| text.as_bytes().get(n.span.start as usize..n.span.start as usize + 2) == Some(b"{{");
    match &node.value {
        Value::Mapping(entries) => {
            template_at(node) || entries.iter().any(|e| template_in(&e.key, text) || template_in(&e.value, text))
        }
        Value::Sequence(items) => items.iter().any(|n| template_in(n, text)),
        Value::Scalar(_) => false,
    }
}

fn check_parts(engine: &Engine, file: &SourceFile, intent: &Intent<'_>) -> FileOutcome {
    use rayon::prelude::*;
    let text = file.text.as_str();
    if text.len() < PARALLEL_FILE {
        return check_part(engine, file, 0..text.len(), intent);
    }
    // A large file is cut at document markers; each part is loaded, checked and dropped on its
    // own, so two threads share the file and memory holds two parts' trees, not the file's.
    let parts = yaml::document_parts(text, PART);
    let checked: Vec<FileOutcome> = parts.into_par_iter().map(|part| check_part(engine, file, part, intent)).collect();
    let mut outcome =
        FileOutcome { index: IndexPart { path: file.path.clone(), objects: Vec::new() }, ..Default::default() };
    for part in checked {
        outcome.findings.extend(part.findings);
        outcome.objects += part.objects;
        outcome.index.objects.extend(part.index.objects);
        outcome.suppressions.merge(part.suppressions);
    }
    outcome
}

/// Loads and checks the documents of `text[part]` (the whole file, or a part of it cut at a
/// document marker).
pub(super) fn check_part(
    engine: &Engine,
    file: &SourceFile,
    part: std::ops::Range<usize>,
    intent: &Intent<'_>,
) -> FileOutcome {
    let settings = &engine.settings;
    let mut outcome =
        FileOutcome { index: IndexPart { path: file.path.clone(), objects: Vec::new() }, ..Default::default() };
    let mut loaded = yaml::load_part(&file.text[..part.end], part.start, settings.limits);
    if intent.template_mark.is_some()
        && loaded.documents.iter().flat_map(|d| &d.root).any(|r| template_in(r, &file.text))
    {
        intent.templated.store(true, Ordering::Relaxed);
        return outcome;
    }
    // Before the schema stage normalises the tree: it drops unknown fields, and with them the
    // scalar spans that tell a `#` in a string from a comment.
    let range = part.start as u32..part.end as u32;
    outcome.suppressions = suppress::collect_part(file, &loaded.documents, settings.snippets, range);

    // A duplicate key belongs to the object of its document; a syntax error has no object (the
    // document it broke was never read whole).
    let mut by_document: Vec<Vec<RawFinding>> = loaded.documents.iter().map(|_| Vec::new()).collect();
    let mut unowned = Vec::new();
    for p in &loaded.problems {
        match p.kind {
            ProblemKind::Syntax if !intent.reports_syntax(p.span, &p.message) => continue,
            // `.inf` has no JSON form, which matters only in what is sent to an API server.
            ProblemKind::NoJsonForm if !intent.meant_as_manifest() => continue,
            _ => {}
        }
        let (rule, help) = match &p.kind {
            ProblemKind::DuplicateKey { first } => {
                let at = file.locate(first.start);
                let key = &file.text[first.start as usize..first.end as usize];
                (&DUPLICATE_KEY, Some(format!("the first `{key}` is at line {}", at.line)))
            }
            _ => (&YAML_SYNTAX, None),
        };
        let raw =
            RawFinding { rule, severity: None, at: At::Span(p.span), message: p.message.clone(), help, fix: None };
        let document = matches!(p.kind, ProblemKind::DuplicateKey { .. })
            .then(|| {
                // Documents are in file order: the last one starting at or before the problem.
                let after = loaded.documents.partition_point(|d| d.span.start <= p.span.start);
                after.checked_sub(1).filter(|&i| {
                    let d = &loaded.documents[i];
                    p.span.start < d.span.end.max(d.span.start + 1)
                })
            })
            .flatten();
        match document {
            Some(index) => by_document[index].push(raw),
            None => unowned.push(raw),
        }
    }
    let place = Place::of(engine, file);
    for (document, problems) in loaded.documents.iter_mut().zip(by_document) {
        check_document(engine, file, &place, document, problems, &mut outcome);
    }
    outcome.findings.extend(to_findings(settings, Some(file), &file.path, unowned, None));
    outcome
}

/// Where a file stands in the run, the same for all its documents: looked up once per file.
struct Place<'e> {
    kustomized: Option<&'e Kustomized>,
    /// A kustomization file, known by its name.
    kustomization: bool,
    /// A file of partial objects: a patch a kustomization lists, or a test's assertions.
    partial: bool,
}

impl<'e> Place<'e> {
    fn of(engine: &'e Engine, file: &SourceFile) -> Self {
        let kustomized = engine.context.kustomized(&file.path);
        let patch = kustomized.is_some_and(|k| k.role == KustomizeRole::Patch);
        Place {
            kustomized,
            kustomization: is_kustomization(&file.path),
            partial: patch || is_assertion_file(&file.path),
        }
    }
}

/// Checks one document's objects: schema stage, then every per-object rule.
fn check_document(
    engine: &Engine,
    file: &SourceFile,
    place: &Place<'_>,
    document: &mut Document<'_>,
    problems: Vec<RawFinding>,
    outcome: &mut FileOutcome,
) {
    let settings = &engine.settings;
    let kustomized = place.kustomized;
    let shape = shape_of(place, document);
    if shape == Shape::NotObjects {
        let first = None;
        outcome.findings.extend(to_findings(settings, Some(file), &file.path, problems, first));
        return;
    }
    // The schema stage first normalises each object (miscased names renamed, unknown fields
    // removed), so that every rule below sees the object that was meant.
    let mut prepared: Vec<(Vec<Issue>, Option<SchemaRef>)> = Vec::new();
    if let Some(catalog) = &engine.catalog {
        match (shape, document.root.as_mut()) {
            (Shape::Kustomization, Some(root)) => {
                let mut issues = Vec::new();
                let schema = SchemaRef::Document(kustomize::schema());
                kustomize::identify(root, &mut issues);
                let kind = kustomize::kind_of(root);
                walk::walk_object(root, &schema, catalog, kind, !settings.jsonschema_for_builtins, &mut issues);
                prepared.push((issues, Some(schema)));
            }
            (Shape::JsonPatch, _) => prepared.push((Vec::new(), None)),
            _ => {
                for root in object_roots_mut(document) {
                    let mut issues = Vec::new();
                    let schema = walk::identify(root, catalog, &mut issues);
                    if let Some(schema) = &schema {
                        let kind = root.get("kind").and_then(Node::scalar_text).unwrap_or_default().to_string();
                        walk::walk_object(root, schema, catalog, &kind, !settings.jsonschema_for_builtins, &mut issues);
                    }
                    prepared.push((issues, schema));
                }
            }
        }
    }
    let document = &*document;
    // A file a kustomization patches holds partial objects, whatever they say of themselves.
    let objects = match (shape, &document.root) {
        // A kustomization need not say what it is: its file name does.
        (Shape::Kustomization | Shape::JsonPatch, Some(root)) => vec![Object::new(root, document.index, None)],
        _ => objects_in(document),
    };
    let kustomization_file = (shape == Shape::Kustomization).then(|| KustomizationFile {
        dir: Path::new(&*file.path).is_file().then(|| Path::new(&*file.path).parent().map(Path::to_path_buf)).flatten(),
    });
    // A duplicate key in a document that is not an object is the business of whatever reads it.
    if let Some(first) = objects.first().map(|o| Arc::new(o.info())) {
        outcome.findings.extend(to_findings(settings, Some(file), &file.path, problems, Some(&first)));
    }
    let mut prepared = prepared.into_iter();
    for mut object in objects {
        if place.partial {
            object.completeness = Completeness::Patch;
        }
        outcome.objects += 1;
        let info = Arc::new(object.info());
        let mut cx = Context::new(&file.text, settings.kubernetes_version, &engine.context, &settings.options);
        cx.pod_security = settings.pod_security;
        cx.file = Some(file.path.clone());
        cx.provenance = Provenance {
            kustomize: kustomized.cloned(),
            helm_template: file.rendered_at(object.root.span.start).map(|r| r.template.clone()),
            kustomization_file: kustomization_file.clone(),
        };
        if let (Some(catalog), Some((issues, schema))) = (&engine.catalog, prepared.next()) {
            schema_findings(&object, issues, schema, catalog, settings.jsonschema_for_builtins, &mut cx);
        }
        let partial = object.completeness == Completeness::Patch;
        for rule in &engine.rules.per_object {
            // A patch names only what it changes: what it leaves out is the base's business.
            if partial && rule.meta().whole_object {
                continue;
            }
            rule.check(&object, &mut cx);
        }
        // Admission policies and custom rules judge objects as the API server receives them.
        if shape == Shape::Manifests && !partial {
            let namespace = cx.provenance.kustomize.as_ref().and_then(|k| k.namespace.clone());
            let policies = engine.context.policies.as_deref();
            admission::check_object(policies, &settings.custom_rules, &object, namespace.as_deref(), &mut cx);
        }
        outcome.findings.extend(to_findings(settings, Some(file), &file.path, cx.findings, Some(&info)));
        if shape != Shape::Manifests {
            continue;
        }
        // A patch is not an object of the build: no Service selects it, nothing refers to it.
        let makes_pods = !object.is_kind("PodTemplate") && object.pod_template().is_some();
        let custom = is_custom_resource(&object);
        if !partial && engine.rules.indexing() && engine.rules.indexes(object.kind, makes_pods, custom) {
            let kustomized = cx.provenance.kustomize.as_ref();
            let namespace = kustomized.and_then(|k| k.namespace.as_deref());
            let labels = kustomized.map(|k| k.template_labels.as_slice()).unwrap_or(&[]);
            outcome.index.objects.push(index_object(engine, file, &object, info, namespace, labels));
        }
    }
}

fn schema_findings(
    object: &Object<'_, '_>,
    mut issues: Vec<Issue>,
    schema: Option<SchemaRef>,
    catalog: &crate::schema::Catalog,
    oracle: bool,
    cx: &mut Context<'_>,
) {
    // The walk already checked built-in kinds; jsonschema judges CRD and schema-location schemas
    // (whose keywords the walk does not follow), or everything when asked to be the oracle.
    let walked = |s: &SchemaRef| !matches!(s, SchemaRef::Document(_)) && !oracle;
    if let Some(schema) = schema.as_ref().filter(|s| !walked(s)) {
        validate::validate(object.root, schema, catalog, &mut issues);
    }
    // A patch names only what it changes.
    if object.completeness == Completeness::Patch {
        issues.retain(|i| !matches!(i, Issue::MissingRequired { .. }));
    }
    // kustomize creates the selector of a workload it labels into selectors.
    if cx.provenance.kustomize.as_ref().is_some_and(|k| k.labels_selectors) {
        issues.retain(|i| !matches!(i, Issue::MissingRequired { property, .. } if property == "selector"));
    }
    if let Some(issue) = object.kind.and_then(|kind| values::check_object_name(object.root, kind)) {
        issues.push(issue);
    }
    // A required field that is there under a misspelt name is one mistake, already reported.
    let suggested: Vec<&str> = issues
        .iter()
        .filter_map(|i| match i {
            Issue::UnknownField { suggestion: Some(s), .. } => Some(s.as_str()),
            _ => None,
        })
        .collect();
    let explained =
        |i: &Issue| matches!(i, Issue::MissingRequired { property, .. } if suggested.contains(&property.as_str()));
    // One finding per node: a quoted port is a type mistake, not also a bad port name.
    let mut reported: Vec<Span> = Vec::new();
    for issue in issues.iter().filter(|i| !explained(i)) {
        let span = issue.span();
        if reported.contains(&span) {
            continue;
        }
        reported.push(span);
        rules::report_schema_issue(issue, cx);
    }
}

/// What a document of a file is to kustomize, and so how it is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Kubernetes objects (or nothing podlint judges).
    Manifests,
    /// A kustomization file, checked against the kustomization format.
    Kustomization,
    /// An RFC 6902 patch a kustomization lists.
    JsonPatch,
    /// A file kustomize reads for itself: transformer configurations, plugin configs, generator
    /// sources, schemas. Not manifests.
    NotObjects,
}

fn shape_of(place: &Place<'_>, document: &Document<'_>) -> Shape {
    let Some(root) = &document.root else { return Shape::Manifests };
    if place.kustomization && root.as_mapping().is_some() {
        return Shape::Kustomization;
    }
    match place.kustomized.map(|k| k.role) {
        Some(KustomizeRole::Config) => Shape::NotObjects,
        Some(role) if kustomize::is_json_patch(root, role) => Shape::JsonPatch,
        _ => Shape::Manifests,
    }
}

/// The facts the index keeps about one object: identity, completeness, the pods it makes and
/// the references the run's rules read. `namespace` is the one a kustomization sets on the
/// object when it builds it: cross-object rules must see the object where it will live.
fn index_object(
    engine: &Engine,
    file: &SourceFile,
    object: &Object<'_, '_>,
    info: Arc<ObjectInfo>,
    namespace: Option<&str>,
    template_labels: &[(String, String)],
) -> IndexedObject {
    // A cluster-scoped object is found by name alone, whatever namespace it writes.
    let cluster_scoped = object.kind.is_some_and(crate::k8s::kinds::is_cluster_scoped);
    let info = match namespace {
        _ if cluster_scoped && info.namespace.is_some() => Arc::new(ObjectInfo { namespace: None, ..(*info).clone() }),
        _ if cluster_scoped => info,
        Some(ns) if info.namespace.as_deref() != Some(ns) => {
            Arc::new(ObjectInfo { namespace: Some(ns.to_string()), ..(*info).clone() })
        }
        _ => info,
    };
    let snippets = engine.settings.snippets;
    let locate = |span: Span| Location::resolve(file, span, snippets);
    let mut references = Vec::new();
    if !engine.rules.references.is_empty() {
        extract(object, &engine.rules.references, &locate, &mut references);
    }
    // Autoscalers' targets are often in other files: what they ask of them is kept.
    let autoscalers = engine.rules.kinds.contains(&"HorizontalPodAutoscaler");
    let mut pod = pod_facts(engine, object, template_labels);
    if let Some(pod) = pod.as_mut().filter(|_| autoscalers) {
        pod.scale = scaling::scaled(object, &locate).map(Box::new);
    }
    let scaler = autoscalers.then(|| scaling::scaler(object, &locate).map(Box::new)).flatten();
    IndexedObject {
        info,
        complete: object.completeness == Completeness::Whole,
        pod,
        references,
        line: file.locate(object.root.span.start).line,
        facts: TargetFacts { scaler, ..target_facts(object) },
        held: held_findings(engine, file, object),
    }
}

/// An object of an API group outside Kubernetes' own: an operator's custom resource.
fn is_custom_resource(object: &Object<'_, '_>) -> bool {
    let builtin = object.kind.is_some_and(|k| crate::k8s::kinds::canonical_kind(k).is_some());
    !builtin && object.group().is_some_and(|g| g.contains('.')) && object.pod_template().is_none()
}

/// What references may ask of an object of the kinds they point at.
fn target_facts(object: &Object<'_, '_>) -> TargetFacts {
    let mut facts = TargetFacts::default();
    if is_custom_resource(object) {
        // Operators label the pods they make with the resource's own labels, or with those
        // of its `podMetadata` (Prometheus, Alertmanager): what a Service written for those
        // pods selects by.
        let mut labels = string_pairs(object.root.path(&["metadata", "labels"]));
        labels.extend(string_pairs(object.root.path(&["spec", "podMetadata", "labels"])));
        facts.custom = Some(labels);
    }
    if object.is_kind("ConfigMap") || object.is_kind("Secret") {
        let fields: Vec<&Node<'_>> =
            ["data", "stringData", "binaryData"].iter().filter_map(|f| object.root.get(f)).collect();
        if !fields.is_empty() {
            let mut keys: Vec<String> = fields
                .iter()
                .flat_map(|f| f.entries())
                .filter_map(|e| e.key.scalar_text().map(str::to_owned))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            facts.keys = Some(keys);
        }
    }
    if object.is_kind("Service") {
        let ports = object.root.path(&["spec", "ports"]).map(Node::items).unwrap_or(&[]);
        facts.ports = ports
            .iter()
            .map(|p| {
                // A quoted number is the schema stage's finding; the port is still the one meant.
                let number = p.get("port").and_then(Node::scalar_text).and_then(|t| t.parse::<i64>().ok());
                (number, p.get("name").and_then(Node::as_str).map(str::to_owned))
            })
            .collect();
        facts.headless = object.root.path(&["spec", "clusterIP"]).and_then(Node::as_str) == Some("None");
    }
    if object.is_kind("StatefulSet") {
        let templates: Vec<&str> = object
            .root
            .path(&["spec", "volumeClaimTemplates"])
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|t| t.path(&["metadata", "name"])?.as_str())
            .collect();
        let volumes = object.root.path(&["spec", "template", "spec", "volumes"]).map(Node::items).unwrap_or(&[]);
        facts.templated_claims = volumes
            .iter()
            .filter(|v| v.get("name").and_then(Node::as_str).is_some_and(|n| templates.contains(&n)))
            .filter_map(|v| v.path(&["persistentVolumeClaim", "claimName"])?.as_str().map(str::to_owned))
            .collect();
    }
    if object.is_kind("PersistentVolumeClaim") {
        let modes = object.root.path(&["spec", "accessModes"]).map(Node::items).unwrap_or(&[]);
        facts.access_modes = modes.iter().filter_map(|m| m.as_str().map(str::to_owned)).collect();
    }
    facts
}

/// How many pods an object runs at once: a DaemonSet one per node, a Job as many as its
/// `parallelism`, other workloads their `replicas` (1 when unset).
fn pods_at_once(object: &Object<'_, '_>) -> PodsAtOnce {
    let count = match object.kind {
        Some("DaemonSet") => return PodsAtOnce::EveryNode,
        Some("Job") => object.root.path(&["spec", "parallelism"]),
        Some("CronJob") => object.root.path(&["spec", "jobTemplate", "spec", "parallelism"]),
        Some("Pod") => None,
        _ => object.root.path(&["spec", "replicas"]),
    };
    match count.and_then(Node::as_i64) {
        Some(n) if n > 1 => PodsAtOnce::Count(n),
        _ => PodsAtOnce::One,
    }
}

/// What the run rules find in one object while its file is at hand; they decide once they
/// have seen the run whether each is reported.
fn held_findings(engine: &Engine, file: &SourceFile, object: &Object<'_, '_>) -> Vec<HeldFinding> {
    let settings = &engine.settings;
    let mut cx = Context::new(&file.text, settings.kubernetes_version, &engine.context, &settings.options);
    cx.pod_security = settings.pod_security;
    for rule in &engine.rules.per_run {
        rule.check(object, &mut cx);
    }
    cx.findings
        .into_iter()
        .map(|raw| HeldFinding {
            rule: raw.rule.id,
            at: Location::resolve(file, raw.span(), settings.snippets),
            message: raw.message,
            help: raw.help,
        })
        .collect()
}

/// `kustomized`: labels a kustomization writes into the pod template (they win over its own).
fn pod_facts(engine: &Engine, object: &Object<'_, '_>, kustomized: &[(String, String)]) -> Option<PodFacts> {
    // A PodTemplate object is a stored template that runs nothing, so no Service reaches it.
    if !engine.rules.pods || object.is_kind("PodTemplate") {
        return None;
    }
    let template = object.pod_template()?;
    // Endpoints resolve a named targetPort in app containers and native sidecars only.
    let containers = template.containers();
    let ports: Vec<&Node<'_>> = containers
        .iter()
        .filter(|c| c.kind == ContainerKind::App || c.is_native_sidecar())
        .flat_map(|c| c.node.get("ports").map(Node::items).unwrap_or(&[]))
        .collect();
    let mut port_names: Vec<String> =
        ports.iter().filter_map(|p| Some(p.get("name")?.scalar_text()?.to_string())).collect();
    port_names.sort();
    port_names.dedup();
    let mut port_numbers: Vec<i64> = ports.iter().filter_map(|p| p.get("containerPort")?.as_i64()).collect();
    port_numbers.sort_unstable();
    port_numbers.dedup();
    // Labels a workload selects its own pods by are the ones a Service's selector most likely
    // meant: help keeps their text however many labels the pod has.
    let own_selector = match object.kind {
        Some("CronJob") => object.root.path(&["spec", "jobTemplate", "spec", "selector", "matchLabels"]),
        _ => object.root.path(&["spec", "selector", "matchLabels"]),
    };
    let identity: Vec<&str> =
        own_selector.map(Node::entries).unwrap_or(&[]).iter().filter_map(|e| e.key.scalar_text()).collect();
    let mut pairs = string_pairs(template.labels());
    for (key, value) in kustomized {
        match pairs.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1.clone_from(value),
            None => pairs.push((key.clone(), value.clone())),
        }
    }
    let labels = PodLabels::new(pairs, &identity);
    Some(PodFacts { labels, port_names, port_numbers, scale: None, at_once: pods_at_once(object) })
}
