//! Reporters render findings; they see only the run's report, never files or trees.
pub mod json;
pub mod text;

use std::io::{self, Write};

use crate::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source lines
    Text,
    /// one JSON document (schema: README "JSON output")
    Json,
}

impl Format {
    /// Whether the reporter shows source lines, so the run keeps them.
    pub fn needs_snippets(self) -> bool {
        matches!(self, Format::Text)
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    pub color: bool,
    /// Findings only: no summary line.
    pub quiet: bool,
}

pub fn render(format: Format, report: &Report, options: RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, options, out),
        Format::Json => json::render(report, out),
    }
}

/// "1 error", "2 warnings".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("{count} {noun}") } else { format!("{count} {noun}s") }
}
