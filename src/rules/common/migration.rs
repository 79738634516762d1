//! Fixes that move an object from an old apiVersion to its replacement. A move is *safe* when the
//! replacement reads the object the same way (the lifecycle table says only the apiVersion
//! changes, or the one difference does not apply to this object); otherwise the fix is *unsafe*
//! (`--unsafe-fixes`): it adds what the new API requires (a Deployment's selector) or rewrites
//! what it renamed (an Ingress's backends), and the meaning can change.
use crate::finding::{Applicability, Edit, Fix};
use crate::k8s::deprecations::ApiLifecycle;
use crate::k8s::version::KubeVersion;
use crate::object::Object;
use crate::yaml::{Node, ScalarStyle, Span, Value};

/// Whether `--fix` can move this object to `to`, and how.
pub fn migration_fix(entry: &ApiLifecycle, object: &Object<'_, '_>, target: KubeVersion, text: &str) -> Option<Fix> {
    let to = entry.replacement_at(target)?;
    if entry.replacement_since.is_some_and(|since| since > target) {
        return None;
    }
    let api_value = object.root.get("apiVersion")?;
    let mut edits = vec![replace_scalar(api_value, to)];
    let spec = object.root.get("spec");
    let from = entry.api_version;
    let applicability = match (entry.kind, from) {
        _ if entry.note.starts_with("No schema changes") => Applicability::Safe,
        // policy/v1 reads an empty selector as "every pod"; v1beta1 read it as "none".
        ("PodDisruptionBudget", _) => {
            let selector = spec?.get("selector");
            if selector.is_some_and(|s| s.entries().is_empty()) {
                return None;
            }
            Applicability::Safe
        }
        // v2 kept v2beta2's metric layout; fields from v2beta1 would need rewriting.
        ("HorizontalPodAutoscaler", "autoscaling/v2beta2") => {
            if spec.is_some_and(|s| has_any_key(s, &["targetAverageUtilization", "targetAverageValue", "targetValue"]))
            {
                return None;
            }
            Applicability::Safe
        }
        ("Deployment" | "DaemonSet" | "StatefulSet" | "ReplicaSet", "apps/v1beta2")
            if spec?.get("selector").is_some() =>
        {
            Applicability::Safe
        }
        ("Deployment" | "DaemonSet" | "StatefulSet" | "ReplicaSet", _) => {
            // The old groups defaulted the selector (and, for DaemonSets and StatefulSets, the
            // update strategy) differently: the move changes behaviour.
            if spec?.get("selector").is_none() {
                edits.push(add_selector(spec?, text)?);
            }
            Applicability::Unsafe
        }
        ("Ingress", "extensions/v1beta1" | "networking.k8s.io/v1beta1") => {
            edits.extend(ingress_edits(object.root.entry("spec")?, text)?);
            Applicability::Unsafe
        }
        _ => return None,
    };
    Some(Fix { applicability, edits })
}

fn has_any_key(node: &Node<'_>, keys: &[&str]) -> bool {
    match &node.value {
        Value::Mapping(entries) => entries
            .iter()
            .any(|e| e.key.scalar_text().is_some_and(|k| keys.contains(&k)) || has_any_key(&e.value, keys)),
        Value::Sequence(items) => items.iter().any(|i| has_any_key(i, keys)),
        Value::Scalar(_) => false,
    }
}

/// Replaces a scalar's text, keeping its quotes.
pub fn replace_scalar(node: &Node<'_>, replacement: &str) -> Edit {
    let quoted =
        matches!(node.as_scalar(), Some(s) if matches!(s.style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted));
    let span = if quoted { Span::new(node.span.start + 1, node.span.end - 1) } else { node.span };
    Edit { start: span.start, end: span.end, replacement: replacement.to_string() }
}

fn slice(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize).unwrap_or_default()
}

/// Column (in bytes from the line start) of a byte offset: fixes indent with spaces, and only
/// fix block-style YAML where keys are preceded by spaces.
fn column(text: &str, offset: u32) -> usize {
    let before = &text[..offset as usize];
    offset as usize - before.rfind('\n').map_or(0, |i| i + 1)
}

/// The file's own line ending, so that inserted lines do not mix CRLF and LF.
fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

fn is_flow(node: &Node<'_>, text: &str) -> bool {
    slice(text, node.span).starts_with(['{', '['])
}

/// `spec.selector.matchLabels` from the pod template's labels, inserted before `template:`.
fn add_selector(spec: &Node<'_>, text: &str) -> Option<Edit> {
    if is_flow(spec, text) {
        return None;
    }
    let template_key = &spec.entry("template")?.key;
    let labels = spec.path(&["template", "metadata", "labels"])?;
    if labels.entries().is_empty() {
        return None;
    }
    let indent = column(text, template_key.span.start);
    let pad = |n: usize| " ".repeat(n);
    let nl = newline(text);
    let mut insert = format!("selector:{nl}{}matchLabels:", pad(indent + 2));
    if is_flow(labels, text) {
        insert.push(' ');
        insert.push_str(slice(text, labels.span));
        insert.push_str(nl);
    } else {
        insert.push_str(nl);
        for entry in labels.entries() {
            let value = slice(text, entry.value.span);
            insert.push_str(&format!("{}{}: {value}{nl}", pad(indent + 4), slice(text, entry.key.span)));
        }
    }
    insert.push_str(&pad(indent));
    Some(Edit { start: template_key.span.start, end: template_key.span.start, replacement: insert })
}

/// networking.k8s.io/v1: `backend` under spec becomes `defaultBackend`; every backend's
/// `serviceName`/`servicePort` become `service.name` and `service.port.number` (or `.name` for a
/// named port); every path gets `pathType: ImplementationSpecific`, which keeps the old matching.
fn ingress_edits(spec: &crate::yaml::Entry<'_>, text: &str) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    if let Some(default) = spec.value.entry("backend") {
        edits.push(Edit {
            start: default.key.span.start,
            end: default.key.span.end,
            replacement: "defaultBackend".into(),
        });
        edits.push(backend_edit(&default.value, text)?);
    }
    for rule in spec.value.get("rules").map(Node::items).unwrap_or(&[]) {
        for path in rule.path(&["http", "paths"]).map(Node::items).unwrap_or(&[]) {
            let backend = path.entry("backend")?;
            edits.push(backend_edit(&backend.value, text)?);
            if path.get("pathType").is_none() {
                let replacement = if is_flow(path, text) {
                    "pathType: ImplementationSpecific, ".to_string()
                } else {
                    let indent = " ".repeat(column(text, backend.key.span.start));
                    format!("pathType: ImplementationSpecific{}{indent}", newline(text))
                };
                edits.push(Edit { start: backend.key.span.start, end: backend.key.span.start, replacement });
            }
        }
    }
    Some(edits)
}

fn backend_edit(backend: &Node<'_>, text: &str) -> Option<Edit> {
    let name = backend.entry("serviceName")?;
    let port = backend.entry("servicePort")?;
    // Anything else in the backend (a `resource`) would be lost by the rewrite: leave it to a human.
    if backend.entries().len() != 2 {
        return None;
    }
    let port_field = if port.value.as_i64().is_some() { "number" } else { "name" };
    let (name_text, port_text) = (slice(text, name.value.span), slice(text, port.value.span));
    if is_flow(backend, text) {
        let replacement = format!("{{service: {{name: {name_text}, port: {{{port_field}: {port_text}}}}}}}");
        return Some(Edit { start: backend.span.start, end: backend.span.end, replacement });
    }
    let first = name.key.span.start.min(port.key.span.start);
    let last = name.value.span.end.max(port.value.span.end);
    let indent = column(text, first);
    let pad = |n: usize| " ".repeat(n);
    let nl = newline(text);
    // Comments inside the rewritten range go with what they annotate: a comment ending the line
    // of a value follows that value's new line; one on a line of its own goes above `service:`.
    // The comment after the range's last value lies outside the edit and stays where it is.
    let inline = |value: Span| if value.end < last { trailing_comment(text, value.end) } else { "" };
    let above: String = own_line_comments(text, first, last).map(|c| format!("{c}{nl}{}", pad(indent))).collect();
    let replacement = format!(
        "{above}service:{nl}{}name: {name_text}{}{nl}{}port:{nl}{}{port_field}: {port_text}{}",
        pad(indent + 2),
        inline(name.value.span),
        pad(indent + 2),
        pad(indent + 4),
        inline(port.value.span),
    );
    Some(Edit { start: first, end: last, replacement })
}

/// The comment ending the line at `offset` (with the spaces before it), or "".
fn trailing_comment(text: &str, offset: u32) -> &str {
    let rest = &text[offset as usize..];
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    if line.trim_start().starts_with('#') { line.trim_end() } else { "" }
}

/// Comments on lines of their own between `start` and `end`.
fn own_line_comments(text: &str, start: u32, end: u32) -> impl Iterator<Item = &str> {
    text[start as usize..end as usize].lines().skip(1).map(str::trim).filter(|line| line.starts_with('#'))
}
