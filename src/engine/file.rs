//! The per-file pass: one file's text to its findings, its suppression table and its part of the
//! object index. Files are independent here, so the run checks them in parallel.
use std::sync::Arc;

use super::Engine;
use super::finish::to_findings;
use crate::context::{KustomizeRole, Provenance};
use crate::finding::{Finding, Location, ObjectInfo};
use crate::index::references::{extract, string_pairs};
use crate::index::{HeldFinding, IndexPart, IndexedObject, PodFacts, PodLabels};
use crate::object::{Completeness, ContainerKind, Object, object_roots_mut, objects_in};
use crate::rules::{self, At, Context, DUPLICATE_KEY, RawFinding, YAML_SYNTAX};
use crate::schema::{Issue, SchemaRef, validate, values, walk};
use crate::source::SourceFile;
use crate::suppress::{self, Suppressions};
use crate::yaml::{self, Document, Node, ProblemKind, Span};

/// What one file contributes to the run.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub findings: Vec<Finding>,
    pub objects: usize,
    pub index: IndexPart,
    /// Applied after the run rules, so that they cover those findings too.
    pub suppressions: Suppressions,
}

/// Checks a file given as raw bytes: text that is not UTF-8 is itself a finding.
pub fn check_bytes(engine: &Engine, path: Arc<str>, bytes: Vec<u8>) -> FileOutcome {
    match String::from_utf8(bytes) {
        Ok(text) => check_file(engine, &SourceFile::new(path, text)),
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
            let raw = RawFinding { rule: &YAML_SYNTAX, at: At::Span(span), message, help: None, fix: None };
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

pub fn check_file(engine: &Engine, file: &SourceFile) -> FileOutcome {
    use rayon::prelude::*;
    let text = file.text.as_str();
    if text.len() < PARALLEL_FILE {
        return check_part(engine, file, 0..text.len());
    }
    // A large file is cut at document markers; each part is loaded, checked and dropped on its
    // own, so two threads share the file and memory holds two parts' trees, not the file's.
    let parts = yaml::document_parts(text, PART);
    let checked: Vec<FileOutcome> = parts.into_par_iter().map(|part| check_part(engine, file, part)).collect();
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
fn check_part(engine: &Engine, file: &SourceFile, part: std::ops::Range<usize>) -> FileOutcome {
    let settings = &engine.settings;
    let mut outcome =
        FileOutcome { index: IndexPart { path: file.path.clone(), objects: Vec::new() }, ..Default::default() };
    let mut loaded = yaml::load_part(&file.text[..part.end], part.start, settings.limits);
    // Before the schema stage normalises the tree: it drops unknown fields, and with them the
    // scalar spans that tell a `#` in a string from a comment.
    let range = part.start as u32..part.end as u32;
    outcome.suppressions = suppress::collect_part(file, &loaded.documents, settings.snippets, range);

    // A duplicate key belongs to the object of its document; a syntax error has no object (the
    // document it broke was never read whole).
    let mut by_document: Vec<Vec<RawFinding>> = loaded.documents.iter().map(|_| Vec::new()).collect();
    let mut unowned = Vec::new();
    for p in &loaded.problems {
        let (rule, help) = match &p.kind {
            ProblemKind::DuplicateKey { first } => {
                let at = file.locate(first.start);
                let key = &file.text[first.start as usize..first.end as usize];
                (&DUPLICATE_KEY, Some(format!("the first `{key}` is at line {}", at.line)))
            }
            _ => (&YAML_SYNTAX, None),
        };
        let raw = RawFinding { rule, at: At::Span(p.span), message: p.message.clone(), help, fix: None };
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
    for (document, problems) in loaded.documents.iter_mut().zip(by_document) {
        check_document(engine, file, document, problems, &mut outcome);
    }
    outcome.findings.extend(to_findings(settings, Some(file), &file.path, unowned, None));
    outcome
}

/// Checks one document's objects: schema stage, then every per-object rule.
fn check_document(
    engine: &Engine,
    file: &SourceFile,
    document: &mut Document<'_>,
    problems: Vec<RawFinding>,
    outcome: &mut FileOutcome,
) {
    let settings = &engine.settings;
    // The schema stage first normalises each object (miscased names renamed, unknown fields
    // removed), so that every rule below sees the object that was meant.
    let mut prepared: Vec<(Vec<Issue>, Option<SchemaRef>)> = Vec::new();
    if let Some(catalog) = &engine.catalog {
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
    let document = &*document;
    // A file a kustomization patches holds partial objects, whatever they say of themselves.
    let kustomized = engine.context.kustomized(&file.path);
    let patch_file = kustomized.is_some_and(|k| k.role == KustomizeRole::Patch);
    let objects = objects_in(document);
    let first = objects.first().map(|o| Arc::new(o.info()));
    outcome.findings.extend(to_findings(settings, Some(file), &file.path, problems, first.as_ref()));
    let mut prepared = prepared.into_iter();
    for mut object in objects {
        if patch_file {
            object.completeness = Completeness::Patch;
        }
        outcome.objects += 1;
        let info = Arc::new(object.info());
        let mut cx = Context::new(&file.text, settings.kubernetes_version, &engine.context, &settings.options);
        cx.provenance = Provenance {
            kustomize: kustomized.cloned(),
            helm_template: file.rendered_at(object.root.span.start).map(|r| r.template.clone()),
        };
        if let (Some(catalog), Some((issues, schema))) = (&engine.catalog, prepared.next()) {
            schema_findings(&object, issues, schema, catalog, settings.jsonschema_for_builtins, &mut cx);
        }
        for rule in &engine.rules.per_object {
            rule.check(&object, &mut cx);
        }
        outcome.findings.extend(to_findings(settings, Some(file), &file.path, cx.findings, Some(&info)));
        let makes_pods = !object.is_kind("PodTemplate") && object.pod_template().is_some();
        if engine.rules.indexing() && engine.rules.indexes(object.kind, makes_pods) {
            outcome.index.objects.push(index_object(engine, file, &object, info));
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

/// The facts the index keeps about one object: identity, completeness, the pods it makes and
/// the references the run's rules read.
fn index_object(engine: &Engine, file: &SourceFile, object: &Object<'_, '_>, info: Arc<ObjectInfo>) -> IndexedObject {
    let snippets = engine.settings.snippets;
    let mut references = Vec::new();
    if !engine.rules.references.is_empty() {
        let locate = |span: Span| Location::resolve(file, span, snippets);
        extract(object, &engine.rules.references, &locate, &mut references);
    }
    IndexedObject {
        info,
        complete: object.completeness == Completeness::Whole,
        pod: pod_facts(engine, object),
        references,
        held: held_findings(engine, file, object),
    }
}

/// What the run rules find in one object while its file is at hand; they decide once they
/// have seen the run whether each is reported.
fn held_findings(engine: &Engine, file: &SourceFile, object: &Object<'_, '_>) -> Vec<HeldFinding> {
    let settings = &engine.settings;
    let mut cx = Context::new(&file.text, settings.kubernetes_version, &engine.context, &settings.options);
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

fn pod_facts(engine: &Engine, object: &Object<'_, '_>) -> Option<PodFacts> {
    // A PodTemplate object is a stored template that runs nothing, so no Service reaches it.
    if !engine.rules.pods || object.is_kind("PodTemplate") {
        return None;
    }
    let template = object.pod_template()?;
    // Endpoints resolve a named targetPort in app containers and native sidecars only.
    let mut port_names: Vec<String> = template
        .containers()
        .iter()
        .filter(|c| c.kind == ContainerKind::App || c.is_native_sidecar())
        .flat_map(|c| c.node.get("ports").map(Node::items).unwrap_or(&[]))
        .filter_map(|p| Some(p.get("name")?.scalar_text()?.to_string()))
        .collect();
    port_names.sort();
    port_names.dedup();
    // Labels a workload selects its own pods by are the ones a Service's selector most likely
    // meant: help keeps their text however many labels the pod has.
    let own_selector = match object.kind {
        Some("CronJob") => object.root.path(&["spec", "jobTemplate", "spec", "selector", "matchLabels"]),
        _ => object.root.path(&["spec", "selector", "matchLabels"]),
    };
    let identity: Vec<&str> =
        own_selector.map(Node::entries).unwrap_or(&[]).iter().filter_map(|e| e.key.scalar_text()).collect();
    let labels = PodLabels::new(string_pairs(template.labels()), &identity);
    Some(PodFacts { labels, port_names })
}
