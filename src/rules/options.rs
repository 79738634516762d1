//! Rule options, declared once on a rule's metadata. The config loader, the fixture header, the
//! config JSON Schema and `podlint explain` all read the declarations, so an option is one
//! `OptionSpec` beside the rule that reads it and nothing else.
use std::collections::HashMap;

use crate::suggest::closest;
use crate::yaml::{Node, Span};

use super::RuleMeta;

/// What values an option takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// Any strings (container names, registries).
    Strings,
    /// Strings from a fixed set, each at most once.
    Choices(&'static [&'static str]),
    Flag,
    Integer {
        min: i64,
        max: i64,
    },
}

/// The value an option has when the configuration does not set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionDefault {
    Strings(&'static [&'static str]),
    Flag(bool),
    Integer(i64),
}

#[derive(Debug, PartialEq, Eq)]
pub struct OptionSpec {
    /// Kebab-case, as written under `rules.<id>` in `.podlint.yaml`.
    pub name: &'static str,
    pub kind: OptionKind,
    pub default: OptionDefault,
    /// One sentence: what the option changes.
    pub help: &'static str,
}

impl OptionSpec {
    pub const fn strings(name: &'static str, default: &'static [&'static str], help: &'static str) -> Self {
        OptionSpec { name, kind: OptionKind::Strings, default: OptionDefault::Strings(default), help }
    }

    pub const fn choices(
        name: &'static str,
        allowed: &'static [&'static str],
        default: &'static [&'static str],
        help: &'static str,
    ) -> Self {
        OptionSpec { name, kind: OptionKind::Choices(allowed), default: OptionDefault::Strings(default), help }
    }

    pub const fn flag(name: &'static str, default: bool, help: &'static str) -> Self {
        OptionSpec { name, kind: OptionKind::Flag, default: OptionDefault::Flag(default), help }
    }

    pub const fn integer(name: &'static str, default: i64, min: i64, max: i64, help: &'static str) -> Self {
        OptionSpec { name, kind: OptionKind::Integer { min, max }, default: OptionDefault::Integer(default), help }
    }

    pub fn default_value(&self) -> OptionValue {
        match self.default {
            OptionDefault::Strings(items) => OptionValue::Strings(items.iter().map(|s| s.to_string()).collect()),
            OptionDefault::Flag(on) => OptionValue::Flag(on),
            OptionDefault::Integer(n) => OptionValue::Integer(n),
        }
    }

    /// The option's type as docs and messages name it.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            OptionKind::Strings => "a list of strings",
            OptionKind::Choices(_) => "a list of values from a fixed set",
            OptionKind::Flag => "true or false",
            OptionKind::Integer { .. } => "an integer",
        }
    }

    /// Reads the option from `.podlint.yaml`; an error carries the span it is about.
    pub fn parse_node(&self, node: &Node<'_>) -> Result<OptionValue, (Span, String)> {
        let name = self.name;
        match self.kind {
            OptionKind::Strings | OptionKind::Choices(_) => {
                // A single string is taken as a list of one, as the config's other lists are.
                let items: Vec<&Node<'_>> = match node.as_sequence() {
                    Some(items) => items.iter().collect(),
                    None if node.as_scalar().is_some() && !node.is_null() => vec![node],
                    None => return Err((node.span, format!("`{name}` takes {}", self.type_name()))),
                };
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    let Some(text) = item.scalar_text().filter(|_| item.as_scalar().is_some()) else {
                        return Err((item.span, format!("`{name}` takes strings, found {}", item.type_name())));
                    };
                    self.check_choice(text).map_err(|e| (item.span, e))?;
                    values.push(text.to_string());
                }
                Ok(OptionValue::Strings(values))
            }
            OptionKind::Flag => {
                node.as_bool().map(OptionValue::Flag).ok_or((node.span, format!("`{name}` takes true or false")))
            }
            OptionKind::Integer { min, max } => match node.as_i64() {
                Some(n) if (min..=max).contains(&n) => Ok(OptionValue::Integer(n)),
                Some(n) => Err((node.span, format!("`{name}` takes an integer from {min} to {max}, not {n}"))),
                None => Err((node.span, format!("`{name}` takes an integer"))),
            },
        }
    }

    /// Reads the option from text: a fixture header or a command line. Lists are
    /// comma-separated.
    pub fn parse_text(&self, text: &str) -> Result<OptionValue, String> {
        let name = self.name;
        match self.kind {
            OptionKind::Strings | OptionKind::Choices(_) => {
                let items: Vec<&str> = text.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
                for item in &items {
                    self.check_choice(item)?;
                }
                Ok(OptionValue::Strings(items.into_iter().map(str::to_string).collect()))
            }
            OptionKind::Flag => match text {
                "true" => Ok(OptionValue::Flag(true)),
                "false" => Ok(OptionValue::Flag(false)),
                _ => Err(format!("`{name}` takes true or false, not `{text}`")),
            },
            OptionKind::Integer { min, max } => match text.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(OptionValue::Integer(n)),
                _ => Err(format!("`{name}` takes an integer from {min} to {max}, not `{text}`")),
            },
        }
    }

    fn check_choice(&self, value: &str) -> Result<(), String> {
        let OptionKind::Choices(allowed) = self.kind else { return Ok(()) };
        if allowed.contains(&value) {
            return Ok(());
        }
        Err(match closest(value, allowed.iter().copied()) {
            Some(guess) => format!("`{value}` is not a value of `{}`; did you mean `{guess}`?", self.name),
            None => format!("`{value}` is not a value of `{}` (it takes: {})", self.name, allowed.join(", ")),
        })
    }

    /// The option in the config's JSON Schema.
    pub fn json_schema(&self) -> serde_json::Value {
        use serde_json::json;
        let mut schema = match self.kind {
            OptionKind::Strings => json!({"type": "array", "items": {"type": "string"}}),
            OptionKind::Choices(allowed) => {
                json!({"type": "array", "uniqueItems": true, "items": {"type": "string", "enum": allowed}})
            }
            OptionKind::Flag => json!({"type": "boolean"}),
            OptionKind::Integer { min, max } => json!({"type": "integer", "minimum": min, "maximum": max}),
        };
        schema["description"] = json!(self.help);
        schema["default"] = match self.default {
            OptionDefault::Strings(items) => json!(items),
            OptionDefault::Flag(on) => json!(on),
            OptionDefault::Integer(n) => json!(n),
        };
        schema
    }

    /// One line of a rule's "Options" section.
    pub fn describe(&self) -> String {
        let default = match self.default {
            OptionDefault::Strings([]) => "none".to_string(),
            OptionDefault::Strings(items) => {
                format!("`[{}]`", items.join(", "))
            }
            OptionDefault::Flag(on) => format!("`{on}`"),
            OptionDefault::Integer(n) => format!("`{n}`"),
        };
        let values = match self.kind {
            OptionKind::Choices(allowed) => {
                let quoted: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                format!("; values: {}", quoted.join(", "))
            }
            OptionKind::Integer { min, max } => format!("; from {min} to {max}"),
            _ => String::new(),
        };
        format!("- `{}` ({}; default: {default}{values}): {}", self.name, self.type_name(), self.help)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionValue {
    Strings(Vec<String>),
    Flag(bool),
    Integer(i64),
}

/// One rule's options: every declared option, set or defaulted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleOptions {
    values: Vec<(&'static str, OptionValue)>,
}

impl RuleOptions {
    pub fn defaults(meta: &RuleMeta) -> Self {
        RuleOptions { values: meta.options.iter().map(|o| (o.name, o.default_value())).collect() }
    }

    fn value(&self, spec: &OptionSpec) -> Option<&OptionValue> {
        let found = self.values.iter().find(|(name, _)| *name == spec.name).map(|(_, v)| v);
        debug_assert!(found.is_some(), "option `{}` is read but not declared on the rule", spec.name);
        found
    }

    pub fn strings(&self, spec: &OptionSpec) -> &[String] {
        match self.value(spec) {
            Some(OptionValue::Strings(items)) => items,
            _ => &[],
        }
    }

    pub fn flag(&self, spec: &OptionSpec) -> bool {
        match self.value(spec) {
            Some(OptionValue::Flag(on)) => *on,
            _ => matches!(spec.default, OptionDefault::Flag(true)),
        }
    }

    pub fn integer(&self, spec: &OptionSpec) -> i64 {
        match (self.value(spec), spec.default) {
            (Some(OptionValue::Integer(n)), _) => *n,
            (_, OptionDefault::Integer(n)) => n,
            _ => 0,
        }
    }

    /// Sets an option the rule declares.
    pub fn set(&mut self, name: &str, value: OptionValue) {
        if let Some(slot) = self.values.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        }
    }
}

/// Every rule's options for a run. Rules whose options nobody set read their defaults.
#[derive(Clone, Debug, Default)]
pub struct OptionsTable {
    set: HashMap<&'static str, RuleOptions>,
}

impl OptionsTable {
    pub fn for_rule(&self, meta: &'static RuleMeta) -> std::borrow::Cow<'_, RuleOptions> {
        match self.set.get(meta.id) {
            Some(options) => std::borrow::Cow::Borrowed(options),
            None => std::borrow::Cow::Owned(RuleOptions::defaults(meta)),
        }
    }

    /// Sets one option of a rule, by name; the error names the options the rule takes.
    pub fn set(&mut self, meta: &'static RuleMeta, name: &str, value: OptionValue) -> Result<(), String> {
        if meta.option(name).is_none() {
            return Err(unknown_option(meta, name));
        }
        self.set.entry(meta.id).or_insert_with(|| RuleOptions::defaults(meta)).set(name, value);
        Ok(())
    }

    /// Sets an option from text (`allowed-sidecars=a,b`), as a fixture header or the command
    /// line writes it.
    pub fn set_text(&mut self, meta: &'static RuleMeta, name: &str, text: &str) -> Result<(), String> {
        let spec = meta.option(name).ok_or_else(|| unknown_option(meta, name))?;
        let value = spec.parse_text(text)?;
        self.set(meta, name, value)
    }
}

/// `multi-container-pod has no option x; did you mean y?`, listing what it takes.
pub fn unknown_option(meta: &RuleMeta, name: &str) -> String {
    let id = meta.id;
    let known: Vec<&str> = std::iter::once("severity").chain(meta.options.iter().map(|o| o.name)).collect();
    match closest(name, known.iter().copied()) {
        Some(guess) => format!("`{id}` has no option `{name}`; did you mean `{guess}`?"),
        None => format!("`{id}` has no option `{name}` (it takes: {})", known.join(", ")),
    }
}

/// The generated "Options" section of a rule's page: `podlint explain` prints it, and a test
/// keeps the copy in `rules/<id>.md` equal to it.
pub fn options_section(meta: &RuleMeta) -> Option<String> {
    if meta.options.is_empty() {
        return None;
    }
    let mut section = String::from("Set under `rules.");
    section.push_str(meta.id);
    section.push_str("` in `.podlint.yaml`:\n");
    for option in meta.options {
        section.push_str(&option.describe());
        section.push('\n');
    }
    Some(section)
}

/// Markers around the generated section in a rule's page.
pub const SECTION_START: &str = "<!-- options:start -->\n";
pub const SECTION_END: &str = "<!-- options:end -->";

/// A rule's page with its options section generated from the declarations.
pub fn page(meta: &RuleMeta) -> String {
    let doc = meta.doc;
    let (Some(section), Some(start), Some(end)) =
        (options_section(meta), doc.find(SECTION_START), doc.find(SECTION_END))
    else {
        return doc.to_string();
    };
    format!("{}{section}{}", &doc[..start + SECTION_START.len()], &doc[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    static NAMES: OptionSpec = OptionSpec::strings("names", &[], "container names");
    static KINDS: OptionSpec =
        OptionSpec::choices("kinds", &["Deployment", "StatefulSet"], &["Deployment"], "which kinds");
    static STRICT: OptionSpec = OptionSpec::flag("strict", false, "be strict");
    static LIMIT: OptionSpec = OptionSpec::integer("limit", 3, 1, 10, "how many");

    fn node_value(spec: &OptionSpec, yaml: &str) -> Result<OptionValue, String> {
        let loaded = load(yaml, Limits::default());
        let root = loaded.documents[0].root.as_ref().expect("a value");
        spec.parse_node(root).map_err(|(_, e)| e)
    }

    #[test]
    fn values_parse_from_yaml_with_reasons() {
        assert_eq!(node_value(&NAMES, "[a, b]"), Ok(OptionValue::Strings(vec!["a".into(), "b".into()])));
        assert_eq!(node_value(&NAMES, "a"), Ok(OptionValue::Strings(vec!["a".into()])));
        assert!(node_value(&NAMES, "{a: 1}").is_err_and(|e| e.contains("a list of strings")));
        assert!(node_value(&KINDS, "[Deploymnet]").is_err_and(|e| e.contains("did you mean `Deployment`?")));
        assert_eq!(node_value(&STRICT, "yes"), Ok(OptionValue::Flag(true)));
        assert!(node_value(&LIMIT, "11").is_err_and(|e| e.contains("from 1 to 10")));
    }

    #[test]
    fn values_parse_from_text() {
        assert_eq!(NAMES.parse_text("a,b"), Ok(OptionValue::Strings(vec!["a".into(), "b".into()])));
        assert_eq!(STRICT.parse_text("true"), Ok(OptionValue::Flag(true)));
        assert!(LIMIT.parse_text("x").is_err());
        assert!(KINDS.parse_text("Pod").is_err());
    }

    #[test]
    fn descriptions_name_type_default_and_values() {
        assert_eq!(
            KINDS.describe(),
            "- `kinds` (a list of values from a fixed set; default: `[Deployment]`; values: `Deployment`, `StatefulSet`): which kinds"
        );
        assert_eq!(NAMES.describe(), "- `names` (a list of strings; default: none): container names");
    }
}
