//! Reporters render findings; they see only the run's report, never files or trees.
pub mod concise;
pub mod github;
pub mod json;
pub mod junit;
pub mod paths;
pub mod sarif;
pub mod statistics;
pub mod text;

use std::io::{self, Write};

use crate::Report;
pub use paths::PathBase;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source lines
    Text,
    /// one line per finding: `file:line:col: severity[rule] message`
    Concise,
    /// one JSON document (schema: README "JSON output")
    Json,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// JUnit XML, for CI test reports
    Junit,
}

impl Format {
    /// Whether the reporter reads source lines, so the run keeps them: the text report shows
    /// them and SARIF fingerprints the finding's line.
    pub fn needs_snippets(self) -> bool {
        matches!(self, Format::Text | Format::Sarif)
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    pub color: bool,
    /// Findings only: no summary line.
    pub quiet: bool,
    /// What CI formats make paths relative to.
    pub base: PathBase,
}

pub fn render(format: Format, report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, options, out),
        Format::Concise => concise::render(report, options, out),
        Format::Json => json::render(report, out),
        Format::Github => github::render(report, options, out),
        Format::Sarif => sarif::render(report, options, out),
        Format::Junit => junit::render(report, options, out),
    }
}

/// "1 error", "2 warnings".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("{count} {noun}") } else { format!("{count} {noun}s") }
}
