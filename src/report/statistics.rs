//! `--statistics`: how many findings each rule made, most first (ruff's `--statistics`).
use std::io::{self, Write};

use super::RenderOptions;
use super::text::summary;
use crate::Report;
use crate::finding::Severity;
use crate::rules;

/// One row per rule that found something: (count, rule id, severity).
pub fn counts(report: &Report) -> Vec<(usize, &'static str, Severity)> {
    let mut rows: Vec<(usize, &'static str, Severity)> = Vec::new();
    for finding in &report.findings {
        match rows.iter_mut().find(|(_, rule, severity)| *rule == finding.rule && *severity == finding.severity) {
            Some(row) => row.0 += 1,
            None => rows.push((1, finding.rule, finding.severity)),
        }
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(b.2.cmp(&a.2)));
    rows
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let rows = counts(report);
    let count_width = rows.iter().map(|r| r.0.to_string().len()).max().unwrap_or(1);
    let rule_width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    for (count, rule, severity) in rows {
        let summary = rules::find(rule).map_or("", |r| r.meta().summary);
        writeln!(out, "{count:>count_width$}  {rule:<rule_width$}  {:<7}  {summary}", severity.as_str())?;
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}
