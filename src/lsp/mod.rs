//! `podlint server`: a language server on standard input and output. The main loop (this file)
//! reads messages, keeps the open documents and answers requests from what the linting thread
//! (`worker`) last published; the worker owns the workspace and does every lint.
//!
//! Built on `lsp-server` and `lsp-types`: synchronous, a pair of crossbeam channels, no async
//! runtime (the engine is synchronous and parallel with rayon already); rust-analyzer's own
//! transport.
mod actions;
mod diagnostics;
mod documents;
mod help;
mod position;
mod schema_help;
mod worker;

use std::path::PathBuf;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeWatchedFilesRegistrationOptions, FileChangeType, FileSystemWatcher, GlobPattern, HoverProviderCapability,
    InitializeParams, LogMessageParams, MessageType, PublishDiagnosticsParams, Registration, RegistrationParams,
    SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::k8s::version::KubeVersion;
use documents::Documents;
use worker::{Done, Job, Setup, Snapshot};

/// What an editor may set in `initializationOptions`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Options {
    /// The Kubernetes version to check against, like `--kubernetes-version`.
    kubernetes_version: Option<String>,
    /// The Pod Security level (`privileged`, `baseline`, `restricted`), like `--pod-security`.
    pod_security: Option<String>,
    /// A configuration file instead of the `.podlint.yaml` found from the workspace folder.
    config: Option<String>,
}

pub fn run() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start().map_err(|e| format!("language server: {e}"))?;
    let params: InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("language server: bad initialize parameters: {e}"))?;
    let (setup, problems) = setup(&params);
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo { name: "podlint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result).map_err(|e| format!("language server: {e}"))?;
    let (done_sender, done) = crossbeam_channel::unbounded();
    let jobs = worker::spawn(done_sender).map_err(|e| format!("language server: cannot start a thread: {e}"))?;
    let _ = jobs.send(Job::Configure(setup));
    let mut server = Server {
        connection: &connection,
        jobs,
        documents: Documents::default(),
        snapshots: FxHashMap::default(),
        next_request: 0,
        kubernetes_version: KubeVersion::NEWEST,
    };
    if watches_files(&params) {
        server.register_watchers();
    }
    for message in problems {
        server.notify::<notify::ShowMessage>(ShowMessageParams { typ: MessageType::ERROR, message });
    }
    let clean = server.serve(&done);
    drop(server);
    drop(connection);
    io_threads.join().map_err(|e| format!("language server: {e}"))?;
    if clean { Ok(()) } else { Err("language server: exit without shutdown".into()) }
}

/// The workspace folders and settings of the session; options that cannot be used are left out
/// and described, so that a typo in an editor's settings does not stop the server.
fn setup(params: &InitializeParams) -> (Setup, Vec<String>) {
    let mut problems = Vec::new();
    let options: Options = match &params.initialization_options {
        Some(value) => serde_json::from_value(value.clone()).unwrap_or_else(|e| {
            problems.push(format!("podlint: initializationOptions: {e}"));
            Options::default()
        }),
        None => Options::default(),
    };
    let mut request = crate::settings::Request::default();
    if let Some(version) = &options.kubernetes_version {
        match version.parse() {
            Ok(version) => request.kubernetes_version = Some(version),
            Err(e) => problems.push(format!("podlint: kubernetesVersion: {e}")),
        }
    }
    if let Some(level) = &options.pod_security {
        match level.parse() {
            Ok(level) => request.pod_security = Some(level),
            Err(e) => problems.push(format!("podlint: podSecurity: {e}")),
        }
    }
    request.config = options.config.as_ref().map(PathBuf::from);
    let mut roots: Vec<PathBuf> =
        params.workspace_folders.iter().flatten().filter_map(|folder| documents::path_of(&folder.uri)).collect();
    #[allow(deprecated)]
    if roots.is_empty()
        && let Some(root) = params.root_uri.as_ref().and_then(documents::path_of)
    {
        roots.push(root);
    }
    (Setup { roots, request }, problems)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(true) })),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(actions::FIX_ALL)]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions::default()),
        ..ServerCapabilities::default()
    }
}

fn watches_files(params: &InitializeParams) -> bool {
    let watched = params.capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref());
    watched.and_then(|w| w.dynamic_registration).unwrap_or(false)
}

struct Server<'c> {
    connection: &'c Connection,
    jobs: Sender<Job>,
    documents: Documents,
    /// What the worker last published for each document, by name.
    snapshots: FxHashMap<Arc<str>, Snapshot>,
    next_request: i32,
    /// The Kubernetes version of the workspace's settings, for schema help.
    kubernetes_version: KubeVersion,
}

impl Server<'_> {
    /// Serves until `exit`; true when `shutdown` came first.
    fn serve(&mut self, done: &Receiver<Done>) -> bool {
        loop {
            select! {
                recv(self.connection.receiver) -> message => match message {
                    Ok(Message::Request(request)) => {
                        match self.connection.handle_shutdown(&request) {
                            Ok(true) => return true,
                            Ok(false) => self.request(request),
                            Err(_) => return false,
                        }
                    }
                    Ok(Message::Notification(notification)) => {
                        if notification.method == notify::Exit::METHOD {
                            return false;
                        }
                        self.notification(notification);
                    }
                    Ok(Message::Response(_)) => {}
                    // The client closed its end without `exit`.
                    Err(_) => return false,
                },
                recv(done) -> result => if let Ok(result) = result {
                    self.done(result);
                },
            }
        }
    }

    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: notify::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(N::METHOD.to_string(), params)));
    }

    fn register_watchers(&mut self) {
        let watcher = |glob: &str| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None };
        let mut watchers = vec![watcher("**/*.{yaml,yml,json}")];
        watchers.extend(crate::config::FILE_NAMES.iter().map(|name| watcher(&format!("**/{name}"))));
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "podlint-watched-files".into(),
            method: notify::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.next_request += 1;
        let id = RequestId::from(format!("podlint-{}", self.next_request));
        let params = RegistrationParams { registrations: vec![registration] };
        self.send(Message::Request(Request::new(id, req::RegisterCapability::METHOD.into(), params)));
    }

    fn done(&mut self, result: Done) {
        match result {
            Done::Publish { name, uri, diagnostics, snapshot } => {
                // A document closed since has had its diagnostics cleared.
                if self.documents.get(&uri).is_none() {
                    return;
                }
                let version = snapshot.version;
                self.kubernetes_version = snapshot.kubernetes_version;
                self.snapshots.insert(name, snapshot);
                self.notify::<notify::PublishDiagnostics>(PublishDiagnosticsParams { uri, diagnostics, version });
            }
            Done::Problem(message) => {
                self.notify::<notify::ShowMessage>(ShowMessageParams { typ: MessageType::ERROR, message });
            }
            Done::Log(message) => {
                self.notify::<notify::LogMessage>(LogMessageParams { typ: MessageType::LOG, message });
            }
        }
    }

    fn lint(&self, uri: &Uri, debounce: bool) {
        let Some(doc) = self.documents.get(uri) else { return };
        if doc.lintable {
            let _ = self.jobs.send(Job::Text {
                name: doc.name.clone(),
                uri: uri.clone(),
                version: Some(doc.version),
                text: doc.text.as_str().into(),
                debounce,
            });
        }
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            notify::DidOpenTextDocument::METHOD => {
                let Some(params) = params::<notify::DidOpenTextDocument>(notification) else { return };
                let item = params.text_document;
                self.documents.open(item.uri.clone(), &item.language_id, item.version, item.text);
                self.lint(&item.uri, false);
            }
            notify::DidChangeTextDocument::METHOD => {
                let Some(params) = params::<notify::DidChangeTextDocument>(notification) else { return };
                let uri = params.text_document.uri;
                if self.documents.change(&uri, params.text_document.version, params.content_changes).is_some() {
                    self.lint(&uri, true);
                }
            }
            notify::DidSaveTextDocument::METHOD => {
                let Some(params) = params::<notify::DidSaveTextDocument>(notification) else { return };
                let uri = params.text_document.uri;
                if let Some(text) = params.text {
                    self.documents.set_text(&uri, text);
                }
                self.lint(&uri, false);
            }
            notify::DidCloseTextDocument::METHOD => {
                let Some(params) = params::<notify::DidCloseTextDocument>(notification) else { return };
                let uri = params.text_document.uri;
                if let Some(doc) = self.documents.close(&uri) {
                    self.snapshots.remove(&doc.name);
                    let _ = self.jobs.send(Job::Close { name: doc.name });
                    let cleared = PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None };
                    self.notify::<notify::PublishDiagnostics>(cleared);
                }
            }
            notify::DidChangeWatchedFiles::METHOD => {
                let Some(params) = params::<notify::DidChangeWatchedFiles>(notification) else { return };
                let (mut changed, mut deleted, mut config) = (Vec::new(), Vec::new(), false);
                for event in params.changes {
                    let Some(path) = documents::path_of(&event.uri) else { continue };
                    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    config |= crate::config::FILE_NAMES.contains(&file_name);
                    let path = path.to_string_lossy().into_owned();
                    if event.typ == FileChangeType::DELETED { deleted.push(path) } else { changed.push(path) }
                }
                let _ = self.jobs.send(Job::Disk { changed, deleted, config });
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        let response = match request.method.as_str() {
            req::CodeActionRequest::METHOD => {
                match request.extract::<lsp_types::CodeActionParams>(req::CodeActionRequest::METHOD) {
                    Ok((id, params)) => Response::new_ok(id, self.code_actions(&params)),
                    Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, format!("{e:?}")),
                }
            }
            req::HoverRequest::METHOD => match request.extract::<lsp_types::HoverParams>(req::HoverRequest::METHOD) {
                Ok((id, params)) => Response::new_ok(id, self.hover(&params)),
                Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, format!("{e:?}")),
            },
            req::Completion::METHOD => match request.extract::<lsp_types::CompletionParams>(req::Completion::METHOD) {
                Ok((id, params)) => Response::new_ok(id, self.completion(&params)),
                Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, format!("{e:?}")),
            },
            _ => Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("{}: not supported", request.method)),
        };
        self.send(Message::Response(response));
    }

    /// The snapshot of a document when it is of the version the editor holds: spans of an older
    /// text would land in the wrong place.
    fn current(&self, uri: &Uri) -> Option<&Snapshot> {
        let doc = self.documents.get(uri)?;
        self.snapshots.get(&doc.name).filter(|s| s.version == Some(doc.version))
    }

    fn hover(&self, params: &lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let uri = &params.text_document_position_params.text_document.uri;
        let doc = self.documents.get(uri)?;
        help::hover(&doc.text, self.current(uri), self.kubernetes_version, params)
    }

    fn completion(&self, params: &lsp_types::CompletionParams) -> Vec<lsp_types::CompletionItem> {
        let uri = &params.text_document_position.text_document.uri;
        let Some(doc) = self.documents.get(uri) else { return Vec::new() };
        help::completion(&doc.text, self.kubernetes_version, params)
    }

    fn code_actions(&self, params: &lsp_types::CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        self.current(uri).map(|snapshot| actions::code_actions(uri, snapshot, params)).unwrap_or_default()
    }
}

/// The typed parameters of a notification whose method has been matched; a malformed one is
/// dropped, as the protocol allows for notifications (there is no one to answer).
fn params<N: notify::Notification>(notification: Notification) -> Option<N::Params> {
    notification.extract(N::METHOD).ok()
}
