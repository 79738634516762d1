use super::{Category, Context, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::finding::{Applicability, Fix};
use crate::schema::Issue;
use crate::yaml::Span;

pub static META: RuleMeta = RuleMeta {
    id: "field-case",
    severity: Severity::Error,
    category: Category::Schema,
    summary: "A field name, kind or enum value is right but for its case",
    fix: FixAvailability::Safe,
    doc: include_str!("../../rules/field-case.md"),
    ..RuleMeta::DEFAULTS
};

/// Quoted scalars keep their quotes: only the text between them is replaced.
fn inner(span: Span, quoted: bool) -> Span {
    if quoted && span.end >= span.start + 2 { Span::new(span.start + 1, span.end - 1) } else { span }
}

pub fn report(issue: &Issue, cx: &mut Context<'_>) {
    match issue {
        Issue::KeyCase { key, written, canonical, quoted } => {
            cx.report(&META, *key, format!("unknown field `{written}`; did you mean `{canonical}`?"))
                .help(format!(
                    "field names are case-sensitive: Kubernetes rejects `{written}`, or drops it without a word"
                ))
                .fix(Fix::replace(Applicability::Safe, inner(*key, *quoted), canonical.clone()));
        }
        Issue::ValueCase { value, written, canonical, field, quoted } => {
            let message = match field.as_str() {
                "kind" => format!("unknown kind `{written}`; did you mean `{canonical}`?"),
                "apiVersion" => format!("unknown apiVersion `{written}`; did you mean `{canonical}`?"),
                _ => format!("`{written}` is not a valid {field}; did you mean `{canonical}`?"),
            };
            cx.report(&META, *value, message).help(format!("{field} values are case-sensitive")).fix(Fix::replace(
                Applicability::Safe,
                inner(*value, *quoted),
                canonical.clone(),
            ));
        }
        _ => {}
    }
}
