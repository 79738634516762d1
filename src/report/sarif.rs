//! SARIF 2.1.0 (OASIS), in the subset GitHub code scanning reads
//! (docs: "SARIF support for code scanning").
//!
//! Choices:
//! - `tool.driver.rules` lists every rule of the registry, not only those that found something:
//!   `ruleIndex` is then the registry's order in every run, and a viewer can show any rule's
//!   documentation, including for results merged from several runs.
//! - URIs are relative to `%SRCROOT%` (the workspace on GitHub, else the current directory),
//!   which is how GitHub matches a result to the file in the repository.
//! - Fingerprints: GitHub uses only `partialFingerprints.primaryLocationLineHash`, and when it is
//!   absent `upload-sarif` computes it from the checked-out file (codeql-action
//!   `fingerprints.ts`), which needs the whole file, not a reporter's view of findings. So that
//!   key is left to upload-sarif, and results carry a key of podlint's own,
//!   `podlintFingerprint/v1`, for other consumers (and SARIF baselining): a hash of the rule id,
//!   the relative path and the finding's source line with surrounding blanks trimmed, plus an
//!   ordinal among equal keys. It stays the same when lines above are added or removed, or the
//!   manifest is re-indented.
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use serde::Serialize;

use super::RenderOptions;
use super::paths::{Resolved, file_uri, resolve, uri_encode};
use crate::Report;
use crate::finding::{Finding, Severity};
use crate::rules::{self, RuleMeta};

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
pub const FINGERPRINT_KEY: &str = "podlintFingerprint/v1";
/// GitHub's limit on `fullDescription.text` (and shortDescription).
const DESCRIPTION_MAX: usize = 1000;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    /// podlint counts columns in characters, as editors do; SARIF's default is UTF-16 units.
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    /// Exclusive in SARIF as in podlint: the column after the last character.
    end_column: u32,
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report, options)).map_err(io::Error::other)?;
    writeln!(out)
}

fn log(report: &Report, options: &RenderOptions) -> Log {
    let mut original_uri_base_ids = BTreeMap::new();
    if let Some(root) = options.base.root() {
        let uri = file_uri(&root.to_string_lossy().replace('\\', "/"));
        // A base URI must end with `/` to be resolved against (SARIF §3.14.14).
        let uri = if uri.ends_with('/') { uri } else { format!("{uri}/") };
        original_uri_base_ids.insert(SRCROOT, ArtifactLocation { uri, uri_base_id: None });
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results = report.findings.iter().map(|f| result(f, options, &mut seen)).collect();
    let notifications = report
        .errors
        .iter()
        .map(|e| Notification { level: "error", message: Text { text: sentence(e), markdown: None } })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "podlint",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules::all().iter().map(|r| rule(r.meta())).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: report.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids,
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

fn rule(meta: &'static RuleMeta) -> Rule {
    let paragraph = first_paragraph(meta.doc);
    let body = doc_body(meta.doc);
    Rule {
        id: meta.id,
        name: pascal_case(meta.id),
        short_description: Text { text: truncate(&sentence(meta.summary), DESCRIPTION_MAX), markdown: None },
        full_description: Text {
            text: truncate(&paragraph.replace('`', ""), DESCRIPTION_MAX),
            markdown: Some(truncate(&paragraph, DESCRIPTION_MAX)),
        },
        help: Text { text: plain_text(body), markdown: Some(body.to_string()) },
        help_uri: rules::doc_url(meta.id),
        default_configuration: Configuration { level: level(meta.severity) },
        properties: RuleProperties { tags: [meta.category.as_str()] },
    }
}

fn result(finding: &Finding, options: &RenderOptions, seen: &mut HashMap<String, usize>) -> SarifResult {
    let resolved = resolve(&finding.file, &options.base);
    let artifact_location = match &resolved {
        Resolved::Relative(path) => ArtifactLocation { uri: uri_encode(path), uri_base_id: Some(SRCROOT) },
        Resolved::Absolute(path) => ArtifactLocation { uri: file_uri(path), uri_base_id: None },
    };
    let mut text = sentence(&finding.message);
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(&sentence(help));
    }
    let start = finding.location.start;
    let end = finding.location.end;
    let key = fingerprint_key(finding, resolved.as_str());
    let ordinal = seen.entry(key.clone()).and_modify(|n| *n += 1).or_insert(1);
    let fingerprint = format!("{:032x}:{ordinal}", fnv1a_128(key.as_bytes()));
    SarifResult {
        rule_id: finding.rule,
        rule_index: rules::all().iter().position(|r| r.meta().id == finding.rule),
        level: level(finding.severity),
        message: Text { text, markdown: None },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location,
                region: Region {
                    start_line: start.line,
                    start_column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                },
            },
        }],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
    }
}

/// Rule id, path and the finding's source line, trimmed; the message stands in for the line
/// when the run kept no source lines.
fn fingerprint_key(finding: &Finding, path: &str) -> String {
    let line = match &finding.location.snippet {
        Some(snippet) => snippet.text.split(['\n', '\r']).next().unwrap_or_default().trim(),
        None => finding.message.as_str(),
    };
    format!("{}\0{path}\0{line}", finding.rule)
}

/// FNV-1a, 128 bits: stable across platforms and Rust versions (std's hasher promises neither),
/// and no dependency for one hash.
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    bytes.iter().fold(OFFSET, |hash, &b| (hash ^ u128::from(b)).wrapping_mul(PRIME))
}

/// SARIF's guidance (and the SARIF validator) wants messages to be sentences ending in a period.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) { text.to_string() } else { format!("{text}.") }
}

/// `missing-liveness-probe` → `MissingLivenessProbe`: SARIF's convention for a rule's name.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The page without its `# id` title: the rule's id and name are shown beside it already.
fn doc_body(doc: &str) -> &str {
    let body = match doc.strip_prefix('#') {
        Some(_) => doc.split_once('\n').map_or("", |(_, rest)| rest),
        None => doc,
    };
    body.trim()
}

/// The paragraph under the title: the rule page's one-line description.
fn first_paragraph(doc: &str) -> String {
    doc_body(doc).lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect::<Vec<_>>().join(" ")
}

/// Markdown as plain text: headings lose their `#`, code fences their backtick lines.
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            continue;
        }
        out.push_str(line.trim_start_matches('#').trim_start_matches(' ').trim_end());
        out.push('\n');
    }
    out.trim_end().to_string()
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max - 1) {
        Some((cut, _)) if text.chars().count() > max => format!("{}…", &text[..cut]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_metadata_comes_from_the_doc_page() {
        let meta = rules::find("image-tag").expect("rule").meta();
        assert_eq!(first_paragraph(meta.doc), "A container image has no tag, or uses the `latest` tag.");
        assert_eq!(pascal_case("missing-liveness-probe"), "MissingLivenessProbe");
        assert!(doc_body(meta.doc).starts_with("A container image"));
        let text = plain_text(doc_body(meta.doc));
        assert!(text.contains("\nWhat it does\n") && !text.contains("```"), "{text}");
    }

    #[test]
    fn fnv_matches_the_reference_vectors() {
        assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
    }

    #[test]
    fn truncation_counts_characters() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcd", 4), "abcd");
        assert_eq!(truncate("ééééé", 3), "éé…");
    }
}
