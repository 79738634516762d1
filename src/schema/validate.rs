//! jsonschema over the normalised object: types, required fields, ranges. Each error's instance
//! path leads back to its node in our tree, and so to a span.
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Map, Number, Value as Json};

use super::catalog::{Catalog, SchemaRef};
use super::{Issue, TypeHint};
use crate::yaml::{Node, Resolved, Span, Value};

/// How the two Kubernetes union types are named in messages.
pub const INT_OR_STRING_TYPES: &str = "an integer or a string";
pub const QUANTITY_TYPES: &str = "a string or a number";

/// A YAML tree in JSON, as written (for schemas read from CRDs).
pub fn to_json(node: &Node<'_>) -> Json {
    convert(node, false)
}

/// A custom resource as the API server validates it, in JSON. A field written with no value
/// (`replicas:`) is null, and the API server prunes a custom resource's null fields before
/// validating unless the schema says `nullable`. Kept, it would fail every `type: integer`.
fn to_instance(node: &Node<'_>) -> Json {
    convert(node, true)
}

fn convert(node: &Node<'_>, drop_null_fields: bool) -> Json {
    match &node.value {
        Value::Mapping(entries) => {
            let mut map = Map::with_capacity(entries.len());
            for entry in entries {
                if drop_null_fields && matches!(&entry.value.value, Value::Scalar(s) if s.resolved == Resolved::Null) {
                    continue;
                }
                // Kubernetes' YAML-to-JSON step turns scalar keys into strings; other keys cannot
                // be represented and are left to the loader's and the walk's findings.
                // `$` keys are patch directives, never fields: the walk allows them, so must this.
                if let Some(key) = entry.key.scalar_text().filter(|k| !k.starts_with('$')) {
                    map.insert(key.to_string(), convert(&entry.value, drop_null_fields));
                }
            }
            Json::Object(map)
        }
        Value::Sequence(items) => Json::Array(items.iter().map(|item| convert(item, drop_null_fields)).collect()),
        Value::Scalar(s) => match s.resolved {
            Resolved::Null => Json::Null,
            Resolved::Bool(b) => Json::Bool(b),
            Resolved::Int(i) => Json::Number(i.into()),
            Resolved::Float(f) => Number::from_f64(f).map_or(Json::Null, Json::Number),
            Resolved::Str => Json::String(s.text.to_string()),
        },
    }
}

/// Validates `root` (already walked) and appends issues.
pub fn validate(root: &Node<'_>, schema: &SchemaRef, catalog: &Catalog, issues: &mut Vec<Issue>) {
    let validator = match schema {
        SchemaRef::Builtin(def) | SchemaRef::Substitute(def) => catalog.builtin_validator(def),
        SchemaRef::Document(doc) => doc.validator(),
    };
    let Some(validator) = validator else { return };
    // Built-in kinds keep their nulls: the walk reports a required field written as null as
    // a wrong type, and the oracle must agree with the walk.
    let instance = match schema {
        SchemaRef::Document(_) => to_instance(root),
        _ => to_json(root),
    };
    let mut seen: Vec<String> = Vec::new();
    let substitute = matches!(schema, SchemaRef::Substitute(_));
    for error in validator.iter_errors(&instance) {
        if substitute
            && matches!(
                error.kind(),
                ValidationErrorKind::Required { .. } | ValidationErrorKind::AdditionalProperties { .. }
            )
        {
            continue;
        }
        let path = error.instance_path().as_str().to_string();
        // The object's own apiVersion and kind chose the schema; `identify` judged them.
        if path == "/apiVersion" || path == "/kind" {
            continue;
        }
        let segments: Vec<String> = path.split('/').skip(1).map(unescape).collect();
        let Some((node, key_span)) = locate(root, &segments) else { continue };
        let field = segments.iter().rev().find(|s| s.parse::<usize>().is_err()).cloned().unwrap_or_default();
        let issue = match error.kind() {
            ValidationErrorKind::Type { kind } => type_issue(node, &field, &segments, expected_types(kind)),
            ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
                if node.as_mapping().is_none() && node.as_sequence().is_none() {
                    let quantity = error.schema_path().as_str().contains("resource.Quantity");
                    let expected = if quantity { QUANTITY_TYPES } else { INT_OR_STRING_TYPES };
                    type_issue(node, &field, &segments, expected.to_string())
                } else {
                    invalid(node.span, &field, format!("{field} does not match any of the forms it may take"))
                }
            }
            ValidationErrorKind::Required { property } => {
                let property = property.as_str().unwrap_or_default().to_string();
                let item = segments.last().is_some_and(|last| last.parse::<usize>().is_ok());
                let parent = parent_words(segments.is_empty(), item, &field);
                Issue::MissingRequired { at: key_span.unwrap_or_else(|| anchor(root)), property, parent }
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().map(|v| v.to_string().trim_matches('"').to_string()).collect())
                    .unwrap_or_default();
                invalid(node.span, &field, format!("{field} must be one of {}", allowed.join(", ")))
            }
            ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
                invalid(node.span, &field, format!("{field} must be at least {limit}"))
            }
            ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => {
                invalid(node.span, &field, format!("{field} must be at most {limit}"))
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                // The walk removes unknown fields, so these come only from schema shapes it does
                // not follow (inside anyOf/oneOf branches).
                Issue::UnknownField {
                    key: node.span,
                    name: unexpected.join(", "),
                    parent: field.clone(),
                    suggestion: None,
                    placement: None,
                }
            }
            _ => invalid(node.span, &field, error.to_string()),
        };
        // One finding per node: jsonschema can report a node from several keywords.
        let dedup = match &issue {
            Issue::MissingRequired { property, .. } => format!("{path}#{property}"),
            _ => path.clone(),
        };
        if seen.contains(&dedup) {
            continue;
        }
        seen.push(dedup);
        issues.push(issue);
    }
}

/// How the object that lacks a required field is named: "the object", "a `containers` item",
/// "`spec`".
pub fn parent_words(root: bool, item: bool, field: &str) -> String {
    match (root, item) {
        (true, _) => "the object".to_string(),
        (false, true) => format!("a `{field}` item"),
        (false, false) => format!("`{field}`"),
    }
}

fn invalid(value: Span, field: &str, reason: String) -> Issue {
    Issue::InvalidValue { value, field: field.to_string(), reason, help: None }
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The node at a JSON-pointer path, and the span of the key that holds it (when a mapping does).
fn locate<'t, 'a>(root: &'t Node<'a>, segments: &[String]) -> Option<(&'t Node<'a>, Option<Span>)> {
    let mut node = root;
    let mut key_span = None;
    for segment in segments {
        match &node.value {
            Value::Mapping(entries) => {
                // JSON keeps the last of duplicate keys, so its errors are about the last one.
                let entry = entries.iter().rev().find(|e| e.key.scalar_text() == Some(segment.as_str()))?;
                key_span = Some(entry.key.span);
                node = &entry.value;
            }
            Value::Sequence(items) => {
                node = items.get(segment.parse::<usize>().ok()?)?;
                // A list item has no key; a finding about it points at the item itself.
                key_span = Some(item_anchor(node));
            }
            Value::Scalar(_) => return None,
        }
    }
    Some((node, key_span))
}

/// A list item is recognised by its `name:` when it has one.
pub fn item_anchor(item: &Node<'_>) -> Span {
    match item.entry("name") {
        Some(e) => e.key.span.to(e.value.span),
        None => item.entries().first().map_or(item.span, |e| e.key.span),
    }
}

fn anchor(root: &Node<'_>) -> Span {
    root.entry("kind").map(|e| e.value.span).unwrap_or(root.span)
}

fn expected_types(kind: &TypeKind) -> String {
    let names: Vec<String> = match kind {
        TypeKind::Single(t) => vec![t.to_string()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
    };
    expected_words(names.iter().map(String::as_str))
}

/// "an integer", "a string or a number": JSON types as messages name them (null left out, as
/// every optional field allows it).
pub fn expected_words<'t>(types: impl IntoIterator<Item = &'t str>) -> String {
    let names: Vec<&str> = types.into_iter().map(type_word).filter(|w| *w != "null").collect();
    match names.as_slice() {
        [] => "null".into(),
        [one] => (*one).into(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn type_word(json_type: &str) -> &'static str {
    match json_type {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        "object" => "a mapping",
        "array" => "a list",
        _ => "null",
    }
}

fn type_issue(node: &Node<'_>, field: &str, segments: &[String], expected: String) -> Issue {
    let env_value = matches!(segments, [.., env, _, value] if env == "env" && value == "value");
    type_mismatch_issue(node, field_words(field, env_value), expected)
}

/// How a field is named in a type message.
pub fn field_words(field: &str, env_value: bool) -> String {
    if env_value { "an environment variable's value".to_string() } else { format!("`{field}`") }
}

/// The invalid-type issue for `node`, with the hint that explains the usual cause.
pub fn type_mismatch_issue(node: &Node<'_>, field: String, expected: String) -> Issue {
    let found = node.type_name();
    let hint = match node.as_scalar() {
        Some(s)
            if s.resolved == Resolved::Str && expected.contains("integer") && s.text.trim().parse::<i64>().is_ok() =>
        {
            TypeHint::QuotedNumber
        }
        Some(s)
            if s.resolved == Resolved::Str && expected.contains("number") && s.text.trim().parse::<f64>().is_ok() =>
        {
            TypeHint::QuotedNumber
        }
        Some(s)
            if expected == "a string"
                && matches!(s.resolved, Resolved::Bool(_))
                && s.text.len() > 1
                && !matches!(&*s.text, "true" | "false" | "True" | "False" | "TRUE" | "FALSE") =>
        {
            TypeHint::YamlBoolean
        }
        Some(s)
            if expected == "a string"
                && matches!(s.resolved, Resolved::Int(_) | Resolved::Float(_) | Resolved::Bool(_)) =>
        {
            TypeHint::NeedsQuotes
        }
        _ => TypeHint::None,
    };
    Issue::InvalidType { value: node.span, field, expected, found, hint }
}
