//! Where resource quantities live in the objects podlint knows, and how Kubernetes reads the
//! YAML written there; shared by the rules about requests, limits and units.
use crate::k8s::quantity::{Quantity, QuantityError};
use crate::object::{ContainerKind, Object};
use crate::yaml::{Node, Resolved};

/// How the API server reads a quantity field: strings as written (with surrounding whitespace
/// trimmed, as its JSON decoder does), YAML numbers by their value (`cpu: 0.5`). `None` for null,
/// booleans and collections: a wrong type is the schema stage's finding, not a unit mistake.
pub fn quantity_of(node: &Node<'_>) -> Option<Result<Quantity, QuantityError>> {
    let scalar = node.as_scalar()?;
    match scalar.resolved {
        Resolved::Str => Some(Quantity::parse_json_string(&scalar.text)),
        Resolved::Int(i) => Some(Quantity::parse(&i.to_string())),
        // A YAML float reaches the API server as a JSON number printed from the float, so its
        // value is the float's, not the text's (`0.1` stays 0.1: both print the shortest form).
        Resolved::Float(f) if f.is_finite() => Some(Quantity::parse(&f.to_string())),
        // `.inf` and `.nan` have no JSON form at all.
        Resolved::Float(_) => Some(Err(QuantityError::Format)),
        Resolved::Null | Resolved::Bool(_) => None,
    }
}

/// Resources counted in bytes, by their name in a resource list or a quota
/// (`memory`, `requests.storage`, `gold.storageclass.storage.k8s.io/requests.storage`).
pub fn counts_bytes(resource: &str) -> bool {
    let name = resource.rsplit('/').next().unwrap_or(resource);
    let name = name.strip_prefix("requests.").or_else(|| name.strip_prefix("limits.")).unwrap_or(name);
    matches!(name, "memory" | "storage" | "ephemeral-storage")
}

/// One quantity in an object: a resource name and the value written for it.
#[derive(Clone, Copy, Debug)]
pub struct QuantityField<'t, 'a> {
    pub resource: &'t str,
    pub value: &'t Node<'a>,
    /// A LimitRange `maxLimitRequestRatio`: a plain ratio whatever the resource.
    pub ratio: bool,
}

/// Every resource quantity of the object, in the places the API validates them as quantities.
pub fn quantity_fields<'t, 'a>(object: &Object<'t, 'a>) -> Vec<QuantityField<'t, 'a>> {
    let mut out = Vec::new();
    let root = object.root;
    if let Some(template) = object.pod_template() {
        let spec = template.spec();
        push_requirements(spec.get("resources"), &mut out);
        for container in template.containers() {
            push_requirements(container.node.get("resources"), &mut out);
        }
    }
    match object.kind {
        Some("LimitRange") => {
            for limit in root.path(&["spec", "limits"]).map(Node::items).unwrap_or(&[]) {
                for key in ["max", "min", "default", "defaultRequest"] {
                    push_list(limit.get(key), false, &mut out);
                }
                push_list(limit.get("maxLimitRequestRatio"), true, &mut out);
            }
        }
        Some("ResourceQuota") => push_list(root.path(&["spec", "hard"]), false, &mut out),
        Some("PersistentVolumeClaim") => push_requirements(root.path(&["spec", "resources"]), &mut out),
        Some("PersistentVolume") => push_list(root.path(&["spec", "capacity"]), false, &mut out),
        Some("StatefulSet") => {
            for claim in root.path(&["spec", "volumeClaimTemplates"]).map(Node::items).unwrap_or(&[]) {
                push_requirements(claim.path(&["spec", "resources"]), &mut out);
            }
        }
        _ => {}
    }
    out
}

/// A `resources:` block: its `requests` and `limits` lists.
fn push_requirements<'t, 'a>(resources: Option<&'t Node<'a>>, out: &mut Vec<QuantityField<'t, 'a>>) {
    let Some(resources) = resources else { return };
    push_list(resources.get("requests"), false, out);
    push_list(resources.get("limits"), false, out);
}

fn push_list<'t, 'a>(list: Option<&'t Node<'a>>, ratio: bool, out: &mut Vec<QuantityField<'t, 'a>>) {
    for entry in list.map(Node::entries).unwrap_or(&[]) {
        if let Some(resource) = entry.key.scalar_text() {
            out.push(QuantityField { resource, value: &entry.value, ratio });
        }
    }
}

/// A `resources:` block with requests and limits, and who it belongs to, for messages.
pub struct Requirements<'t, 'a> {
    /// "container `web`", "the pod".
    pub owner: String,
    pub node: &'t Node<'a>,
}

/// The `resources:` blocks of a pod's containers that may set resources (app and init; the API
/// rejects them on ephemeral containers), then the pod-level block.
pub fn requirements<'t, 'a>(object: &Object<'t, 'a>) -> Vec<Requirements<'t, 'a>> {
    let Some(template) = object.pod_template() else { return Vec::new() };
    let mut out: Vec<_> = template
        .containers()
        .into_iter()
        .filter(|c| c.kind != ContainerKind::Ephemeral)
        .filter_map(|c| c.node.get("resources").map(|node| Requirements { owner: c.describe(), node }))
        .collect();
    if let Some(node) = template.spec().get("resources") {
        out.push(Requirements { owner: "the pod".to_string(), node });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_resources_by_name() {
        for name in ["memory", "storage", "ephemeral-storage", "requests.memory", "limits.ephemeral-storage"] {
            assert!(counts_bytes(name), "{name}");
        }
        assert!(counts_bytes("gold.storageclass.storage.k8s.io/requests.storage"));
        for name in ["cpu", "pods", "nvidia.com/gpu", "hugepages-2Mi", "count/deployments.apps", "requests.cpu"] {
            assert!(!counts_bytes(name), "{name}");
        }
    }
}
