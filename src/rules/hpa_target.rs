use rustc_hash::FxHashSet;

use super::common::links::{MissingName, did_you_mean, is_placeholder, place_of, quoted_list, report_missing_name_at};
use super::{Category, FixAvailability, Rule, RuleMeta, RunRuleContext, Scope};
use crate::finding::Severity;
use crate::index::scaling::{ScaleFacts, ScalerFacts, UtilizationMetric};
use crate::index::{IndexView, ObjectClass, ObjectId};

pub struct HpaTarget;

/// Kinds with a scale subresource that podlint reads: an HPA's target of any other kind (a
/// custom resource) is not judged.
const SCALABLE: [&str; 6] =
    ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "DeploymentConfig"];

static META: RuleMeta = RuleMeta {
    id: "hpa-target",
    severity: Severity::Warning,
    category: Category::Workloads,
    summary: "An HPA's target is not in the run, lacks the requests its utilization metrics need, or writes replicas the HPA undoes",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/hpa-target.md"),
    scope: Scope::Run,
    // The targets make pods; without this their requests would not be kept.
    needs: &[ObjectClass::Pods, ObjectClass::Kind("HorizontalPodAutoscaler")],
    // A Rollout that borrows a Deployment's template makes no pods of its own, and a LimitRange
    // may give every container its requests.
    looks_up: &[
        "Deployment",
        "StatefulSet",
        "ReplicaSet",
        "ReplicationController",
        "Rollout",
        "DeploymentConfig",
        "LimitRange",
    ],
    ..RuleMeta::DEFAULTS
};

impl Rule for HpaTarget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_run(&self, index: &IndexView<'_>, cx: &mut RunRuleContext<'_>) {
        let scalers = index.subjects("HorizontalPodAutoscaler");
        cx.each(&scalers, || (), |hpa, _, cx| check(index, cx, hpa));
        // A written replica count is reported at the target, so every HPA of the run is read:
        // the target's file may be the one checked while the HPA's is not.
        let mut reported = FxHashSet::default();
        for hpa in index.objects_of("HorizontalPodAutoscaler") {
            check_replicas(index, cx, hpa, &mut reported);
        }
    }
}

/// The objects the HPA's `scaleTargetRef` could mean, and their kind; `None` when it cannot be
/// judged (a placeholder, a kind podlint does not read).
fn targets<'i>(index: &IndexView<'i>, hpa: ObjectId) -> Option<(&'static str, &'i ScalerFacts, Vec<ObjectId>)> {
    let object = index.object(hpa);
    let scaler = object.facts.scaler.as_deref()?;
    let target = scaler.target.as_ref()?;
    if target.name.is_empty() || is_placeholder(&target.name) {
        return None;
    }
    let kind = SCALABLE.iter().copied().find(|k| *k == target.kind)?;
    Some((kind, scaler, index.named(kind, object.namespace(), &target.name)))
}

fn check(index: &IndexView<'_>, cx: &mut RunRuleContext<'_>, hpa: ObjectId) {
    let Some((kind, scaler, found)) = targets(index, hpa) else { return };
    let namespace = index.object(hpa).namespace();
    let Some(target) = scaler.target.as_ref() else { return };
    if found.is_empty() {
        let consequence = "the HPA cannot read its scale (FailedGetScale) and never scales anything";
        let missing =
            MissingName { rule: &META, kind, name: &target.name, consequence, remedy: "suppress the finding" };
        report_missing_name_at(index, cx, hpa, namespace, &target.at, missing);
        return;
    }
    // A LimitRange's defaults give containers the requests they do not write.
    if !index.kind_near("LimitRange", namespace, 1).is_empty() {
        return;
    }
    // A target without a pod template of its own (a Rollout's `workloadRef`) cannot be judged.
    let Some(scaled) = found
        .iter()
        .map(|&id| index.object(id).pod.as_ref()?.scale.as_deref().map(|s| (id, s)))
        .collect::<Option<Vec<(ObjectId, &ScaleFacts)>>>()
    else {
        return;
    };
    for metric in &scaler.metrics {
        // The same name may be written in several files (overlays): any that works will do.
        let mut lacks = Vec::new();
        for &(id, facts) in &scaled {
            match lack(facts, metric) {
                Some(lack) => lacks.push((id, lack)),
                None => break,
            }
        }
        if lacks.len() == scaled.len()
            && let Some((id, lack)) = lacks.into_iter().next()
        {
            report_lack(index, cx, hpa, kind, &target.name, (id, lack), metric);
        }
    }
}

/// What a target's pods lack for a metric: the container it names, or requests.
enum Lack {
    NoContainer(Vec<String>),
    Requests(Vec<String>),
}

fn lack(facts: &ScaleFacts, metric: &UtilizationMetric) -> Option<Lack> {
    // Pod-level resources may be what the HPA divides by (newer clusters): not judged.
    if facts.containers.is_empty() || facts.pod_level.contains(&metric.resource) {
        return None;
    }
    let requests = |resources: &Vec<String>| resources.contains(&metric.resource);
    match &metric.container {
        Some(name) => match facts.containers.iter().find(|(n, _)| n == name) {
            None => Some(Lack::NoContainer(facts.containers.iter().map(|(n, _)| n.clone()).collect())),
            Some((_, resources)) if !requests(resources) => Some(Lack::Requests(vec![name.clone()])),
            Some(_) => None,
        },
        None => {
            let without: Vec<String> =
                facts.containers.iter().filter(|(_, r)| !requests(r)).map(|(n, _)| n.clone()).collect();
            (!without.is_empty()).then_some(Lack::Requests(without))
        }
    }
}

fn report_lack(
    index: &IndexView<'_>,
    cx: &mut RunRuleContext<'_>,
    hpa: ObjectId,
    kind: &str,
    name: &str,
    (target, lack): (ObjectId, Lack),
    metric: &UtilizationMetric,
) {
    let resource = &metric.resource;
    let place = place_of(index, target);
    match lack {
        Lack::NoContainer(containers) => {
            let wanted = metric.container.as_deref().unwrap_or_default();
            let message = format!(
                "the pods of {kind} `{name}` run no container `{wanted}`, so the HPA gets no {resource} usage for it and never scales on this metric"
            );
            cx.report(&META, hpa, &metric.at, message, || {
                let listed = format!("{kind} `{name}` ({place}) runs {}", quoted_list(&containers, "and"));
                let names: Vec<&str> = containers.iter().map(String::as_str).collect();
                Some(match did_you_mean(wanted, &names) {
                    Some(guess) => format!("{listed}; did you mean `{guess}`?"),
                    None => listed,
                })
            });
            // The target is in the run and runs no such container: nothing outside it can help.
            if let Some((_, raw)) = cx.findings.last_mut() {
                raw.severity(Severity::Error);
            }
        }
        Lack::Requests(containers) => {
            let (noun, verb) =
                if containers.len() == 1 { ("container", "requests") } else { ("containers", "request") };
            let listed = quoted_list(&containers, "and");
            let scales = if metric.defaulted {
                "the HPA sets no metric, so the API server gives it one: cpu utilization at 80%".to_string()
            } else {
                format!("{resource} utilization is a share of the pods' {resource} requests")
            };
            let message = format!(
                "{scales}, and {noun} {listed} of {kind} `{name}` {verb} no {resource}, so the HPA cannot compute it (`missing request for {resource}`, shown as `<unknown>`) and never scales on it"
            );
            cx.report(&META, hpa, &metric.at, message, || {
                Some(format!(
                    "{kind} `{name}` ({place}): set `resources.requests.{resource}` on {noun} {listed}; a limit alone also does (the API server copies it to the request)"
                ))
            });
        }
    }
}

/// A replica count the target writes outside the HPA's bounds: each apply sets it, and the HPA
/// sets it back.
fn check_replicas(
    index: &IndexView<'_>,
    cx: &mut RunRuleContext<'_>,
    hpa: ObjectId,
    reported: &mut FxHashSet<ObjectId>,
) {
    let Some((kind, scaler, found)) = targets(index, hpa) else { return };
    let (Some(min), Some(max)) = (scaler.min_replicas, scaler.max_replicas) else { return };
    if min > max {
        return;
    }
    let hpa_name = index.object(hpa).info.name.as_deref().unwrap_or_default();
    for target in found {
        let object = index.object(target);
        let Some(facts) = object.pod.as_ref().and_then(|p| p.scale.as_deref()) else { continue };
        let Some((replicas, at)) = &facts.replicas else { continue };
        // At zero replicas the HPA stands aside: that is how autoscaling is switched off.
        if *replicas == 0 || (min..=max).contains(replicas) || !reported.insert(target) {
            continue;
        }
        let name = object.info.name.as_deref().unwrap_or_default();
        let message = format!(
            "{kind} `{name}` writes `replicas: {replicas}`, outside the {min} to {max} that HPA `{hpa_name}` keeps, so every apply scales it to {replicas} and the HPA then scales it back"
        );
        cx.report(&META, target, at, message, || {
            Some(format!(
                "the HPA wins at its next sync (about 15 s); remove `replicas` and let HPA `{hpa_name}` ({}) set the count",
                place_of(index, hpa)
            ))
        });
    }
}
