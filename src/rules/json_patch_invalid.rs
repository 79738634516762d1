//! A JSON 6902 patch file a kustomization lists, checked as what it is: a list of RFC 6902
//! operations, each with an `op`, a `path` that is a JSON pointer, a `value` where the
//! operation writes one and a `from` where it moves or copies.
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::kustomize::is_json_patch;
use crate::object::Object;
use crate::suggest::closest;
use crate::yaml::{Node, Value};

pub struct JsonPatchInvalid;

static META: RuleMeta = RuleMeta {
    id: "json-patch-invalid",
    severity: Severity::Error,
    category: Category::Syntax,
    summary: "A JSON 6902 patch a kustomization lists is not a valid list of RFC 6902 operations",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/json-patch-invalid.md"),
    ..RuleMeta::DEFAULTS
};

const OPERATIONS: &[&str] = &["add", "remove", "replace", "move", "copy", "test"];
const FIELDS: &[&str] = &["op", "path", "value", "from"];

impl Rule for JsonPatchInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(role) = cx.provenance.kustomize.as_ref().map(|k| k.role) else { return };
        let root = object.root;
        if !is_json_patch(root, role) {
            return;
        }
        let Some(operations) = root.as_sequence() else {
            cx.report(&META, root.span, format!("a JSON 6902 patch is a list of operations, not {}", root.type_name()));
            return;
        };
        for operation in operations {
            check_operation(operation, cx);
        }
    }
}

fn check_operation(operation: &Node<'_>, cx: &mut Context<'_>) {
    let Value::Mapping(entries) = &operation.value else {
        cx.report(
            &META,
            operation.span,
            format!("an operation is a mapping with `op` and `path`, not {}", operation.type_name()),
        );
        return;
    };
    for entry in entries {
        let Some(key) = entry.key.scalar_text() else { continue };
        if !FIELDS.contains(&key) {
            let reported =
                cx.report(&META, entry.key.span, format!("`{key}` is not a field of a JSON patch operation"));
            match closest(key, FIELDS.iter().copied()) {
                Some(meant) => {
                    reported.help(format!("did you mean `{meant}`? an operation has op, path, value and from"))
                }
                None => reported.help("an operation has op, path, value and from"),
            };
        }
    }
    let field = |name: &str| entries.iter().find(|e| e.key.scalar_text() == Some(name));
    let Some(op) = field("op") else {
        cx.report(&META, operation.span, "the operation has no `op`")
            .help(format!("`op` is one of {}", OPERATIONS.join(", ")));
        return;
    };
    let Some(name) = op.value.as_str().filter(|o| OPERATIONS.contains(o)) else {
        let written = op.value.scalar_text().unwrap_or_default();
        let reported = cx.report(&META, op.value.span, format!("`{written}` is not a JSON patch operation"));
        match closest(written, OPERATIONS.iter().copied()) {
            Some(meant) => reported.help(format!("did you mean `{meant}`? `op` is one of {}", OPERATIONS.join(", "))),
            None => reported.help(format!("`op` is one of {}", OPERATIONS.join(", "))),
        };
        return;
    };
    let anchor = op.key.span;
    for (pointer, needed) in [("path", true), ("from", matches!(name, "move" | "copy"))] {
        match field(pointer) {
            None if needed => {
                cx.report(&META, anchor, format!("the `{name}` operation needs `{pointer}`"));
            }
            Some(entry) => match entry.value.as_str() {
                Some(p) if p.is_empty() || p.starts_with('/') => {}
                Some(p) => {
                    cx.report(
                        &META,
                        entry.value.span,
                        format!("`{pointer}` must be a JSON pointer starting with `/`, not `{p}`"),
                    )
                    .help(format!("write `/{}`, with `/` between the keys and list indices", p.replace('.', "/")));
                }
                None => {
                    cx.report(
                        &META,
                        entry.value.span,
                        format!("`{pointer}` must be a JSON pointer string, not {}", entry.value.type_name()),
                    );
                }
            },
            None => {}
        }
    }
    if matches!(name, "add" | "replace" | "test") && field("value").is_none() {
        cx.report(&META, anchor, format!("the `{name}` operation needs `value`"));
    }
}
