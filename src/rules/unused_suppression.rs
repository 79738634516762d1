use super::common::links::quoted_list;
use super::{Category, FixAvailability, RuleMeta};
use crate::finding::Severity;

/// Raised by the suppression stage (`src/suppress.rs`) once every finding of a file is known.
pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    id: "unused-suppression",
    severity: Severity::Warning,
    category: Category::Suppression,
    summary: "A suppression comment or annotation silences nothing, names an unknown rule, or is malformed",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/unused-suppression.md"),
    ..RuleMeta::DEFAULTS
};

/// What a suppression covers, as messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `ignore[…]`: the node that starts on its line.
    Node,
    /// `disable[…]`: up to its `enable[…]` or the end of the document.
    Range,
    /// `file-ignore[…]`.
    File,
    /// An annotation: its object.
    Object,
}

impl Scope {
    fn kind(self) -> &'static str {
        if self == Scope::Object { "annotation" } else { "suppression" }
    }
}

/// What is wrong with a suppression. `suppress` finds these; this file words them.
#[derive(Debug)]
pub enum Complaint<'d> {
    /// It names rules that report nothing where it applies; `all` stands for every rule.
    Unused {
        label: &'d str,
        scope: Scope,
        rules: &'d [&'static str],
        named: usize,
    },
    UnknownRule {
        label: &'d str,
        scope: Scope,
        id: &'d str,
        suggestion: Option<&'static str>,
    },
    /// A `podlint:` comment that is not a directive podlint understands.
    Malformed {
        reason: &'d str,
    },
    /// `enable[…]` for rules with no `disable[…]` open before it in the document.
    NothingToEnable {
        label: &'d str,
        rules: &'d [&'static str],
    },
}

impl Complaint<'_> {
    /// The message and the help of the finding.
    pub fn describe(&self) -> (String, String) {
        match *self {
            Complaint::Unused { label, scope, rules, named } => {
                let place = match scope {
                    Scope::Node => "in the node it covers",
                    Scope::Range => "in its range",
                    Scope::File => "in this file",
                    Scope::Object => "in this object",
                };
                let what = if rules == ["all"] {
                    "there is no finding".to_string()
                } else {
                    format!("there is no {} finding", quoted_list(rules, "or"))
                };
                let help = if rules.len() < named {
                    format!("remove {} from it", quoted_list(rules, "and"))
                } else if scope == Scope::Object {
                    "remove the annotation".to_string()
                } else {
                    "remove the comment".to_string()
                };
                let message = if rules.len() < named {
                    let ids = quoted_list(rules, "and");
                    let verb = if rules.len() == 1 { "suppresses" } else { "suppress" };
                    format!("{ids} in {} `{label}` {verb} nothing: {what} {place}", scope.kind())
                } else {
                    format!("{} `{label}` suppresses nothing: {what} {place}", scope.kind())
                };
                (message, help)
            }
            Complaint::UnknownRule { label, scope, id, suggestion } => {
                let message = format!("unknown rule `{id}` in {} `{label}`", scope.kind());
                let help = match (suggestion, scope) {
                    (Some(s), _) => format!("did you mean `{s}`? `podlint rules` lists the rule ids"),
                    (None, Scope::Object) if id == "all" => {
                        "to ignore every rule for this object, use the annotation `podlint.dev/ignore-all`".to_string()
                    }
                    (None, _) => "`podlint rules` lists the rule ids".to_string(),
                };
                (message, help)
            }
            Complaint::Malformed { reason } => (
                format!("malformed suppression comment: {reason}"),
                "write `# podlint: ignore[rule-id] -- reason`, or `disable[…]`, `enable[…]`, `file-ignore[…]`; \
                 `[all]` names every rule"
                    .to_string(),
            ),
            Complaint::NothingToEnable { label, rules } => (
                format!(
                    "`{label}` ends no range: there is no `disable` of {} open before it in this document",
                    quoted_list(rules, "or")
                ),
                "remove it, or put the matching `disable[…]` above the lines it should cover".to_string(),
            ),
        }
    }
}
