use super::common::migration::migration_fix;
use super::removed_api::{lifecycle, replacement_clause};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::deprecations::ApiStatus;
use crate::object::Object;

pub struct DeprecatedApi;

pub static DEPRECATED_API: RuleMeta = RuleMeta {
    id: "deprecated-api",
    severity: Severity::Warning,
    category: Category::Api,
    summary: "The apiVersion is deprecated in the target Kubernetes version and will be removed",
    fix: FixAvailability::Mixed,
    doc: include_str!("../../rules/deprecated-api.md"),
    ..RuleMeta::DEFAULTS
};

impl Rule for DeprecatedApi {
    fn meta(&self) -> &'static RuleMeta {
        &DEPRECATED_API
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if let Some((ApiStatus::Deprecated(entry), span)) = lifecycle(object, cx.target()) {
            let removal = match entry.removed_in {
                Some(v) => format!(" and is removed in {v}"),
                None => String::new(),
            };
            let since = entry.deprecated_in.map_or_else(String::new, |v| format!(" since Kubernetes {v}"));
            let message = format!(
                "{} {} is deprecated{since}{removal}{}",
                entry.api_version,
                entry.kind,
                replacement_clause(entry, cx.target())
            );
            let fix = migration_fix(entry, object, cx.target(), cx.text);
            let note = entry.note_at(cx.target());
            let reported = cx.report(&DEPRECATED_API, span, message);
            reported.help(note);
            if let Some(fix) = fix {
                reported.fix(fix);
            }
        }
    }
}
