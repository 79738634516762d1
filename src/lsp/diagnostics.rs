//! Findings as LSP diagnostics: the rule id is the code, its page the code's description.
use lsp_types::{CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Uri};

use super::position::Lines;
use crate::finding::{Finding, Severity};

pub const SOURCE: &str = "podlint";

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The link to a rule's page. Rules defined at run time (policies, custom rules) have none.
fn doc_link(rule: &str) -> Option<CodeDescription> {
    let builtin = crate::rules::is_builtin(rule);
    let href = builtin.then(|| crate::rules::doc_url(rule).parse::<Uri>().ok()).flatten()?;
    Some(CodeDescription { href })
}

pub fn diagnostic(finding: &Finding, lines: &Lines<'_>) -> Diagnostic {
    let span = finding.location.span;
    let message = match &finding.help {
        Some(help) => format!("{}\n{help}", finding.message),
        None => finding.message.clone(),
    };
    Diagnostic {
        range: lines.range(span.start, span.end),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.rule.to_string())),
        code_description: doc_link(finding.rule),
        source: Some(SOURCE.to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// The finding a diagnostic came from, among a snapshot's findings: same rule and range.
pub fn same(finding: &Finding, diagnostic: &Diagnostic, lines: &Lines<'_>) -> bool {
    let rule_matches = matches!(&diagnostic.code, Some(NumberOrString::String(code)) if code == finding.rule);
    rule_matches && lines.range(finding.location.span.start, finding.location.span.end) == diagnostic.range
}
