use super::common::links::{MissingName, is_placeholder, report_missing_name};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::references::{
    CLUSTER_ROLE_BINDING_SUBJECT, ROLE_BINDING_SUBJECT, SERVICE_ACCOUNT_ALIAS, SERVICE_ACCOUNT_NAME, Target,
};
use crate::index::{IndexView, ObjectClass, ObjectId, Reference};

pub struct MissingServiceAccount;

static META: RuleMeta = RuleMeta {
    id: "missing-service-account",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "A pod runs as, or a binding grants to, a ServiceAccount that is not in the run",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-service-account.md"),
    scope: Scope::Run,
    // The references are in pod specs; without this their objects would not enter the index.
    needs: &[ObjectClass::Pods],
    references: &[&SERVICE_ACCOUNT_NAME, &SERVICE_ACCOUNT_ALIAS, &ROLE_BINDING_SUBJECT, &CLUSTER_ROLE_BINDING_SUBJECT],
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
                let consequence = "the controller cannot create the pods (the API server rejects them)";
                check(index, cx, pod, reference, name, &[namespace], consequence);
            },
        );
        let mut bindings = index.subjects("RoleBinding");
        bindings.extend(index.subjects("ClusterRoleBinding"));
        cx.each(
            &bindings,
            || (),
            |binding, _, cx| {
                let object = index.object(binding);
                let subjects = object
                    .references_of(&ROLE_BINDING_SUBJECT)
                    .chain(object.references_of(&CLUSTER_ROLE_BINDING_SUBJECT));
                for reference in subjects {
                    let Target::Object { kind, name, namespace } = &reference.target else { continue };
                    if kind != "ServiceAccount" {
                        continue;
                    }
                    // A RoleBinding's subject without a namespace is in the binding's; a
                    // ClusterRoleBinding's must write one (the API server's refusal otherwise). A
                    // kustomization that moves the binding may move the subject with it, so the
                    // binding's namespace is looked in too.
                    let written = match (namespace.as_deref(), object.kind()) {
                        (Some(ns), _) => Some(ns),
                        (None, Some("RoleBinding")) => object.namespace(),
                        (None, _) => continue,
                    };
                    let Some(written) = written else { continue };
                    let namespaces = [Some(written), object.namespace().filter(|&ns| ns != written)];
                    let consequence = "the binding grants its role to no one";
                    check(index, cx, binding, reference, name, &namespaces, consequence);
                }
            },
        );
    }
}

/// Reports a ServiceAccount `name` that none of `namespaces` (the first the reference means,
/// any other where it may be after a kustomization) holds.
fn check(
    index: &IndexView<'_>,
    cx: &mut RunRuleContext<'_>,
    subject: ObjectId,
    reference: &Reference,
    name: &str,
    namespaces: &[Option<&str>],
    consequence: &str,
) {
    // Every namespace has its `default` ServiceAccount, which an empty name also means.
    let exists = |ns: &Option<&str>| !index.named("ServiceAccount", *ns, name).is_empty();
    if name.is_empty() || name == "default" || is_placeholder(name) || namespaces.iter().any(exists) {
        return;
    }
    let missing =
        MissingName { rule: &META, kind: "ServiceAccount", name, consequence, remedy: "suppress the finding" };
    report_missing_name(index, cx, subject, namespaces.first().copied().flatten(), reference, missing);
}
