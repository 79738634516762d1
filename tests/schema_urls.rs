//! `--schema-location` URLs, against a local HTTP server: fetched once, kept in the cache folder
//! and read from there when the server is gone; a schema the server does not have is remembered
//! as missing; an unreachable server is a usage error (exit 2) that leaves the rest of the run.
mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{TempDir, run as podlint, stderr, stdout};

const SCHEMA: &str = r#"{"type": "object", "additionalProperties": false,
  "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                 "metadata": {"type": "object"},
                 "spec": {"type": "object", "additionalProperties": false,
                          "properties": {"secretName": {"type": "string"}}}}}"#;

const CERTIFICATE: &str =
    "apiVersion: certs.example.com/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretname: web-tls\n";
const ISSUER: &str = "apiVersion: certs.example.com/v1\nkind: Issuer\nmetadata:\n  name: letsencrypt\nspec: {}\n";

/// A server that answers `paths` with their bodies and anything else with 404, on a thread;
/// `requests` counts what it was asked. Dropping the listener's last handle stops nothing: the
/// thread ends with the test process.
fn serve(paths: Vec<(&'static str, &'static str)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // The rest of the request head, up to the empty line.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            seen.lock().expect("requests").push(path.clone());
            let response = match paths.iter().find(|(p, _)| *p == path) {
                Some((_, body)) => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                ),
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (base, requests)
}

fn rules_and_lines(out: &std::process::Output) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(&stdout(out)).expect("a JSON report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{}:{} {}", f["file"].as_str().unwrap_or(""), f["line"], f["rule"].as_str().unwrap_or("")))
        .collect()
}

#[test]
fn url_locations_are_fetched_once_and_read_from_the_cache_after() {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let dir = TempDir::new(&format!("schema-urls-{}", RUN.fetch_add(1, Ordering::Relaxed)));
    dir.write("certificate.yaml", CERTIFICATE);
    dir.write("issuer.yaml", ISSUER);
    let (base, requests) = serve(vec![("/catalog/certs.example.com/certificate_v1.json", SCHEMA)]);
    let template = format!("{base}/catalog/{{{{ .Group }}}}/{{{{.ResourceKind}}}}_{{{{ .ResourceAPIVersion }}}}.json");
    let args = ["--isolated", "--format", "json", "--cache-dir", "cache", "--schema-location", &template, "."];

    let first = podlint(&args, &dir.0);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    // The miscased field is found through the fetched schema; the Issuer's schema is not served.
    assert_eq!(rules_and_lines(&first), ["./certificate.yaml:6 field-case", "./issuer.yaml:1 unknown-kind"]);
    // Files are checked in parallel, so the two requests may come in either order.
    let mut asked = requests.lock().expect("requests").clone();
    asked.sort();
    assert_eq!(asked, ["/catalog/certs.example.com/certificate_v1.json", "/catalog/certs.example.com/issuer_v1.json"]);

    // Again: everything, the missing schema included, comes from the cache.
    let second = podlint(&args, &dir.0);
    assert_eq!(rules_and_lines(&second), rules_and_lines(&first));
    assert_eq!(requests.lock().expect("requests").len(), 2, "no request on the second run");

    // A base URL without a template is read in the CRDs-catalog's layout, and shares nothing
    // with the template's cache entries.
    let plain = format!("{base}/catalog/");
    let third = podlint(
        &["--isolated", "--format", "json", "--cache-dir", "cache", "--schema-location", &plain, "certificate.yaml"],
        &dir.0,
    );
    assert_eq!(rules_and_lines(&third), ["certificate.yaml:6 field-case"]);

    // From the configuration, a URL is taken as written (not joined to the file's folder).
    dir.write(".podlint.yaml", format!("schema-locations: ['{template}']\n"));
    let configured = podlint(&["--format", "json", "--cache-dir", "cache", "certificate.yaml"], &dir.0);
    assert_eq!(rules_and_lines(&configured), ["certificate.yaml:6 field-case"], "{}", stderr(&configured));
}

#[test]
fn an_unreachable_url_is_a_usage_error_that_leaves_the_rest_of_the_run() {
    let dir = TempDir::new("schema-urls-unreachable");
    dir.write("certificate.yaml", CERTIFICATE);
    dir.write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c, image: nginx:1.27, imagepullpolicy: Always}]\n");
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("an address").port();
    let location = format!("http://127.0.0.1:{port}/schemas");
    let out = podlint(
        &["--isolated", "--format", "json", "--cache-dir", "cache", "--schema-location", &location, "."],
        &dir.0,
    );
    assert_eq!(out.status.code(), Some(2));
    let errors = stderr(&out);
    assert_eq!(errors.matches("could not fetch").count(), 1, "one line per location: {errors}");
    assert!(errors.contains(&format!("schema location {location}: could not fetch")), "{errors}");
    assert!(errors.contains("cache for runs without network"), "{errors}");
    // The other files are linted all the same.
    assert!(rules_and_lines(&out).contains(&"./pod.yaml:6 field-case".to_string()), "{:?}", rules_and_lines(&out));
}
