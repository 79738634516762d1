//! The linting thread. The main loop hands it document texts and file events and goes back to
//! reading messages, so typing never waits for a lint. Changes are debounced, and a batch of
//! jobs keeps only the newest text of each document, so superseded versions are never linted;
//! diagnostics of a version that a newer pending text replaces are not published.
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use lsp_types::{Diagnostic, Uri};
use rustc_hash::FxHashMap;

use super::diagnostics::diagnostic;
use super::position::Lines;
use crate::finding::Finding;
use crate::k8s::version::KubeVersion;
use crate::settings::{self, Request, Settings};
use crate::source::Input;
use crate::workspace::{self, Workspace};

/// How long the worker waits after an edit for the next one before linting.
const DEBOUNCE: Duration = Duration::from_millis(80);

/// What the server was started with: the workspace folders and the settings an editor may set.
#[derive(Clone, Debug, Default)]
pub struct Setup {
    pub roots: Vec<PathBuf>,
    pub request: Request,
}

pub enum Job {
    /// (Re)build the workspace: at start, and when the configuration file changes.
    Configure(Setup),
    /// A document's text: opened, edited (`debounce`) or saved.
    Text { name: Arc<str>, uri: Uri, version: Option<i32>, text: Arc<str>, debounce: bool },
    /// The document is closed: the workspace goes back to the file on disk.
    Close { name: Arc<str> },
    /// Files changed on disk; `config` when a configuration file is among them.
    Disk { changed: Vec<String>, deleted: Vec<String>, config: bool },
}

impl Job {
    fn debounced(&self) -> bool {
        matches!(self, Job::Text { debounce: true, .. })
    }
}

/// The text diagnostics were computed on, with the findings behind them: code actions and
/// hovers read it, so that byte spans are converted against the text they belong to.
pub struct Snapshot {
    pub version: Option<i32>,
    pub text: Arc<str>,
    pub findings: Vec<Finding>,
    /// The version the workspace checks against, which hover and completion read schemas of.
    pub kubernetes_version: KubeVersion,
}

pub enum Done {
    Publish {
        name: Arc<str>,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        snapshot: Snapshot,
    },
    Log(String),
    /// Something the user should see and fix (a configuration error).
    Problem(String),
}

struct OpenDocument {
    uri: Uri,
    version: Option<i32>,
    text: Arc<str>,
}

struct Worker {
    jobs: Receiver<Job>,
    results: Sender<Done>,
    backlog: VecDeque<Job>,
    setup: Setup,
    workspace: Option<Workspace>,
    open: FxHashMap<Arc<str>, OpenDocument>,
}

pub fn spawn(results: Sender<Done>) -> std::io::Result<Sender<Job>> {
    let (sender, jobs) = crossbeam_channel::unbounded();
    let mut worker = Worker {
        jobs,
        results,
        backlog: VecDeque::new(),
        setup: Setup::default(),
        workspace: None,
        open: FxHashMap::default(),
    };
    std::thread::Builder::new().name("podlint-lint".into()).spawn(move || worker.run())?;
    Ok(sender)
}

impl Worker {
    fn run(&mut self) {
        while let Some(batch) = self.next_batch() {
            self.process(batch);
        }
    }

    /// The next jobs to handle together: what is waiting, and, after an edit, what arrives
    /// within the debounce delay. A save or an open ends the wait: the user is looking.
    fn next_batch(&mut self) -> Option<Vec<Job>> {
        let first = match self.backlog.pop_front() {
            Some(job) => job,
            None => self.jobs.recv().ok()?,
        };
        let mut batch = vec![first];
        batch.extend(self.backlog.drain(..));
        let mut deadline = batch.iter().all(Job::debounced).then(|| Instant::now() + DEBOUNCE);
        loop {
            let job = match deadline {
                Some(at) => self.jobs.recv_deadline(at).ok(),
                None => self.jobs.try_recv().ok(),
            };
            let Some(job) = job else { break };
            if !job.debounced() {
                deadline = None;
            }
            batch.push(job);
        }
        Some(batch)
    }

    fn log(&self, message: String) {
        let _ = self.results.send(Done::Log(message));
    }

    fn process(&mut self, batch: Vec<Job>) {
        let started = Instant::now();
        let mut rebuild = false;
        let mut texts: Vec<Arc<str>> = Vec::new();
        let mut republish: Vec<Arc<str>> = Vec::new();
        let mut disk: Vec<Input> = Vec::new();
        for job in batch {
            match job {
                Job::Configure(setup) => {
                    self.setup = setup;
                    rebuild = true;
                }
                Job::Text { name, uri, version, text, .. } => {
                    // A save, or an edit undone, brings back the text last linted: its findings
                    // stand, published again under the new version.
                    let same = self.open.get(&name).is_some_and(|doc| doc.text == text);
                    self.open.insert(name.clone(), OpenDocument { uri, version, text });
                    if same { republish.push(name) } else { texts.push(name) }
                }
                Job::Close { name } => {
                    if self.open.remove(&name).is_some() {
                        texts.retain(|t| *t != name);
                        disk.push(on_disk(&name));
                    }
                }
                Job::Disk { changed, deleted, config } => {
                    rebuild |= config;
                    for path in changed.iter().chain(&deleted) {
                        if !self.open.contains_key(path.as_str()) {
                            disk.push(on_disk(path));
                        }
                    }
                }
            }
        }
        if rebuild || self.workspace.is_none() {
            self.rebuild();
            let names: Vec<Arc<str>> = self.open.keys().cloned().collect();
            self.publish(&names);
            self.log(format!("indexed the workspace and linted {} open documents in {} ms", names.len(), ms(started)));
            return;
        }
        texts.sort_unstable();
        texts.dedup();
        let Some(workspace) = self.workspace.as_mut() else { return };
        let settings = workspace.settings().clone();
        let mut changes: Vec<Input> = texts
            .iter()
            .filter_map(|name| self.open.get(name).map(|doc| Input::memory(name, doc.text.as_bytes())))
            .collect();
        // A new file on disk is one the user did not name; an excluded one stays out.
        changes.extend(disk.into_iter().filter(|input| !settings.paths.is_excluded(input.name())));
        let touched = workspace.update(changes);
        // Texts that arrived meanwhile replace what was just linted: skip publishing those.
        self.backlog.extend(self.jobs.try_iter());
        let superseded: Vec<&Arc<str>> = self
            .backlog
            .iter()
            .filter_map(|job| if let Job::Text { name, .. } = job { Some(name) } else { None })
            .collect();
        let mut publish: Vec<Arc<str>> = touched.into_iter().chain(republish).collect();
        publish.sort_unstable();
        publish.dedup();
        publish.retain(|name| self.open.contains_key(name) && !superseded.contains(&name));
        self.publish(&publish);
        self.log(format!(
            "linted {} changed and published {} documents in {} ms",
            texts.len(),
            publish.len(),
            ms(started)
        ));
    }

    /// A fresh workspace: settings resolved from the first folder (as the command line would
    /// there), every folder's manifests discovered, open documents as their editors hold them.
    fn rebuild(&mut self) {
        let root = match self.setup.roots.first() {
            Some(root) => root.clone(),
            None => std::env::current_dir().unwrap_or_default(),
        };
        let settings = match settings::resolve(&self.setup.request, &root) {
            Ok(resolved) => resolved.settings,
            Err(message) => {
                let _ = self.results.send(Done::Problem(format!("podlint: {message}; linting with the defaults")));
                Settings::default()
            }
        };
        let paths: Vec<String> = self.setup.roots.iter().map(|r| r.to_string_lossy().into_owned()).collect();
        let (mut inputs, _errors) =
            if paths.is_empty() { (Vec::new(), Vec::new()) } else { workspace::inputs(&paths, &settings) };
        inputs.retain(|input| !self.open.contains_key(input.name()));
        inputs.extend(self.open.iter().map(|(name, doc)| Input::memory(name, doc.text.as_bytes())));
        self.workspace = Some(Workspace::new(settings, inputs));
    }

    fn publish(&self, names: &[Arc<str>]) {
        let Some(workspace) = &self.workspace else { return };
        for name in names {
            let Some(doc) = self.open.get(name) else { continue };
            let mut findings = if workspace.settings().paths.is_excluded(name) {
                Vec::new()
            } else {
                workspace.findings(name).unwrap_or_default()
            };
            // Editors open every YAML and JSON file (CI workflows, package.json): like a file a
            // folder walk meets, one without Kubernetes objects is passed over in silence.
            findings.retain(|f| f.rule != crate::rules::NOT_A_MANIFEST.id);
            let lines = Lines::new(&doc.text);
            // Findings inside a rendered Helm template point into output the editor does not show.
            let diagnostics =
                findings.iter().filter(|f| f.location.template.is_none()).map(|f| diagnostic(f, &lines)).collect();
            let snapshot = Snapshot {
                version: doc.version,
                text: doc.text.clone(),
                findings,
                kubernetes_version: workspace.settings().kubernetes_version,
            };
            let _ =
                self.results.send(Done::Publish { name: name.clone(), uri: doc.uri.clone(), diagnostics, snapshot });
        }
    }
}

/// A file as it is on disk now; a file that is gone becomes an empty one, which holds nothing.
fn on_disk(name: &str) -> Input {
    if Path::new(name).is_file() { Input::Walked(name.to_string()) } else { Input::memory(name, Vec::new()) }
}

fn ms(since: Instant) -> u128 {
    since.elapsed().as_millis()
}
