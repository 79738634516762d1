use super::{Category, Context, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::schema::{Issue, Placement};

pub static META: RuleMeta = RuleMeta {
    id: "unknown-field",
    severity: Severity::Error,
    category: Category::Schema,
    summary: "A field that the object's schema does not have (a typo, or a field at the wrong depth)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/unknown-field.md"),
    ..RuleMeta::DEFAULTS
};

pub fn report(issue: &Issue, cx: &mut Context<'_>) {
    let Issue::UnknownField { key, name, parent, suggestion, placement } = issue else { return };
    let message = match (placement, suggestion) {
        (Some(Placement::Under(under)), _) => {
            format!("`{name}` is not a field of {}; it belongs under `{under}`", article(parent))
        }
        (Some(Placement::Beside(beside)), _) => {
            format!("`{name}` is not a field of {}; it belongs one level up, beside `{beside}`", article(parent))
        }
        (None, Some(s)) => format!("unknown field `{name}` in {parent}; did you mean `{s}`?"),
        (None, None) => format!("unknown field `{name}` in {parent}"),
    };
    let help = if cx.provenance.kustomization_file.is_some() {
        "kustomize refuses a kustomization with an unknown field, so the build fails"
    } else {
        "the API server rejects unknown fields under strict validation (kubectl's default), and drops them silently otherwise"
    };
    cx.report(&META, *key, message).help(help);
}

/// "a Pod", "an Ingress".
fn article(noun: &str) -> String {
    let vowel = noun.chars().next().is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}
