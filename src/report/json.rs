//! The JSON report: a public interface that users script against. Change it only on purpose,
//! bump `version` when a change is not backward compatible, and document it in the README.
use std::io::{self, Write};

use serde::Serialize;

use crate::Report;
use crate::finding::{Edit, ObjectInfo, Severity};

pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'r> {
    version: u32,
    findings: Vec<JsonFinding<'r>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFinding<'r> {
    rule: &'r str,
    severity: Severity,
    message: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'r str>,
    file: &'r str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'r ObjectInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'r [Edit]>,
    /// Only under `--fix`, for findings it repaired (present and `true`, or absent).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    fixed: bool,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    objects: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    /// Only under `--fix`: how many findings it repaired.
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<usize>,
}

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let findings = report
        .findings
        .iter()
        .chain(&report.fixed)
        .map(|f| JsonFinding {
            rule: f.rule,
            severity: f.severity,
            message: &f.message,
            help: f.help.as_deref(),
            file: &f.file,
            line: f.location.start.line,
            column: f.location.start.column,
            end_line: f.location.end.line,
            end_column: f.location.end.column,
            object: f.object.as_deref().filter(|o| **o != ObjectInfo::default()),
            fix: f.fix.as_ref().map(|x| x.edits.as_slice()),
            fixed: f.fixed,
        })
        .collect();
    let doc = JsonReport {
        version: FORMAT_VERSION,
        findings,
        summary: Summary {
            files: report.files,
            objects: report.objects,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            fixed: report.fixing.then_some(report.fixed.len()),
        },
    };
    serde_json::to_writer(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}
