use super::{Category, Context, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::schema::Issue;

pub static META: RuleMeta = RuleMeta {
    id: "invalid-value",
    severity: Severity::Error,
    category: Category::Schema,
    summary: "A value the API server rejects: an unknown enum value, a port out of range, a malformed name or label",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-value.md"),
    ..RuleMeta::DEFAULTS
};

pub fn report(issue: &Issue, cx: &mut Context<'_>) {
    let Issue::InvalidValue { value, reason, help, .. } = issue else { return };
    let reported = cx.report(&META, *value, reason.clone());
    if let Some(help) = help {
        reported.help(help.clone());
    }
}
