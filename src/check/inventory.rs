//! The few facts cross-object rules need, kept per object so a run never holds whole files in
//! memory: labels and port names of pod templates, selectors and target ports of Services.
use std::sync::Arc;

use crate::finding::{Location, ObjectInfo};

/// The pods one object makes (a Pod, or the template of a workload), as Services see them.
#[derive(Debug)]
pub struct PodGroup {
    /// The file's path, so that help can say where a pod from another file lives.
    pub path: Arc<str>,
    pub file: usize,
    pub object: Arc<ObjectInfo>,
    pub namespace: Option<String>,
    pub labels: Vec<(String, String)>,
    /// Names of container ports across all its containers, each once.
    pub port_names: Vec<String>,
}

#[derive(Debug)]
pub struct ServiceFacts {
    /// Cross-object findings are made from these facts alone, and a finding names its file.
    pub path: Arc<str>,
    pub file: usize,
    pub object: Arc<ObjectInfo>,
    pub namespace: Option<String>,
    /// An ExternalName Service is a DNS alias: it has no endpoints, so a selector means nothing.
    pub external_name: bool,
    pub selector: Vec<(String, String)>,
    /// The `selector` key, or the `spec` key when there is none.
    pub selector_at: Location,
    /// `targetPort`s written as strings (port names), where they are written.
    pub named_target_ports: Vec<(String, Location)>,
}

impl ServiceFacts {
    /// Whether the Service's endpoints come from the pods its selector picks, rather than
    /// from hand-managed Endpoints or a DNS name.
    pub fn selects_pods(&self) -> bool {
        !self.external_name && !self.selector.is_empty()
    }
}

#[derive(Debug, Default)]
pub struct Inventory {
    pub pods: Vec<PodGroup>,
    pub services: Vec<ServiceFacts>,
    /// Pod templates by each label pair they carry, built on first use: a Service's candidates
    /// are then the templates with its selector's rarest pair, not every template of the run.
    by_label: std::sync::OnceLock<rustc_hash::FxHashMap<(String, String), Vec<usize>>>,
}

impl Inventory {
    pub fn extend(&mut self, other: Inventory) {
        self.pods.extend(other.pods);
        self.services.extend(other.services);
    }

    /// The pod groups a Service selects.
    pub fn selected_by<'i>(&'i self, service: &'i ServiceFacts) -> impl Iterator<Item = &'i PodGroup> + 'i {
        let index = self.by_label.get_or_init(|| {
            let mut index: rustc_hash::FxHashMap<(String, String), Vec<usize>> = Default::default();
            for (i, pod) in self.pods.iter().enumerate() {
                for pair in &pod.labels {
                    index.entry(pair.clone()).or_default().push(i);
                }
            }
            index
        });
        // An empty selector has no pair to look up; it is not a pod selector (see selects_pods).
        let candidates: &[usize] = service
            .selector
            .iter()
            .map(|pair| index.get(pair).map_or(&[][..], Vec::as_slice))
            .min_by_key(|list| list.len())
            .unwrap_or(&[]);
        candidates.iter().map(|&i| &self.pods[i]).filter(move |pod| {
            same_namespace(service.namespace.as_deref(), pod.namespace.as_deref())
                && selects(&service.selector, &pod.labels)
        })
    }
}

/// A Service's pods are in its own namespace; an object without one gets the namespace it is
/// applied to, so it could be any.
pub fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Whether every selector pair is among the labels.
pub fn selects(selector: &[(String, String)], labels: &[(String, String)]) -> bool {
    selector.iter().all(|pair| labels.contains(pair))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn selection_needs_every_pair_and_a_compatible_namespace() {
        let labels = pairs(&[("app", "web"), ("tier", "front")]);
        assert!(selects(&pairs(&[("app", "web")]), &labels));
        assert!(!selects(&pairs(&[("app", "web"), ("tier", "back")]), &labels));
        assert!(same_namespace(None, Some("a")));
        assert!(!same_namespace(Some("a"), Some("b")));
    }
}
