//! `--schema-location`: where schemas for custom resources are looked up beyond the built-in
//! ones and the CRDs of the run. A location is a folder (kubeconform's and the CRDs-catalog's
//! layouts), a kubeconform template of paths, or an `http(s)://` base or template. A URL is
//! fetched once and kept in podlint's cache folder, so that later runs (a CI job without
//! network, a laptop on a train) read the copy; a schema the server does not have is remembered
//! as missing too.
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::k8s::version::KubeVersion;

/// How long one fetch may take in all, connecting included. A schema is a few hundred KB at most.
const FETCH_TIMEOUT: Duration = Duration::from_secs(20);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub fn is_url(location: &str) -> bool {
    location.starts_with("http://") || location.starts_with("https://")
}

/// What a kubeconform template may name for one (apiVersion, kind).
struct Vars {
    group: String,
    version: String,
    kind: String,
    kind_suffix: String,
    kubernetes_version: String,
}

impl Vars {
    fn new(api_version: &str, kind: &str, target: KubeVersion) -> Vars {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let group_prefix = group.split('.').next().unwrap_or("");
        let kind_suffix = if group.is_empty() {
            format!("-{version}")
        } else {
            format!("-{}-{version}", group_prefix.to_ascii_lowercase())
        };
        Vars {
            // The core group has no name; kubeconform's templates then read the version.
            group: if group.is_empty() { version.to_string() } else { group.to_string() },
            version: version.to_string(),
            kind: kind.to_ascii_lowercase(),
            kind_suffix,
            kubernetes_version: format!("v{target}.0"),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "Group" => &self.group,
            "ResourceAPIVersion" => &self.version,
            "ResourceKind" => &self.kind,
            "KindSuffix" => &self.kind_suffix,
            "NormalizedKubernetesVersion" => &self.kubernetes_version,
            "StrictSuffix" => "-strict",
            _ => return None,
        })
    }
}

/// A kubeconform template with its `{{ .Name }}` fields filled, however they are spaced; a field
/// it does not know is left as written (the lookup then finds nothing, and `check` refuses it
/// beforehand).
fn fill(template: &str, vars: &Vars) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else { break };
        let field = rest[start + 2..start + len].trim().trim_start_matches('.');
        match vars.get(field) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// The fields a template names that kubeconform does not define.
fn unknown_fields(template: &str) -> Vec<&str> {
    let vars = Vars::new("v1", "Pod", KubeVersion::new(1, 30));
    let mut unknown = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else { break };
        let field = rest[start + 2..start + len].trim().trim_start_matches('.');
        if vars.get(field).is_none() {
            unknown.push(field);
        }
        rest = &rest[start + len + 2..];
    }
    unknown
}

/// Where a schema for `api_version`/`kind` may be under `location`, in the order they are tried:
/// the filled template, or the layouts of the CRDs-catalog (`{group}/{kind}_{version}.json`) and
/// kubeconform (`{kind}_{version}.json`, `{kind}-{group prefix}-{version}.json`). Paths or URLs,
/// as the location is.
pub fn candidates(location: &str, api_version: &str, kind: &str, target: KubeVersion) -> Vec<String> {
    let vars = Vars::new(api_version, kind, target);
    if location.contains("{{") {
        return vec![fill(location, &vars)];
    }
    let base = location.trim_end_matches('/');
    let grouped = api_version.contains('/');
    let mut names = Vec::new();
    if grouped {
        names.push(format!("{}/{}_{}.json", vars.group, vars.kind, vars.version));
    }
    // A URL base is the CRDs-catalog's layout; a folder may be laid out either way.
    if !is_url(location) || !grouped {
        names.push(format!("{}_{}.json", vars.kind, vars.version));
        names.push(format!("{}{}.json", vars.kind, vars.kind_suffix));
    }
    names.into_iter().map(|name| format!("{base}/{name}")).collect()
}

/// Whether podlint can use a location, said before the run: a folder (or a template's fixed
/// part) must exist, a URL must be one, a template may name only kubeconform's fields.
/// Unreachable servers are found out when a schema is first needed.
pub fn check(location: &str, working_dir: &Path) -> Result<(), String> {
    let unknown = unknown_fields(location);
    if !unknown.is_empty() {
        return Err(format!(
            "schema location {location}: unknown template field {} (kubeconform's are .Group, .ResourceKind, .ResourceAPIVersion, .KindSuffix, .NormalizedKubernetesVersion and .StrictSuffix)",
            unknown.join(", ")
        ));
    }
    if is_url(location) {
        let host = location.split("://").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or("");
        return if host.is_empty() {
            Err(format!("schema location {location}: the URL names no host"))
        } else {
            Ok(())
        };
    }
    let folder = match location.find("{{") {
        // The template's fixed part: `schemas/{{ .Group }}/…` must have `schemas/`.
        Some(i) => match location[..i].rfind(['/', std::path::MAIN_SEPARATOR]) {
            Some(slash) => &location[..=slash],
            None => ".",
        },
        None => location,
    };
    if working_dir.join(folder).is_dir() {
        Ok(())
    } else {
        Err(format!("schema location {location}: {folder} is not a folder"))
    }
}

/// The folder podlint keeps fetched schemas in: `PODLINT_CACHE_DIR`, else the user's cache
/// folder (`$XDG_CACHE_HOME`, `~/.cache`, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
/// Windows) with `podlint` under it.
pub fn default_cache_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = var("PODLINT_CACHE_DIR") {
        return Some(dir);
    }
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|home| home.join("Library").join("Caches"))
    } else {
        var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|home| home.join(".cache")))
    };
    base.map(|dir| dir.join("podlint"))
}

/// What a fetch found.
enum Fetched {
    Text(String),
    /// The server has no such schema (404 or 410): the kind is not in that catalog.
    Missing,
}

/// Reads schemas from URL locations through the cache, and remembers why a location failed.
pub struct Remote {
    cache: Option<PathBuf>,
    agent: OnceLock<ureq::Agent>,
    /// One message per location that could not be reached, in the order found.
    failures: Mutex<Vec<(String, String)>>,
}

impl Remote {
    pub fn new(cache: Option<PathBuf>) -> Remote {
        Remote { cache, agent: OnceLock::new(), failures: Mutex::new(Vec::new()) }
    }

    /// The schema text at `url`, from the cache or the network; `None` when the server has none
    /// or the location failed (then `failures` says why, once per location).
    pub fn get(&self, location: &str, url: &str) -> Option<String> {
        let cached = self.cache.as_ref().map(|dir| cache_path(dir, url));
        if let Some(path) = &cached {
            if let Ok(text) = std::fs::read_to_string(path) {
                return Some(text);
            }
            if path.with_extension("missing").exists() {
                return None;
            }
        }
        if self.failed(location) {
            return None;
        }
        match self.fetch(url) {
            Ok(Fetched::Text(text)) => {
                if let Some(path) = &cached {
                    store(path, text.as_bytes());
                }
                Some(text)
            }
            Ok(Fetched::Missing) => {
                if let Some(path) = &cached {
                    store(&path.with_extension("missing"), b"");
                }
                None
            }
            Err(reason) => {
                let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
                if !failures.iter().any(|(l, _)| l == location) {
                    let cache = match &self.cache {
                        Some(dir) => {
                            format!("; fetched schemas are kept in {} for runs without network", dir.display())
                        }
                        None => String::new(),
                    };
                    failures.push((location.to_string(), format!("schema location {location}: {reason}{cache}")));
                }
                None
            }
        }
    }

    fn failed(&self, location: &str) -> bool {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).iter().any(|(l, _)| l == location)
    }

    /// Why locations failed, one line each.
    pub fn failures(&self) -> Vec<String> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|(_, m)| m.clone()).collect()
    }

    fn fetch(&self, url: &str) -> Result<Fetched, String> {
        let agent = self.agent.get_or_init(|| {
            ureq::Agent::config_builder()
                .timeout_global(Some(FETCH_TIMEOUT))
                .timeout_connect(Some(CONNECT_TIMEOUT))
                .http_status_as_error(false)
                .build()
                .into()
        });
        let mut response = agent.get(url).call().map_err(|e| format!("could not fetch {url}: {e}"))?;
        match response.status().as_u16() {
            200..=299 => response
                .body_mut()
                .with_config()
                .limit(64 * 1024 * 1024)
                .read_to_string()
                .map(Fetched::Text)
                .map_err(|e| format!("could not read {url}: {e}")),
            404 | 410 => Ok(Fetched::Missing),
            status => Err(format!("{url} answered HTTP {status}")),
        }
    }
}

/// Where the copy of `url` is kept: a readable name after a hash of the whole URL.
fn cache_path(dir: &Path, url: &str) -> PathBuf {
    let hash =
        url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    let name: String = url
        .rsplit('/')
        .next()
        .unwrap_or("schema")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .take(80)
        .collect();
    let stem = name.strip_suffix(".json").unwrap_or(&name);
    dir.join("schemas").join(format!("{hash:016x}-{stem}.json"))
}

/// Writes a cache entry whole or not at all (a run killed midway leaves no half schema); a
/// cache that cannot be written only costs the next run a fetch.
fn store(path: &Path, bytes: &[u8]) {
    let Some(parent) = path.parent() else { return };
    if std::fs::create_dir_all(parent).is_err() {
        return;
    }
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&temporary, bytes).is_ok() && std::fs::rename(&temporary, path).is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_of_kubeconform_and_the_crds_catalog() {
        let v = KubeVersion::new(1, 30);
        assert_eq!(
            candidates("schemas", "monitoring.coreos.com/v1", "ServiceMonitor", v),
            [
                "schemas/monitoring.coreos.com/servicemonitor_v1.json",
                "schemas/servicemonitor_v1.json",
                "schemas/servicemonitor-monitoring-v1.json",
            ]
        );
        assert_eq!(
            candidates("https://example.com/catalog/", "cert-manager.io/v1", "Certificate", v),
            ["https://example.com/catalog/cert-manager.io/certificate_v1.json"]
        );
    }

    #[test]
    fn templates_are_filled_however_they_are_spaced() {
        let v = KubeVersion::new(1, 30);
        let filled = |t: &str| candidates(t, "cert-manager.io/v1", "Certificate", v);
        assert_eq!(
            filled("s/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"),
            ["s/cert-manager.io/certificate_v1.json"]
        );
        assert_eq!(
            filled("s/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"),
            ["s/cert-manager.io/certificate_v1.json"]
        );
        assert_eq!(
            filled(
                "https://h/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
            ),
            ["https://h/v1.30.0-standalone-strict/certificate-cert-manager-v1.json"]
        );
        assert_eq!(candidates("s/{{ .Group }}/{{ .ResourceKind }}.json", "v1", "Pod", v), ["s/v1/pod.json"]);
    }

    #[test]
    fn locations_are_checked_before_the_run() {
        let here = Path::new(".");
        assert!(check("https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json", here).is_ok());
        assert!(check("https:///schemas", here).is_err());
        let unknown = check("schemas/{{ .Kind }}.json", here).unwrap_err();
        assert!(unknown.contains("unknown template field Kind"), "{unknown}");
        assert!(check("/does/not/exist", here).unwrap_err().contains("is not a folder"));
    }

    #[test]
    fn cache_names_are_per_url_and_readable() {
        let dir = Path::new("/c");
        let a = cache_path(dir, "https://h/a/certificate_v1.json");
        let b = cache_path(dir, "https://h/b/certificate_v1.json");
        assert_ne!(a, b);
        assert!(a.to_string_lossy().ends_with("-certificate_v1.json"), "{}", a.display());
        assert!(a.starts_with("/c/schemas"));
    }
}
