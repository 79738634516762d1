//! A workspace: the inputs of a run with what each file produced (findings, suppression table,
//! index part), kept so that one file can be checked again without the others. The command line
//! builds one and turns it into a report; `--fix` asks it about versions of a file between
//! rounds; an editor's server keeps one for the life of a session and updates it as files
//! change.
use std::borrow::Cow;
use std::io::Read;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::context::{ContextPart, RunContext};
use crate::engine::file::{FileOutcome, Origin, check_bytes};
use crate::engine::finish::finish_file;
use crate::engine::{Engine, run_rules};
use crate::finding::{Finding, Severity};
use crate::index::{FileId, IndexView, ObjectIndex, Work, WorkCount};
use crate::settings::Settings;
use crate::source::discover::describe_io;
use crate::source::{Input, discover};
use crate::suppress::Suppressions;

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
    /// What the object index did: a measure of cross-object work that tests hold to linear
    /// growth.
    pub work: WorkCount,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// What the per-file pass left of one input.
#[derive(Debug)]
enum Slot {
    Checked {
        name: Arc<str>,
        findings: Vec<Finding>,
        objects: usize,
        suppressions: Suppressions,
    },
    /// It could not be read; the message names it.
    Failed(String),
}

pub struct Workspace {
    engine: Engine,
    inputs: Vec<Input>,
    slots: Vec<Slot>,
    index: ObjectIndex,
    /// Findings of the run rules, by file.
    run_findings: Vec<Vec<Finding>>,
    /// Whether each input contributed to the run context (CRDs, Namespaces, kustomizations):
    /// a change to one of those checks every file again.
    shapes_context: Vec<bool>,
    /// Paths discovery could not use.
    errors: Vec<String>,
    work: Work,
    /// Inputs by name.
    names: FxHashMap<Arc<str>, usize>,
}

/// The inputs named by command-line paths (`-` stays `Input::Stdin` for the caller to fill),
/// minus excluded files, with Helm charts rendered when the settings ask, and the paths that
/// could not be used.
pub fn inputs(paths: &[String], settings: &Settings) -> (Vec<Input>, Vec<String>) {
    let mut discovered = crate::source::discover::discover_with(paths, settings.markdown);
    // Excluded even when named: pre-commit passes every staged file by name.
    discovered.inputs.retain(|input| match input {
        Input::File(path) | Input::Walked(path) => !settings.paths.is_excluded(path),
        _ => true,
    });
    if settings.helm.render {
        let (rendered, errors) =
            crate::helm::render_charts(discovered.inputs, &settings.helm, settings.kubernetes_version);
        discovered.inputs = rendered;
        discovered.errors.extend(errors);
    }
    (discovered.inputs, discovered.errors)
}

/// Checks one input's bytes: a Helm chart's `Chart.yaml` stands for its chart, anything else is
/// a file of manifests (or not, which the engine decides).
fn check_input(engine: &Engine, input: &Input, name: Arc<str>, bytes: Vec<u8>) -> FileOutcome {
    if crate::source::chart::is_chart_file(&name) {
        return crate::helm::check_chart(engine, name, bytes);
    }
    check_bytes(engine, name, bytes, origin(input))
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

/// An input's name and bytes.
fn read(input: &Input, max: u64) -> Result<(Arc<str>, Cow<'_, [u8]>), String> {
    match input {
        Input::File(path) | Input::Walked(path) => {
            read_file(path, max).map(|bytes| (path.as_str().into(), Cow::Owned(bytes)))
        }
        Input::Memory { name, bytes } => Ok((name.clone(), Cow::Borrowed(&bytes[..]))),
        Input::Stdin => Err("standard input: not given to the workspace (read it and pass it as text)".to_string()),
    }
}

fn origin(input: &Input) -> Origin {
    match input {
        Input::Walked(_) => Origin::Walked,
        _ => Origin::Named,
    }
}

/// Policy files that could not be read, and the compile errors of policies that are loaded but
/// not linted (those of linted files are findings): usage errors.
fn policy_errors(engine: &Engine) -> Vec<String> {
    let mut errors = engine.context.admission.errors.clone();
    if let Some(policies) = &engine.context.policies {
        errors.extend(policies.failures.iter().filter(|f| !f.linted).map(|f| f.describe()));
    }
    errors
}

/// Threads per core that read files in the pre-pass.
const READERS_PER_CORE: usize = 8;

/// The run context of these inputs, and which of them shaped it.
fn gather_context(inputs: &[Input], settings: &Settings) -> (RunContext, Vec<bool>) {
    let gather = || -> Vec<ContextPart> {
        inputs
            .par_iter()
            .map(|input| match read(input, settings.max_file_size) {
                Ok((name, bytes)) => ContextPart::gather(&name, &bytes, settings.limits),
                Err(_) => ContextPart::default(),
            })
            .collect()
    };
    // This is the run's first read of every file. From a cold page cache (a CI checkout, a
    // machine that evicts idle pages) the time is the disk's latency, not the CPU's work, so
    // many more reads are kept in flight than there are cores; the per-file pass then finds
    // the files in memory.
    let readers = rayon::current_num_threads().max(1) * READERS_PER_CORE;
    let pool = (inputs.len() > readers).then(|| rayon::ThreadPoolBuilder::new().num_threads(readers).build().ok());
    let parts = match pool.flatten() {
        Some(pool) => pool.install(gather),
        None => gather(),
    };
    let mut shapes: Vec<bool> = parts.iter().map(ContextPart::shapes_context).collect();
    let beside = kustomizations_beside(inputs).into_iter().filter_map(|path| {
        let bytes = read_file(&path, settings.max_file_size).ok()?;
        Some(ContextPart::gather(&Arc::from(path.as_str()), &bytes, settings.limits))
    });
    let mut context = RunContext::from_parts(parts.into_iter().chain(beside));
    let policy_files = load_policies(&mut context, settings);
    gather_params(&mut context, inputs, &policy_files, settings, &mut shapes);
    (context, shapes)
}

/// Loads the policies of `--policy` and the configuration's `policies` (read, not linted);
/// returns the files read, which may hold params too.
fn load_policies(context: &mut RunContext, settings: &Settings) -> Vec<(Arc<str>, Vec<u8>)> {
    if settings.policy_paths.is_empty() {
        return Vec::new();
    }
    let found = discover(&settings.policy_paths);
    context.admission.errors.extend(found.errors.into_iter().map(|e| format!("--policy: {e}")));
    let mut files = Vec::new();
    for input in &found.inputs {
        match read(input, settings.max_file_size) {
            Ok((name, bytes)) => {
                let text = String::from_utf8_lossy(&bytes);
                context.admission.add(crate::admission::gather_unlinted(&name, &text, settings.limits));
                files.push((name, bytes.into_owned()));
            }
            Err(message) => context.admission.errors.push(format!("--policy: {message}")),
        }
    }
    files
}

/// The objects bound policies take as params, in a second scan made only when a policy has a
/// `paramKind`. A file holding one shapes the run context.
fn gather_params(
    context: &mut RunContext,
    inputs: &[Input],
    policy_files: &[(Arc<str>, Vec<u8>)],
    settings: &Settings,
    shapes: &mut [bool],
) {
    let kinds = context.admission.param_kinds();
    if kinds.is_empty() {
        return;
    }
    let limits = settings.limits;
    let found: Vec<Vec<crate::admission::load::ParamObject>> = inputs
        .par_iter()
        .map(|input| match read(input, settings.max_file_size) {
            Ok((_, bytes)) => crate::admission::gather_params(&bytes, limits, &kinds),
            Err(_) => Vec::new(),
        })
        .collect();
    for (i, params) in found.into_iter().enumerate() {
        if !params.is_empty()
            && let Some(shaped) = shapes.get_mut(i)
        {
            *shaped = true;
        }
        context.admission.params.extend(params);
    }
    for (_, bytes) in policy_files {
        context.admission.params.extend(crate::admission::gather_params(bytes, limits, &kinds));
    }
}

/// Kustomizations in the folders of named files (and the folders above them) that are not
/// inputs themselves. pre-commit names only the staged files: a patch staged without its
/// kustomization is still a patch, and only the kustomization beside it says so. Read for the
/// run context, not linted.
fn kustomizations_beside(inputs: &[Input]) -> Vec<String> {
    use std::collections::BTreeSet;
    use std::path::Path;
    let named: Vec<&str> =
        inputs.iter().filter_map(|i| if let Input::File(p) = i { Some(p.as_str()) } else { None }).collect();
    if named.is_empty() {
        return Vec::new();
    }
    let given: FxHashSet<String> = inputs.iter().map(|i| crate::source::path::key(Path::new(""), i.name())).collect();
    // Each folder is looked at once, however many named files it holds.
    let folders: BTreeSet<&Path> =
        named.iter().flat_map(|p| Path::new(*p).ancestors().skip(1).take(MAX_FOLDERS_UP)).collect();
    folders
        .into_iter()
        .flat_map(|dir| crate::kustomize::FILE_NAMES.iter().map(move |name| dir.join(name)))
        .filter(|candidate| candidate.is_file())
        .map(|candidate| candidate.to_string_lossy().into_owned())
        .filter(|path| !given.contains(&crate::source::path::key(Path::new(""), path)))
        .collect()
}

/// How far above a named file its kustomization is looked for: an overlay's patch sits beside
/// the overlay's kustomization, a component's beside the component's.
const MAX_FOLDERS_UP: usize = 4;

impl Workspace {
    /// Checks every input: the run context first, then each file (in parallel), then the rules
    /// that read the object index.
    pub fn new(settings: Settings, inputs: Vec<Input>) -> Workspace {
        // Decompressing and parsing the schemas takes as long as reading a large tree: do both
        // at once. The bundle is loaded once per process; a second run finds it ready.
        if settings.schema {
            rayon::spawn(|| {
                crate::schema::bundle::bundle();
            });
        }
        let (context, shapes_context) = gather_context(&inputs, &settings);
        let engine = Engine::new(settings, context);
        let mut workspace = Workspace {
            engine,
            inputs,
            slots: Vec::new(),
            index: ObjectIndex::default(),
            run_findings: Vec::new(),
            shapes_context,
            errors: Vec::new(),
            work: Work::default(),
            names: FxHashMap::default(),
        };
        workspace.names = workspace.inputs.iter().enumerate().map(|(i, input)| (input.name().into(), i)).collect();
        let all: Vec<usize> = (0..workspace.inputs.len()).collect();
        workspace.check_files(&all);
        workspace.run_index_rules();
        workspace
    }

    /// Lints the files and folders named in `paths`. A `-` among them is reported as an error:
    /// the caller reads standard input and passes it as `Input::Memory`.
    pub fn from_paths(paths: &[String], settings: Settings) -> Workspace {
        let (inputs, errors) = inputs(paths, &settings);
        let mut workspace = Workspace::new(settings, inputs);
        workspace.errors = errors;
        workspace
    }

    pub fn settings(&self) -> &Settings {
        &self.engine.settings
    }

    /// Paths that could not be used, besides the files that could not be read.
    pub fn add_errors(&mut self, errors: Vec<String>) {
        self.errors.extend(errors);
    }

    fn check_files(&mut self, files: &[usize]) {
        let engine = &self.engine;
        let inputs = &self.inputs;
        type Checked = Result<(Arc<str>, FileOutcome), String>;
        let outcomes: Vec<(usize, Checked)> = files
            .par_iter()
            .map(|&i| {
                let checked = read(&inputs[i], engine.settings.max_file_size)
                    .map(|(name, bytes)| (name.clone(), check_input(engine, &inputs[i], name, bytes.into_owned())));
                (i, checked)
            })
            .collect();
        if self.slots.len() < self.inputs.len() {
            self.slots.resize_with(self.inputs.len(), || Slot::Failed(String::new()));
        }
        for (i, outcome) in outcomes {
            self.slots[i] = match outcome {
                Ok((name, outcome)) => {
                    let part = engine.rules.indexing().then(|| Arc::new(outcome.index));
                    self.index.set_part(i as FileId, part);
                    Slot::Checked {
                        name,
                        findings: outcome.findings,
                        objects: outcome.objects,
                        suppressions: outcome.suppressions,
                    }
                }
                Err(message) => {
                    self.index.set_part(i as FileId, None);
                    Slot::Failed(message)
                }
            };
        }
    }

    fn visibility(&self) -> run_rules::Visibility<'_> {
        let mut suppressions = FxHashMap::default();
        let mut paths = FxHashMap::default();
        for (i, slot) in self.slots.iter().enumerate() {
            if let Slot::Checked { name, suppressions: table, .. } = slot {
                if !table.is_empty() {
                    suppressions.insert(i as FileId, table);
                }
                paths.insert(i as FileId, &**name);
            }
        }
        run_rules::Visibility { engine: &self.engine, suppressions, paths }
    }

    fn run_index_rules(&mut self) {
        let mut by_file: Vec<Vec<Finding>> = vec![Vec::new(); self.slots.len()];
        if self.engine.rules.indexing() {
            let view = self.index.view(&self.work);
            let visibility = self.visibility();
            for (file, finding) in run_rules::run(&self.engine, &view, &visibility) {
                by_file[file as usize].push(finding);
            }
        }
        self.run_findings = by_file;
    }

    fn view(&self) -> Option<IndexView<'_>> {
        self.engine.rules.indexing().then(|| self.index.view(&self.work))
    }

    /// A file's findings as the report shows them.
    fn finished(&self, i: usize, view: Option<&IndexView<'_>>, suppressed: &mut usize) -> Option<Vec<Finding>> {
        let Slot::Checked { name, findings, suppressions, .. } = &self.slots[i] else { return None };
        let mut all = findings.clone();
        all.extend(self.run_findings.get(i).into_iter().flatten().cloned());
        let judged = run_rules::judged(&self.engine, view);
        *suppressed += finish_file(name, &mut all, suppressions, &judged, &self.engine.settings);
        Some(all)
    }

    /// The findings of one file, by its name.
    pub fn findings(&self, name: &str) -> Option<Vec<Finding>> {
        let i = self.position(name)?;
        let view = self.view();
        self.finished(i, view.as_ref(), &mut 0)
    }

    /// The current text of an input, and whether it lives in memory rather than on disk.
    pub fn text_of(&self, name: &str) -> Result<(String, bool), String> {
        let input = self.position(name).map(|i| &self.inputs[i]).ok_or_else(|| format!("{name}: not an input"))?;
        let (_, bytes) = read(input, self.engine.settings.max_file_size)?;
        let text = String::from_utf8(bytes.into_owned()).map_err(|_| format!("{name}: not UTF-8 text"))?;
        Ok((text, matches!(input, Input::Memory { .. })))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.names.get(name).copied()
    }

    /// The report of the whole run.
    pub fn report(&self) -> Report {
        let view = self.view();
        let mut report = Report { rules: self.engine.rules.ids.clone(), ..Report::default() };
        report.errors = self.errors.clone();
        for (i, slot) in self.slots.iter().enumerate() {
            match slot {
                Slot::Checked { name, objects, .. } => {
                    report.files += 1;
                    report.objects += objects;
                    report.linted.push(name.clone());
                    let findings = self.finished(i, view.as_ref(), &mut report.suppressed).unwrap_or_default();
                    report.findings.extend(findings);
                }
                Slot::Failed(message) => report.errors.push(message.clone()),
            }
        }
        report.errors.extend(self.engine.catalog.iter().flat_map(|c| c.location_failures()));
        report.errors.extend(policy_errors(&self.engine));
        report.work = self.work.count();
        report
    }

    /// Replaces the text of files (or adds them), checks them again, and runs the rules that
    /// read the index again. A file that shaped the run context (a CRD, a Namespace, a
    /// kustomization), before or now, has every file checked again. Returns the names of the
    /// files whose findings may have changed: the changed files, and those with run-rule
    /// findings that differ.
    pub fn update(&mut self, changes: Vec<Input>) -> Vec<Arc<str>> {
        let mut changed: Vec<usize> = Vec::new();
        for input in changes {
            let i = match self.position(input.name()) {
                Some(i) => {
                    // A new version of a walked file is still one the user did not name.
                    self.inputs[i] = match (&self.inputs[i], input) {
                        (Input::Walked(_), Input::File(path)) => Input::Walked(path),
                        (_, input) => input,
                    };
                    i
                }
                None => {
                    self.names.insert(input.name().into(), self.inputs.len());
                    self.inputs.push(input);
                    self.shapes_context.push(false);
                    self.inputs.len() - 1
                }
            };
            changed.push(i);
        }
        let settings = &self.engine.settings;
        let shapes_now: Vec<(usize, bool)> = changed
            .iter()
            .map(|&i| {
                let now = read(&self.inputs[i], settings.max_file_size)
                    .map(|(name, bytes)| ContextPart::gather(&name, &bytes, settings.limits).shapes_context())
                    .unwrap_or(false);
                (i, now)
            })
            .collect();
        let context_moved = shapes_now.iter().any(|&(i, now)| now || self.shapes_context[i]);
        let before = std::mem::take(&mut self.run_findings);
        if context_moved {
            let (context, shapes) = gather_context(&self.inputs, &self.engine.settings);
            let settings = self.engine.settings.clone();
            self.engine = Engine::new(settings, context);
            self.shapes_context = shapes;
            self.slots.clear();
            self.index = ObjectIndex::default();
            let all: Vec<usize> = (0..self.inputs.len()).collect();
            self.check_files(&all);
        } else {
            self.check_files(&changed);
        }
        self.run_index_rules();
        let key = |f: &Finding| (f.rule, f.location.span, f.message.clone(), f.help.clone());
        let mut touched: Vec<usize> = (0..self.slots.len())
            .filter(|&i| {
                let old = before.get(i).map_or(&[][..], Vec::as_slice);
                let new = self.run_findings.get(i).map_or(&[][..], Vec::as_slice);
                context_moved || old.len() != new.len() || old.iter().map(key).ne(new.iter().map(key))
            })
            .collect();
        touched.extend(changed);
        touched.sort_unstable();
        touched.dedup();
        touched.into_iter().map(|i| Arc::from(self.inputs[i].name())).collect()
    }

    /// The findings one version of a file would have, with the rest of the workspace as it is:
    /// what `--fix` asks between rounds. The workspace is not changed, so versions of many files
    /// can be checked at once.
    pub fn check_version(&self, name: &str, text: &str) -> Vec<Finding> {
        let position = self.position(name);
        let file = position.unwrap_or(self.inputs.len()) as FileId;
        let outcome = match position {
            Some(i) => check_input(&self.engine, &self.inputs[i], name.into(), text.as_bytes().to_vec()),
            None => check_bytes(&self.engine, name.into(), text.as_bytes().to_vec(), Origin::Named),
        };
        let mut findings = outcome.findings;
        let work = Work::default();
        let view = self.engine.rules.indexing().then(|| self.index.view_of_version(file, &outcome.index, &work));
        if let Some(view) = &view {
            let suppressions = FxHashMap::from_iter([(file, &outcome.suppressions)]);
            let paths = FxHashMap::from_iter([(file, name)]);
            let visibility = run_rules::Visibility { engine: &self.engine, suppressions, paths };
            let found = run_rules::run(&self.engine, view, &visibility);
            findings.extend(found.into_iter().filter(|(f, _)| *f == file).map(|(_, finding)| finding));
        }
        let judged = run_rules::judged(&self.engine, view.as_ref());
        finish_file(name, &mut findings, &outcome.suppressions, &judged, &self.engine.settings);
        findings
    }

    /// The report, without copying the findings: for a run that ends here.
    pub fn into_report(self) -> Report {
        let Workspace { engine, slots, index, run_findings, errors, work, .. } = self;
        let mut report = Report { rules: engine.rules.ids.clone(), errors, ..Report::default() };
        {
            let view = engine.rules.indexing().then(|| index.view(&work));
            let judged = run_rules::judged(&engine, view.as_ref());
            /// A file's name, objects, findings and how many were suppressed; or why it failed.
            type Finished = Result<(Arc<str>, usize, Vec<Finding>, usize), String>;
            let finished: Vec<Finished> = slots
                .into_par_iter()
                .zip(run_findings.into_par_iter())
                .map(|(slot, extra)| match slot {
                    Slot::Checked { name, mut findings, objects, suppressions } => {
                        findings.extend(extra);
                        let suppressed = finish_file(&name, &mut findings, &suppressions, &judged, &engine.settings);
                        Ok((name, objects, findings, suppressed))
                    }
                    Slot::Failed(message) => Err(message),
                })
                .collect();
            for outcome in finished {
                match outcome {
                    Ok((name, objects, mut findings, suppressed)) => {
                        report.files += 1;
                        report.objects += objects;
                        report.suppressed += suppressed;
                        report.linted.push(name);
                        report.findings.append(&mut findings);
                    }
                    Err(message) => report.errors.push(message),
                }
            }
        }
        report.errors.extend(engine.catalog.iter().flat_map(|c| c.location_failures()));
        report.errors.extend(policy_errors(&engine));
        report.work = work.count();
        // Freeing the index is work the report does not wait for.
        rayon::spawn(move || drop(index));
        report
    }
}
