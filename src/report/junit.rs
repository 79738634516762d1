//! JUnit XML, in the shape Jenkins' junit-10.xsd accepts (the schema pytest checks its own
//! `--junitxml` against), which GitLab, Jenkins and most CI test-report viewers read.
//!
//! One `<testsuite>` per linted file and one `<testcase>` per (file, rule) for every rule the
//! run checked: test names then stay the same from run to run (a per-finding test would be
//! renamed whenever a line moves, which breaks CI tools' test history), and a clean file shows
//! as passing tests rather than as nothing. A test case with findings has one `<failure>` whose
//! text lists them all, one `file:line:col: severity[rule] message` line each, since several
//! viewers show only a test's first failure. Warnings and infos are failures too: the report
//! is of findings; `type` tells their severity. Files that could not be read are `<error>`s in a
//! last suite named `podlint`.
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use super::RenderOptions;
use super::concise::one_line;
use super::paths::resolve;
use crate::Report;
use crate::finding::Finding;

struct Suite<'r> {
    path: String,
    cases: Vec<(&'static str, Vec<&'r Finding>)>,
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let suites = suites(report, options);
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum::<usize>() + report.errors.len();
    let failures = suites.iter().flat_map(|s| &s.cases).filter(|(_, f)| !f.is_empty()).count();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"podlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\">",
        report.errors.len()
    );
    for suite in &suites {
        let failed = suite.cases.iter().filter(|(_, f)| !f.is_empty()).count();
        let path = attr(&suite.path);
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\" file=\"{path}\">",
            suite.cases.len()
        );
        for (rule, findings) in &suite.cases {
            let _ = write!(xml, "    <testcase name=\"{}\" classname=\"{path}\"", attr(rule));
            let Some(first) = findings.first() else {
                xml.push_str("/>\n");
                continue;
            };
            let severity = findings.iter().map(|f| f.severity).max().unwrap_or(first.severity);
            let mut message = first.message.clone();
            if findings.len() > 1 {
                let _ = write!(message, " (and {} more)", findings.len() - 1);
            }
            let _ = write!(xml, ">\n      <failure type=\"{}\" message=\"{}\">", severity.as_str(), attr(&message));
            for (i, finding) in findings.iter().enumerate() {
                if i > 0 {
                    xml.push('\n');
                }
                xml.push_str(&text(&failure_line(&suite.path, finding)));
            }
            xml.push_str("</failure>\n    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
    if !report.errors.is_empty() {
        let n = report.errors.len();
        let _ =
            writeln!(xml, "  <testsuite name=\"podlint\" tests=\"{n}\" failures=\"0\" errors=\"{n}\" skipped=\"0\">");
        for error in &report.errors {
            let error = attr(error);
            let _ = writeln!(
                xml,
                "    <testcase name=\"{error}\" classname=\"podlint\">\n      <error type=\"io\" message=\"{error}\"/>\n    </testcase>"
            );
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn suites<'r>(report: &'r Report, options: &RenderOptions) -> Vec<Suite<'r>> {
    let mut files: Vec<&str> = report.linted.iter().map(|f| &**f).collect();
    let linted: HashSet<&str> = files.iter().copied().collect();
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in &report.findings {
        let found = by_file.entry(&finding.file).or_default();
        // A report put together by hand may name a file it did not list as linted.
        if found.is_empty() && !linted.contains(&*finding.file) {
            files.push(&finding.file);
        }
        found.push(finding);
    }
    files
        .into_iter()
        .map(|file| {
            let mut cases: Vec<(&'static str, Vec<&Finding>)> = report.rules.iter().map(|r| (*r, Vec::new())).collect();
            for finding in by_file.remove(file).unwrap_or_default() {
                match cases.iter_mut().find(|(rule, _)| *rule == finding.rule) {
                    Some((_, found)) => found.push(finding),
                    None => cases.push((finding.rule, vec![finding])),
                }
            }
            Suite { path: resolve(file, &options.base).as_str().to_string(), cases }
        })
        .collect()
}

fn failure_line(path: &str, finding: &Finding) -> String {
    let mut line = format!(
        "{}:{}:{}: {}[{}] {}",
        one_line(path),
        finding.location.start.line,
        finding.location.start.column,
        finding.severity.as_str(),
        finding.rule,
        one_line(&finding.message)
    );
    if let Some(help) = &finding.help {
        let _ = write!(line, "\n  help: {}", one_line(help));
    }
    line
}

/// XML 1.0 has no way to write most control characters, not even as references: they become
/// U+FFFD, so that a file name or YAML key holding one cannot make the report unreadable.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
        c => c,
    }
}

/// An attribute value, quoted with `"`. Tabs and line breaks are written as references, since
/// a parser replaces literal ones in attributes by spaces.
fn attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// Element text. A literal CR would be read back as LF, so it is a reference.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_unwritable_characters() {
        assert_eq!(attr("a<&\"'>\n\tb\u{1b}"), "a&lt;&amp;&quot;&apos;&gt;&#10;&#9;b\u{FFFD}");
        assert_eq!(text("a<&>\"\r\n"), "a&lt;&amp;&gt;\"&#13;\n");
    }
}
