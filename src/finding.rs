//! Findings are plain data from the moment a rule makes one until a reporter renders it.
use std::sync::Arc;

use serde::Serialize;

use crate::source::{LineCol, SourceFile};
use crate::yaml::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!("unknown severity `{s}` (expected error, warning or info)")),
        }
    }
}

/// Whether a fix can be applied without a human deciding: a safe fix keeps the manifest's
/// meaning (a spelling), an unsafe one changes what is deployed (a new API shape).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// Replace the bytes `start..end` of the original file with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: u32,
    pub end: u32,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(edits: Vec<Edit>) -> Self {
        Fix { applicability: Applicability::Safe, edits }
    }
    pub fn unsafe_(edits: Vec<Edit>) -> Self {
        Fix { applicability: Applicability::Unsafe, edits }
    }
    pub fn replace(applicability: Applicability, span: Span, replacement: impl Into<String>) -> Self {
        Fix { applicability, edits: vec![Edit { start: span.start, end: span.end, replacement: replacement.into() }] }
    }
}

/// The identity of the object a finding is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ObjectInfo {
    #[serde(rename = "apiVersion", skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl ObjectInfo {
    /// `Deployment/web`, or as much of it as is known.
    pub fn label(&self) -> Option<String> {
        match (&self.kind, &self.name) {
            (Some(k), Some(n)) => Some(format!("{k}/{n}")),
            (Some(k), None) => Some(k.clone()),
            (None, Some(n)) => Some(n.clone()),
            (None, None) => None,
        }
    }
}

/// Source lines around a finding, kept so the text report can show them after the file's text
/// has been dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub first_line: u32,
    /// Byte offset of `text` within the file.
    pub offset: u32,
    pub text: String,
}

/// Where a finding points: its byte span and the line:column of both ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    pub snippet: Option<Snippet>,
    /// The Helm template the location lies in, when the file is rendered chart output; its
    /// lines are then counted within the template's rendered document.
    pub template: Option<Arc<str>>,
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub file: Arc<str>,
    pub location: Location,
    pub object: Option<Arc<ObjectInfo>>,
    pub fix: Option<Fix>,
    /// Set by `--fix` when this finding's fix was applied.
    pub fixed: bool,
}

/// Most lines a snippet keeps; a finding spanning more shows its first lines.
const SNIPPET_LINES: usize = 6;

impl Location {
    /// Where `span` is in `file`, with the source lines to show when `snippets` is set. In
    /// rendered chart output, lines are counted within the template's rendered document.
    pub fn resolve(file: &SourceFile, span: Span, snippets: bool) -> Location {
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
            let shown = file.shown.as_deref().unwrap_or(&file.text);
            let text = shown.get(from as usize..to as usize).unwrap_or_default().to_string();
            Snippet { first_line: start.line, offset: from, text }
        });
        let mut location = Location { span, start, end, snippet, template: None };
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
}
