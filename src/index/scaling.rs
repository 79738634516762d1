//! What a HorizontalPodAutoscaler asks of the object it scales, and what that object answers:
//! read in the per-file pass (the HPA's target is often in another file), judged by `hpa-target`.
use crate::finding::Location;
use crate::object::{ContainerKind, Object};
use crate::yaml::{Node, Span};

/// An HPA's own facts: the object it scales, the metrics measured against requests, its bounds.
#[derive(Debug, Default)]
pub struct ScalerFacts {
    pub target: Option<ScaleTarget>,
    pub metrics: Vec<UtilizationMetric>,
    /// `minReplicas`, 1 when unset (the API server's default); `None` when it is not a number.
    pub min_replicas: Option<i64>,
    pub max_replicas: Option<i64>,
}

/// `spec.scaleTargetRef`: the kind and name as written, and where the name is.
#[derive(Debug)]
pub struct ScaleTarget {
    pub kind: String,
    pub name: String,
    pub at: Location,
}

/// A metric the HPA computes as a percentage of the pods' requests (`Utilization`).
#[derive(Debug)]
pub struct UtilizationMetric {
    pub resource: String,
    /// A `ContainerResource` metric's container: only its request counts.
    pub container: Option<String>,
    pub at: Location,
    /// The HPA names no metric, so the API server gives it one: 80% CPU utilization.
    pub defaulted: bool,
}

/// What an HPA may ask of a scaled object: its written replica count and its pods' requests.
#[derive(Debug, Default)]
pub struct ScaleFacts {
    /// `spec.replicas` as written, and where its value is.
    pub replicas: Option<(i64, Location)>,
    /// The containers the HPA adds requests up over, with the resources each requests.
    pub containers: Vec<(String, Vec<String>)>,
    /// Resources the pod-level `resources` (beside the containers) requests or limits.
    pub pod_level: Vec<String>,
}

/// The facts of an HPA, of any version (`autoscaling/v1`, `v2beta1`, `v2beta2`, `v2`).
pub fn scaler(object: &Object<'_, '_>, locate: &dyn Fn(Span) -> Location) -> Option<ScalerFacts> {
    if !object.is_kind("HorizontalPodAutoscaler") {
        return None;
    }
    let spec_entry = object.root.entry("spec")?;
    let spec = &spec_entry.value;
    let target = spec.get("scaleTargetRef").and_then(|r| {
        let kind = r.get("kind")?.scalar_text()?;
        let name = r.get("name")?;
        Some(ScaleTarget { kind: kind.to_string(), name: name.scalar_text()?.to_string(), at: locate(name.span) })
    });
    let min_replicas = match spec.get("minReplicas") {
        None => Some(1),
        Some(node) => node.as_i64(),
    };
    let mut metrics = Vec::new();
    let utilization = |resource: &str, container: Option<&str>, at: Span, defaulted: bool| UtilizationMetric {
        resource: resource.to_string(),
        container: container.map(str::to_owned),
        at: locate(at),
        defaulted,
    };
    if object.api_version == Some("autoscaling/v1") {
        match spec.entry("targetCPUUtilizationPercentage") {
            Some(entry) => metrics.push(utilization("cpu", None, entry.key.span, false)),
            None => metrics.push(utilization("cpu", None, spec_entry.key.span, true)),
        }
    } else {
        let written = spec.entry("metrics");
        let items = written.map(|e| e.value.items()).unwrap_or(&[]);
        if items.is_empty() {
            let at = written.map_or(spec_entry.key.span, |e| e.key.span);
            metrics.push(utilization("cpu", None, at, true));
        }
        for metric in items {
            let (source, container) = match metric.get("type").and_then(Node::scalar_text) {
                Some("Resource") => (metric.get("resource"), None),
                Some("ContainerResource") => {
                    let source = metric.get("containerResource");
                    (source, source.and_then(|s| s.get("container")).and_then(Node::scalar_text))
                }
                _ => continue,
            };
            let Some(source) = source else { continue };
            // v2 and v2beta2 say `target.type: Utilization`; v2beta1 writes the percentage itself.
            let measured = source.path(&["target", "type"]).and_then(Node::scalar_text) == Some("Utilization")
                || source.get("targetAverageUtilization").is_some();
            let Some(name) = source.get("name") else { continue };
            if let (true, Some(resource)) = (measured, name.scalar_text()) {
                metrics.push(utilization(resource, container, name.span, false));
            }
        }
    }
    Some(ScalerFacts { target, metrics, min_replicas, max_replicas: spec.get("maxReplicas").and_then(Node::as_i64) })
}

/// The facts of an object an HPA may scale: what it has when it makes pods.
pub fn scaled(object: &Object<'_, '_>, locate: &dyn Fn(Span) -> Location) -> Option<ScaleFacts> {
    let template = object.pod_template()?;
    let replicas = match object.kind {
        Some("Pod" | "CronJob" | "Job" | "DaemonSet") => None,
        _ => object.root.path(&["spec", "replicas"]).and_then(|n| Some((n.as_i64()?, locate(n.span)))),
    };
    // The HPA controller adds up the requests of the app containers and of the init containers
    // that keep running (native sidecars): a plain init container has exited before the pod is
    // measured, and its request is not asked for (`calculatePodRequests` in Kubernetes'
    // pkg/controller/podautoscaler/replica_calculator.go).
    let containers = template
        .containers()
        .iter()
        .filter(|c| c.kind == ContainerKind::App || c.is_native_sidecar())
        .map(|c| (c.name.unwrap_or_default().to_string(), requested(c.node.get("resources"))))
        .collect();
    let pod_level = requested(template.spec().get("resources"));
    Some(ScaleFacts { replicas, containers, pod_level })
}

/// The resources a `resources` block requests: those under `requests`, and those under `limits`,
/// which the API server copies to a request that is not written.
fn requested(resources: Option<&Node<'_>>) -> Vec<String> {
    let mut names: Vec<String> = ["requests", "limits"]
        .iter()
        .filter_map(|key| resources?.get(key))
        .flat_map(Node::entries)
        .filter(|e| !e.value.is_null())
        .filter_map(|e| e.key.scalar_text().map(str::to_owned))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}
