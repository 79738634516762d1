//! The terminal report, in the style of rustc and ruff.
use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{RenderOptions, plural};
use crate::Report;
use crate::finding::{Finding, Severity};

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let renderer = if options.color { Renderer::styled() } else { Renderer::plain() };
    for finding in &report.findings {
        writeln!(out, "{}", render_finding(&renderer, finding))?;
    }
    if !options.quiet {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

pub fn render_finding(renderer: &Renderer, finding: &Finding) -> String {
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let mut group = Group::with_title(level.primary_title(&finding.message).id(finding.rule));
    let location = &finding.location;
    match &location.snippet {
        Some(snippet) => {
            // The window holds the lines of the span (up to a few); clamp a longer span to it.
            let len = snippet.text.len();
            let start = (location.span.start.saturating_sub(snippet.offset) as usize).min(len);
            let end = (location.span.end.saturating_sub(snippet.offset) as usize).clamp(start, len);
            group = group.element(
                Snippet::source(&snippet.text)
                    .line_start(snippet.first_line as usize)
                    .path(&*finding.file)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
        }
        None => {
            group = group.element(
                annotate_snippets::Origin::path(&*finding.file)
                    .line(location.start.line as usize)
                    .char_column(location.start.column as usize - 1),
            );
        }
    }
    if let Some(help) = &finding.help {
        group = group.element(Level::HELP.message(help));
    }
    renderer.render(&[group])
}

pub fn summary(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let infos = report.count(Severity::Info);
    let scope = format!("in {} ({})", plural(report.files, "file"), plural(report.objects, "object"));
    let fixed =
        if report.fixing { format!("Fixed {}. ", plural(report.fixed.len(), "finding")) } else { String::new() };
    if errors + warnings + infos == 0 {
        return format!("{fixed}No problems {}found {scope}.", if report.fixing { "left, " } else { "" });
    }
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if infos > 0 {
        parts.push(plural(infos, "info"));
    }
    let remaining = if report.fixing { " remaining" } else { "" };
    format!("{fixed}Found {}{remaining} {scope}.", parts.join(", "))
}
