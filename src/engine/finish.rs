//! Turning what rules report into findings, and finishing a file's findings for the report.
use std::sync::Arc;

use crate::finding::{Finding, Location, ObjectInfo};
use crate::rules::{self, At, RawFinding};
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::suppress::Suppressions;

/// Turns a rule's findings into reportable ones: severity from the settings, object identity,
/// line:column and, when wanted, the source lines to show. `file` resolves spans; findings from
/// the index carry their location already.
pub fn to_findings(
    settings: &Settings,
    file: Option<&SourceFile>,
    path: &Arc<str>,
    raw: Vec<RawFinding>,
    object: Option<&Arc<ObjectInfo>>,
) -> Vec<Finding> {
    raw.into_iter().filter_map(|r| to_finding(settings, file, path, r, object)).collect()
}

pub fn to_finding(
    settings: &Settings,
    file: Option<&SourceFile>,
    path: &Arc<str>,
    raw: RawFinding,
    object: Option<&Arc<ObjectInfo>>,
) -> Option<Finding> {
    // A rule that is off stays off; a finding that knows its severity keeps it.
    let configured = settings.severity_of(raw.rule)?;
    let severity = raw.severity.unwrap_or(configured);
    let location = match raw.at {
        At::Located(location) => location,
        At::Span(span) => Location::resolve(file?, span, settings.snippets),
    };
    // Rendered chart output names the template, not the stream.
    let file = location.template.clone().unwrap_or_else(|| path.clone());
    Some(Finding {
        rule: raw.rule.id,
        severity,
        message: raw.message,
        help: raw.help,
        file,
        location,
        object: object.cloned(),
        fix: raw.fix,
        fixed: false,
    })
}

/// A file's findings as reported: suppressions and per-file ignores applied, sorted, each
/// mistake once. `judged` says whether a rule had its chance to report. Returns how many
/// findings suppressions silenced.
pub fn finish_file(
    name: &str,
    findings: &mut Vec<Finding>,
    suppressions: &Suppressions,
    judged: &dyn Fn(&'static str) -> bool,
    settings: &Settings,
) -> usize {
    let unused = settings.severity_of(&rules::UNUSED_SUPPRESSION);
    let suppressed = suppressions.apply(findings, judged, unused);
    let ignored = settings.paths.ignored_in(name);
    if !ignored.is_empty() {
        findings.retain(|f| {
            let meta = rules::find(f.rule).map(|r| r.meta());
            !meta.is_some_and(|m| ignored.iter().any(|sel| crate::config::selector_matches(sel, m)))
        });
    }
    findings.sort_by(|a, b| {
        (a.location.span.start, a.location.span.end, a.rule, &a.message).cmp(&(
            b.location.span.start,
            b.location.span.end,
            b.rule,
            &b.message,
        ))
    });
    // An aliased node is checked once per alias; its findings are one mistake.
    findings.dedup_by(|a, b| a.rule == b.rule && a.location.span == b.location.span && a.message == b.message);
    // One finding per node: when the schema stage reports a node (a named port where a number
    // belongs), another rule's finding on that same node says the same thing again.
    let mut schema_spans: Vec<_> =
        findings.iter().filter(|f| is_schema_rule(f.rule)).map(|f| f.location.span).collect();
    if !schema_spans.is_empty() {
        schema_spans.sort_unstable();
        findings.retain(|f| is_schema_rule(f.rule) || schema_spans.binary_search(&f.location.span).is_err());
    }
    suppressed
}

/// Schema rules that judge a node's own value. (field-case points at keys too, and
/// missing-required-field and unknown-kind at anchors, which other rules use for other mistakes.)
fn is_schema_rule(id: &str) -> bool {
    matches!(id, "invalid-type" | "invalid-value")
}
