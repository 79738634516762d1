use super::common::migration::migration_fix;
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::deprecations::{ApiLifecycle, ApiStatus, status_at};
use crate::k8s::version::KubeVersion;
use crate::object::Object;

/// `removed-api` and `deprecated-api` (its own file) split one decision over the same table;
/// the lookup is shared from here.
pub struct RemovedApi;

pub static REMOVED_API: RuleMeta = RuleMeta {
    id: "removed-api",
    severity: Severity::Error,
    category: Category::Api,
    summary: "The apiVersion is no longer served by the target Kubernetes version",
    fix: FixAvailability::Mixed,
    doc: include_str!("../../rules/removed-api.md"),
    ..RuleMeta::DEFAULTS
};

impl Rule for RemovedApi {
    fn meta(&self) -> &'static RuleMeta {
        &REMOVED_API
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if let Some((ApiStatus::Removed(entry), span)) = lifecycle(object, cx.target()) {
            let message = format!(
                "{} {} was removed in Kubernetes {}{}",
                entry.api_version,
                entry.kind,
                entry.removed_in.map_or_else(|| "?".into(), |v| v.to_string()),
                replacement_clause(entry, cx.target())
            );
            let fix = migration_fix(entry, object, cx.target(), cx.text);
            let note = entry.note_at(cx.target());
            let reported = cx.report(&REMOVED_API, span, message);
            reported.help(note);
            if let Some(fix) = fix {
                reported.fix(fix);
            }
        }
    }
}

pub(super) fn lifecycle(object: &Object<'_, '_>, target: KubeVersion) -> Option<(ApiStatus, crate::yaml::Span)> {
    let (api_version, kind) = (object.api_version?, object.kind?);
    let span = object.root.get("apiVersion")?.span;
    status_at(api_version, kind, target).map(|status| (status, span))
}

pub(super) fn replacement_clause(entry: &ApiLifecycle, target: KubeVersion) -> String {
    match entry.replacement_at(target) {
        Some(to) => format!("; use {to}"),
        None => "; it has no replacement".to_string(),
    }
}
