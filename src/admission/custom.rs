//! Custom rules: `custom-rules` in `.podlint.yaml`, for teams that do not run admission
//! policies. Each is a CEL expression over `object` (true = compliant) with the kinds it applies
//! to; it reports like a built-in rule (its own id, severity, suppressions, `podlint explain`).
//!
//! ```yaml
//! custom-rules:
//!   - id: team-label
//!     match: {kinds: [Deployment, StatefulSet], apiGroups: [apps], namespaces: [prod]}
//!     expression: has(object.metadata.labels.team)
//!     message: every workload names its team
//!     severity: error
//!     path: metadata.labels
//!     doc: The on-call rota is found by the team label.
//! ```
use std::sync::Arc;

use crate::cel;
use crate::finding::Severity;
use crate::object::Object;
use crate::rules::dynamic::{self, Definition};
use crate::rules::{At, Category, Context, RawFinding, RuleMeta};
use crate::suggest::closest;
use crate::yaml::{Node, Span};

/// The keys of one custom rule.
pub const KEYS: &[&str] = &["id", "match", "expression", "message", "severity", "path", "doc"];
pub const MATCH_KEYS: &[&str] = &["kinds", "apiGroups", "namespaces"];

pub struct CustomRule {
    pub meta: &'static RuleMeta,
    pub kinds: Vec<String>,
    pub api_groups: Vec<String>,
    pub namespaces: Vec<String>,
    pub expression: String,
    pub message: String,
    pub path: Option<Vec<String>>,
    program: cel::Program,
}

/// The custom rules of a configuration, compiled once.
#[derive(Clone, Default)]
pub struct CustomRules(Arc<Vec<CustomRule>>);

impl std::fmt::Debug for CustomRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter().map(|r| r.meta.id)).finish()
    }
}

impl PartialEq for CustomRules {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(other.0.iter())
                .all(|(a, b)| std::ptr::eq(a.meta, b.meta) && a.expression == b.expression)
    }
}

impl CustomRules {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &CustomRule> {
        self.0.iter()
    }

    pub fn metas(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        self.0.iter().map(|r| r.meta)
    }

    /// Checks `object` against the rules that match it; `base` makes the object's CEL scope,
    /// once, when the first rule matches.
    pub fn check<'s>(
        &self,
        object: &Object<'_, '_>,
        group: &str,
        namespace: Option<&str>,
        base: impl Fn() -> &'s cel::Scope,
        cx: &mut Context<'_>,
    ) {
        for rule in self.0.iter() {
            if !rule.matches(object, group, namespace) {
                continue;
            }
            let failure = match rule.program.evaluate(base()) {
                Ok(cel::Outcome::Bool(true)) => continue,
                Ok(cel::Outcome::Bool(false)) => None,
                Ok(other) => Some(super::not_a_boolean(&other)),
                Err(error) => Some(error.message),
            };
            let written = rule.path.as_ref().map(|p| super::place(object, std::slice::from_ref(p)));
            let span = written
                .filter(|s| *s != object.anchor())
                .unwrap_or_else(|| super::place(object, rule.program.object_paths()));
            let message = match failure {
                None => rule.message.clone(),
                Some(error) => format!("{} (the expression failed on this object: {error})", rule.message),
            };
            cx.findings.push(RawFinding {
                rule: rule.meta,
                severity: None,
                at: At::Span(span),
                message,
                help: Some(format!("custom rule `{}`: `{}` must hold", rule.meta.id, rule.expression.trim())),
                fix: None,
            });
        }
    }
}

impl CustomRule {
    fn matches(&self, object: &Object<'_, '_>, group: &str, namespace: Option<&str>) -> bool {
        let listed = |list: &[String], value: &str| list.is_empty() || list.iter().any(|x| x == "*" || x == value);
        object.kind.is_some_and(|k| listed(&self.kinds, k))
            && listed(&self.api_groups, group)
            && (self.namespaces.is_empty() || namespace.is_some_and(|n| listed(&self.namespaces, n)))
    }
}

type Fail<'f> = dyn Fn(Span, String) -> String + 'f;

fn text<'n>(node: &'n Node<'_>, what: &str, fail: &Fail<'_>) -> Result<&'n str, String> {
    node.as_str().ok_or_else(|| fail(node.span, format!("`{what}` takes a string, found {}", node.type_name())))
}

fn list(node: &Node<'_>, what: &str, fail: &Fail<'_>) -> Result<Vec<String>, String> {
    if let Some(one) = node.as_str() {
        return Ok(vec![one.to_string()]);
    }
    let items = node
        .as_sequence()
        .ok_or_else(|| fail(node.span, format!("`{what}` takes a list of strings, found {}", node.type_name())))?;
    items.iter().map(|i| text(i, what, fail).map(str::to_owned)).collect()
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Reads and compiles `custom-rules`; every mistake is an error at its place in the file.
pub fn parse(node: &Node<'_>, config: &str, fail: &Fail<'_>) -> Result<CustomRules, String> {
    let items = node
        .as_sequence()
        .ok_or_else(|| fail(node.span, format!("`custom-rules` takes a list of rules, found {}", node.type_name())))?;
    let mut rules: Vec<CustomRule> = Vec::new();
    for item in items {
        let entries = item
            .as_mapping()
            .ok_or_else(|| fail(item.span, format!("a custom rule is a mapping, found {}", item.type_name())))?;
        for entry in entries {
            let key = entry.key.scalar_text().unwrap_or_default();
            if !KEYS.contains(&key) {
                let message = match closest(key, KEYS.iter().copied()) {
                    Some(guess) => format!("unknown custom rule key `{key}`; did you mean `{guess}`?"),
                    None => format!("unknown custom rule key `{key}` (known: {})", KEYS.join(", ")),
                };
                return Err(fail(entry.key.span, message));
            }
        }
        let required = |key: &str| item.get(key).ok_or_else(|| fail(item.span, format!("a custom rule needs `{key}`")));
        let id_node = required("id")?;
        let id = text(id_node, "id", fail)?;
        if !valid_id(id) {
            return Err(fail(id_node.span, format!("custom rule id `{id}` is not kebab-case (a-z, 0-9 and -)")));
        }
        let category_clash = crate::config::CATEGORIES.iter().any(|c| c.as_str() == id) || id == "all";
        if crate::rules::is_builtin(id) || category_clash {
            return Err(fail(id_node.span, format!("custom rule id `{id}` is taken by a built-in rule or category")));
        }
        if rules.iter().any(|r| r.meta.id == id) {
            return Err(fail(id_node.span, format!("two custom rules have the id `{id}`")));
        }
        let expression_node = required("expression")?;
        let expression = text(expression_node, "expression", fail)?;
        let program = cel::compile(expression).map_err(|e| {
            fail(expression_node.span, format!("custom rule `{id}`: the expression does not compile: {}", e.message))
        })?;
        let message = text(required("message")?, "message", fail)?.to_string();
        let severity = match item.get("severity") {
            None => Severity::Warning,
            Some(node) => {
                let written = text(node, "severity", fail)?;
                written.parse().map_err(|e: String| fail(node.span, e))?
            }
        };
        let (mut kinds, mut api_groups, mut namespaces) = (Vec::new(), Vec::new(), Vec::new());
        let matching = required("match")?;
        let entries = matching.as_mapping().ok_or_else(|| {
            fail(
                matching.span,
                format!("`match` takes a mapping of kinds, apiGroups and namespaces, found {}", matching.type_name()),
            )
        })?;
        for entry in entries {
            let key = entry.key.scalar_text().unwrap_or_default();
            match key {
                "kinds" => kinds = list(&entry.value, key, fail)?,
                "apiGroups" => api_groups = list(&entry.value, key, fail)?,
                "namespaces" => namespaces = list(&entry.value, key, fail)?,
                _ => {
                    let message = match closest(key, MATCH_KEYS.iter().copied()) {
                        Some(guess) => format!("unknown match key `{key}`; did you mean `{guess}`?"),
                        None => format!("unknown match key `{key}` (known: {})", MATCH_KEYS.join(", ")),
                    };
                    return Err(fail(entry.key.span, message));
                }
            }
        }
        if kinds.is_empty() {
            return Err(fail(
                matching.span,
                format!("custom rule `{id}`: `match.kinds` names no kind (`[\"*\"]` for every kind)"),
            ));
        }
        let path = item.get("path").map(|p| text(p, "path", fail).map(super::dotted)).transpose()?;
        let doc = item.get("doc").map(|d| text(d, "doc", fail).map(str::to_owned)).transpose()?;
        let summary =
            doc.as_deref().and_then(|d| d.lines().next()).filter(|l| !l.trim().is_empty()).unwrap_or(&message);
        let page = page(id, &message, expression, &kinds, doc.as_deref(), config);
        let meta = dynamic::register(Definition {
            id: id.to_string(),
            severity,
            category: Category::Custom,
            summary: summary.trim().to_string(),
            doc: page,
        });
        rules.push(CustomRule {
            meta,
            kinds,
            api_groups,
            namespaces,
            expression: expression.to_string(),
            message,
            path,
            program,
        });
    }
    Ok(CustomRules(Arc::new(rules)))
}

/// The page `podlint explain <id>` shows, in the shape of a built-in rule's.
fn page(id: &str, message: &str, expression: &str, kinds: &[String], doc: Option<&str>, config: &str) -> String {
    let why = doc.unwrap_or("Your team's own rule.");
    format!(
        "# {id}\n\n{message}\n\n## What it does\nA custom rule of `{config}`: for every {} object, the CEL expression\n\n```cel\n{}\n```\n\nmust be true. When it is false (or fails), the object is reported.\n\n## Why\n{}\n\n## How to fix\nChange the object so that the expression holds, or suppress the finding with `# podlint: ignore[{id}]`.\n\n## Example\nSee `{config}`.\n",
        kinds.join(", "),
        expression.trim(),
        why.trim()
    )
}
