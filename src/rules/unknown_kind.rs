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
        KindNote::NoCrd { nearest_group: Some(group) } => {
            let version = api_version.rsplit_once('/').map_or("", |(_, v)| v);
            (
                format!("no schema for {api_version} {kind}: no CRD among the linted files defines its group, nor do podlint's built-in schemas"),
                Some(format!("did you mean apiVersion `{group}/{version}`?")),
            )
        }
        KindNote::NoCrd { nearest_group: None } => (
            format!("no schema for {api_version} {kind}: its CustomResourceDefinition is not among the linted files, and its group is not built in"),
            Some(
                "lint the CRD together with its resources, or pass --schema-location with a folder or URL of JSON schemas (such as the CRDs-catalog's); `podlint schemas` lists the groups built in".to_string(),
            ),
        ),
        KindNote::OtherVersions { project, versions } => (
            format!("no schema for {api_version} {kind}: the built-in {project} schemas have {kind} as {}", quoted_versions(api_version, versions)),
            Some("this version may be gone from the CRD; if your cluster still serves it, lint the CRD with the resources, or pass --schema-location".to_string()),
        ),
        KindNote::NotInGroup { project, nearest } => {
            let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
            let message = format!("no schema for {api_version} {kind}: the built-in {project} schemas of {group} have no kind {kind}");
            let help = match nearest {
                Some(nearest) => format!("did you mean kind `{nearest}`?"),
                None => "lint the CRD together with its resources, or pass --schema-location".to_string(),
            };
            (message, Some(help))
        }
        KindNote::Unknown => {
            (format!("no schema for {api_version} {kind}: Kubernetes {target} has no such kind"), None)
        }
    };
    let reported = cx.report(&META, *at, message);
    if let Some(help) = help {
        reported.help(help);
    }
}

/// `cert-manager.io/v1` (and others), as apiVersions of the group.
fn quoted_versions(api_version: &str, versions: &[String]) -> String {
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let listed: Vec<String> = versions.iter().map(|v| format!("`{group}/{v}`")).collect();
    match listed.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
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
