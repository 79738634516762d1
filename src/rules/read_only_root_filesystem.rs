use super::{Category, Context, FixAvailability, Rule, RuleMeta, Status};
use crate::finding::{Edit, Fix, Severity};
use crate::object::{Container, ContainerKind, Object};
use crate::yaml::{Entry, Node, ScalarStyle, Span};

pub struct ReadOnlyRootFilesystem;

static META: RuleMeta = RuleMeta {
    id: "read-only-root-filesystem",
    severity: Severity::Warning,
    category: Category::Hardening,
    status: Status::OptIn,
    summary: "A container can write to its root filesystem (`securityContext.readOnlyRootFilesystem` is not true)",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../rules/read-only-root-filesystem.md"),
    whole_object: true,
    ..RuleMeta::DEFAULTS
};

const KEY: &str = "readOnlyRootFilesystem";

impl Rule for ReadOnlyRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(template) = object.pod_template() else { return };
        // Windows containers cannot have a read-only root filesystem: the API rejects the field.
        let os = template.spec().path(&["os", "name"]).and_then(Node::scalar_text);
        if os.is_some_and(|os| os.eq_ignore_ascii_case("windows")) {
            return;
        }
        for container in template.containers() {
            // Debug containers are added by hand to look around, often by writing tools.
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            let context = container.node.entry("securityContext");
            let setting = context.and_then(|c| c.value.entry(KEY));
            if setting.is_some_and(|s| s.value.as_bool() == Some(true)) {
                continue;
            }
            let span = match (setting, context) {
                (Some(s), _) => s.key.span.to(s.value.span),
                (None, Some(c)) => c.key.span,
                (None, None) => container.anchor(),
            };
            // As written, quotes included: `"true"` is a string, not true.
            let written = setting.and_then(|s| cx.text.get(s.value.span.start as usize..s.value.span.end as usize));
            let what = match written.filter(|w| !w.is_empty() && !w.contains('\n')) {
                Some(value) => format!("sets `readOnlyRootFilesystem: {value}`"),
                None => "does not set `securityContext.readOnlyRootFilesystem: true`".to_string(),
            };
            let fix = fix(cx.text, &container, context, setting);
            let finding = cx
                .report(
                    &META,
                    span,
                    format!("{} {what}: whoever gets into it can change its programs and files", container.describe()),
                )
                .help(
                    "set `securityContext.readOnlyRootFilesystem: true`, and mount an `emptyDir` volume where the \
                     program writes (such as `/tmp`)",
                );
            if let Some(fix) = fix {
                finding.fix(fix);
            }
        }
    }
}

/// Unsafe: a program that writes outside its volumes fails once the root filesystem is read-only.
/// Only block-style YAML is edited, where the new line's indentation is the one beside it.
fn fix(
    text: &str,
    container: &Container<'_, '_>,
    context: Option<&Entry<'_>>,
    setting: Option<&Entry<'_>>,
) -> Option<Fix> {
    if let Some(setting) = setting {
        // The whole value is replaced, quotes included: `"true"` is a string the API rejects.
        let scalar = setting.value.as_scalar()?;
        let inline = matches!(scalar.style, ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
        let span = setting.value.span;
        // An empty value's span is a point; writing `true` there could join it to the colon.
        return (inline && !setting.merged && !setting.value.is_null())
            .then(|| Fix::unsafe_(vec![Edit { start: span.start, end: span.end, replacement: "true".into() }]));
    }
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match context {
        Some(context) => {
            // Entries a `<<` merge brings in are written elsewhere.
            if context.merged || context.value.entries().iter().any(|e| e.merged) {
                return None;
            }
            // `securityContext: {}` is written out in full.
            let span = context.value.span;
            if text.get(span.start as usize..span.end as usize) == Some("{}") {
                let replacement = format!("{{{KEY}: true}}");
                return Some(Fix::unsafe_(vec![Edit { start: span.start, end: span.end, replacement }]));
            }
            let first = context.value.entries().first()?;
            let indent = own_line_indent(text, first.key.span)?;
            let line = format!("{KEY}: true{nl}{}", " ".repeat(indent));
            Some(Fix::unsafe_(vec![Edit { start: first.key.span.start, end: first.key.span.start, replacement: line }]))
        }
        None => {
            // After the container's `name:` line, at the indentation of its keys.
            let name = container.node.entry("name").filter(|e| !e.merged)?;
            let indent = key_indent(text, name.key.span)?;
            let end = line_end(text, name.value.span.end)?;
            let pad = " ".repeat(indent);
            let lines = format!("{nl}{pad}securityContext:{nl}{pad}  {KEY}: true");
            Some(Fix::unsafe_(vec![Edit { start: end, end, replacement: lines }]))
        }
    }
}

/// The column of a key that starts its line (only spaces before it), else `None`: a key in a flow
/// mapping or after `- ` is left alone.
fn own_line_indent(text: &str, key: Span) -> Option<usize> {
    let before = text.get(..key.start as usize)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = &before[line_start..];
    prefix.bytes().all(|b| b == b' ').then_some(prefix.len())
}

/// The column of a block mapping's key, also when `- ` opens its list item on the same line.
fn key_indent(text: &str, key: Span) -> Option<usize> {
    let before = text.get(..key.start as usize)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = &before[line_start..];
    let blank_or_dash = prefix.trim_start_matches(' ').trim_end_matches(' ');
    (blank_or_dash.is_empty() || blank_or_dash == "-").then_some(prefix.len())
}

/// Where the line holding `offset` ends (before its line break), when what follows the value
/// on that line is only blanks or a comment: then a new line can go there.
fn line_end(text: &str, offset: u32) -> Option<u32> {
    let rest = text.get(offset as usize..)?;
    let len = rest.find(['\r', '\n']).unwrap_or(rest.len());
    let tail = rest[..len].trim_start();
    (tail.is_empty() || tail.starts_with('#')).then_some(offset + len as u32)
}
