use super::{Category, Context, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::schema::{Issue, TypeHint};

pub static META: RuleMeta = RuleMeta {
    id: "invalid-type",
    severity: Severity::Error,
    category: Category::Schema,
    summary: "A value of the wrong type: a quoted number, an unquoted env value, a list for a map",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-type.md"),
    ..RuleMeta::DEFAULTS
};

pub fn report(issue: &Issue, cx: &mut Context<'_>) {
    let Issue::InvalidType { value, field, expected, found, hint } = issue else { return };
    let help = match hint {
        TypeHint::QuotedNumber => Some("remove the quotes: a quoted number is a string in YAML".to_string()),
        TypeHint::NeedsQuotes => {
            Some("quote it: YAML reads an unquoted number or boolean as one, not as text".to_string())
        }
        TypeHint::YamlBoolean => {
            Some("quote it: Kubernetes reads YAML 1.1, where yes/no/on/off/y/n are booleans, not text".to_string())
        }
        TypeHint::None => None,
    };
    let reported = cx.report(&META, *value, format!("{field} must be {expected}, not {found}"));
    if let Some(help) = help {
        reported.help(help);
    }
}
