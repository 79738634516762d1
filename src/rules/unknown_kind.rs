use super::{Category, Context, FixAvailability, RuleMeta};
use crate::finding::Severity;
use crate::schema::{Issue, KindNote};

pub static META: RuleMeta = RuleMeta {
    id: "unknown-kind",
    severity: Severity::Warning,
    category: Category::Schema,
    summary: "No schema describes this apiVersion and kind, so the object is not validated",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/unknown-kind.md"),
    ..RuleMeta::DEFAULTS
};

pub fn report(issue: &Issue, cx: &mut Context<'_>) {
    let Issue::UnknownKind { at, api_version, kind, note } = issue else { return };
    let target = cx.target();
    let (message, help) = match note {
        KindNote::ServedAs(others) => {
            (format!("{api_version} {kind} does not exist in Kubernetes {target}; use {}", others.join(" or ")), None)
        }
        KindNote::OnlyIn(versions) => (
            format!("{api_version} {kind} is not served by Kubernetes {target}; it exists in {}", span_of(versions)),
            None,
        ),
        KindNote::NoCrd => (
            format!("no schema for {api_version} {kind}: its CustomResourceDefinition is not among the linted files"),
            Some(
                "lint the CRD together with its resources, or pass --schema-location with a folder of JSON schemas (such as a copy of the CRDs-catalog)",
            ),
        ),
        KindNote::Unknown => {
            (format!("no schema for {api_version} {kind}: Kubernetes {target} has no such kind"), None)
        }
    };
    let reported = cx.report(&META, *at, message);
    if let Some(help) = help {
        reported.help(help);
    }
}

/// "1.24–1.26" for a contiguous run, else the list.
fn span_of(versions: &[String]) -> String {
    match versions {
        [] => String::new(),
        [one] => one.clone(),
        [first, .., last] => format!("{first}–{last}"),
    }
}
