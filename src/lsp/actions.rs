//! Code actions: each finding's fix as a quick fix (safe ones preferred, unsafe ones labelled),
//! every safe fix of the file at once, and a suppression comment for a finding.
use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::diagnostics::{diagnostic, same};
use super::position::Lines;
use super::worker::Snapshot;
use crate::finding::{Applicability, Edit, Finding};

/// The kind of "fix all safe problems" when a client asks for fix-all actions (VS Code's
/// `editor.codeActionsOnSave` with `source.fixAll` or `source.fixAll.podlint`).
pub const FIX_ALL: &str = "source.fixAll.podlint";

/// Longest piece of text a title quotes.
const TITLE_TEXT: usize = 40;

pub fn code_actions(uri: &Uri, snapshot: &Snapshot, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let lines = Lines::new(&snapshot.text);
    let wanted = |kind: &CodeActionKind| match &params.context.only {
        Some(only) => {
            only.iter().any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str())))
        }
        None => true,
    };
    let here: Vec<&Finding> = snapshot
        .findings
        .iter()
        .filter(|f| f.location.template.is_none())
        .filter(|f| {
            let range = lines.range(f.location.span.start, f.location.span.end);
            touches(range, params.range) || params.context.diagnostics.iter().any(|d| same(f, d, &lines))
        })
        .collect();
    let mut actions = Vec::new();
    if wanted(&CodeActionKind::QUICKFIX) {
        for finding in &here {
            if let Some(fix) = &finding.fix {
                let title = fix_title(finding, &fix.edits, &snapshot.text, fix.applicability);
                let edits: Vec<&Edit> = fix.edits.iter().collect();
                actions.push(action(
                    title,
                    CodeActionKind::QUICKFIX,
                    uri,
                    text_edits(&edits, &lines),
                    vec![diagnostic(finding, &lines)],
                    fix.applicability == Applicability::Safe,
                ));
            }
        }
    }
    let safe = crate::fix::choose(&snapshot.findings, false);
    let fix_all_kind = if params.context.only.is_some() && !wanted(&CodeActionKind::QUICKFIX) {
        CodeActionKind::new(FIX_ALL)
    } else {
        CodeActionKind::QUICKFIX
    };
    // Offered where a safe fix is, and whenever a client asks for fix-all actions (on save).
    let asked_for_all = params.context.only.is_some() && wanted(&CodeActionKind::new(FIX_ALL));
    let near_a_safe_fix = here.iter().any(|f| crate::fix::applicable(f, false));
    if !safe.is_empty() && wanted(&fix_all_kind) && (near_a_safe_fix || asked_for_all) {
        let edits: Vec<&Edit> = safe.iter().filter_map(|f| f.fix.as_ref()).flat_map(|f| &f.edits).collect();
        let title = format!("Fix all safe problems in this file ({})", safe.len());
        let diagnostics = safe.iter().map(|f| diagnostic(f, &lines)).collect();
        actions.push(action(title, fix_all_kind, uri, text_edits(&edits, &lines), diagnostics, false));
    }
    if wanted(&CodeActionKind::QUICKFIX) {
        let mut done: Vec<(&str, usize)> = Vec::new();
        for finding in &here {
            let (line0, start, _) = lines.line_at(finding.location.span.start);
            if done.contains(&(finding.rule, line0)) {
                continue;
            }
            done.push((finding.rule, line0));
            let edit = suppression(finding.rule, &snapshot.text, start);
            let title = format!("Suppress {} on this line (podlint: ignore comment)", finding.rule);
            actions.push(action(
                title,
                CodeActionKind::QUICKFIX,
                uri,
                text_edits(&[&edit], &lines),
                vec![diagnostic(finding, &lines)],
                false,
            ));
        }
    }
    actions
}

/// Whether two ranges overlap or touch (a cursor is an empty range).
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

// lsp-types keys a workspace edit's changes by `Uri`, whose lazily parsed parts sit in a cell;
// its hash and equality are those of the URI's text, which never changes.
#[allow(clippy::mutable_key_type)]
fn action(
    title: String,
    kind: CodeActionKind,
    uri: &Uri,
    edits: Vec<TextEdit>,
    diagnostics: Vec<Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    let changes = HashMap::from([(uri.clone(), edits)]);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: Some(diagnostics),
        edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

fn text_edits(edits: &[&Edit], lines: &Lines<'_>) -> Vec<TextEdit> {
    let mut edits: Vec<&Edit> = edits.to_vec();
    edits.sort_by_key(|e| (e.start, e.end));
    edits.dedup();
    edits.iter().map(|e| TextEdit { range: lines.range(e.start, e.end), new_text: e.replacement.clone() }).collect()
}

/// `Replace `containerport` with `containerPort``, and the like; unsafe fixes say so.
fn fix_title(finding: &Finding, edits: &[Edit], text: &str, applicability: Applicability) -> String {
    let what = match edits {
        [edit] => {
            let old = text.get(edit.start as usize..edit.end as usize).unwrap_or("");
            match (old.trim().is_empty(), edit.replacement.trim().is_empty()) {
                (false, false) => format!("Replace `{}` with `{}`", short(old), short(&edit.replacement)),
                (false, true) => format!("Remove `{}`", short(old)),
                (true, false) => format!("Insert `{}`", short(&edit.replacement)),
                (true, true) => format!("Fix {}", finding.rule),
            }
        }
        _ => format!("Fix {} ({} edits)", finding.rule, edits.len()),
    };
    match applicability {
        Applicability::Safe => format!("{what} ({})", finding.rule),
        Applicability::Unsafe => format!("{what} ({}, unsafe: changes what is deployed)", finding.rule),
    }
}

fn short(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("");
    if line.chars().count() > TITLE_TEXT || text.trim().contains('\n') {
        let cut: String = line.chars().take(TITLE_TEXT).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// A `# podlint: ignore[rule]` line above the line at `line_start`, indented like it, which
/// covers the node that starts on that line.
fn suppression(rule: &str, text: &str, line_start: u32) -> Edit {
    let rest = text.get(line_start as usize..).unwrap_or("");
    let indent: String = rest.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Edit { start: line_start, end: line_start, replacement: format!("{indent}# podlint: ignore[{rule}]{newline}") }
}
