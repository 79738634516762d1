//! One line per finding, for grep, editors' quickfix lists and narrow logs.
use std::io::{self, Write};

use super::RenderOptions;
use super::text::summary;
use crate::Report;
use crate::finding::Finding;

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    for finding in &report.findings {
        writeln!(out, "{}", line(finding))?;
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

/// `file:line:col: severity[rule] message`: the shape compilers print, which editors and CI
/// problem matchers already parse. Also the failure text of the JUnit report.
pub fn line(finding: &Finding) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        one_line(&finding.file),
        finding.location.start.line,
        finding.location.start.column,
        finding.severity.as_str(),
        finding.rule,
        one_line(&finding.message)
    )
}

/// A line break inside a quoted key or file name would split the finding over two lines and
/// break every line-oriented reader, so breaks are written as escapes.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['\n', '\r']) { text.replace('\r', "\\r").replace('\n', "\\n").into() } else { text.into() }
}
