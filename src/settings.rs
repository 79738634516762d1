//! Everything a run is configured with, after the command line and config file are merged.
use std::collections::HashMap;

use std::path::{Component, Path, PathBuf};

use crate::config::{self, Config};
use crate::finding::Severity;
use crate::k8s::version::KubeVersion;
use crate::rules::RuleMeta;
use crate::yaml::Limits;

#[derive(Clone, Debug)]
pub struct Settings {
    /// The cluster version manifests are checked against.
    pub kubernetes_version: KubeVersion,
    pub schema: bool,
    /// Validate objects of built-in kinds with jsonschema rather than with podlint's own walk.
    /// Slower; kept as the oracle the walk is tested against.
    pub jsonschema_for_builtins: bool,
    /// Keep source lines with findings, for reporters that show them.
    pub snippets: bool,
    pub limits: Limits,
    /// Largest file podlint reads, in bytes.
    pub max_file_size: u64,
    /// Per-rule severity overrides; `None` turns a rule off.
    pub rule_severity: HashMap<String, Option<Severity>>,
    /// Name for standard input in reports.
    pub stdin_name: String,
    /// Folders (or kubeconform path templates) holding JSON schemas for custom resources.
    pub schema_locations: Vec<String>,
    /// `exclude` and `per-file-ignores` from the configuration.
    pub paths: PathRules,
    /// Container names `multi-container-pod` does not count: helpers a team has decided belong
    /// beside their main container (a mesh proxy, a log shipper).
    pub allowed_sidecars: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            kubernetes_version: KubeVersion::NEWEST,
            schema: true,
            jsonschema_for_builtins: false,
            snippets: true,
            limits: Limits::default(),
            max_file_size: 256 * 1024 * 1024,
            rule_severity: HashMap::new(),
            stdin_name: "-".to_string(),
            schema_locations: Vec::new(),
            paths: PathRules::default(),
            allowed_sidecars: Vec::new(),
        }
    }
}

impl Settings {
    /// The severity a rule's findings get in this run, or `None` when the rule is off.
    pub fn severity_of(&self, rule: &RuleMeta) -> Option<Severity> {
        match self.rule_severity.get(rule.id) {
            Some(choice) => *choice,
            None => Some(rule.severity),
        }
    }
}

/// Path-based settings: globs relative to the configuration file's folder.
#[derive(Clone, Debug, Default)]
pub struct PathRules {
    pub base: PathBuf,
    pub exclude: Option<globset::GlobSet>,
    pub per_file_ignores: Vec<(globset::GlobSet, Vec<String>)>,
}

impl PathRules {
    /// `path` (as given on the command line) relative to the configuration's folder, if under it.
    fn relative(&self, path: &str) -> Option<String> {
        let cwd = std::env::current_dir().ok()?;
        let absolute = normalize(&cwd.join(path));
        let base = normalize(&cwd.join(&self.base));
        absolute.strip_prefix(&base).ok().map(|p| p.to_string_lossy().replace('\\', "/"))
    }

    pub fn is_excluded(&self, path: &str) -> bool {
        // `relative` asks for the current directory; most runs exclude nothing.
        let Some(set) = &self.exclude else { return false };
        self.relative(path).is_some_and(|relative| set.is_match(relative))
    }

    /// Rule selectors (ids or categories) whose findings are dropped for this file.
    pub fn ignored_in(&self, path: &str) -> Vec<&str> {
        if self.per_file_ignores.is_empty() {
            return Vec::new();
        }
        let Some(relative) = self.relative(path) else { return Vec::new() };
        self.per_file_ignores
            .iter()
            .filter(|(set, _)| set.is_match(&relative))
            .flat_map(|(_, rules)| rules.iter().map(String::as_str))
            .collect()
    }
}

/// `a/./b/../c` → `a/c`, without touching the filesystem (paths may not exist, or be links).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl Settings {
    /// Applies a configuration file's settings (the command line is applied after, and wins).
    pub fn apply_config(&mut self, config: &Config) -> Result<(), String> {
        if let Some(version) = config.kubernetes_version {
            self.kubernetes_version = version;
        }
        for location in &config.schema_locations {
            let path = Path::new(location);
            // Relative locations (folders or kubeconform templates) are relative to the file.
            let resolved = if path.is_absolute() {
                location.clone()
            } else {
                config.base.join(path).to_string_lossy().into_owned()
            };
            self.schema_locations.push(resolved);
        }
        for (id, rule) in &config.rules {
            if let (Some(sidecars), "multi-container-pod") = (&rule.allowed_sidecars, id.as_str()) {
                self.allowed_sidecars = sidecars.clone();
            }
        }
        self.paths.base = config.base.clone();
        if !config.exclude.is_empty() {
            self.paths.exclude = Some(config::glob_set(&config.exclude)?);
        }
        for (glob, rules) in &config.per_file_ignores {
            self.paths.per_file_ignores.push((config::glob_set(std::slice::from_ref(glob))?, rules.clone()));
        }
        Ok(())
    }

    /// Decides which rules run and at what severity: `select` (all rules when absent) minus
    /// `ignore`, with per-rule severities (`None` is off) applied on top.
    pub fn select_rules(
        &mut self,
        select: Option<&[String]>,
        ignore: &[String],
        severities: &[(String, Option<Severity>)],
    ) {
        for rule in crate::rules::all() {
            let meta = rule.meta();
            let selected = select.is_none_or(|s| s.iter().any(|sel| config::selector_matches(sel, meta)));
            let ignored = ignore.iter().any(|sel| config::selector_matches(sel, meta));
            let severity =
                severities.iter().rev().find(|(id, _)| id == meta.id).map_or(Some(meta.severity), |(_, s)| *s);
            self.rule_severity.insert(meta.id.to_string(), if selected && !ignored { severity } else { None });
        }
    }
}
