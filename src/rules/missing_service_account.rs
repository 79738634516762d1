use super::common::links::{MissingName, is_placeholder, report_missing_name};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{SERVICE_ACCOUNT_ALIAS, SERVICE_ACCOUNT_NAME, Target};
use crate::index::{IndexView, ObjectClass};

pub struct MissingServiceAccount;

static META: RuleMeta = RuleMeta {
    id: "missing-service-account",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "A pod runs as a ServiceAccount that is not in the run",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-service-account.md"),
    scope: Scope::Run,
    // The references are in pod specs; without this their objects would not enter the index.
    needs: &[ObjectClass::Pods],
    references: &[&SERVICE_ACCOUNT_NAME, &SERVICE_ACCOUNT_ALIAS],
    ..RuleMeta::DEFAULTS
};

impl Rule for MissingServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        let pods = index.pod_subjects();
        cx.each(
            &pods,
            || (),
            |pod, _, cx| {
                let object = index.object(pod);
                let namespace = object.namespace();
                // `serviceAccountName` wins over its deprecated alias when both are written.
                let reference = object
                    .references_of(&SERVICE_ACCOUNT_NAME)
                    .next()
                    .or_else(|| object.references_of(&SERVICE_ACCOUNT_ALIAS).next());
                let Some(reference) = reference else { return };
                let Target::Name(name) = &reference.target else { return };
                // Every namespace has its `default` ServiceAccount, which an empty name also means.
                if name.is_empty()
                    || name == "default"
                    || is_placeholder(name)
                    || !index.named("ServiceAccount", namespace, name).is_empty()
                {
                    return;
                }
                let missing = MissingName {
                    rule: &META,
                    kind: "ServiceAccount",
                    name,
                    consequence: "the controller cannot create the pods (the API server rejects them)",
                    remedy: "suppress the finding",
                };
                report_missing_name(index, cx, pod, namespace, reference, missing);
            },
        );
    }
}
