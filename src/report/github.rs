//! GitHub Actions workflow commands: each finding becomes an annotation on its line of the pull
//! request, and the job summary gets a Markdown table.
//!
//! The runner parses `::error file=…,line=…::message` (actions/runner `ActionCommand.TryParseV2`):
//! properties split on `,` and then on the first `=`, the message is everything after the
//! second `::`. So property values escape `%`, CR, LF, `:` and `,`, and the message escapes
//! `%`, CR and LF, exactly as @actions/toolkit's `escapeProperty`/`escapeData` do.
use std::fmt::Write as _;
use std::io::{self, Write};

use super::paths::for_github;
use super::text::summary;
use super::{RenderOptions, plural};
use crate::Report;
use crate::finding::{Finding, Severity};
use crate::rules;

/// Annotations the runner attaches per type and step; the rest only reach the log.
pub const ANNOTATION_CAP: usize = 10;

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    if let Some(notice) = cap_notice(report) {
        writeln!(out, "::notice title={}::{}", escape_property("podlint"), escape_data(&notice))?;
    }
    for finding in &report.findings {
        writeln!(out, "{}", annotation(finding, options))?;
    }
    Ok(())
}

pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub fn annotation(finding: &Finding, options: &RenderOptions) -> String {
    let start = finding.location.start;
    let end = finding.location.end;
    let mut properties = vec![("file", for_github(&finding.file, &options.base)), ("line", start.line.to_string())];
    // The runner drops columns from a range that spans lines (ValidateLinesAndColumns), and
    // would then mark the whole line range anyway.
    if start.line == end.line {
        properties.push(("col", start.column.to_string()));
    }
    properties.push(("endLine", end.line.to_string()));
    if start.line == end.line {
        properties.push(("endColumn", end.column.to_string()));
    }
    properties.push(("title", format!("podlint ({})", finding.rule)));
    let properties: Vec<String> =
        properties.iter().map(|(name, value)| format!("{name}={}", escape_property(value))).collect();
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{} {}::{}", command(finding.severity), properties.join(","), escape_data(&message))
}

/// Said once, first, so that it is itself among the annotations the runner keeps.
fn cap_notice(report: &Report) -> Option<String> {
    let over: Vec<String> = [(Severity::Error, "error"), (Severity::Warning, "warning"), (Severity::Info, "notice")]
        .into_iter()
        .map(|(severity, noun)| (report.count(severity), noun))
        .filter(|(count, _)| *count > ANNOTATION_CAP)
        .map(|(count, noun)| plural(count, noun))
        .collect();
    if over.is_empty() {
        return None;
    }
    Some(format!(
        "{}: GitHub shows only the first {ANNOTATION_CAP} annotations of each kind; the log and the job summary list every finding",
        over.join(", ")
    ))
}

pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Findings listed one by one in the job summary; the rest are counted.
pub const SUMMARY_FINDINGS: usize = 100;
/// A message longer than this is cut in the summary table.
const SUMMARY_MESSAGE_CHARS: usize = 300;

/// The Markdown appended to `$GITHUB_STEP_SUMMARY`: counts per rule, then the first
/// [`SUMMARY_FINDINGS`] findings. GitHub caps a step's summary at 1 MiB; with the caps above it
/// stays near 100 KiB however large the run.
pub fn step_summary(report: &Report, options: &RenderOptions) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "### podlint\n\n{}\n", summary(report));
    if !report.errors.is_empty() {
        let _ = writeln!(md, "Not linted:\n");
        for error in report.errors.iter().take(SUMMARY_FINDINGS) {
            let _ = writeln!(md, "- {}", markdown_text(&truncate(error, SUMMARY_MESSAGE_CHARS)));
        }
        md.push('\n');
    }
    if report.findings.is_empty() {
        return md;
    }
    md.push_str("| Rule | Severity | Findings | What it catches |\n|---|---|--:|---|\n");
    for (count, rule, severity) in super::statistics::counts(report) {
        let summary = rules::find(rule).map_or("", |r| r.meta().summary);
        let _ = writeln!(
            md,
            "| [`{rule}`]({}) | {} | {count} | {} |",
            rules::doc_url(rule),
            severity.as_str(),
            markdown_text(summary)
        );
    }
    md.push_str("\n| Location | Rule | Severity | Message |\n|---|---|---|---|\n");
    for finding in report.findings.iter().take(SUMMARY_FINDINGS) {
        let location = format!(
            "{}:{}:{}",
            for_github(&finding.file, &options.base),
            finding.location.start.line,
            finding.location.start.column
        );
        let _ = writeln!(
            md,
            "| {} | `{}` | {} | {} |",
            markdown_text(&truncate(&location, SUMMARY_MESSAGE_CHARS)),
            finding.rule,
            finding.severity.as_str(),
            markdown_text(&truncate(&finding.message, SUMMARY_MESSAGE_CHARS))
        );
    }
    if report.findings.len() > SUMMARY_FINDINGS {
        let _ = writeln!(
            md,
            "\nThe first {SUMMARY_FINDINGS} of {} findings; the job log lists them all.",
            report.findings.len()
        );
    }
    md
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Text for one Markdown table cell. Messages quote keys and values in backticks; those stay
/// code spans. Everything else is escaped, since the quoted text comes from the manifests and
/// could otherwise open a link, a tag or a new cell.
fn markdown_text(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of backticks would leave one span open: escape them all instead.
    let balanced = parts.len() % 2 == 1;
    let mut out = String::with_capacity(text.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && !balanced {
            out.push_str("\\`");
        }
        if balanced && i % 2 == 1 {
            // GitHub splits table cells before it reads code spans, so `|` needs its escape here too.
            let _ = write!(out, "`{}`", part.replace('|', "\\|"));
        } else {
            for c in part.chars() {
                // Markup, table cells, emoji (`:x:`), math (`$`), mentions and issue links.
                if "\\`*_[]<>&|~:@!$#".contains(c) {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_match_the_toolkit() {
        assert_eq!(escape_data("100% bad, see: docs\r\nhelp"), "100%25 bad, see: docs%0D%0Ahelp");
        assert_eq!(escape_property("k8s/a,line=1:x%.yaml"), "k8s/a%2Cline=1%3Ax%25.yaml");
    }

    #[test]
    fn markdown_cells_keep_code_spans_and_escape_the_rest() {
        assert_eq!(markdown_text("key `a|b` in [x](y) <b>, :+1:"), "key `a\\|b` in \\[x\\](y) \\<b\\>, \\:+1\\:");
        assert_eq!(markdown_text("odd ` tick|"), "odd \\` tick\\|");
        assert_eq!(markdown_text("two\nlines"), "two lines");
    }
}
