//! podlint: lint and validate Kubernetes manifests.
//!
//! The pipeline, one module per stage: `source` (find and read files) → `yaml` (span-carrying
//! tree) → `object` (Kubernetes objects in it) → `check` (rules, per object then across files)
//! → `report` (text, json, …).
pub mod check;
pub mod cli;
pub mod config;
pub mod finding;
pub mod fix;
pub mod k8s;
pub mod object;
pub mod output;
pub mod report;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod yaml;

use std::io::Read;
use std::sync::Arc;

use rayon::prelude::*;

use check::inventory::Inventory;
use check::{FileOutcome, RuleSet, check_bytes};
use finding::{Finding, Severity};
use settings::Settings;
use source::{Input, discover, discover::describe_io};

/// Everything a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by file (in the order files were given and walked), then position, then rule.
    pub findings: Vec<Finding>,
    pub files: usize,
    pub objects: usize,
    /// The files linted (read and parsed, with or without findings), in `findings`' order:
    /// reports that list clean files too (JUnit) need their names.
    pub linted: Vec<Arc<str>>,
    /// The rules this run checked, in registry order.
    pub rules: Vec<&'static str>,
    /// Paths that could not be read, each a one-line message; they make the exit code 2.
    pub errors: Vec<String>,
    /// Findings that suppression comments and annotations silenced (not in `findings`).
    pub suppressed: usize,
    /// Whether this run fixed files (`--fix`); `fixed` then holds what it repaired, as the
    /// findings were before, each with `fixed` set.
    pub fixing: bool,
    pub fixed: Vec<Finding>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// A file's content, read or given.
pub struct Loaded {
    pub name: Arc<str>,
    pub bytes: Vec<u8>,
}

/// Lints the files and folders named in `paths` (`-` is standard input).
pub fn lint(paths: &[String], settings: &Settings) -> Report {
    // Decompressing and parsing the schemas takes as long as walking a large tree: do both at
    // once. The bundle is loaded once per process; a second call finds it ready.
    if settings.schema {
        rayon::spawn(|| {
            schema::bundle::bundle();
        });
    }
    let mut discovered = discover(paths);
    // Excluded even when named: pre-commit passes every staged file by name.
    discovered.inputs.retain(|input| match input {
        Input::File(path) => !settings.paths.is_excluded(path),
        Input::Stdin => true,
    });
    let mut errors = discovered.errors;
    let stdin = if discovered.inputs.contains(&Input::Stdin) {
        let mut bytes = Vec::new();
        match std::io::stdin().lock().read_to_end(&mut bytes) {
            Ok(_) => Some(bytes),
            Err(e) => {
                errors.push(format!("standard input: {}", describe_io(&e)));
                None
            }
        }
    } else {
        None
    };
    let read = |input: &Input| -> Result<Loaded, String> {
        match input {
            Input::Stdin => {
                Ok(Loaded { name: settings.stdin_name.as_str().into(), bytes: stdin.clone().unwrap_or_default() })
            }
            Input::File(path) => {
                read_file(path, settings.max_file_size).map(|bytes| Loaded { name: path.as_str().into(), bytes })
            }
        }
    };
    let mut report = run(&discovered.inputs, read, settings);
    errors.append(&mut report.errors);
    report.errors = errors;
    report
}

/// Lints in-memory files, as if they had been read from disk under these names.
pub fn lint_memory(files: &[(&str, &[u8])], settings: &Settings) -> Report {
    let inputs: Vec<_> = (0..files.len()).collect();
    run(&inputs, |&i| Ok(Loaded { name: files[i].0.into(), bytes: files[i].1.to_vec() }), settings)
}

/// A file's findings as reported: suppressions and per-file ignores applied, sorted, each
/// mistake once. Returns how many findings suppressions silenced.
fn finish_file(
    name: &str,
    findings: &mut Vec<Finding>,
    suppressions: suppress::Suppressions,
    judge: &suppress::Judge<'_>,
    settings: &Settings,
) -> usize {
    let suppressed = suppressions.apply(findings, judge);
    let ignored = settings.paths.ignored_in(name);
    if !ignored.is_empty() {
        findings.retain(|f| {
            let meta = rules::find(f.rule).map(|r| r.meta());
            !meta.is_some_and(|m| ignored.iter().any(|sel| config::selector_matches(sel, m)))
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
    let schema_spans: Vec<_> = findings.iter().filter(|f| is_schema_rule(f.rule)).map(|f| f.location.span).collect();
    findings.retain(|f| is_schema_rule(f.rule) || !schema_spans.contains(&f.location.span));
    suppressed
}

/// A run's rules and schemas, kept to lint versions of one file's text again and again: what
/// `--fix` needs between rounds. Cross-object rules do not run (they have no fixes).
pub struct Linter<'s> {
    settings: &'s Settings,
    rules: RuleSet,
}

impl<'s> Linter<'s> {
    /// Gathers the CRDs among `paths`, as a run over them would.
    pub fn new(paths: &[String], settings: &'s Settings) -> Self {
        let inputs: Vec<String> = discover(paths)
            .inputs
            .into_iter()
            .filter_map(|i| match i {
                Input::File(path) => Some(path),
                Input::Stdin => None,
            })
            .collect();
        let read = |path: &String| {
            read_file(path, settings.max_file_size).map(|bytes| Loaded { name: path.as_str().into(), bytes })
        };
        Linter { settings, rules: rule_set(&inputs, &read, settings) }
    }

    pub fn lint_text(&self, name: &str, text: &str) -> Vec<Finding> {
        let outcome = check_bytes(name.into(), text.as_bytes().to_vec(), 0, self.settings, &self.rules);
        let judge = suppress::Judge::new(self.settings, &outcome.inventory);
        let mut findings = outcome.findings;
        finish_file(name, &mut findings, outcome.suppressions, &judge, self.settings);
        findings
    }
}

/// Schema rules that judge a node's own value. (field-case points at keys too, and
/// missing-required-field and unknown-kind at anchors, which other rules use for other mistakes.)
fn is_schema_rule(id: &str) -> bool {
    matches!(id, "invalid-type" | "invalid-value")
}

/// CRDs may sit in other files than their resources, so they are gathered before any object is
/// checked. Only files that mention the kind are parsed for it, so the cost is one scan of the
/// bytes for every other file.
fn gather_crds<I: Sync>(
    inputs: &[I],
    read: &(impl Fn(&I) -> Result<Loaded, String> + Sync),
    settings: &Settings,
) -> Vec<(String, String, schema::catalog::DocSchema)> {
    let finder = memchr::memmem::Finder::new(b"CustomResourceDefinition");
    let mut found: Vec<_> = inputs
        .par_iter()
        .flat_map_iter(|input| {
            let Ok(loaded) = read(input) else { return Vec::new() };
            if finder.find(&loaded.bytes).is_none() {
                return Vec::new();
            }
            let Ok(text) = std::str::from_utf8(&loaded.bytes) else { return Vec::new() };
            // Only the documents that mention the kind are parsed: a CRD in a large rendered
            // file would otherwise cost a second parse of the whole file, and its memory.
            let documents = yaml::document_parts(text, 0);
            let mut wanted: Vec<usize> = finder
                .find_iter(&loaded.bytes)
                .map(|at| documents.partition_point(|d| d.end <= at).min(documents.len() - 1))
                .collect();
            wanted.dedup();
            let mut schemas = Vec::new();
            for range in wanted.into_iter().map(|i| documents[i].clone()) {
                let parsed = yaml::load_part(&text[..range.end], range.start, settings.limits);
                schemas.extend(
                    parsed
                        .documents
                        .iter()
                        .flat_map(object::objects_in)
                        .filter(|o| o.is_kind("CustomResourceDefinition"))
                        .flat_map(|o| schema::crd::schemas_from_crd(o.root, &loaded.name)),
                );
            }
            schemas
        })
        .collect();
    // Deterministic when two files define the same kind: the first given wins.
    found.reverse();
    found
}

fn read_file(path: &str, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {}", describe_io(&e)))?;
    let meta = file.metadata().map_err(|e| format!("{path}: {}", describe_io(&e)))?;
    if !meta.is_file() {
        return Err(format!("{path}: not a regular file; skipped"));
    }
    if meta.len() > max {
        return Err(format!("{path}: {} bytes is more than the {max}-byte limit on file size; skipped", meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take` guards against a file that grows while it is read.
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| format!("{path}: {}", describe_io(&e)))?;
    if bytes.len() as u64 > max {
        return Err(format!("{path}: grew past the {max}-byte limit on file size while being read; skipped"));
    }
    Ok(bytes)
}

/// The run's rules, and its schemas with the CRDs found among the inputs.
fn rule_set<I: Sync>(
    inputs: &[I],
    read: &(impl Fn(&I) -> Result<Loaded, String> + Sync),
    settings: &Settings,
) -> RuleSet {
    let mut rules = RuleSet::new(settings);
    if let Some(catalog) = &mut rules.catalog {
        for (api_version, kind, schema) in gather_crds(inputs, read, settings) {
            catalog.add_crd(api_version, kind, schema);
        }
    }
    rules
}

fn run<I: Sync>(inputs: &[I], read: impl Fn(&I) -> Result<Loaded, String> + Sync, settings: &Settings) -> Report {
    let rules = rule_set(inputs, &read, settings);
    let outcomes: Vec<Result<(Arc<str>, FileOutcome), String>> = inputs
        .par_iter()
        .enumerate()
        .map(|(index, input)| {
            let loaded = read(input)?;
            let name = loaded.name.clone();
            Ok((name, check_bytes(loaded.name, loaded.bytes, index, settings, &rules)))
        })
        .collect();

    // Schema rules are raised by the schema stage, which `--no-schema` skips.
    let checked = crate::rules::all()
        .iter()
        .map(|r| r.meta())
        .filter(|m| settings.severity_of(m).is_some())
        .filter(|m| settings.schema || m.category != crate::rules::Category::Schema)
        .map(|m| m.id)
        .collect();
    let mut report = Report { rules: checked, ..Report::default() };
    let mut per_file: Vec<Vec<Finding>> = Vec::with_capacity(outcomes.len());
    let mut names: Vec<Option<Arc<str>>> = Vec::with_capacity(outcomes.len());
    let mut suppressions: Vec<suppress::Suppressions> = Vec::with_capacity(outcomes.len());
    let mut inventory = Inventory::default();
    for outcome in outcomes {
        match outcome {
            Ok((name, outcome)) => {
                report.files += 1;
                report.linted.push(name.clone());
                names.push(Some(name));
                report.objects += outcome.objects;
                inventory.extend(outcome.inventory);
                per_file.push(outcome.findings);
                suppressions.push(outcome.suppressions);
            }
            Err(message) => {
                report.errors.push(message);
                names.push(None);
                per_file.push(Vec::new());
                suppressions.push(suppress::Suppressions::default());
            }
        }
    }
    for rule in &rules.cross_object {
        let mut found = Vec::new();
        rule.check_inventory(&inventory, &mut found, settings);
        for (file, finding) in found {
            per_file[file].push(finding);
        }
    }
    let judge = suppress::Judge::new(settings, &inventory);
    for ((mut findings, suppressions), name) in per_file.into_iter().zip(suppressions).zip(names) {
        report.suppressed +=
            finish_file(name.as_deref().unwrap_or_default(), &mut findings, suppressions, &judge, settings);
        report.findings.append(&mut findings);
    }
    report
}
