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
        let mut child = common::podlint()
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

    client.open(&manifest_uri, DEPLOYMENT);
    let diagnostics = client.diagnostics(&manifest_uri, 1);
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
