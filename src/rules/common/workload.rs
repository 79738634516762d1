//! Which workloads and containers the probe rules judge, shared by missing-liveness-probe and
//! missing-readiness-probe: the same containers need both probes.
use crate::object::{Container, ContainerKind, Object};
use crate::rules::OptionSpec;
use crate::yaml::Node;

/// Kinds whose pods are meant to keep running: the probe rules' default `kinds`.
const LONG_RUNNING: &[&str] =
    &["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "DeploymentConfig"];

/// Every kind that makes pods, for teams that want probes on batch pods too.
pub const POD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "DeploymentConfig",
    "Job",
    "CronJob",
];

/// The kinds a probe rule applies to. A Pod that runs to completion counts as a `Job` here.
pub static PROBE_KINDS: OptionSpec = OptionSpec::choices(
    "kinds",
    POD_KINDS,
    LONG_RUNNING,
    "the workload kinds whose containers need the probe; a Pod with `restartPolicy: Never` or `OnFailure` runs to completion and counts as a `Job`",
);

/// Whether native sidecars (init containers with `restartPolicy: Always`) need the probe too.
pub static PROBE_NATIVE_SIDECARS: OptionSpec = OptionSpec::flag(
    "native-sidecars",
    false,
    "also require the probe on native sidecars (init containers with `restartPolicy: Always`)",
);

/// A bare Pod that the kubelet does not restart once it exits successfully (`Never`) or at all
/// (`OnFailure` restarts only failures) runs to completion, as a Job's pods do. A workload's
/// template cannot say so: the API accepts only `Always` there.
pub fn runs_to_completion(object: &Object<'_, '_>) -> bool {
    object.is_kind("Pod")
        && object
            .root
            .path(&["spec", "restartPolicy"])
            .and_then(Node::scalar_text)
            .is_some_and(|policy| policy.eq_ignore_ascii_case("Never") || policy.eq_ignore_ascii_case("OnFailure"))
}

/// The kind `kinds` judges an object by: a Pod that runs to completion is a Job's kind of pod.
fn probe_kind<'t>(object: &Object<'t, '_>) -> Option<&'t str> {
    if runs_to_completion(object) { Some("Job") } else { object.kind }
}

/// The containers of `object` that should carry `key` (`livenessProbe`, `readinessProbe`) and do
/// not, given the rule's `kinds` and `native-sidecars` options.
pub fn unprobed<'t, 'a>(
    object: &Object<'t, 'a>,
    key: &str,
    kinds: &[String],
    native_sidecars: bool,
) -> Vec<Container<'t, 'a>> {
    // A patch names what it changes: the probe may well be in the object it patches.
    if object.completeness == crate::object::Completeness::Patch {
        return Vec::new();
    }
    let Some(kind) = probe_kind(object) else { return Vec::new() };
    if !kinds.iter().any(|k| k == kind) {
        return Vec::new();
    }
    let Some(template) = object.pod_template() else { return Vec::new() };
    template
        .containers()
        .into_iter()
        // Ordinary init containers finish before the app starts (the API rejects probes on
        // them), and ephemeral debug containers are not what the workload exists to run.
        .filter(|c| c.kind == ContainerKind::App || (native_sidecars && c.is_native_sidecar()))
        // `get` takes a miscased `livenessprobe:` as the probe: the schema stage reports the
        // spelling, and a second finding saying the probe is missing would be wrong.
        .filter(|c| c.node.get(key).is_none_or(|p| p.is_null()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::objects_in;
    use crate::yaml::{Limits, load};

    fn completes(text: &str) -> bool {
        let loaded = load(text, Limits::default());
        let objects: Vec<_> = loaded.documents.iter().flat_map(objects_in).collect();
        runs_to_completion(&objects[0])
    }

    #[test]
    fn bare_pods_that_do_not_restart_run_to_completion() {
        assert!(completes("apiVersion: v1\nkind: Pod\nspec: {restartPolicy: Never, containers: []}\n"));
        assert!(completes("apiVersion: v1\nkind: Pod\nspec: {restartPolicy: OnFailure, containers: []}\n"));
        assert!(!completes("apiVersion: v1\nkind: Pod\nspec: {restartPolicy: Always, containers: []}\n"));
        assert!(!completes("apiVersion: v1\nkind: Pod\nspec: {containers: []}\n"));
        // Only a bare Pod says so of itself; a template's policy is the workload's business.
        assert!(!completes("apiVersion: apps/v1\nkind: Deployment\nspec: {restartPolicy: Never}\n"));
    }
}
