//! A ValidatingAdmissionPolicy's CEL expression that does not compile. The API server accepts
//! the policy (it reports type errors in the policy's status) and then fails every request the
//! expression would judge, or lets them all through with `failurePolicy: Ignore`.
use super::{Category, Context, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;

pub static META: RuleMeta = RuleMeta {
    id: "admission-policy-invalid",
    severity: Severity::Error,
    category: Category::AdmissionPolicy,
    summary: "A ValidatingAdmissionPolicy's CEL expression does not compile",
    doc: include_str!("../../rules/admission-policy-invalid.md"),
    ..RuleMeta::DEFAULTS
};

pub struct AdmissionPolicyInvalid;

impl Rule for AdmissionPolicyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        if !crate::admission::load::is_policy(object) {
            return;
        }
        let Some(policies) = cx.run.policies.clone() else { return };
        let Some(file) = cx.file.clone() else { return };
        for failure in policies.failures_in(&file, object.root.span) {
            let message = format!("{} does not compile: {}", failure.field, failure.message);
            cx.report(&META, failure.expr.span, message).help(format!(
                "ValidatingAdmissionPolicy `{}`: until it compiles, the API server fails every request the policy matches (failurePolicy Fail) or admits them unchecked (Ignore)",
                failure.policy
            ));
        }
    }
}
