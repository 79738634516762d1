//! `podlint server` driven as an editor drives it: JSON-RPC over the child's standard input and
//! output, with the messages an editor sends and the checks a user would make on what comes back.
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use common::TempDir;
use serde_json::{Value, json};

/// Long enough for a debug build on a loaded machine; the latency figures are printed.
const PATIENCE: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications and requests from the server not yet looked at, in arrival order.
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &std::path::Path) -> Client {
        // PODLINT_SERVER runs another build (a release one, for latency figures).
        let mut command = match std::env::var_os("PODLINT_SERVER") {
            Some(path) => std::process::Command::new(path),
            None => common::podlint(),
        };
        let mut child = command
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("podlint server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).expect("message body");
                let message: Value = serde_json::from_slice(&body).expect("JSON message");
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, incoming, pending: Vec::new(), next_id: 0 }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to server");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message from the server; requests it makes (watcher registration) are answered.
    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(wait) {
            Ok(message) => {
                if message.get("method").is_some() && message.get("id").is_some() {
                    let id = message["id"].clone();
                    self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                }
                Some(message)
            }
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.receive(deadline).unwrap_or_else(|| panic!("no answer to {method}"));
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{method} failed: {message}");
                return message["result"].clone();
            }
            self.pending.push(message);
        }
    }

    /// The first diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        };
        if let Some(i) = self.pending.iter().position(matches) {
            let message = self.pending.remove(i);
            return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.receive(deadline).unwrap_or_else(|| panic!("no diagnostics for {uri} v{version}"));
            if matches(&message) {
                return message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            self.pending.push(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        let document = json!({"uri": uri, "languageId": "yaml", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": document}));
    }

    fn initialize(&mut self, dir: &std::path::Path, options: Value) -> Value {
        let root = uri(&dir.to_string_lossy());
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "workspaceFolders": [{"uri": root, "name": "test"}],
                "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// `shutdown` then `exit`: the server answers, then ends with status 0.
    fn shut_down(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "server exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &str) -> String {
    let mut out = String::from("file://");
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn with_rule<'d>(diagnostics: &'d [Value], rule: &str) -> Vec<&'d Value> {
    diagnostics.iter().filter(|d| d["code"] == rule).collect()
}

/// A container on one flow-style line, with text before the miscased key that is wider in
/// UTF-16 than in characters (`𝄞` is a surrogate pair) and wider in bytes than in characters.
const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - {name: web, image: "nginx:1.27.3", env: [{name: GREETING, value: "hé𝄞"}], ports: [{containerport: 80}]}
"#;

fn big_file(documents: usize, miscased_at: usize) -> String {
    let mut text = String::new();
    for i in 0..documents {
        let port = if i == miscased_at { "containerport" } else { "containerPort" };
        text.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\nspec:\n  selector:\n    matchLabels: {{app: app-{i}}}\n  template:\n    metadata:\n      labels: {{app: app-{i}}}\n    spec:\n      containers:\n        - name: app\n          image: registry.example/app:1.{i}.0\n          ports:\n            - {port}: 8080\n"
        ));
    }
    text
}

#[test]
fn an_editor_session() {
    let dir = TempDir::new("session");
    let manifest = dir.write("deploy.yaml", DEPLOYMENT);
    let manifest_uri = uri(&manifest.to_string_lossy());
    let mut client = Client::start(&dir.0);

    let init = client.initialize(&dir.0, json!({"kubernetesVersion": "1.31"}));
    let capabilities = &init["capabilities"];
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental sync: {capabilities}");
    assert!(capabilities["codeActionProvider"].is_object(), "{capabilities}");
    assert_eq!(init["serverInfo"]["name"], "podlint");

    let opened = Instant::now();
    client.open(&manifest_uri, DEPLOYMENT);
    let diagnostics = client.diagnostics(&manifest_uri, 1);
    eprintln!("first document, with the schemas loaded on first use: diagnostics in {:?}", opened.elapsed());
    let miscased = with_rule(&diagnostics, "field-case");
    assert_eq!(miscased.len(), 1, "{diagnostics:?}");
    let miscased = miscased[0].clone();
    // Line 13 (12 from 0). `containerport` starts at character 93 (0-based) and byte 97; in
    // UTF-16 units, 94: the `𝄞` before it is two.
    assert_eq!(
        miscased["range"],
        json!({"start": {"line": 12, "character": 94}, "end": {"line": 12, "character": 107}})
    );
    assert_eq!(miscased["severity"], 1);
    assert_eq!(miscased["source"], "podlint");
    let href = miscased["codeDescription"]["href"].as_str().unwrap_or_default();
    assert!(href.ends_with("/rules/field-case.md"), "{href}");
    assert!(miscased["message"].as_str().unwrap_or_default().contains("did you mean `containerPort`"), "{miscased}");
    assert!(!with_rule(&diagnostics, "missing-resources").is_empty(), "{diagnostics:?}");

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": manifest_uri},
            "range": miscased["range"],
            "context": {"diagnostics": [miscased]},
        }),
    );
    let actions = actions.as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    eprintln!("code actions at the miscased key: {titles:#?}");
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix" && a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("no preferred quick fix in {actions:?}"));
    assert_eq!(fix["title"], "Replace `containerport` with `containerPort` (field-case)");
    let edits = fix["edit"]["changes"][&manifest_uri].as_array().cloned().unwrap_or_default();
    assert_eq!(edits, vec![json!({"range": miscased["range"], "newText": "containerPort"})]);
    let suppress = actions
        .iter()
        .find(|a| a["title"] == "Suppress field-case on this line (podlint: ignore comment)")
        .unwrap_or_else(|| panic!("no suppression in {titles:?}"));
    assert_eq!(
        suppress["edit"]["changes"][&manifest_uri],
        json!([{"range": {"start": {"line": 12, "character": 0}, "end": {"line": 12, "character": 0}},
                "newText": "        # podlint: ignore[field-case]\n"}])
    );
    assert!(titles.iter().any(|t| t.starts_with("Fix all safe problems in this file (1)")), "{titles:?}");
    // On save, VS Code asks for fix-all actions of the whole file.
    let on_save = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": manifest_uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        }),
    );
    assert_eq!(on_save.as_array().map(Vec::len), Some(1), "{on_save}");
    assert_eq!(on_save[0]["kind"], "source.fixAll.podlint");
    assert_eq!(on_save[0]["edit"], fix["edit"]);

    // On the finding, the rule's page; on a key, its type from the schema.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": manifest_uri}, "position": {"line": 12, "character": 96}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("# field-case"), "{hover}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": manifest_uri}, "position": {"line": 6, "character": 6}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.starts_with("`matchLabels`: **map of string to string**"), "{hover}");
    assert!(text.contains("`LabelSelector`"), "{hover}");

    // The editor applies the quick fix: an incremental change of that range.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": manifest_uri, "version": 2},
            "contentChanges": [{"range": edits[0]["range"], "text": "containerPort"}],
        }),
    );
    let diagnostics = client.diagnostics(&manifest_uri, 2);
    assert!(with_rule(&diagnostics, "field-case").is_empty(), "{diagnostics:?}");
    assert!(!with_rule(&diagnostics, "missing-resources").is_empty(), "{diagnostics:?}");
    let fixed_text = DEPLOYMENT.replace("containerport", "containerPort");
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": manifest_uri}, "text": fixed_text}));
    assert_eq!(client.diagnostics(&manifest_uri, 2), diagnostics, "a save publishes the same findings");

    // A file of 2,000 objects, one of them with the miscased key.
    let big_text = big_file(2000, 1500);
    let big = dir.write("big.yaml", &big_text);
    let big_uri = uri(&big.to_string_lossy());
    let opened = Instant::now();
    client.open(&big_uri, &big_text);
    let diagnostics = client.diagnostics(&big_uri, 1);
    let latency = opened.elapsed();
    eprintln!("2,000 documents ({} lines): {} diagnostics in {latency:?}", big_text.lines().count(), diagnostics.len());
    let miscased = with_rule(&diagnostics, "field-case");
    assert_eq!(miscased.len(), 1);
    // Each document is 17 lines; the key is on the 17th line of document 1500 (from 0).
    assert_eq!(miscased[0]["range"]["start"], json!({"line": 1500 * 17 + 16, "character": 14}));
    assert!(latency < PATIENCE, "{latency:?}");

    client.shut_down();
}

#[test]
fn completion_offers_the_fields_and_values_of_the_schema() {
    let dir = TempDir::new("completion");
    let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          imagePullPolicy: \n          ima\n";
    let path = dir.write("deploy.yaml", text);
    let path_uri = uri(&path.to_string_lossy());
    let mut client = Client::start(&dir.0);
    client.initialize(&dir.0, json!({}));
    client.open(&path_uri, text);
    let values = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": path_uri}, "position": {"line": 7, "character": 27}}),
    );
    let labels: Vec<&str> = values.as_array().into_iter().flatten().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["Always", "IfNotPresent", "Never"]);
    let keys = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": path_uri}, "position": {"line": 8, "character": 13}}),
    );
    let keys = keys.as_array().cloned().unwrap_or_default();
    let pull = keys.iter().find(|i| i["label"] == "imagePullPolicy").unwrap_or_else(|| panic!("{keys:?}"));
    assert_eq!(pull["detail"], "string");
    assert_eq!(pull["insertText"], "imagePullPolicy: ");
    let name = keys.iter().find(|i| i["label"] == "name").unwrap_or_else(|| panic!("{keys:?}"));
    assert_eq!(name["detail"], "string (required)");
    // Another YAML file, not a manifest: nothing to say about it.
    let other = dir.write(".github/workflows/ci.yaml", "on: push\njobs: {}\n");
    let other_uri = uri(&other.to_string_lossy());
    client.open(&other_uri, "on: push\njobs: {}\n");
    assert_eq!(client.diagnostics(&other_uri, 1), Vec::<Value>::new());
    client.shut_down();
}

/// An option the server cannot use is shown to the user, and the server goes on. An editor that
/// goes away without `shutdown`: the server ends with status 1, as the protocol asks.
#[test]
fn bad_options_are_shown_and_exit_without_shutdown_is_a_failure() {
    let dir = TempDir::new("exit");
    let mut client = Client::start(&dir.0);
    client.initialize(&dir.0, json!({"kubernetesVersion": "one"}));
    let deadline = Instant::now() + PATIENCE;
    let shown = loop {
        let message = client.receive(deadline).expect("a message about the option");
        if message["method"] == "window/showMessage" {
            break message;
        }
    };
    let text = shown["params"]["message"].as_str().unwrap_or_default();
    assert!(text.starts_with("podlint: kubernetesVersion: "), "{shown}");
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = client.child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(1));
}

const SERVICE: &str =
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: api}\n  ports:\n    - port: 80\n";

const API: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:1.0.0\n";

/// Another file of the workspace changes what an open document's cross-object rules find, and
/// the configuration applies as it changes.
#[test]
fn the_workspace_and_its_configuration_shape_the_diagnostics() {
    let dir = TempDir::new("workspace");
    // The rule judges a Service only in a run that has pods at all.
    dir.write("web.yaml", API.replace("api", "web"));
    let service = dir.write("service.yaml", SERVICE);
    let service_uri = uri(&service.to_string_lossy());
    let mut client = Client::start(&dir.0);
    client.initialize(&dir.0, json!({}));
    client.open(&service_uri, SERVICE);
    let diagnostics = client.diagnostics(&service_uri, 1);
    let unmatched = with_rule(&diagnostics, "service-selector");
    assert_eq!(unmatched.len(), 1, "{diagnostics:?}");
    assert_eq!(unmatched[0]["range"]["start"], json!({"line": 5, "character": 2}));

    // The pods it selects appear on disk: the open Service is linted again.
    let api = dir.write("api.yaml", API);
    let event = json!({"changes": [{"uri": uri(&api.to_string_lossy()), "type": 1}]});
    client.notify("workspace/didChangeWatchedFiles", event);
    let diagnostics = client.diagnostics(&service_uri, 1);
    assert!(with_rule(&diagnostics, "service-selector").is_empty(), "{diagnostics:?}");

    // ... and disappear again.
    std::fs::remove_file(&api).expect("remove");
    let event = json!({"changes": [{"uri": uri(&api.to_string_lossy()), "type": 3}]});
    client.notify("workspace/didChangeWatchedFiles", event);
    let diagnostics = client.diagnostics(&service_uri, 1);
    assert_eq!(with_rule(&diagnostics, "service-selector").len(), 1, "{diagnostics:?}");

    // A configuration that turns the rule off applies when it is written.
    let config = dir.write(".podlint.yaml", "ignore: [service-selector]\n");
    let event = json!({"changes": [{"uri": uri(&config.to_string_lossy()), "type": 1}]});
    client.notify("workspace/didChangeWatchedFiles", event);
    let diagnostics = client.diagnostics(&service_uri, 1);
    assert!(with_rule(&diagnostics, "service-selector").is_empty(), "{diagnostics:?}");

    // A broken one is shown to the user, and the defaults apply meanwhile.
    std::fs::write(&config, "ignore: [no-such-rule]\n").expect("write");
    let event = json!({"changes": [{"uri": uri(&config.to_string_lossy()), "type": 2}]});
    client.notify("workspace/didChangeWatchedFiles", event);
    let diagnostics = client.diagnostics(&service_uri, 1);
    assert_eq!(with_rule(&diagnostics, "service-selector").len(), 1, "{diagnostics:?}");
    let shown = client.pending.iter().find(|m| m["method"] == "window/showMessage").cloned();
    let shown = shown.unwrap_or_else(|| panic!("no message shown: {:?}", client.pending));
    assert_eq!(shown["params"]["type"], 1);
    assert!(shown["params"]["message"].as_str().unwrap_or_default().contains("no-such-rule"), "{shown}");
    client.shut_down();
}

/// Keystrokes in a 500-line file: every request made while linting is answered at once (the
/// main loop never waits for a lint), and diagnostics follow the last keystroke.
#[test]
fn typing_never_waits_for_a_lint() {
    let dir = TempDir::new("typing");
    let text = big_file(30, usize::MAX);
    assert!(text.lines().count() >= 500);
    let path = dir.write("apps.yaml", &text);
    let path_uri = uri(&path.to_string_lossy());
    let mut client = Client::start(&dir.0);
    client.initialize(&dir.0, json!({}));
    client.open(&path_uri, &text);
    let first = client.diagnostics(&path_uri, 1);
    let end_line = text.lines().count();
    let typed = "# a comment typed one key at a time";
    let mut slowest = Duration::ZERO;
    let mut last_keystroke = Instant::now();
    for (i, ch) in typed.chars().enumerate() {
        let version = i as i64 + 2;
        let at = json!({"line": end_line, "character": i});
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": path_uri, "version": version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": ch.to_string()}],
            }),
        );
        last_keystroke = Instant::now();
        // What an editor asks after a keystroke (code actions at the cursor); it must not wait.
        let asked = Instant::now();
        client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": path_uri}, "range": {"start": at, "end": at}, "context": {"diagnostics": []}}),
        );
        slowest = slowest.max(asked.elapsed());
        std::thread::sleep(Duration::from_millis(40));
    }
    let last_version = typed.chars().count() as i64 + 1;
    let after = client.diagnostics(&path_uri, last_version);
    let settled = last_keystroke.elapsed();
    let published = client
        .pending
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == path_uri.as_str())
        .count();
    eprintln!(
        "typing {} keys in {} lines: slowest answer {slowest:?}; diagnostics {settled:?} after the last key; {} versions published before it",
        typed.chars().count(),
        end_line,
        published
    );
    assert_eq!(after.len(), first.len(), "a comment changes no finding");
    assert!(slowest < Duration::from_secs(2), "{slowest:?}");
    client.shut_down();
}

const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n";

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27.3\n";

/// The Pod Security level of a pod comes from its Namespace elsewhere in the workspace, or from
/// the initialization options.
#[test]
fn pod_security_comes_from_the_workspace_or_the_options() {
    let run_as_root = |dir: &TempDir, options: Value, pod: &str| -> Vec<Value> {
        let path = dir.write("pod.yaml", pod);
        let path_uri = uri(&path.to_string_lossy());
        let mut client = Client::start(&dir.0);
        client.initialize(&dir.0, options);
        client.open(&path_uri, pod);
        let diagnostics = client.diagnostics(&path_uri, 1);
        client.shut_down();
        with_rule(&diagnostics, "pod-security-run-as-non-root").into_iter().cloned().collect()
    };
    let dir = TempDir::new("pss-namespace");
    dir.write("namespace.yaml", NAMESPACE);
    let found = run_as_root(&dir, json!({}), POD);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["range"]["start"], json!({"line": 7, "character": 6}));
    assert_eq!(found[0]["severity"], 1);

    let dir = TempDir::new("pss-option");
    let elsewhere = POD.replace("shop", "default");
    assert!(run_as_root(&dir, json!({}), &elsewhere).is_empty());
    assert_eq!(run_as_root(&dir, json!({"podSecurity": "restricted"}), &elsewhere).len(), 1);
}
