//! invalid-pod-spec: what the API server refuses in a pod spec beyond its schema, in every
//! pod template: the checks of `ValidatePodSpec` (src/rules/common/pod_validation.rs) and the
//! restart policy each owner allows (apps and batch validation).
use super::common::pod_validation::{PodSpecCheck, spec_path, text};
use super::common::validation::{FieldError, FieldPath, Val, refuse};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::object::Object;
use crate::yaml::Node;

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
        let claim_templates = object
            .root
            .path(&["spec", "volumeClaimTemplates"])
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|t| t.path(&["metadata", "name"]).and_then(text))
            .collect();
        let check = PodSpecCheck { spec, base, target: cx.target(), claim_templates, out: Vec::new() };
        let later = pods_refused_later(object);
        for refusal in check.run() {
            match later {
                None => {
                    refuse(cx, &META, refusal.span, &refusal.error, refusal.help);
                }
                Some(note) => {
                    let help = format!("{}; {note}", refusal.help);
                    refuse(cx, &META, refusal.span, &refusal.error, help).severity(Severity::Warning);
                }
            }
        }
    }
}

/// Owners whose pod template the API server does not validate as a pod spec: it accepts the
/// object, and refuses each pod (or ReplicaSet) made from it. A StatefulSet's template is left
/// unchecked on purpose (`ValidatePodTemplateSpecForStatefulSet`: its volumes come from the
/// claim templates); an Argo Rollout is a custom resource, and its controller's ReplicaSets are
/// what the server refuses. Their findings are warnings, with what will fail said.
fn pods_refused_later(object: &Object<'_, '_>) -> Option<&'static str> {
    match object.kind? {
        "StatefulSet" => Some(
            "the API server accepts the StatefulSet (it does not validate a StatefulSet's pod template) but refuses every pod the controller creates from it",
        ),
        "Rollout" => Some(
            "the API server accepts the Rollout (a custom resource) but refuses every ReplicaSet the controller creates from it",
        ),
        _ => None,
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
    let finding = refuse(cx, &META, span, &error, help);
    if object.is_kind("Rollout") {
        finding.severity(Severity::Warning);
    }
}
