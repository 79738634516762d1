//! invalid-pod-spec: what the API server refuses in a pod spec beyond its schema, in every
//! pod template: the checks of `ValidatePodSpec` (src/rules/common/pod_validation.rs) and the
//! restart policy each owner allows (apps and batch validation).
use super::common::pod_validation::{PodSpecCheck, spec_path, text};
use super::common::validation::{FieldError, FieldPath, Val, refuse};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;

pub struct InvalidPodSpec;

static META: RuleMeta = RuleMeta {
    id: "invalid-pod-spec",
    severity: Severity::Error,
    category: Category::Validation,
    summary: "A pod spec the API server refuses: duplicate names, references to undeclared volumes, conflicting fields, a restart policy its owner does not allow",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/invalid-pod-spec.md"),
    // Volume references and defaulted restart policies are judged on the whole pod: a patch
    // names only what it changes.
    whole_object: true,
    ..RuleMeta::DEFAULTS
};

impl Rule for InvalidPodSpec {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        let Some(base) = spec_path(object) else { return };
        let Some(template) = object.pod_template() else { return };
        let spec = template.spec();
        restart_policy(object, &base, cx);
        let check = PodSpecCheck { spec, base, target: cx.target(), out: Vec::new() };
        for refusal in check.run() {
            refuse(cx, &META, refusal.span, &refusal.error, refusal.help);
        }
    }
}

/// The restart policies an owner allows: controllers that keep pods running take only
/// `Always` (`ValidatePodTemplateSpecForReplicaSet`, `ValidatePodTemplateSpecForStatefulSet`,
/// the DaemonSet's and ReplicationController's), Jobs only `OnFailure` and `Never`
/// (`validateJobSpec`). A missing policy is defaulted to `Always` before validation, so a Job
/// without one is refused as `"Always"`.
fn restart_policy(object: &Object<'_, '_>, base: &FieldPath, cx: &mut Context<'_>) {
    let allowed: &[&str] = match object.kind {
        Some("Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Rollout") => {
            &["Always"]
        }
        Some("Job" | "CronJob") => &["OnFailure", "Never"],
        _ => return,
    };
    let Some(template) = object.pod_template() else { return };
    let path = base.child("restartPolicy");
    let written = template.spec().entry("restartPolicy").filter(|e| !e.value.is_null());
    let (value, span) = match written {
        Some(entry) => {
            let Some(value) = text(&entry.value) else { return };
            (value, entry.value.span)
        }
        None => ("Always", template.spec_entry.key.span),
    };
    // An unknown or miscased value is invalid-value's finding.
    if allowed.contains(&value) || !["Always", "OnFailure", "Never"].contains(&value) {
        return;
    }
    let error = FieldError::unsupported(path, Val::str(value), allowed);
    let kind = object.kind.unwrap_or_default();
    let help = match (written.is_some(), allowed) {
        (false, _) => format!(
            "a {kind}'s pod must stop when its work is done, and a missing restartPolicy means `Always`: add `restartPolicy: OnFailure` or `Never`"
        ),
        (true, ["Always"]) => format!(
            "a {kind} keeps its pods running, so they restart whatever the exit: write `restartPolicy: Always` or remove it; for a task that should run to completion, use a Job"
        ),
        (true, _) => format!("a {kind}'s pods must be able to finish: write `restartPolicy: OnFailure` or `Never`"),
    };
    refuse(cx, &META, span, &error, help);
}
