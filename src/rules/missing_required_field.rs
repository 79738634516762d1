use super::{Category, Context, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::schema::Issue;

pub static META: RuleMeta = RuleMeta {
    id: "missing-required-field",
    severity: Severity::Error,
    category: Category::Schema,
    summary: "A field the API requires is absent (a container's `name`, a Deployment's `spec.selector`)",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-required-field.md"),
    ..RuleMeta::DEFAULTS
};

pub fn report(issue: &Issue, cx: &mut Context<'_>) {
    let Issue::MissingRequired { at, property, parent } = issue else { return };
    cx.report(&META, *at, format!("{parent} is missing the required field `{property}`"));
}
