//! Runs the checks: per file (load, then every rule on every object), then across files.
pub mod inventory;

use std::sync::Arc;

use crate::finding::{Finding, Location, ObjectInfo, Snippet};
use crate::object::{ContainerKind, Object, object_roots_mut, objects_in};
use crate::rules::{self, Context, DUPLICATE_KEY, RawFinding, Rule, YAML_SYNTAX};
use crate::schema::{Catalog, Issue, SchemaRef, validate, values, walk};
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::suppress::{self, Suppressions};
use crate::yaml::{self, Document, Node, ProblemKind, Span};
use inventory::{Inventory, PodGroup, ServiceFacts};

/// What one file contributes to the run.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub findings: Vec<Finding>,
    pub objects: usize,
    pub inventory: Inventory,
    /// Applied after the cross-object rules, so that they cover those findings too.
    pub suppressions: Suppressions,
}

/// What a run checks with, resolved once from the settings: the enabled rules and, unless
/// schema validation is off, the schemas.
pub struct RuleSet {
    pub per_object: Vec<&'static dyn Rule>,
    pub cross_object: Vec<&'static dyn Rule>,
    pub catalog: Option<Catalog>,
}

impl RuleSet {
    pub fn new(settings: &Settings) -> Self {
        let enabled = rules::all().iter().copied().filter(|r| settings.severity_of(r.meta()).is_some());
        let (cross_object, per_object) = enabled.partition(|r| r.is_cross_object());
        let catalog =
            settings.schema.then(|| Catalog::new(settings.kubernetes_version, settings.schema_locations.clone()));
        RuleSet { per_object, cross_object, catalog }
    }
}

/// Checks a file given as raw bytes: text that is not UTF-8 is itself a finding.
pub fn check_bytes(
    path: Arc<str>,
    bytes: Vec<u8>,
    file_index: usize,
    settings: &Settings,
    rules: &RuleSet,
) -> FileOutcome {
    match String::from_utf8(bytes) {
        Ok(text) => check_file(&SourceFile::new(path, text), file_index, settings, rules),
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
            let file = SourceFile::new(path, prefix);
            let span = Span::new(valid as u32, valid as u32);
            let raw = RawFinding { rule: &YAML_SYNTAX, span, message, help: None, fix: None };
            let mut outcome = FileOutcome::default();
            outcome.findings.extend(finish(&file, vec![raw], None, settings));
            outcome
        }
    }
}

/// Files this large are parsed and checked in parts, in parallel; smaller ones are already one
/// task among many.
const PARALLEL_FILE: usize = 512 * 1024;
const PART: usize = 128 * 1024;

pub fn check_file(file: &SourceFile, file_index: usize, settings: &Settings, rules: &RuleSet) -> FileOutcome {
    use rayon::prelude::*;
    let text = file.text.as_str();
    if text.len() < PARALLEL_FILE {
        return check_part(file, file_index, 0..text.len(), settings, rules);
    }
    // A large file is cut at document markers; each part is loaded, checked and dropped on its
    // own, so two threads share the file and memory holds two parts' trees, not the file's.
    let parts = yaml::document_parts(text, PART);
    let checked: Vec<FileOutcome> =
        parts.into_par_iter().map(|part| check_part(file, file_index, part, settings, rules)).collect();
    let mut outcome = FileOutcome::default();
    for part in checked {
        outcome.findings.extend(part.findings);
        outcome.objects += part.objects;
        outcome.inventory.extend(part.inventory);
        outcome.suppressions.merge(part.suppressions);
    }
    outcome
}

/// Loads and checks the documents of `text[part]` (the whole file, or a part of it cut at a
/// document marker).
fn check_part(
    file: &SourceFile,
    file_index: usize,
    part: std::ops::Range<usize>,
    settings: &Settings,
    rules: &RuleSet,
) -> FileOutcome {
    let mut outcome = FileOutcome::default();
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
        let raw = RawFinding { rule, span: p.span, message: p.message.clone(), help, fix: None };
        let document = matches!(p.kind, ProblemKind::DuplicateKey { .. })
            .then(|| {
                loaded
                    .documents
                    .iter()
                    .position(|d| d.span.start <= p.span.start && p.span.start < d.span.end.max(d.span.start + 1))
            })
            .flatten();
        match document {
            Some(index) => by_document[index].push(raw),
            None => unowned.push(raw),
        }
    }
    for (document, problems) in loaded.documents.iter_mut().zip(by_document) {
        let checked = check_document(file, file_index, document, problems, settings, rules);
        outcome.findings.extend(checked.findings);
        outcome.objects += checked.objects;
        outcome.inventory.extend(checked.inventory);
    }
    outcome.findings.extend(finish(file, unowned, None, settings));
    outcome
}

/// Checks one document's objects: schema stage, then every per-object rule.
fn check_document(
    file: &SourceFile,
    file_index: usize,
    document: &mut Document<'_>,
    problems: Vec<RawFinding>,
    settings: &Settings,
    rules: &RuleSet,
) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let gather = !rules.cross_object.is_empty();
    // The schema stage first normalises each object (miscased names renamed, unknown fields
    // removed), so that every rule below sees the object that was meant.
    let mut prepared: Vec<(Vec<Issue>, Option<SchemaRef>)> = Vec::new();
    if let Some(catalog) = &rules.catalog {
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
    let objects = objects_in(document);
    let first = objects.first().map(|o| Arc::new(o.info()));
    outcome.findings.extend(finish(file, problems, first.as_ref(), settings));
    let mut prepared = prepared.into_iter();
    for object in objects {
        outcome.objects += 1;
        let info = Arc::new(object.info());
        let mut cx = Context::new(settings, &file.text);
        if let (Some(catalog), Some((issues, schema))) = (&rules.catalog, prepared.next()) {
            schema_findings(&object, issues, schema, catalog, &mut cx);
        }
        for rule in &rules.per_object {
            rule.check(&object, &mut cx);
        }
        outcome.findings.extend(finish(file, cx.findings, Some(&info), settings));
        if gather {
            gather_inventory(file, file_index, &object, &info, settings, &mut outcome.inventory);
        }
    }
    outcome
}

fn schema_findings(
    object: &Object<'_, '_>,
    mut issues: Vec<Issue>,
    schema: Option<SchemaRef>,
    catalog: &Catalog,
    cx: &mut Context<'_>,
) {
    // The walk already checked built-in kinds; jsonschema judges CRD and schema-location schemas
    // (whose keywords the walk does not follow), or everything when asked to be the oracle.
    let walked = |s: &SchemaRef| !matches!(s, SchemaRef::Document(_)) && !cx.settings.jsonschema_for_builtins;
    if let Some(schema) = schema.as_ref().filter(|s| !walked(s)) {
        validate::validate(object.root, schema, catalog, &mut issues);
    }
    // A strategic-merge patch (a kustomize patch file) is partial by design.
    if object.root.get("$patch").is_some() {
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

/// Turns a rule's findings into reportable ones: severity from the settings, object identity,
/// line:column and, when wanted, the source lines to show.
fn finish(
    file: &SourceFile,
    raw: Vec<RawFinding>,
    object: Option<&Arc<ObjectInfo>>,
    settings: &Settings,
) -> Vec<Finding> {
    raw.into_iter()
        .filter_map(|r| {
            let severity = settings.severity_of(r.rule)?;
            let location = locate(file, r.span, settings.snippets);
            // Rendered chart output names the template, not the stream.
            let path = location.template.clone().unwrap_or_else(|| file.path.clone());
            Some(Finding {
                rule: r.rule.id,
                severity,
                message: r.message,
                help: r.help,
                file: path,
                location,
                object: object.cloned(),
                fix: r.fix,
                fixed: false,
            })
        })
        .collect()
}

/// Most lines a snippet keeps; a finding spanning more shows its first lines.
const SNIPPET_LINES: usize = 6;

pub fn locate(file: &SourceFile, span: Span, snippets: bool) -> Location {
    let mut start = file.locate(span.start);
    let mut end = file.locate(span.end);
    let snippet = snippets.then(|| {
        let first = start.line as usize - 1;
        let last = (end.line as usize - 1).min(first + SNIPPET_LINES - 1);
        let mut from = file.lines.line_start(first);
        // A byte order mark would shift the renderer's columns; editors do not show it.
        if from == 0 && file.text.starts_with('\u{feff}') {
            from = 3;
        }
        let (_, to) = file.lines.line_range(&file.text, last);
        Snippet { first_line: start.line, offset: from, text: file.text[from as usize..to as usize].to_string() }
    });
    let mut location = Location { span, start, end, snippet, template: None };
    // In rendered chart output, say which template and which line of its rendered document.
    if let Some(rendered) = file.rendered_at(span.start) {
        start.line -= rendered.comment_line;
        end.line = end.line.saturating_sub(rendered.comment_line).max(start.line);
        location.start = start;
        location.end = end;
        if let Some(snippet) = &mut location.snippet {
            snippet.first_line = start.line;
        }
        location.template = Some(rendered.template.clone());
    }
    location
}

fn string_pairs(node: Option<&Node<'_>>) -> Vec<(String, String)> {
    node.map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key.scalar_text()?.to_string(), e.value.scalar_text()?.to_string())))
        .collect()
}

fn gather_inventory(
    file: &SourceFile,
    file_index: usize,
    object: &Object<'_, '_>,
    info: &Arc<ObjectInfo>,
    settings: &Settings,
    inventory: &mut Inventory,
) {
    let namespace = object.namespace.map(str::to_owned);
    if object.is_kind("Service") {
        let Some(spec) = object.root.entry("spec") else { return };
        let selector = spec.value.entry("selector");
        let named_target_ports = spec
            .value
            .get("ports")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|port| {
                let target = port.get("targetPort")?;
                Some((target.as_str()?.to_string(), locate(file, target.span, settings.snippets)))
            })
            .collect();
        let selector_span = selector.map_or(spec.key.span, |e| e.key.span);
        inventory.services.push(ServiceFacts {
            path: file.path.clone(),
            file: file_index,
            object: info.clone(),
            namespace,
            external_name: spec.value.get("type").and_then(Node::scalar_text) == Some("ExternalName"),
            selector: string_pairs(selector.map(|e| &e.value)),
            selector_at: locate(file, selector_span, settings.snippets),
            named_target_ports,
        });
        return;
    }
    // A PodTemplate object is a stored template that runs nothing, so no Service reaches it.
    if object.is_kind("PodTemplate") {
        return;
    }
    let Some(template) = object.pod_template() else { return };
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
    inventory.pods.push(PodGroup {
        path: file.path.clone(),
        file: file_index,
        object: info.clone(),
        namespace,
        labels: string_pairs(template.labels()),
        port_names,
    });
}
