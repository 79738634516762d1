//! What the API server's validation rules share: field paths, and errors worded as the server
//! words them (k8s.io/apimachinery/pkg/util/validation/field, `Error.Error()`), so that a
//! finding reads as `kubectl apply` would print it:
//! `spec.template.spec.containers[1].name: Duplicate value: "web"`.
//!
//! The `validate-*` rules mirror the `Validate*` functions of Kubernetes' `pkg/apis/*/validation`
//! for what needs no cluster state; each check names the upstream function it follows.
use std::fmt;

use crate::finding::Severity;
use crate::rules::{Context, RawFinding, RuleMeta};
use crate::yaml::Span;

/// A field's path from the object's root, as the server prints it: `spec.containers[0].name`,
/// `data[bad key]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath(String);

impl FieldPath {
    pub fn root(name: &str) -> Self {
        FieldPath(name.to_string())
    }

    /// `path.name`.
    pub fn child(&self, name: &str) -> Self {
        if self.0.is_empty() { FieldPath(name.to_string()) } else { FieldPath(format!("{}.{name}", self.0)) }
    }

    /// `path[3]`.
    pub fn index(&self, index: usize) -> Self {
        FieldPath(format!("{}[{index}]", self.0))
    }

    /// `path[key]`: a map's key, unquoted, as the server prints it.
    pub fn key(&self, key: &str) -> Self {
        FieldPath(format!("{}[{key}]", self.0))
    }

    /// `path.a.b.c`.
    pub fn at(&self, names: &[&str]) -> Self {
        names.iter().fold(self.clone(), |path, name| path.child(name))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value as the server prints it in an error: strings quoted (Go's `%q`), numbers and
/// booleans bare.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    /// Already rendered (a float, a boolean, a list).
    Raw(String),
}

impl Val {
    pub fn str(text: &str) -> Self {
        Val::Str(text.to_string())
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Str(s) => write!(f, "{}", go_quote(s)),
            Val::Int(i) => write!(f, "{i}"),
            Val::Raw(s) => f.write_str(s),
        }
    }
}

/// Go's `%q` for the strings that appear in manifests: quotes, and backslash escapes for `"`,
/// `\` and control characters.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The server's error types (`field.ErrorType`), with the words it prints for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    Unsupported,
    Forbidden,
    TooLong,
}

impl Kind {
    pub fn words(self) -> &'static str {
        match self {
            Kind::NotFound => "Not found",
            Kind::Required => "Required value",
            Kind::Duplicate => "Duplicate value",
            Kind::Invalid => "Invalid value",
            Kind::Unsupported => "Unsupported value",
            Kind::Forbidden => "Forbidden",
            Kind::TooLong => "Too long",
        }
    }
}

/// One validation error, as the server would return it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub path: FieldPath,
    pub kind: Kind,
    pub value: Option<Val>,
    pub detail: String,
}

impl FieldError {
    pub fn invalid(path: FieldPath, value: Val, detail: impl Into<String>) -> Self {
        FieldError { path, kind: Kind::Invalid, value: Some(value), detail: detail.into() }
    }

    pub fn required(path: FieldPath, detail: impl Into<String>) -> Self {
        FieldError { path, kind: Kind::Required, value: None, detail: detail.into() }
    }

    pub fn duplicate(path: FieldPath, value: Val) -> Self {
        FieldError { path, kind: Kind::Duplicate, value: Some(value), detail: String::new() }
    }

    pub fn not_found(path: FieldPath, value: Val) -> Self {
        FieldError { path, kind: Kind::NotFound, value: Some(value), detail: String::new() }
    }

    pub fn forbidden(path: FieldPath, detail: impl Into<String>) -> Self {
        FieldError { path, kind: Kind::Forbidden, value: None, detail: detail.into() }
    }

    /// `supported values: "a", "b"`, as the server lists them.
    pub fn unsupported(path: FieldPath, value: Val, supported: &[&str]) -> Self {
        let list = supported.iter().map(|s| go_quote(s)).collect::<Vec<_>>().join(", ");
        FieldError { path, kind: Kind::Unsupported, value: Some(value), detail: format!("supported values: {list}") }
    }

    /// `Too long: may not be more than N bytes` (the server's wording since 1.32; older
    /// releases said "must have at most N bytes").
    pub fn too_long(path: FieldPath, max: usize) -> Self {
        FieldError { path, kind: Kind::TooLong, value: None, detail: format!("may not be more than {max} bytes") }
    }
}

impl fmt::Display for FieldError {
    /// `path: Type: value: detail`, or `path: Type: detail` for the types the server prints
    /// without a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind.words())?;
        let shows_value = !matches!(self.kind, Kind::Required | Kind::Forbidden | Kind::TooLong);
        if let (true, Some(value)) = (shows_value, &self.value) {
            write!(f, ": {value}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// Reports `error` at `span` as the server's refusal (an error), with `help`.
pub fn refuse<'c>(
    cx: &'c mut Context<'_>,
    rule: &'static RuleMeta,
    span: Span,
    error: &FieldError,
    help: impl Into<String>,
) -> &'c mut RawFinding {
    let finding = cx.report(rule, span, error.to_string());
    finding.help(help);
    finding
}

/// Reports what the server accepts with a warning (kubectl prints it as `Warning: …`).
pub fn warn<'c>(
    cx: &'c mut Context<'_>,
    rule: &'static RuleMeta,
    span: Span,
    message: impl Into<String>,
    help: impl Into<String>,
) -> &'c mut RawFinding {
    let finding = cx.report(rule, span, message);
    finding.help(help).severity(Severity::Warning);
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_the_server_prints_them() {
        let containers = FieldPath::root("spec").at(&["template", "spec", "containers"]);
        let name = containers.index(1).child("name");
        assert_eq!(
            FieldError::duplicate(name, Val::str("web")).to_string(),
            "spec.template.spec.containers[1].name: Duplicate value: \"web\""
        );
        let replicas = FieldPath::root("spec").child("replicas");
        assert_eq!(
            FieldError::invalid(replicas, Val::Int(-1), "must be greater than or equal to 0").to_string(),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        let policy = FieldPath::root("spec").at(&["template", "spec", "restartPolicy"]);
        assert_eq!(
            FieldError::unsupported(policy, Val::str("Never"), &["Always"]).to_string(),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        );
        assert_eq!(
            FieldError::required(FieldPath::root("spec").child("selector"), "").to_string(),
            "spec.selector: Required value"
        );
        assert_eq!(FieldPath::root("data").key("bad key").to_string(), "data[bad key]");
        assert_eq!(go_quote("a\"b"), "\"a\\\"b\"");
    }
}
