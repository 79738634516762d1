//! `.podlint.yaml`: the configuration file, found in the current folder or its parents up to the
//! repository root. It is read with podlint's own loader, so every mistake in it is reported
//! with its line and column, and an unknown key with the key it probably meant.
use std::path::{Path, PathBuf};

use crate::finding::Severity;
use crate::k8s::version::KubeVersion;
use crate::rules::options::{OptionValue, unknown_option};
use crate::rules::{self, Category};
use crate::source::SourceFile;
use crate::suggest::closest;
use crate::yaml::{self, Node, Span};

pub const FILE_NAMES: &[&str] = &[".podlint.yaml", ".podlint.yml"];

/// Per-rule settings: a severity (`off` turns the rule off) and the options the rule declares.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleConfig {
    /// `Some(None)` is `off`.
    pub severity: Option<Option<Severity>>,
    pub options: Vec<(&'static str, OptionValue)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub path: PathBuf,
    /// The folder holding the file: relative paths and globs in it are relative to this.
    pub base: PathBuf,
    pub kubernetes_version: Option<KubeVersion>,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub rules: Vec<(String, RuleConfig)>,
    pub exclude: Vec<String>,
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    pub schema_locations: Vec<String>,
    pub fail_on: Option<Severity>,
    pub preview: Option<bool>,
    pub markdown: Option<bool>,
    pub helm: Option<HelmConfig>,
    pub pod_security: Option<crate::k8s::pod_security::Level>,
    /// `policies`: files or folders of ValidatingAdmissionPolicies and Bindings, relative to
    /// the configuration's folder; loaded, not linted.
    pub policies: Vec<String>,
    /// `custom-rules`, compiled.
    pub custom_rules: crate::admission::custom::CustomRules,
}

/// `helm:`: how Helm charts are rendered (see `crate::helm`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HelmConfig {
    pub render: Option<bool>,
    /// Relative to the configuration's folder.
    pub values: Vec<String>,
    pub set: Vec<String>,
    pub release: Option<String>,
}

const HELM_KEYS: &[&str] = &["render", "values", "set", "release"];

fn helm_config(node: &Node<'_>, fail: &Fail<'_>) -> Result<HelmConfig, String> {
    let mut helm = HelmConfig::default();
    for entry in mapping(node, fail)? {
        let key = entry.key.scalar_text().unwrap_or_default();
        let value = &entry.value;
        match key {
            "render" => {
                let on = value.as_bool().ok_or_else(|| fail(value.span, "`render` takes true or false".into()))?;
                helm.render = Some(on);
            }
            "values" => helm.values = strings(value, fail)?,
            "set" => helm.set = strings(value, fail)?,
            "release" => {
                let name = value.scalar_text().filter(|_| !value.is_null());
                let name = name.ok_or_else(|| fail(value.span, "`release` takes a release name".into()))?;
                helm.release = Some(name.to_string());
            }
            _ => {
                let message = match closest(key, HELM_KEYS.iter().copied()) {
                    Some(guess) => format!("unknown helm setting `{key}`; did you mean `{guess}`?"),
                    None => format!("unknown helm setting `{key}` (known: {})", HELM_KEYS.join(", ")),
                };
                return Err(fail(entry.key.span, message));
            }
        }
    }
    Ok(helm)
}

const KEYS: &[&str] = &[
    "kubernetes-version",
    "select",
    "ignore",
    "rules",
    "exclude",
    "per-file-ignores",
    "schema-locations",
    "fail-on",
    "preview",
    "markdown",
    "helm",
    "pod-security",
    "policies",
    "custom-rules",
];

/// The nearest `.podlint.yaml` from `start` upwards, stopping after the repository root (the
/// folder holding `.git`), so that a config outside the repository does not apply to it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(here) = dir {
        for name in FILE_NAMES {
            let candidate = here.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if here.join(".git").exists() {
            return None;
        }
        dir = here.parent();
    }
    None
}

/// A rule id, a category, or `all`: what `select` and `ignore` accept.
pub fn selector_matches(selector: &str, rule: &rules::RuleMeta) -> bool {
    selector == "all" || selector == rule.id || selector == rule.category.as_str()
}

/// Checks a selector; the error says what was probably meant.
pub fn check_selector(selector: &str) -> Result<(), String> {
    let ids = rules::all().iter().map(|r| r.meta().id);
    if selector == "all" || ids.clone().any(|id| id == selector) || CATEGORIES.iter().any(|c| c.as_str() == selector) {
        return Ok(());
    }
    // A policy's findings (whatever policies the run turns out to hold), or a custom rule.
    if rules::dynamic::is_policy_id(selector) || rules::find(selector).is_some() {
        return Ok(());
    }
    let candidates: Vec<&str> = ids.chain(CATEGORIES.iter().map(|c| c.as_str())).collect();
    Err(match closest(selector, candidates) {
        Some(guess) => format!("unknown rule or category `{selector}`; did you mean `{guess}`?"),
        None => format!("unknown rule or category `{selector}` (`podlint rules` lists them)"),
    })
}

pub const CATEGORIES: &[Category] = &[
    Category::Syntax,
    Category::Schema,
    Category::Api,
    Category::Reliability,
    Category::Resources,
    Category::Images,
    Category::Workloads,
    Category::Networking,
    Category::Validation,
    Category::PodSecurity,
    Category::Security,
    Category::Hardening,
    Category::Suppression,
    Category::AdmissionPolicy,
    Category::Custom,
];

pub fn load(path: &Path) -> Result<Config, String> {
    load_from(path, path)
}

/// Reads the file at `read`, naming it `name` in messages (and taking its folder as the base of
/// its relative paths).
pub fn load_from(read: &Path, name: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(read)
        .map_err(|e| format!("{}: {}", name.display(), crate::source::discover::describe_io(&e)))?;
    parse(name, text)
}

pub fn parse(path: &Path, text: String) -> Result<Config, String> {
    let file = SourceFile::new(path.to_string_lossy().into_owned(), text);
    let fail = |span: Span, message: String| {
        let at = file.locate(span.start);
        format!("{}:{}:{}: {message}", file.path, at.line, at.column)
    };
    let loaded = yaml::load(&file.text, yaml::Limits::default());
    if let Some(problem) = loaded.problems.first() {
        return Err(fail(problem.span, problem.message.clone()));
    }
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut config = Config { path: path.to_path_buf(), base, ..Config::default() };
    let Some(root) = loaded.documents.iter().find_map(|d| d.root.as_ref()) else { return Ok(config) };
    let Some(entries) = root.as_mapping() else {
        return Err(fail(root.span, "the configuration must be a mapping of settings".into()));
    };
    // Custom rules first: `select`, `ignore` and `rules` may name them.
    if let Some(entry) = entries.iter().find(|e| e.key.scalar_text() == Some("custom-rules")) {
        let name = path.to_string_lossy();
        config.custom_rules = crate::admission::custom::parse(&entry.value, &name, &fail)?;
    }
    for entry in entries {
        let key = entry.key.scalar_text().unwrap_or_default();
        let value = &entry.value;
        match key {
            "kubernetes-version" => {
                let text = value.scalar_text().unwrap_or_default();
                config.kubernetes_version = Some(text.parse().map_err(|e| fail(value.span, e))?);
            }
            "select" => config.select = Some(selectors(value, &fail)?),
            "ignore" => config.ignore = selectors(value, &fail)?,
            "rules" => {
                for rule in mapping(value, &fail)? {
                    let id = rule.key.scalar_text().unwrap_or_default();
                    check_rule_id(id).map_err(|e| fail(rule.key.span, e))?;
                    config.rules.push((id.to_string(), rule_config(id, &rule.value, &fail)?));
                }
            }
            "exclude" => config.exclude = strings(value, &fail)?,
            "per-file-ignores" => {
                for pattern in mapping(value, &fail)? {
                    let glob = pattern.key.scalar_text().unwrap_or_default().to_string();
                    check_glob(&glob).map_err(|e| fail(pattern.key.span, e))?;
                    config.per_file_ignores.push((glob, selectors(&pattern.value, &fail)?));
                }
            }
            "schema-locations" => config.schema_locations = strings(value, &fail)?,
            "fail-on" => config.fail_on = Some(severity(value, &fail)?.unwrap_or(Severity::Error)),
            "preview" => {
                let on = value.as_bool().ok_or_else(|| fail(value.span, "`preview` takes true or false".into()))?;
                config.preview = Some(on);
            }
            "markdown" => {
                let on = value.as_bool().ok_or_else(|| fail(value.span, "`markdown` takes true or false".into()))?;
                config.markdown = Some(on);
            }
            "pod-security" => {
                let text = value.scalar_text().unwrap_or_default();
                config.pod_security = Some(text.parse().map_err(|e| fail(value.span, e))?);
            }
            "helm" => config.helm = Some(helm_config(value, &fail)?),
            "policies" => config.policies = strings(value, &fail)?,
            "custom-rules" => {}
            _ => {
                let message = match closest(key, KEYS.iter().copied()) {
                    Some(guess) => format!("unknown setting `{key}`; did you mean `{guess}`?"),
                    None => format!("unknown setting `{key}` (known: {})", KEYS.join(", ")),
                };
                return Err(fail(entry.key.span, message));
            }
        }
    }
    for glob in &config.exclude {
        check_glob(glob).map_err(|e| format!("{}: exclude: {e}", file.path))?;
    }
    Ok(config)
}

type Fail<'f> = dyn Fn(Span, String) -> String + 'f;

fn mapping<'n, 'a>(node: &'n Node<'a>, fail: &Fail<'_>) -> Result<&'n [yaml::Entry<'a>], String> {
    node.as_mapping().ok_or_else(|| fail(node.span, format!("expected a mapping, found {}", node.type_name())))
}

fn strings(node: &Node<'_>, fail: &Fail<'_>) -> Result<Vec<String>, String> {
    // A single string is taken as a list of one: `exclude: charts/**`.
    if let Some(one) = node.scalar_text().filter(|_| !node.is_null()) {
        return Ok(vec![one.to_string()]);
    }
    let items = node
        .as_sequence()
        .ok_or_else(|| fail(node.span, format!("expected a list of strings, found {}", node.type_name())))?;
    items
        .iter()
        .map(|item| {
            item.scalar_text()
                .map(str::to_string)
                .ok_or_else(|| fail(item.span, format!("expected a string, found {}", item.type_name())))
        })
        .collect()
}

fn selectors(node: &Node<'_>, fail: &Fail<'_>) -> Result<Vec<String>, String> {
    let list = strings(node, fail)?;
    let items: Vec<&Node<'_>> = match node.as_sequence() {
        Some(items) => items.iter().collect(),
        None => vec![node],
    };
    for (selector, item) in list.iter().zip(items) {
        check_selector(selector).map_err(|e| fail(item.span, e))?;
    }
    Ok(list)
}

fn check_rule_id(id: &str) -> Result<(), String> {
    if rules::find(id).is_some() {
        return Ok(());
    }
    Err(match closest(id, rules::all().iter().map(|r| r.meta().id)) {
        Some(guess) => format!("unknown rule `{id}`; did you mean `{guess}`?"),
        None => format!("unknown rule `{id}` (`podlint rules` lists them)"),
    })
}

fn severity(node: &Node<'_>, fail: &Fail<'_>) -> Result<Option<Severity>, String> {
    match node.scalar_text() {
        Some("off") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| fail(node.span, format!("unknown severity `{text}` (expected error, warning, info or off)"))),
        None => Err(fail(node.span, "expected a severity: error, warning, info or off".into())),
    }
}

fn rule_config(id: &str, node: &Node<'_>, fail: &Fail<'_>) -> Result<RuleConfig, String> {
    if node.as_scalar().is_some() {
        return Ok(RuleConfig { severity: Some(severity(node, fail)?), ..RuleConfig::default() });
    }
    let Some(meta) = rules::find(id).map(|r| r.meta()) else { return Ok(RuleConfig::default()) };
    let mut rule = RuleConfig::default();
    for entry in mapping(node, fail)? {
        let key = entry.key.scalar_text().unwrap_or_default();
        if key == "severity" {
            rule.severity = Some(severity(&entry.value, fail)?);
            continue;
        }
        let Some(spec) = meta.option(key) else {
            return Err(fail(entry.key.span, unknown_option(meta, key)));
        };
        let value = spec.parse_node(&entry.value).map_err(|(span, e)| fail(span, e))?;
        rule.options.push((spec.name, value));
    }
    Ok(rule)
}

fn check_glob(glob: &str) -> Result<(), String> {
    globset::Glob::new(glob).map(|_| ()).map_err(|e| format!("invalid glob `{glob}`: {}", e.kind()))
}

/// Globs match paths relative to the config's folder; a glob without `/` matches a file or
/// folder name at any depth, as in `.gitignore`.
pub fn glob_set(patterns: &[String]) -> Result<globset::GlobSet, String> {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = pattern.trim_start_matches("./");
        for form in glob_forms(pattern) {
            let glob = globset::GlobBuilder::new(&form)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("invalid glob `{pattern}`: {}", e.kind()))?;
            set.add(glob);
        }
    }
    set.build().map_err(|e| e.to_string())
}

/// A pattern also matches everything under a folder it names: `charts` excludes `charts/a.yaml`.
fn glob_forms(pattern: &str) -> Vec<String> {
    let anchored = if pattern.contains('/') { pattern.to_string() } else { format!("**/{pattern}") };
    let anchored = anchored.trim_end_matches('/').to_string();
    vec![anchored.clone(), format!("{anchored}/**")]
}

/// The JSON Schema of `.podlint.yaml`, for editor completion. Generated from the registry so that
/// rule ids complete; `podlint.schema.json` in the repository is this, checked by a test.
pub fn json_schema() -> serde_json::Value {
    use serde_json::json;
    let ids: Vec<&str> = rules::all().iter().map(|r| r.meta().id).collect();
    let selectors: Vec<&str> =
        std::iter::once("all").chain(CATEGORIES.iter().map(|c| c.as_str())).chain(ids.iter().copied()).collect();
    // Besides the built-in names: a policy's findings and a custom rule's id.
    let selector = json!({
        "anyOf": [
            {"type": "string", "enum": selectors},
            {"type": "string", "pattern": "^policy/[a-z0-9.-]+$", "description": "the findings of a ValidatingAdmissionPolicy"},
            {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "description": "a custom rule's id"}
        ]
    });
    let selector_list = json!({
        "oneOf": [
            selector,
            {"type": "array", "items": selector}
        ]
    });
    let string_list = json!({"type": "array", "items": {"type": "string"}});
    let custom_rule = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "match", "expression", "message"],
        "properties": {
            "id": {"description": "The rule's id: kebab-case, not a built-in rule's", "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "match": {
                "description": "The objects the rule applies to",
                "type": "object",
                "additionalProperties": false,
                "required": ["kinds"],
                "properties": {
                    "kinds": {"description": "Kinds (`*` for every kind)", "oneOf": [{"type": "string"}, string_list]},
                    "apiGroups": {"description": "API groups (`\"\"` for the core group, `*` for any) [default: any]", "oneOf": [{"type": "string"}, string_list]},
                    "namespaces": {"description": "Namespaces [default: any, and cluster-scoped objects]", "oneOf": [{"type": "string"}, string_list]}
                }
            },
            "expression": {"description": "A CEL expression over `object`: true when the object complies", "type": "string"},
            "message": {"description": "What a finding says", "type": "string"},
            "severity": {"description": "[default: warning]", "type": "string", "enum": ["error", "warning", "info"]},
            "path": {"description": "A dotted field path (spec.replicas) to report at when the object writes it [default: the deepest field the expression reads]", "type": "string"},
            "doc": {"description": "Why the rule exists: shown by `podlint explain <id>`", "type": "string"}
        }
    });
    let severity = json!({"type": "string", "enum": ["error", "warning", "info", "off"]});
    let mut rule_props = serde_json::Map::new();
    for rule in rules::all() {
        let meta = rule.meta();
        let mut options = serde_json::Map::new();
        options.insert("severity".into(), severity.clone());
        for option in meta.options {
            options.insert(option.name.into(), option.json_schema());
        }
        rule_props.insert(
            meta.id.into(),
            json!({
                "description": meta.summary,
                "oneOf": [severity, {"type": "object", "additionalProperties": false, "properties": options}]
            }),
        );
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": format!("{}/blob/main/podlint.schema.json", env!("CARGO_PKG_REPOSITORY")),
        "title": "podlint configuration (.podlint.yaml)",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "kubernetes-version": {"description": "Kubernetes version of the target cluster, MAJOR.MINOR", "type": "string", "pattern": "^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$"},
            "select": {"description": "Run only these rules or categories (all rules when absent)", "$ref": "#/definitions/selectors"},
            "ignore": {"description": "Do not run these rules or categories", "$ref": "#/definitions/selectors"},
            "rules": {"description": "Per-rule severity (error, warning, info, off) and options", "type": "object", "additionalProperties": false, "properties": rule_props},
            "exclude": {"description": "Globs of files not to lint, relative to this file's folder", "type": "array", "items": {"type": "string"}},
            "per-file-ignores": {"description": "Globs mapped to the rules or categories ignored in matching files", "type": "object", "additionalProperties": {"$ref": "#/definitions/selectors"}},
            "schema-locations": {"description": "Folders (or kubeconform path templates) of JSON schemas for custom resources", "type": "array", "items": {"type": "string"}},
            "fail-on": {"description": "The lowest severity that fails the run", "type": "string", "enum": ["error", "warning", "info"]},
            "preview": {"description": "Run the rules still in preview too", "type": "boolean"},
            "markdown": {"description": "Folder walks also lint the manifests in Markdown pages' code blocks", "type": "boolean"},
            "pod-security": {"description": "The Pod Security Standards level pods are held to where no Namespace of the run labels theirs (default baseline)", "type": "string", "enum": ["privileged", "baseline", "restricted"]},
            "policies": {"description": "Files or folders of ValidatingAdmissionPolicies and their Bindings, relative to this file's folder: evaluated against the linted objects, not linted themselves", "oneOf": [{"type": "string"}, string_list]},
            "custom-rules": {"description": "Rules of your own: a CEL expression over `object` for the kinds they match", "type": "array", "items": custom_rule},
            "helm": {
                "description": "Rendering Helm charts with `helm template` (helm must be on PATH)",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "render": {"description": "Render every chart found and lint the output (as --helm)", "type": "boolean"},
                    "values": {"description": "Values files for every chart (helm --values), relative to this file's folder", "type": "array", "items": {"type": "string"}},
                    "set": {"description": "key=value pairs for every chart (helm --set)", "type": "array", "items": {"type": "string"}},
                    "release": {"description": "The release name templates see [default: release-name]", "type": "string"}
                }
            }
        },
        "definitions": {"selectors": selector_list}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, String> {
        parse(Path::new("dir/.podlint.yaml"), text.to_string())
    }

    #[test]
    fn reads_every_setting() {
        let config = parse_str(
            "kubernetes-version: '1.30'\nselect: [schema, image-tag]\nignore: multi-container-pod\nrules:\n  image-tag: error\n  multi-container-pod:\n    severity: 'off'\n    allowed-sidecars: [istio-proxy]\nexclude: [charts/**]\nper-file-ignores:\n  'legacy/*.yaml': [removed-api]\nschema-locations: [schemas]\nfail-on: warning\n",
        )
        .unwrap();
        assert_eq!(config.kubernetes_version, Some(KubeVersion::new(1, 30)));
        assert_eq!(config.select, Some(vec!["schema".to_string(), "image-tag".to_string()]));
        assert_eq!(config.ignore, vec!["multi-container-pod"]);
        assert_eq!(
            config.rules[0],
            ("image-tag".to_string(), RuleConfig { severity: Some(Some(Severity::Error)), ..Default::default() })
        );
        assert_eq!(
            config.rules[1].1,
            RuleConfig {
                severity: Some(None),
                options: vec![("allowed-sidecars", OptionValue::Strings(vec!["istio-proxy".into()]))]
            }
        );
        assert_eq!(config.per_file_ignores, vec![("legacy/*.yaml".to_string(), vec!["removed-api".to_string()])]);
        assert_eq!(config.fail_on, Some(Severity::Warning));
        assert_eq!(config.base, Path::new("dir"));
    }

    #[test]
    fn options_and_preview_follow_the_declarations() {
        let config =
            parse_str("preview: true\nrules:\n  multi-container-pod: {allowed-sidecars: istio-proxy}\n").unwrap();
        assert_eq!(config.preview, Some(true));
        assert_eq!(
            config.rules[0].1.options,
            vec![("allowed-sidecars", OptionValue::Strings(vec!["istio-proxy".into()]))]
        );
        assert_eq!(
            parse_str("rules:\n  multi-container-pod:\n    allowed-sidecars: {a: 1}\n").unwrap_err(),
            "dir/.podlint.yaml:3:23: `allowed-sidecars` takes a list of strings"
        );
        assert_eq!(
            parse_str("rules:\n  image-tag:\n    allowed-sidecars: [x]\n").unwrap_err(),
            "dir/.podlint.yaml:3:5: `image-tag` has no option `allowed-sidecars` (it takes: severity)"
        );
        assert!(parse_str("preview: maybe\n").unwrap_err().contains("`preview` takes true or false"));
    }

    #[test]
    fn mistakes_are_located_and_explained() {
        assert_eq!(
            parse_str("selct: [all]\n").unwrap_err(),
            "dir/.podlint.yaml:1:1: unknown setting `selct`; did you mean `select`?"
        );
        assert_eq!(
            parse_str("ignore: [image-tags]\n").unwrap_err(),
            "dir/.podlint.yaml:1:10: unknown rule or category `image-tags`; did you mean `image-tag`?"
        );
        assert_eq!(
            parse_str("rules:\n  image-tag: fatal\n").unwrap_err(),
            "dir/.podlint.yaml:2:14: unknown severity `fatal` (expected error, warning, info or off)"
        );
        assert_eq!(
            parse_str("rules:\n  multi-container-pod:\n    allowed-sidecar: [x]\n").unwrap_err(),
            "dir/.podlint.yaml:3:5: `multi-container-pod` has no option `allowed-sidecar`; did you mean `allowed-sidecars`?"
        );
        assert!(
            parse_str("kubernetes-version: latest\n")
                .unwrap_err()
                .starts_with("dir/.podlint.yaml:1:21: invalid Kubernetes version")
        );
        assert!(parse_str("a: [\n").unwrap_err().starts_with("dir/.podlint.yaml:2:1:"));
    }

    #[test]
    fn globs_match_relative_paths_and_folders() {
        let set = glob_set(&["charts".into(), "legacy/*.yaml".into(), "*.json".into()]).unwrap();
        assert!(set.is_match("charts/web/deploy.yaml"));
        assert!(set.is_match("deploy/charts/x.yaml"));
        assert!(set.is_match("legacy/a.yaml"));
        assert!(!set.is_match("legacy/sub/a.yaml"));
        assert!(set.is_match("k8s/a.json"));
        assert!(!set.is_match("k8s/a.yaml"));
    }
}
