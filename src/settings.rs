//! Everything a run is configured with, and how it is resolved from a configuration file and
//! the command line (`resolve`): a library call, so that an editor's server resolves its
//! workspace's settings the way the command line does.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::finding::Severity;
use crate::k8s::pod_security::Level;
use crate::k8s::version::KubeVersion;
use crate::rules::{Category, OptionsTable, RuleMeta, Status};
use crate::source::path::{normalize, slashed};
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
    /// Run rules whose status is preview.
    pub preview: bool,
    /// Folder walks include Markdown pages (`--markdown`, `markdown: true`).
    pub markdown: bool,
    /// Rules' options, as declared on each rule.
    pub options: OptionsTable,
    /// Name for standard input in reports.
    pub stdin_name: String,
    /// Folders, kubeconform templates or URLs holding JSON schemas for custom resources.
    pub schema_locations: Vec<String>,
    /// Where schemas fetched from URL locations are kept; `None`: fetched every run.
    pub cache_dir: Option<PathBuf>,
    /// `exclude` and `per-file-ignores` from the configuration.
    pub paths: PathFilters,
    /// Whether and how Helm charts are rendered.
    pub helm: crate::helm::HelmSettings,
    /// The Pod Security level pods are held to where no Namespace of the run labels theirs.
    pub pod_security: Level,
    /// Files and folders of ValidatingAdmissionPolicies loaded for the run, not linted
    /// (`--policy`, the configuration's `policies`).
    pub policy_paths: Vec<String>,
    /// The configuration's `custom-rules`, compiled.
    pub custom_rules: crate::admission::custom::CustomRules,
    /// The selection rules were chosen by, kept for the rules defined at run time (policies'
    /// findings), which the registry did not list when it was made.
    pub selection: Selection,
}

/// `select`, `ignore` and per-rule severities, as the run was given them.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub severities: Vec<(String, Option<Severity>)>,
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
            preview: false,
            markdown: false,
            options: OptionsTable::default(),
            stdin_name: "-".to_string(),
            schema_locations: Vec::new(),
            cache_dir: None,
            paths: PathFilters::default(),
            helm: crate::helm::HelmSettings::default(),
            // Baseline blocks the known privilege escalations; restricted is a choice.
            pod_security: Level::Baseline,
            policy_paths: Vec::new(),
            custom_rules: Default::default(),
            selection: Selection::default(),
        }
    }
}

impl Settings {
    /// The severity a rule's findings get in this run, or `None` when the rule does not run.
    /// The one place that decides whether a rule runs.
    pub fn severity_of(&self, rule: &RuleMeta) -> Option<Severity> {
        // Schema rules are raised by the schema stage, which `--no-schema` skips.
        if rule.category == Category::Schema && !self.schema {
            return None;
        }
        match self.rule_severity.get(rule.id) {
            Some(choice) => *choice,
            // A rule defined at run time is judged by the selection the run was given.
            None if crate::rules::dynamic::find(rule.id).is_some() => self.dynamic_severity(rule),
            None if rule.status == Status::Preview && !self.preview => None,
            None if rule.status == Status::OptIn => None,
            None => Some(rule.severity),
        }
    }
}

impl Settings {
    fn dynamic_severity(&self, rule: &RuleMeta) -> Option<Severity> {
        let Selection { select, ignore, severities } = &self.selection;
        let selected = select.as_ref().is_none_or(|s| s.iter().any(|sel| config::selector_matches(sel, rule)));
        let ignored = ignore.iter().any(|sel| config::selector_matches(sel, rule));
        let configured = severities.iter().rev().find(|(id, _)| id == rule.id);
        if !selected || ignored {
            return None;
        }
        configured.map_or(Some(rule.severity), |(_, s)| *s)
    }
}

/// Path-based settings: globs relative to the configuration file's folder.
#[derive(Clone, Debug, Default)]
pub struct PathFilters {
    pub base: PathBuf,
    /// The folder relative input paths were given against; `None` compares them as given.
    pub working_dir: Option<PathBuf>,
    pub exclude: Option<globset::GlobSet>,
    pub per_file_ignores: Vec<(globset::GlobSet, Vec<String>)>,
}

impl PathFilters {
    /// `path` (as given) relative to the configuration's folder, if under it.
    fn relative(&self, path: &str) -> Option<String> {
        let cwd = self.working_dir.clone().unwrap_or_default();
        let absolute = normalize(&cwd.join(path));
        let base = normalize(&cwd.join(&self.base));
        absolute.strip_prefix(&base).ok().map(slashed)
    }

    pub fn is_excluded(&self, path: &str) -> bool {
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

    /// Whether this file's findings of `rule` are dropped.
    pub fn ignores(&self, path: &str, rule: &RuleMeta) -> bool {
        self.ignored_in(path).iter().any(|sel| config::selector_matches(sel, rule))
    }
}

impl Settings {
    /// Applies a configuration file's settings (the command line is applied after, and wins).
    pub fn apply_config(&mut self, config: &Config) -> Result<(), String> {
        if let Some(version) = config.kubernetes_version {
            self.kubernetes_version = version;
        }
        if let Some(preview) = config.preview {
            self.preview = preview;
        }
        if let Some(markdown) = config.markdown {
            self.markdown = markdown;
        }
        if let Some(level) = config.pod_security {
            self.pod_security = level;
        }
        for location in &config.schema_locations {
            let path = Path::new(location);
            // Relative locations (folders or kubeconform templates) are relative to the file;
            // URLs are where they say.
            let resolved = if path.is_absolute() || crate::schema::location::is_url(location) {
                location.clone()
            } else {
                config.base.join(path).to_string_lossy().into_owned()
            };
            self.schema_locations.push(resolved);
        }
        for (id, rule) in &config.rules {
            let Some(meta) = crate::rules::find(id).map(|r| r.meta()) else { continue };
            for (name, value) in &rule.options {
                self.options.set(meta, name, value.clone())?;
            }
        }
        for policy in &config.policies {
            self.policy_paths.push(config.base.join(policy).to_string_lossy().into_owned());
        }
        self.custom_rules = config.custom_rules.clone();
        if let Some(helm) = &config.helm {
            self.helm.render = helm.render.unwrap_or(self.helm.render);
            // Values files are named from the configuration's folder; helm runs in the working one.
            self.helm.values.extend(helm.values.iter().map(|v| config.base.join(v).to_string_lossy().into_owned()));
            self.helm.set.extend(helm.set.iter().cloned());
            self.helm.release = helm.release.clone().or(self.helm.release.take());
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

    /// Decides which rules run and at what severity: `select` (all stable rules when absent)
    /// minus `ignore`, with per-rule severities (`None` is off) applied on top. A preview rule
    /// runs when preview is on, or when it is named by id in `select` or given a severity.
    pub fn select_rules(
        &mut self,
        select: Option<&[String]>,
        ignore: &[String],
        severities: &[(String, Option<Severity>)],
    ) {
        let registry = crate::rules::all().iter().map(|r| r.meta());
        self.select_among(registry, select, ignore, severities);
        self.selection = Selection {
            select: select.map(<[String]>::to_vec),
            ignore: ignore.to_vec(),
            severities: severities.to_vec(),
        };
    }

    fn select_among<'m>(
        &mut self,
        rules: impl Iterator<Item = &'m RuleMeta>,
        select: Option<&[String]>,
        ignore: &[String],
        severities: &[(String, Option<Severity>)],
    ) {
        for meta in rules {
            let selected = select.is_none_or(|s| s.iter().any(|sel| config::selector_matches(sel, meta)));
            let ignored = ignore.iter().any(|sel| config::selector_matches(sel, meta));
            let configured = severities.iter().rev().find(|(id, _)| id == meta.id);
            let severity = configured.map_or(Some(meta.severity), |(_, s)| *s);
            let named = select.is_some_and(|s| s.iter().any(|sel| sel == meta.id)) || configured.is_some();
            let released = match meta.status {
                Status::Stable => true,
                Status::Preview => self.preview || named,
                // Asked for by id, by severity or by its own category; never by `all`.
                Status::OptIn => named || select.is_some_and(|s| s.iter().any(|sel| sel == meta.category.as_str())),
            };
            self.rule_severity
                .insert(meta.id.to_string(), if selected && !ignored && released { severity } else { None });
        }
    }
}

/// What the command line (or an editor's settings) asks for, on top of the configuration file.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// `--config FILE`; `None` finds `.podlint.yaml` from the working folder up.
    pub config: Option<PathBuf>,
    /// `--isolated`: no configuration file at all.
    pub isolated: bool,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
    pub kubernetes_version: Option<KubeVersion>,
    pub stdin_name: Option<String>,
    pub no_schema: bool,
    pub jsonschema_for_builtins: bool,
    pub schema_locations: Vec<String>,
    /// `--cache-dir`: where URL schema locations are cached (else `PODLINT_CACHE_DIR` or the
    /// user's cache folder).
    pub cache_dir: Option<PathBuf>,
    pub preview: bool,
    /// `--markdown`: folder walks include Markdown pages.
    pub markdown: bool,
    /// Whether reports will show source lines.
    pub snippets: bool,
    /// `--helm`: render charts (the configuration may ask for it too).
    pub helm: bool,
    /// `--helm-values`, `--helm-set`: added to the configuration's.
    pub helm_values: Vec<String>,
    pub helm_set: Vec<String>,
    /// `--pod-security LEVEL`.
    pub pod_security: Option<Level>,
    /// `--policy PATH`: added to the configuration's `policies`.
    pub policies: Vec<String>,
}

/// Settings resolved for a run, with what the caller decides from them.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub settings: Settings,
    /// The lowest severity that fails the run.
    pub fail_on: Severity,
    /// The configuration file that applied, if any.
    pub config: Option<PathBuf>,
}

/// Finds and reads the configuration (unless told not to), then applies the request on top:
/// the command line wins. `working_dir` is the folder relative paths are given against; nothing
/// here reads the process's current directory.
pub fn resolve(request: &Request, working_dir: &Path) -> Result<Resolved, String> {
    let config_path = match (&request.config, request.isolated) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => config::discover(working_dir),
    };
    // A relative `--config` is read against the working folder but named as the user wrote it,
    // in messages and as the base of its globs (which `PathFilters` joins to the working folder).
    let config = match config_path.as_deref() {
        Some(path) => config::load_from(&working_dir.join(path), path)?,
        None => Config::default(),
    };
    let mut settings = Settings::default();
    settings.paths.working_dir = Some(working_dir.to_path_buf());
    settings.apply_config(&config)?;
    for selector in request.select.iter().flatten().chain(&request.ignore) {
        config::check_selector(selector)?;
    }
    settings.preview = request.preview || settings.preview;
    settings.markdown = request.markdown || settings.markdown;
    let select = request.select.as_deref().or(config.select.as_deref());
    let ignore: Vec<String> = config.ignore.iter().chain(&request.ignore).cloned().collect();
    let severities: Vec<_> = config.rules.iter().filter_map(|(id, r)| r.severity.map(|s| (id.clone(), s))).collect();
    settings.select_rules(select, &ignore, &severities);
    let fail_on = request.fail_on.or(config.fail_on).unwrap_or(Severity::Error);
    if let Some(version) = request.kubernetes_version {
        settings.kubernetes_version = version;
    }
    if let Some(level) = request.pod_security {
        settings.pod_security = level;
    }
    if let Some(name) = &request.stdin_name {
        settings.stdin_name = name.clone();
    }
    settings.snippets = request.snippets;
    settings.schema = !request.no_schema;
    settings.jsonschema_for_builtins = request.jsonschema_for_builtins;
    settings.schema_locations.extend(request.schema_locations.iter().cloned());
    for location in &settings.schema_locations {
        crate::schema::location::check(location, working_dir)?;
    }
    settings.cache_dir = match &request.cache_dir {
        Some(dir) => Some(working_dir.join(dir)),
        None => crate::schema::location::default_cache_dir(),
    };
    settings.policy_paths.extend(request.policies.iter().map(|p| working_dir.join(p).to_string_lossy().into_owned()));
    settings.helm.render |= request.helm;
    settings.helm.values.extend(request.helm_values.iter().cloned());
    settings.helm.set.extend(request.helm_set.iter().cloned());
    Ok(Resolved { settings, fail_on, config: config_path })
}

#[cfg(test)]
mod tests {
    use super::*;

    static NEW: RuleMeta =
        RuleMeta { id: "new-rule", status: Status::Preview, category: Category::Workloads, ..RuleMeta::DEFAULTS };

    fn severity(preview: bool, select: Option<&[&str]>, configured: bool) -> Option<Severity> {
        let mut settings = Settings { preview, ..Settings::default() };
        let select: Option<Vec<String>> = select.map(|s| s.iter().map(|x| x.to_string()).collect());
        let severities = if configured { vec![("new-rule".to_string(), Some(Severity::Error))] } else { vec![] };
        settings.select_among(std::iter::once(&NEW), select.as_deref(), &[], &severities);
        settings.severity_of(&NEW)
    }

    #[test]
    fn preview_rules_run_when_asked_for() {
        assert_eq!(Settings::default().severity_of(&NEW), None);
        assert_eq!(Settings { preview: true, ..Settings::default() }.severity_of(&NEW), Some(Severity::Warning));
        assert_eq!(severity(false, None, false), None);
        assert_eq!(severity(false, Some(&["workloads"]), false), None, "a category does not name it");
        assert_eq!(severity(false, Some(&["all"]), false), None);
        assert_eq!(severity(false, Some(&["new-rule"]), false), Some(Severity::Warning), "named by id");
        assert_eq!(severity(false, None, true), Some(Severity::Error), "given a severity");
        assert_eq!(severity(true, Some(&["workloads"]), false), Some(Severity::Warning));
    }

    #[test]
    fn schema_rules_do_not_run_without_the_schema_stage() {
        let meta = crate::rules::find("unknown-field").expect("a rule").meta();
        assert!(Settings::default().severity_of(meta).is_some());
        assert_eq!(Settings { schema: false, ..Settings::default() }.severity_of(meta), None);
    }
}
