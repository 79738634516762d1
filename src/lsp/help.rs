//! Hover (a rule's explanation on a finding, a field's type from the schema) and completion
//! (field names, and the values of fields with a fixed set).
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, Hover, HoverContents, HoverParams, MarkupContent, MarkupKind,
    Position,
};

use super::position::Lines;
use super::schema_help::{Step, enum_values, field, is_required, keys, place, type_name};
use super::worker::Snapshot;
use crate::k8s::version::KubeVersion;
use crate::schema::short_name;

/// The line and byte column of a position.
fn line_and_column(text: &str, position: Position) -> (usize, usize) {
    let lines = Lines::new(text);
    let offset = lines.offset(position);
    let (line0, start, _) = lines.line_at(offset);
    (line0, (offset - start) as usize)
}

pub fn hover(text: &str, snapshot: Option<&Snapshot>, version: KubeVersion, params: &HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params.position;
    let mut sections: Vec<String> = Vec::new();
    if let Some(snapshot) = snapshot {
        let lines = Lines::new(&snapshot.text);
        let mut rules: Vec<&str> = Vec::new();
        for finding in &snapshot.findings {
            let range = lines.range(finding.location.span.start, finding.location.span.end);
            if range.start <= position && position <= range.end && !rules.contains(&finding.rule) {
                rules.push(finding.rule);
            }
        }
        for rule in rules {
            if let Some(found) = crate::rules::find(rule) {
                sections.push(crate::rules::options::page(found.meta()));
            }
        }
    }
    if let Some(about) = field_help(text, version, position) {
        sections.insert(0, about);
    }
    (!sections.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

fn field_help(text: &str, version: KubeVersion, position: Position) -> Option<String> {
    let (line0, column) = line_and_column(text, position);
    let at = place(text, line0, column)?;
    let key = at.key.filter(|_| at.on_key)?;
    let parent = field(version, &at.api_version, &at.kind, &at.parent)?;
    let mut path = at.parent.clone();
    path.push(Step::Key(key.clone()));
    let this = field(version, &at.api_version, &at.kind, &path)?;
    let mut out = format!("`{key}`: **{}**", type_name(&this));
    if is_required(&parent, &key) {
        out.push_str(" (required)");
    }
    if let Some(definition) = parent.definition {
        out.push_str(&format!(
            "\n\nA field of `{}` (`{definition}`) in {} {}",
            short_name(definition),
            at.api_version,
            at.kind
        ));
    }
    let values = enum_values(&parent, &key);
    if !values.is_empty() {
        let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        out.push_str(&format!("\n\nOne of {}", values.join(", ")));
    }
    Some(out)
}

pub fn completion(text: &str, version: KubeVersion, params: &CompletionParams) -> Vec<CompletionItem> {
    let position = params.text_document_position.position;
    let (line0, column) = line_and_column(text, position);
    let Some(at) = place(text, line0, column) else { return Vec::new() };
    let Some(parent) = field(version, &at.api_version, &at.kind, &at.parent) else { return Vec::new() };
    if !at.on_key {
        let Some(key) = at.key else { return Vec::new() };
        return enum_values(&parent, &key)
            .into_iter()
            .map(|value| CompletionItem {
                label: value,
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                ..CompletionItem::default()
            })
            .collect();
    }
    let line = text.lines().nth(line0).unwrap_or("");
    let has_colon = line.contains(':');
    keys(&parent)
        .into_iter()
        .map(|(key, type_name, required)| CompletionItem {
            insert_text: (!has_colon).then(|| format!("{key}: ")),
            detail: Some(if required { format!("{type_name} (required)") } else { type_name }),
            // Required fields first, then the rest, each alphabetically.
            sort_text: Some(format!("{}{key}", if required { 0 } else { 1 })),
            label: key,
            kind: Some(CompletionItemKind::FIELD),
            ..CompletionItem::default()
        })
        .collect()
}
